"""Figures as their sources wrote them, each traced to its source.

`Figures` is the second layer of an `Edition`, on its `Words`: one rule each for every
page, table, chart label, tooltip, text alternative and chart CSV. A figure keeps all its
hedges (`ước khoảng 6,35`, `estimated, about 6.35`), its range, the decimals its source
wrote (`11,0`) and its scale word (`hơn 20,3 triệu`); a figure another source contradicts
carries the other value and its source beside it. `fig` writes a figure as traced HTML:
hovering over or focusing it gives its source and verbatim quote, or what it was computed
from.
"""

from __future__ import annotations

import html

import polars as pl
from markupsafe import Markup

from analysis.product.numbers import written_scale
from analysis.product.vocabularies import qualifier_codes
from analysis.report.display import render
from analysis.report.i18n import fmt_scaled, label
from analysis.report.words import Words


class Traced(str):
    """HTML of a figure with its trace; safe to place in a sentence as it is."""


class Figures(Words):
    """The edition's figures, written and traced in the page's language."""

    def latest(self, indicator_id: str, obs_type: str = "actual") -> dict:
        """The latest observation of an indicator in this edition (KeyError if none)."""
        row = self.data.latest(indicator_id, obs_type)
        if row is None:
            raise KeyError(f"no {obs_type} value of {indicator_id} in edition {self.data.edition}")
        return row

    def figure_text(self, row: dict, decimals: int | None = None) -> str:
        """A value as the page writes it: the source's hedges, range, precision and scale
        (`ước khoảng 6,35`, `about 10–12`, `11.0`, `more than 20.3 million`). A derived
        figure shows the decimals its catalog entry sets."""
        if decimals is None and row.get("derived_from") is not None:
            decimals = self._row("indicators", "indicator_id", row["indicator_id"])["decimals"]
        elif decimals is None:
            decimals = row.get("decimals")
        scale = written_scale(row["value_text"]) if row.get("value_text") else 1
        text = fmt_scaled(row["value"], self.lang, decimals, scale)
        if row.get("value_high") is not None:
            text += "–" + fmt_scaled(row["value_high"], self.lang, decimals, scale)
        hedge = self.hedge(row.get("qualifier"))
        return f"{hedge} {text}" if hedge else text

    def hedge(self, qualifier: str | None) -> str:
        """A figure's hedges in the page's words, all of them (`ước khoảng`, `estimated,
        about`); empty for an exact figure."""
        words = [
            label("qualifier", code, self.lang) for code in qualifier_codes(qualifier or "exact")
        ]
        return self.t("hedge_join").join(w for w in words if w)

    def disputes(self, row: dict) -> list[dict]:
        """The observations of the same measure and period whose sources give another value
        (the data product's `disputed_by`)."""
        ids = [i for i in (row.get("disputed_by") or "").split("; ") if i]
        if not ids:
            return []
        found = self.data.observations([row["indicator_id"]])
        return list(found.filter(pl.col("obs_id").is_in(ids)).iter_rows(named=True))

    def _gives(self, source: str, figure: str) -> str:
        # Translators: another source's value of a disputed figure ("Báo Cần Thơ gives 1,320").
        return self.gettext("{source} gives {figure}").format(source=source, figure=figure)

    def _disputed(self, others: list[str]) -> str:
        # Translators: after a figure another source contradicts: "1,878 (disputed: Báo Cần
        # Thơ gives 1,320)".
        return self.gettext("disputed: {others}").format(others="; ".join(others))

    def dispute_text(self, row: dict, unit: bool = False) -> str:
        """` (disputed: Báo Cần Thơ gives 1,320)` after a figure another source contradicts;
        empty otherwise. Every page, table, chart and export that shows the figure says it."""
        others = [
            self._gives(self.publisher(o["source_id"]),
                        self.with_unit(self.figure_text(o), o["indicator_id"]) if unit
                        else self.figure_text(o))
            for o in self.disputes(row)
        ]  # fmt: skip
        return f" ({self._disputed(others)})" if others else ""

    def trace(self, row: dict) -> str:
        """Where a figure comes from: its source and verbatim quote, or how it was computed."""
        if row.get("derived_from"):
            parts = " ÷ ".join(self.label(obs_id.split("|")[0]) for obs_id in row["derived_from"])
            return f"{self.t('computed')}: {parts} ({self.source(row['source_id'])})"
        quoted = f"{self.source(row['source_id'])}: “{row['quote']}”"
        if self._row("sources", "source_id", row["source_id"])["language"] == self.lang:
            return quoted
        # A quote in another language keeps its words (evidence) and gets a gloss: what it states.
        gloss = self.with_unit(self.figure_text(row), row["indicator_id"])
        return f"{quoted} ({self.label(row['indicator_id'])}: {gloss})"

    def _traced(self, row: dict, text: str) -> Traced:
        return Traced(render("traced.html", obs_id=row.get("obs_id") or row["indicator_id"],
                             trace=self.trace(row), text=text))  # fmt: skip

    def fig(self, row: dict | str, decimals: int | None = None, unit: bool | str = False) -> Traced:
        """A figure (an observation, or an indicator's latest) as traced HTML, with its unit
        when `unit` is True, or with the mark `unit` gives (`"%"`: a sentence words the rest):
        the figure and its unit are one text, as a search snippet or a copy takes them. A
        figure another source contradicts carries the other value(s), traced."""
        row = self.latest(row) if isinstance(row, str) else row

        def text(r: dict) -> str:
            shown = self.figure_text(r, decimals)
            if unit is True:
                return self.with_unit(shown, r["indicator_id"])
            return shown + (unit or "")

        main = self._traced(row, text(row))
        others = self.disputes(row)
        if not others:
            return main
        listed = [self._gives(html.escape(self.publisher(o["source_id"])), self._traced(o, text(o)))
                  for o in others]  # fmt: skip
        return Traced(
            render("disputed.html", figure=Markup(main), others=Markup(self._disputed(listed)))
        )

    def values(self, indicator_ids: list[str], label_period: bool = False,
               all_sources: bool = False) -> pl.DataFrame:  # fmt: skip
        """Plot-ready rows, one per indicator (its latest value) or, with `all_sources`, one
        per source and period: label (and the catalog's short label, or None), value, figure
        as written on the page, unit, period, source, ids; with `all_sources` also the
        source's `publisher` by name alone (the label names it too, as a chart by source
        colours it)."""
        rows = []
        for ind in indicator_ids:
            found = self.data.observations([ind]).filter(pl.col("obs_type") == "actual")
            candidates = found.iter_rows(named=True) if all_sources else [self.latest(ind)]
            for row in candidates:
                text, short = self.label(ind), self.short_label(ind)
                by_source, suffix = {}, ""
                if all_sources:  # the same period may have several sources
                    by_source = {"publisher": self.publisher(row["source_id"])}
                    suffix = f" ({self.period(row['period'])}; {by_source['publisher']})"
                elif label_period:
                    suffix = f" ({self.period(row['period'])})"
                # Every source's value is plotted when `all_sources`: a disagreement shows.
                dispute = "" if all_sources else self.dispute_text(row)
                rows.append({
                    "indicator_id": ind, "label": text + suffix,
                    "short_label": short and short + suffix, "value": row["value"],
                    "figure": self.figure_text(row) + dispute, "unit": self.unit(ind),
                    "period": self.period(row["period"]), "source": self.source(row["source_id"]),
                    "category": self.source(row["source_id"]), **by_source,
                    "source_id": row["source_id"], "obs_id": row.get("obs_id") or "",
                })  # fmt: skip
        return pl.DataFrame(rows)

    def describe(self, frame: pl.DataFrame) -> str:
        """A chart's text alternative: every plotted value as the page writes it, with its
        unit and any other source's value."""
        observed = self.data.by_id(frame["indicator_id"].unique().to_list())

        def one(r: dict) -> str:
            obs = observed.get(r.get("obs_id") or "")
            if obs is None:
                return self.with_unit(r["figure"], r["indicator_id"])
            shown = self.with_unit(self.figure_text(obs), r["indicator_id"])
            return shown + self.dispute_text(obs, unit=True)

        return "; ".join(f"{r['label']}: {one(r)}" for r in frame.iter_rows(named=True))

    def original_title(self, source_id: str) -> Traced | None:
        """A source's title in its own language (as the catalog writes it: not a quotation),
        marked with that language, for a page in another; None on a page in its language."""
        source = self._row("sources", "source_id", source_id)
        title = source.get(f"title_{source['language']}")
        if source["language"] == self.lang or not title:
            return None
        return Traced(render("original.html", lang=source["language"], text=title))

    def quote(self, text: str, source_id: str) -> Traced:
        """A source's words, verbatim and marked with their language (English pages keep
        them as evidence; the search index of a page's language leaves them out)."""
        lang = self._row("sources", "source_id", source_id)["language"]
        return Traced(render("quote.html", lang=lang, foreign=lang != self.lang, text=text))
