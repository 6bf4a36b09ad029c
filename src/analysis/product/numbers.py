"""Vietnamese number notation: the one place that parses figures.

In the sources `.` groups thousands and `,` marks decimals (`8.947` = 8947,
`133.064,73` = 133064.73). A generic float parser reads `8.947` as 8.947
without complaint, so every figure taken from a source goes through here. Writing
numbers for readers is `analysis.report.i18n.fmt` (Babel's locale data).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

__all__ = [
    "NumberFormatError",
    "parse_number",
    "parse_plain_decimal",
    "parse_range",
    "written_decimals",
    "written_scale",
]


class NumberFormatError(ValueError):
    """A figure that does not follow the notation it claims to follow."""


# Scale words multiply the numeral ("20,3 triệu" = 20 300 000).
_SCALE_WORDS = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
# Small counts the sources write as words ("hai đối tác", "liên thông bốn cấp").
_NUMBER_WORDS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}
_SEPARATORS = {"vi": (".", ","), "en": (",", ".")}
_SCALE_ALT = "|".join(_SCALE_WORDS)
_FIGURE = re.compile(
    rf"(?P<num>\d[\d.,]*)\s*(?P<scale>{_SCALE_ALT})?\s*(?P<unit>%|ha)?", re.IGNORECASE
)


def _numeral_pattern(lang: str) -> re.Pattern[str]:
    group, decimal = (re.escape(s) for s in _SEPARATORS[lang])
    return re.compile(rf"(?P<int>\d{{1,3}}(?:{group}\d{{3}})+|\d+)(?:{decimal}(?P<frac>\d+))?")


_NUMERALS = {lang: _numeral_pattern(lang) for lang in _SEPARATORS}


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


def _parse_numeral(num: str, lang: str, original: str) -> Decimal:
    match = _NUMERALS[lang].fullmatch(num)
    if match is None:
        group, decimal = _SEPARATORS[lang]
        raise NumberFormatError(
            f"{original!r} is not a number in {lang} notation: '{group}' groups thousands "
            f"(always followed by three digits) and '{decimal}' marks decimals"
        )
    integer = match["int"].replace(_SEPARATORS[lang][0], "")
    frac = match["frac"]
    return Decimal(f"{integer}.{frac}" if frac else integer)


def parse_number(text: str, lang: str = "vi") -> Decimal:
    """Parse a figure as a source writes it.

    Accepts a numeral in the language's notation, optionally followed by a scale
    word (`triệu`, `tỷ`, `nghìn`) and a unit mark (`%`, `ha`), or a small number
    word (`hai`, `ba`, `bốn`). `8.947` -> 8947, `14,4%` -> 14.4,
    `20,3 triệu` -> 20300000.
    """
    s = _clean(text)
    if lang not in _SEPARATORS:
        raise ValueError(f"unknown language {lang!r}")
    if s.lower() in _NUMBER_WORDS:
        return Decimal(_NUMBER_WORDS[s.lower()])
    match = _FIGURE.fullmatch(s)
    if match is None:
        raise NumberFormatError(f"{text!r} is not a figure (numeral, scale word, unit mark)")
    value = _parse_numeral(match["num"], lang, str(text))
    if match["scale"]:
        value *= _SCALE_WORDS[match["scale"].lower()]
    return value


def parse_range(text: str, lang: str = "vi") -> tuple[Decimal, Decimal]:
    """Parse `10-15`, `16- 18`, `10-12%` into (low, high); a single figure gives (x, x)."""
    s = _clean(text)
    parts = re.split(r"\s*[-–]\s*", s)
    if len(parts) == 1:
        value = parse_number(s, lang)
        return value, value
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise NumberFormatError(f"{text!r} is not a range of two figures")
    high = parse_number(parts[1], lang)
    # The unit mark is written once, after the second figure ("10-12%").
    low = parse_number(parts[0], lang)
    if low > high:
        raise NumberFormatError(f"{text!r}: the range's low end is above its high end")
    return low, high


def parse_plain_decimal(text: str) -> Decimal:
    """Parse a machine-written decimal (`8947`, `133064.73`); no grouping allowed."""
    s = str(text).strip()
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", s):
        raise NumberFormatError(
            f"{text!r} is not a plain decimal (digits, optionally '.' and decimals; "
            "no thousands separators)"
        )
    return Decimal(s)


def written_decimals(text: str, lang: str = "vi") -> int:
    """How many decimals a figure is written with (`11,0%` -> 1, `20,3 triệu` -> 1,
    `10-12%` -> 0): the precision the source gave, which every page keeps."""
    s = _clean(text)
    if s.lower() in _NUMBER_WORDS:
        return 0
    decimal = re.escape(_SEPARATORS[lang][1])
    return max((len(m[1]) for m in re.finditer(rf"{decimal}(\d+)", s)), default=0)


def written_scale(text: str) -> int:
    """The scale word's factor in a figure as written (`20,3 triệu` -> 10**6), else 1: a
    page writes the figure at the same scale (`20.3 million`), never as 20,300,000."""
    match = _FIGURE.fullmatch(_clean(text))
    if match is None or not match["scale"]:
        return 1
    return _SCALE_WORDS[match["scale"].lower()]
