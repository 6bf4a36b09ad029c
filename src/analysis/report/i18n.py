"""Texts and number notation of the report, for every language in data/languages.csv.

Every text a reader sees lives in one gettext catalog per language,
`locales/<lang>/LC_MESSAGES/messages.po`, read at run time with Babel (no compile step).
It holds two kinds of entries:

- **Messages**: prose, written where it is used, in English (the source language), and
  marked for extraction: `_("From {start} to {end} the city filed {filed} …")` in a
  notebook (`_ = ed.gettext`), `self.gettext(…)` / `self.ngettext(…)` in the package.
  `make messages` collects them into the template `locales/messages.pot` (`pybabel
  extract`, `babel.cfg`) and adds new ones to every catalog (`analysis.report.catalogs`),
  where a translator translates them. `gettext` returns the translation in the page's
  language; a message not (yet) translated, or marked fuzzy, reads in English.
- **Labels**: words that are not prose, under a symbolic key, looked up with `t` or `label`:

      source, period, chart_citation, ...     UI words (column headings, legends)
      cite.<key>, report.<key>                the edition's citation, the PDF's cover
      check.<id>                              the data checks (the `checks` table gives their order)
      page.<slug>, chart.<chart_id>           page and chart titles
      nav.<slug>, nav_menu.<menu>             the site's navigation (data/pages.csv lists the pages)
      <vocabulary>.<code>                     labels of data/vocabularies.csv's codes
      site.title, site.footer                 site chrome

No text holds a typed figure: `{placeholders}` are filled from the data, so a text cannot
drift from the numbers. Numbers follow the language's Babel locale (vi: 8.947 and 14,4;
en: 8,947 and 14.4).
"""

from __future__ import annotations

import gettext as _gettext
import io
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import MappingProxyType

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from analysis.product.vocabularies import languages

LOCALES = Path(__file__).parent / "locales"
TEMPLATE = LOCALES / "messages.pot"  # the messages `make messages` extracts
SOURCE_LANG = "en"  # the language messages are written in
LANGUAGES = languages()
LANGS: tuple[str, ...] = tuple(LANGUAGES)  # site order: the first is the default


def catalog_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=lang)


def _known(lang: str) -> None:
    if lang not in LANGUAGES:
        raise KeyError(f"no language {lang!r}: the languages are {LANGS}")


@cache
def _entries(lang: str) -> MappingProxyType[str, str | tuple[str, ...]]:
    # An empty label is a text (`qualifier.exact`), not a missing translation: the tests
    # check that every catalog has every label and translates every message.
    entries = read_catalog(catalog_path(lang), lang)
    return MappingProxyType({m.id[0] if m.pluralizable else m.id: m.string
                             for m in entries if m.id})  # fmt: skip


def translations(entries: Catalog) -> _gettext.GNUTranslations:
    """A catalog as gettext reads it: messages neither translated nor fuzzy are left out,
    so they read in the source language (GNU gettext's rule)."""
    for message in list(entries):
        forms = message.string if message.pluralizable else (message.string,)
        if message.id and (message.fuzzy or not all(forms)):
            del entries[message.id]
    compiled = io.BytesIO()
    write_mo(compiled, entries)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


@cache
def _translations(lang: str) -> _gettext.GNUTranslations:
    return translations(read_catalog(catalog_path(lang), lang))


def catalog(lang: str) -> dict[str, str | tuple[str, ...]]:
    """Every label and message of the language's catalog and its text (a plural message:
    under its singular, the tuple of its forms)."""
    _known(lang)
    return dict(_entries(lang))


def t(key: str, lang: str, **values) -> str:
    """The label `key` in `lang`, its placeholders filled with `values` when given."""
    if lang not in LANGUAGES:
        raise KeyError(f"no text {key!r} for language {lang!r}: the languages are {LANGS}")
    entries = _entries(lang)
    if key not in entries:
        raise KeyError(f"no text {key!r} for language {lang!r} in {catalog_path(lang)}")
    text = entries[key]
    return text.format(**values) if values else text


def gettext(message: str, lang: str) -> str:
    """`message` (English, as written where it is used) in `lang`."""
    _known(lang)
    return _translations(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str) -> str:
    """The form of a message that agrees with `n` in `lang` (the catalog's Plural-Forms)."""
    _known(lang)
    return _translations(lang).ngettext(singular, plural, n)


def label(vocabulary: str, code: str, lang: str) -> str:
    """How a reader sees a code of data/vocabularies.csv (`label("source_kind", "news", "en")`)."""
    return t(f"{vocabulary}.{code}", lang)


# Numbers --------------------------------------------------------------------------------


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LANGUAGES[lang].babel_locale)


def language_name(code: str, lang: str) -> str:
    """A language's name in the page's language (Babel's: `vi` is "Vietnamese" in English)."""
    return Locale.parse(code).get_language_name(_locale(lang))


def fmt(value: float | int | None, lang: str, decimals: int | None = None) -> str:
    """A number in the page's notation (vi: 8.947 and 14,4; en: 8,947 and 14.4).

    Integers show no decimals; other values up to three (at least one) unless `decimals`
    is given. Missing values read as a dash.
    """
    if value is None:
        return "–"
    if decimals is None and float(value).is_integer():
        decimals = 0
    if decimals is None:
        decimals = min(3, max(1, len(f"{float(value):.10g}".partition(".")[2])))
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    # Rounded as floats first (as the report always has), so Babel only writes the digits.
    rounded = Decimal(str(round(float(value), decimals)))
    return format_decimal(rounded, pattern, locale=_locale(lang))


def fmt_scaled(value: float, lang: str, decimals: int, scale: int) -> str:
    """A figure at the scale its source wrote it (`20,3 triệu`: 20.3 million in en), in
    the words of the language's CLDR long compact format (Babel's locale data)."""
    if scale == 1:
        return fmt(value, lang, decimals)
    mantissa = value / scale
    locale = _locale(lang)
    patterns = locale.compact_decimal_formats["long"]
    plural = locale.plural_form(mantissa)
    pattern = (patterns.get(plural) or patterns["other"])[str(scale)].pattern
    return re.sub(r"0+", fmt(mantissa, lang, decimals), pattern, count=1).replace("'", "")


def _d3_locale(lang: str) -> dict:
    """The d3 number locale vega-embed and vl-convert are given (d3 has none for vi-VN):
    the language's Babel symbols and grouping, and its currency pair."""
    locale, language = _locale(lang), LANGUAGES[lang]
    primary, secondary = locale.decimal_formats[None].grouping
    return {
        "decimal": get_decimal_symbol(locale),
        "thousands": get_group_symbol(locale),
        # d3 repeats the last group size: [3] for 8.947.000, [3, 2] for Indian grouping.
        "grouping": [primary] if primary == secondary else [primary, secondary],
        "currency": [language.currency_prefix, language.currency_suffix],
    }


D3_LOCALE = {lang: _d3_locale(lang) for lang in LANGS}


def fmt_period(period: str, lang: str) -> str:
    """`2021-01/2025-08` -> `01/2021–08/2025` (vi, `d/m/y`) or `2021-01–2025-08` (en,
    `y-m-d`): the language's date format, in data/languages.csv."""
    pattern = LANGUAGES[lang].date_format

    def one(p: str) -> str:
        parts = dict(zip("ymd", p.split("-"), strict=False))  # a year, a month or a day
        return pattern[1].join(parts[part] for part in pattern[::2] if part in parts)

    start, _, end = period.partition("/")
    return f"{one(start)}–{one(end)}" if end else one(start)
