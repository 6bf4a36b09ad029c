"""Texts in message catalogs (messages written in place, labels by key), languages and
vocabularies as data, numbers by Babel."""

from __future__ import annotations

import csv
import io
import json
import string

import pytest
from babel.messages.catalog import Catalog

from analysis.paths import DATA
from analysis.product import vocabularies
from analysis.product.observations import NON_NEGATIVE_KINDS
from analysis.product.plan46 import DEADLINE_RULES
from analysis.report import catalogs, i18n, metrics
from analysis.report.i18n import (
    D3_LOCALE,
    LANGS,
    LANGUAGES,
    SOURCE_LANG,
    TEMPLATE,
    catalog,
    catalog_path,
    fmt,
    gettext,
    label,
    ngettext,
    read_catalog,
    t,
)
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


def labels(lang: str) -> dict[str, str]:
    """The catalog's labels: its entries with a symbolic key (messages are English prose)."""
    return {key: text for key, text in catalog(lang).items() if catalogs.LABEL_KEY.fullmatch(key)}


def test_every_catalog_has_the_same_labels_and_placeholders():
    keys = {lang: set(labels(lang)) for lang in LANGS}
    for lang in LANGS:
        assert keys[lang] == keys[LANGS[0]], (lang, keys[lang] ^ keys[LANGS[0]])
    for key in keys[LANGS[0]]:
        found = {lang: placeholders(t(key, lang)) for lang in LANGS}
        assert all(p == found[LANGS[0]] for p in found.values()), (key, found)


def test_no_label_is_left_untranslated():
    for lang in LANGS:
        empty = {key for key, text in labels(lang).items() if not text}
        blank = {key for key, text in labels(lang).items() if text and not text.strip()}
        assert empty == EMPTY and blank <= BLANK, (lang, empty, blank)


def test_no_sentence_has_a_symbolic_key():
    """Sentences are messages written where they are used; keys are for labels only."""
    for lang in LANGS:
        assert not [key for key in labels(lang) if key.startswith("sentence.")], lang


def test_every_catalog_translates_every_message_of_the_template():
    template = read_catalog(TEMPLATE)
    assert len([m for m in template if m.id]) > 30  # the notebooks' and the package's messages
    for lang in LANGS:
        assert catalogs.problems(read_catalog(catalog_path(lang), lang), template, lang) == [], lang


def test_a_catalog_check_catches_a_missing_untranslated_or_misfilled_message():
    template = Catalog()
    template.add("From {start} to {end}")
    template.add("Horizon {horizon}")
    template.add("Edition {edition}")
    template.add(("{n} indicator", "{n} indicators"))
    template.add("Only in the source")
    vi = Catalog(locale="vi")
    vi.add("From {start} to {end}", "Từ {start} đến {finish}")  # a placeholder renamed
    vi.add("Horizon {horizon}", "")  # untranslated
    vi.add("Edition {edition}", "Ấn bản {edition}", flags=["fuzzy"])  # a guess, unconfirmed
    vi.add(("{n} indicator", "{n} indicators"), ("{n} chỉ tiêu",))
    vi.add("A message the code no longer writes", "Cũ")
    vi.add("source", "Nguồn")  # a label: kept, not a message
    found = catalogs.problems(vi, template, "vi")
    assert found == [
        "placeholders ['finish', 'start'] for ['end', 'start']: 'From {start} to {end}'",
        "untranslated: 'Horizon {horizon}'",
        "fuzzy: 'Edition {edition}'",
        "missing: 'Only in the source'",
        "not in the template: 'A message the code no longer writes'",
    ]
    # In the source language a message is its own text: an empty translation is no problem.
    en = Catalog(locale="en")
    for message in template:
        if message.id:
            en.add(message.id, "" if isinstance(message.id, str) else ("", ""))
    assert catalogs.problems(en, template, SOURCE_LANG) == []


def test_the_committed_template_is_current(tmp_path):
    """`make messages` was run: extracting the messages again gives the committed template
    (its creation date aside)."""
    fresh = tmp_path / "messages.pot"
    catalogs.extract(fresh)
    committed = TEMPLATE.read_text(encoding="utf-8")
    assert catalogs.without_date(fresh.read_text(encoding="utf-8")) == catalogs.without_date(
        committed
    )


def test_catalogs_are_as_make_messages_writes_them():
    """Every catalog is up to date with the template, laid out as the update writes it."""
    template = read_catalog(TEMPLATE)
    for lang in LANGS:
        path = catalog_path(lang)
        buffer = io.BytesIO()
        catalogs.write_to(buffer, catalogs.updated(read_catalog(path, lang), template, lang))
        assert buffer.getvalue() == path.read_bytes(), f"{path}: run `make messages`"


def test_messages_are_extracted_from_notebook_code_cells():
    notebook = {"cells": [
        {"cell_type": "markdown", "source": ["_(\"not code\")"]},
        {"cell_type": "code", "source": ["x = 1\n", "ed.say(_(\"From {start} to {end}\"), start=a, end=b)"]},
        {"cell_type": "code", "source": "# Translators: a count of indicators\n"
                                        "ed.say(ngettext(\"{n} indicator\", \"{n} indicators\", n), n=n)"},
    ]}  # fmt: skip
    found = list(catalogs.extract_notebook(io.BytesIO(json.dumps(notebook).encode()),
                                           {"_": None, "ngettext": (1, 2)}, ["Translators:"], {}))  # fmt: skip
    assert found == [
        (2, "_", "From {start} to {end}", []),
        (
            4,
            "ngettext",
            ("{n} indicator", "{n} indicators", None),
            ["Translators: a count of indicators"],
        ),
    ]


def test_a_message_reads_in_the_page_language_and_in_english_until_translated():
    assert gettext("disputed: {others}", "vi") == "chưa thống nhất: {others}"
    assert gettext("disputed: {others}", "en") == "disputed: {others}"
    assert gettext("A message no catalog has yet", "vi") == "A message no catalog has yet"
    vi = Catalog(locale="vi")
    vi.add("Confirmed", "Đã xác nhận")
    vi.add("A guess", "Đoán", flags=["fuzzy"])
    vi.add("Not yet", "")
    read = i18n.translations(vi)
    assert [read.gettext(m) for m in ("Confirmed", "A guess", "Not yet")] == [
        "Đã xác nhận",
        "A guess",
        "Not yet",
    ]


def test_a_count_picks_the_languages_plural_form():
    one = "{n} indicator has figures that differ between sources; the data keeps all of them and picks none, and every page that shows one shows the other beside it."  # fmt: skip
    other = "{n} indicators have figures that differ between sources; the data keeps all of them and picks none, and every page that shows one shows the others beside it."  # fmt: skip
    assert ngettext(one, other, 1, "en") == one and ngettext(one, other, 2, "en") == other
    # Vietnamese has one form for every count (CLDR), the catalog's Plural-Forms say so.
    assert ngettext(one, other, 1, "vi") == ngettext(one, other, 2, "vi")
    assert ngettext(one, other, 1, "vi").startswith("{n} chỉ tiêu")


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
    assert (
        gettext("To cite this edition:\n\n> {citation}", "vi").format(citation="X")
        == "Trích dẫn ấn bản này:\n\n> X"
    )
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
