"""The project's closed lists, each defined once as data.

`data/vocabularies.csv` holds every code list the validators accept (source kinds, unit
kinds, qualifiers, comparators, deadline kinds, target statuses, PII sub-indices) with the
attributes that do not depend on the reader's language: a comparator's symbol (`ge` is
`≥`), a qualifier's Vietnamese hedge words (one of them must stand in the quote). Codes
keep the file's order, which is the order charts and tables list them in. What a reader
sees, each code's label, depends on the language and lives in the message catalogs
(`analysis.report.i18n`, key `<vocabulary>.<code>`).

`data/languages.csv` lists the site's languages in site order (the first is the default),
with how each writes numbers (a Babel locale, currency affixes) and dates (`d/m/y`: the
order of day, month and year and their separator).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError

from analysis.paths import LANGUAGES_FILE, VOCABULARIES_FILE
from analysis.product.errors import DataError
from analysis.product.tables import LINE, read_table

IDENT = re.compile(r"[a-z][a-z0-9_]*")
DATE_FORMAT = re.compile(r"[dmy]([^dmy])[dmy]\1[dmy]")


@dataclass(frozen=True)
class Entry:
    code: str
    symbol: str
    hedges: tuple[str, ...]


@dataclass(frozen=True)
class Language:
    code: str
    babel_locale: str  # whose number symbols and grouping the language's figures follow
    name: str  # in the language itself, for the language switch
    currency_prefix: str
    currency_suffix: str
    date_format: str  # `d/m/y`, `y-m-d`, …: how a period (2025-08) is written (08/2025)


@cache
def _vocabularies() -> dict[str, dict[str, Entry]]:
    path = VOCABULARIES_FILE
    frame = read_table(path, ["vocabulary", "code", "symbol", "hedges"])
    found: dict[str, dict[str, Entry]] = {}
    for row in frame.iter_rows(named=True):
        vocabulary, code = row["vocabulary"], row["code"]
        for field in ("vocabulary", "code"):
            if not IDENT.fullmatch(row[field]):
                raise DataError(path, row[LINE], field, f"{row[field]!r} is not an identifier")
        entries = found.setdefault(vocabulary, {})
        if code in entries:
            raise DataError(path, row[LINE], "code", f"{vocabulary}.{code} appears twice")
        hedges = tuple(h.strip() for h in row["hedges"].split("|") if h.strip())
        entries[code] = Entry(code, row["symbol"].strip(), hedges)
    return found


def _vocabulary(vocabulary: str) -> dict[str, Entry]:
    try:
        return _vocabularies()[vocabulary]
    except KeyError:
        raise KeyError(f"no vocabulary {vocabulary!r} in {VOCABULARIES_FILE.name}") from None


def vocabularies() -> list[str]:
    return list(_vocabularies())


def codes(vocabulary: str) -> list[str]:
    """The vocabulary's codes, in the file's order."""
    return list(_vocabulary(vocabulary))


def _entry(vocabulary: str, code: str) -> Entry:
    try:
        return _vocabulary(vocabulary)[code]
    except KeyError:
        raise KeyError(f"{code!r} is not a code of vocabulary {vocabulary!r}") from None


def symbol(vocabulary: str, code: str) -> str:
    """The code's language-independent symbol (`≥` for comparator `ge`); may be empty."""
    return _entry(vocabulary, code).symbol


# A figure with several hedges lists their codes joined by this (`estimated+about`).
QUALIFIER_JOIN = "+"


def qualifier_codes(qualifier: str) -> list[str]:
    """The hedges of a figure, in the order the source writes them (`estimated+about`)."""
    return qualifier.split(QUALIFIER_JOIN)


def hedges(vocabulary: str, code: str) -> tuple[str, ...]:
    """The Vietnamese words that express a qualifier in a quote; empty for `exact`."""
    return _entry(vocabulary, code).hedges


@cache
def languages() -> dict[str, Language]:
    """The site's languages by code, in site order (the first is the default)."""
    path = LANGUAGES_FILE
    columns = ["lang", "babel_locale", "name", "currency_prefix", "currency_suffix", "date_format"]
    found: dict[str, Language] = {}
    for row in read_table(path, columns).iter_rows(named=True):
        if not IDENT.fullmatch(row["lang"]) or row["lang"] in found:
            raise DataError(path, row[LINE], "lang", f"{row['lang']!r} is not a new language code")
        if not DATE_FORMAT.fullmatch(row["date_format"]) or set(row["date_format"][::2]) != set(
            "dmy"
        ):
            raise DataError(path, row[LINE], "date_format",
                            f"{row['date_format']!r} is not d, m and y joined by one separator")  # fmt: skip
        found[row["lang"]] = Language(*(row[c] for c in columns))
    return found


def language_name(lang: str) -> str:
    """A language's name in English, for metadata read in English (the datapackage):
    Babel's name where it knows the code, else the code."""
    try:
        return Locale.parse(lang).get_language_name("en")
    except (UnknownLocaleError, ValueError):
        return lang
