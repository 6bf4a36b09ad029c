"""Texts in message catalogs, languages and vocabularies as data, numbers by Babel."""

from __future__ import annotations

import csv
import string

import pytest

from analysis.paths import DATA
from analysis.product import vocabularies
from analysis.product.observations import NON_NEGATIVE_KINDS
from analysis.product.plan46 import DEADLINE_RULES
from analysis.report import i18n, metrics
from analysis.report.i18n import D3_LOCALE, LANGS, LANGUAGES, catalog, fmt, label, t
from analysis.site.config import other_langs
from analysis.site.stage import language_links

# Keys whose text is empty on purpose (an exact figure has no hedge), or only a space (what
# joins two hedges in Vietnamese: "ước khoảng").
EMPTY = {"qualifier.exact"}
BLANK = {"hedge_join"}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_languages_come_from_the_table():
    with (DATA / "languages.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(row["lang"] for row in rows) == LANGS
    assert LANGS[0] == "vi"  # the default language comes first
    assert {row["lang"]: row["name"] for row in rows} == {"vi": "Tiếng Việt", "en": "English"}


def test_every_catalog_has_the_same_keys_and_placeholders():
    keys = {lang: set(catalog(lang)) for lang in LANGS}
    for lang in LANGS:
        assert keys[lang] == keys[LANGS[0]], (lang, keys[lang] ^ keys[LANGS[0]])
    for key in keys[LANGS[0]]:
        found = {lang: placeholders(t(key, lang)) for lang in LANGS}
        assert all(p == found[LANGS[0]] for p in found.values()), (key, found)


def test_no_text_is_left_untranslated():
    for lang in LANGS:
        empty = {key for key, text in catalog(lang).items() if not text}
        blank = {key for key, text in catalog(lang).items() if text and not text.strip()}
        assert empty == EMPTY and blank <= BLANK, (lang, empty, blank)


def test_every_vocabulary_code_has_a_label_in_every_language():
    for vocabulary in vocabularies.vocabularies():
        for code in vocabularies.codes(vocabulary):
            for lang in LANGS:
                label(vocabulary, code, lang)  # raises KeyError when missing
    # and every vocabulary label in the catalogs is a code of its vocabulary
    for key in catalog(LANGS[0]):
        prefix, dot, code = key.partition(".")
        if dot and prefix in vocabularies.vocabularies():
            assert code in vocabularies.codes(prefix), key


def test_missing_key_or_language_raises_naming_both():
    with pytest.raises(KeyError, match=r"no_such_key.*'vi'"):
        t("no_such_key", "vi")
    with pytest.raises(KeyError, match=r"'source'.*'fr'"):
        t("source", "fr")
    with pytest.raises(KeyError, match="'fr'"):
        catalog("fr")


def test_texts_and_placeholders():
    assert t("source", "vi") == "Nguồn"
    assert t("sentence.cite_edition", "vi", citation="X") == "Trích dẫn ấn bản này:\n\n> X"
    assert label("qualifier", "about", "vi") == "khoảng"
    assert label("qualifier", "exact", "en") == ""
    assert label("deadline_kind", "dated", "en") == "Dated (month)"
    assert label("status", metrics.GAP, "en") == "Gap"


def test_language_switch_links_every_other_language_named_in_itself():
    for lang in LANGS:
        alternates, switch = language_links(lang, "pii")
        for other in other_langs(lang):
            name = LANGUAGES[other].name
            assert (
                f'href="../{other}/pii.html" hreflang="{other}" lang="{other}">{name}</a>' in switch
            )
            assert (
                f'<link rel="alternate" hreflang="{other}" href="../{other}/pii.html">'
                in alternates
            )
        assert switch.count("<a ") == alternates.count("<link ") == len(LANGS) - 1


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [(8947, "8.947", "8,947"), (14.4, "14,4", "14.4"), (133064.73, "133.064,73", "133,064.73")],
)
def test_fmt_follows_each_language(value, vi, en):
    assert fmt(value, "vi") == vi
    assert fmt(value, "en") == en


@pytest.mark.parametrize(
    ("period", "vi", "en"),
    [("2025", "2025", "2025"), ("2025-08", "08/2025", "2025-08"), ("2025-08-31", "31/08/2025", "2025-08-31"),
     ("2021-01/2025-08", "01/2021–08/2025", "2021-01–2025-08")],
)  # fmt: skip
def test_periods_follow_each_languages_date_format(period, vi, en):
    assert (i18n.fmt_period(period, "vi"), i18n.fmt_period(period, "en")) == (vi, en)


def test_d3_locale_comes_from_babel():
    assert D3_LOCALE["vi"] == {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["", " ₫"],
    }
    assert D3_LOCALE["en"] == {
        "decimal": ".",
        "thousands": ",",
        "grouping": [3],
        "currency": ["", " VND"],
    }


def test_vocabularies_are_the_ones_the_code_uses():
    assert {kind for kind, _ in DEADLINE_RULES} <= set(vocabularies.codes("deadline_kind"))
    assert set(vocabularies.codes("unit_kind")) >= NON_NEGATIVE_KINDS
    assert set(metrics.STATUSES) == set(vocabularies.codes("status"))
    assert vocabularies.hedges("qualifier", "more_than") == ("hơn", "trên")
    assert vocabularies.hedges("qualifier", "exact") == ()
    with pytest.raises(KeyError, match="no_such"):
        vocabularies.codes("no_such")
