from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.product.numbers import (
    NumberFormatError,
    parse_number,
    parse_plain_decimal,
    parse_range,
)
from analysis.report.i18n import fmt


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8.947", Decimal(8947)),
        ("1.286", Decimal(1286)),
        ("133.064,73", Decimal("133064.73")),
        ("14,4%", Decimal("14.4")),
        ("28,5ha", Decimal("28.5")),
        ("20,3 triệu", Decimal(20_300_000)),
        ("309.000", Decimal(309000)),
        ("07", Decimal(7)),
        ("14,025%", Decimal("14.025")),
        ("ba", Decimal(3)),
        ("bốn", Decimal(4)),
        ("hai", Decimal(2)),
    ],
)
def test_parse_vietnamese_figures(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text", ["8.94", "8.9470", "1.2.3", "8,947,1", "abc", "", "12 người", "1,"]
)
def test_malformed_figures_are_refused(text):
    with pytest.raises(NumberFormatError):
        parse_number(text)


def test_english_notation_is_the_mirror_image():
    assert parse_number("133,064.73", lang="en") == Decimal("133064.73")
    with pytest.raises(NumberFormatError):
        parse_number("133.064,73", lang="en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10-15", (10, 15)), ("16- 18", (16, 18)), ("10-12%", (10, 12)), ("90", (90, 90))],
)
def test_parse_range(text, expected):
    assert parse_range(text) == tuple(Decimal(x) for x in expected)


def test_reversed_range_is_refused():
    with pytest.raises(NumberFormatError):
        parse_range("18-16")


@pytest.mark.parametrize("text", ["8,947", "1 286", "8947.", ".5", "1.286,5"])
def test_plain_decimal_refuses_notation(text):
    with pytest.raises(NumberFormatError):
        parse_plain_decimal(text)


def test_plain_decimal():
    assert parse_plain_decimal("133064.73") == Decimal("133064.73")


# Numbers are written for readers by `fmt` (Babel's locale data); these check that what it
# writes is what the parser reads.


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (8947, "vi", None, "8.947"),
        (8947, "en", None, "8,947"),
        (133064.73, "vi", None, "133.064,73"),
        (133064.73, "en", None, "133,064.73"),
        (14.4, "vi", 1, "14,4"),
        (11.0, "vi", 1, "11,0"),
        (11.0, "vi", None, "11"),
        (20_300_000, "vi", None, "20.300.000"),
        (-1234.5, "en", None, "-1,234.5"),
        (0.125, "vi", 2, "0,12"),
        (0.12345, "vi", None, "0,123"),
        (None, "vi", None, "–"),
    ],
)
def test_format(value, lang, decimals, expected):
    assert fmt(value, lang, decimals) == expected


def places(value: Decimal) -> int:
    return max(0, -value.normalize().as_tuple().exponent)


# fmt takes floats: up to 15 significant digits survive, so the amounts stay below 10^11.
amounts = st.decimals(
    min_value=0, max_value=10**11, places=3, allow_nan=False, allow_infinity=False
)


@given(amounts, st.sampled_from(["vi", "en"]))
def test_format_then_parse_round_trips(value, lang):
    assert parse_number(fmt(value, lang, places(value)), lang) == value


@given(
    st.integers(min_value=0, max_value=10**11),
    st.one_of(st.just(""), st.from_regex(r"[0-9]{0,2}[1-9]", fullmatch=True)),
)
def test_vietnamese_text_round_trips(integer, frac):
    """Canonical Vietnamese text (no trailing decimal zeros) comes back unchanged."""
    text = f"{integer:,}".replace(",", ".") + (f",{frac}" if frac else "")
    assert fmt(parse_number(text), "vi", len(frac)) == text
