"""The words of a page in its language: messages, labels, numbers, dates, names from the data.

`Words` is the first layer of an `Edition` (then `Figures`, then the displays): it knows
the page's language and the edition's tables, and writes everything that is not a figure.
Messages are written in place, in English, and translated by the catalog
(`ed.gettext`, given to notebooks as `_`); labels are looked up by key (`ed.t("source")`).
"""

from __future__ import annotations

import polars as pl

from analysis.product import vocabularies
from analysis.report import i18n
from analysis.report.data import EditionData
from analysis.report.i18n import fmt, fmt_period, label

# Units that add nothing after a figure in running text.
GENERIC_UNITS = ("count", "rank")


class Words:
    """Texts, numbers, dates and labels in the page's language."""

    def __init__(self, lang: str, data: EditionData):
        self.lang = lang
        self.data = data
        self._rows: dict[tuple[str, str], dict[str, dict]] = {}

    # Messages and labels ---------------------------------------------------------------

    def gettext(self, message: str) -> str:
        """`message`, written in English where it is used, in the page's language (the
        catalog's translation; `make messages` collects every message for translators)."""
        return i18n.gettext(message, self.lang)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of a message that agrees with the count `n` (`{n} indicator has …`,
        `{n} indicators have …`), by the catalog's plural rule for the page's language."""
        return i18n.ngettext(singular, plural, n, self.lang)

    def t(self, key: str, **values) -> str:
        """The label `key` (a heading, a code's label, a page's or chart's title)."""
        # The observatory's name is written one way everywhere: the site's title.
        return i18n.t(key, self.lang, observatory=i18n.t("site.title", self.lang), **values)

    # Numbers and dates ----------------------------------------------------------------

    def number(self, value, decimals: int | None = None) -> str:
        return fmt(value, self.lang, decimals)

    def comparator(self, code: str) -> str:
        """A target's comparator as the plan writes it: `≥`, `≤`, …"""
        return vocabularies.symbol("comparator", code)

    def period(self, period: str) -> str:
        return fmt_period(period, self.lang)

    def languages(self) -> tuple[str, ...]:
        """The site's languages, the default first (data/languages.csv)."""
        return i18n.LANGS

    def language(self, code: str) -> str:
        """A language's name in the page's language (`vi`: "Vietnamese" on an English page)."""
        return i18n.language_name(code, self.lang)

    # Names from the data ----------------------------------------------------------------

    def _row(self, table: str, key: str, value: str) -> dict:
        """The row of `table` whose `key` is `value` (the first, if several)."""
        frame = self.data.table(table)  # recorded as read on every call, as any read is
        if (table, key) not in self._rows:  # a page looks up names thousands of times: indexed once
            index: dict[str, dict] = {}
            for row in frame.iter_rows(named=True):
                index.setdefault(row[key], row)
            self._rows[(table, key)] = index
        return dict(self._rows[(table, key)][value])  # a copy: the caller may change it

    def translated_column(self, frame: pl.DataFrame, field: str, original: str) -> str:
        """The column of `frame` that holds `field` in the page's language (`task_title_en`),
        or, where the data has no translation into it, `original` (the source's own words)."""
        column = f"{field}_{self.lang}"
        return column if column in frame.columns else original

    def label(self, indicator_id: str) -> str:
        return self._row("indicators", "indicator_id", indicator_id)[f"name_{self.lang}"]

    def short_label(self, indicator_id: str) -> str | None:
        """The catalog's short name, for a chart's label where the name does not fit the
        85 mm column whole; None where the catalog gives none."""
        return self._row("indicators", "indicator_id", indicator_id)[f"short_name_{self.lang}"]

    def unit(self, indicator_id: str) -> str:
        return self.unit_name(self._row("indicators", "indicator_id", indicator_id)["unit"])

    def unit_name(self, unit_id: str | None) -> str:
        return (
            "" if unit_id is None else self._row("units", "unit_id", unit_id)[f"name_{self.lang}"]
        )

    def unit_suffix(self, indicator_id: str) -> str:
        """The unit after a figure in running text; generic units (a count, a rank) add
        nothing there (`3.415`, not `3.415 số lượng`)."""
        unit_id = self._row("indicators", "indicator_id", indicator_id)["unit"]
        return "" if unit_id in GENERIC_UNITS else self.unit_name(unit_id)

    def with_unit(self, figure: str, indicator_id: str) -> str:
        """A figure and its unit as running text writes them: `7,12%`, `8.947 người`, `41`."""
        unit = self.unit_suffix(indicator_id)
        return f"{figure}{'' if unit.startswith('%') or not unit else ' '}{unit}"

    def target(self, row: dict, unit_of: str | None = None) -> str:
        """A Plan 46 target as the page writes it: its bound in the page's notation, or its
        words (the plan's own, or their translation) with `{target}` standing for the bound;
        with `unit_of` (an indicator), the bound carries that indicator's unit (`≥ 3%`, also
        inside the words: `≥ 3% and rising …`)."""
        low, high = (
            self.number(row[k]) if row[k] is not None else "" for k in ("target_low", "target_high")
        )
        comparator = row["comparator"]
        if comparator == "range":
            bound = f"{low}–{high}"
        elif comparator in ("ge", "gt", "le", "lt"):  # one bound: the other is empty
            bound = f"{self.comparator(comparator)} {low or high}"
        else:
            bound = low  # "eq": the value itself; "qualitative": none
        if unit_of and bound:
            bound = self.with_unit(bound, unit_of)
        words = row.get(f"target_{self.lang}")
        return words.format(target=bound) if words else bound

    def deadline(self, row: dict) -> str:
        """A task's deadline in the page's language: a month, a year, years, or its kind."""
        kind = row["deadline_kind"]
        if kind == "dated":
            return self.period(row["deadline_date"])
        if kind == "year":
            return str(row["deadline_year_end"])
        if kind == "year_range":
            return f"{row['deadline_year_start']}–{row['deadline_year_end']}"
        if kind == "after_year" and row.get("deadline_year_start"):
            # The plan's "after 2030": the first year it allows is 2031.
            return self.t("deadline_after", year=row["deadline_year_start"] - 1)
        return label("deadline_kind", kind, self.lang)

    def source(self, source_id: str) -> str:
        """`PLO (Pháp Luật TP.HCM), 11/01/2026`; a derived figure names all its sources."""
        rows = [self._row("sources", "source_id", s) for s in sorted(set(source_id.split("+")))]
        return "; ".join(f"{r['publisher_' + self.lang]}, {self.period(r['date'])}" for r in rows)

    def publisher(self, source_id: str) -> str:
        """A source's publisher by name alone, without the gloss in brackets the catalog
        adds (`PLO (Ho Chi Minh City Law newspaper)` -> `PLO`): short enough for a legend."""
        name = self._row("sources", "source_id", source_id)[f"publisher_{self.lang}"]
        return name.split(" (", 1)[0]
