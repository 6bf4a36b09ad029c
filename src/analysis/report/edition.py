"""One edition of the report in one language: its data, its words, its displays.

A notebook opens an `Edition`, reads frames from `ed.data` (or the shortcuts below),
computes with polars, draws with altair through `analysis.report.charts`, and hands the
result to `ed.say`, `ed.show_chart` and `ed.show_table`. Every number those show carries
its trace: hovering over or focusing it gives its source and verbatim quote, or what it
was computed from.
"""

from __future__ import annotations

import base64
import html
from functools import cached_property
from pathlib import Path

import altair as alt
import great_tables as gt
import polars as pl
from babel import Locale
from IPython.display import HTML, Markdown, display

from analysis.base.reads import Reads
from analysis.paths import ROOT
from analysis.product import vocabularies
from analysis.product.numbers import written_scale
from analysis.product.observations import RANK_MIN, SHARE_MAX, SHARE_MIN
from analysis.report import charts, metrics
from analysis.report.cite import Citation
from analysis.report.data import EditionData
from analysis.report.display import EXPORT_LABELS, VEGALITE_MIME, ChartFigure, interactive_bundle
from analysis.report.i18n import LANGS, LANGUAGES, fmt, fmt_period, fmt_scaled, label, t

# Interactive runs (JupyterLab) export here; the build passes its own chart_dir.
LAB_CHART_DIR = ROOT / "_build" / "lab"
# Units that add nothing after a figure in running text.
GENERIC_UNITS = ("count", "rank")
# The columns of a plotted frame that its table alternative shows, in this order.
# A chart's data table: these of its frame's columns, in this order, under these headings (keys
# of the catalog); `show_chart(headings=…)` names what a chart's labels and categories are.
TABLE_HEADINGS = {"label": "indicator", "category": "category", "figure": "value", "value": "value",
                  "unit": "unit", "period": "period", "deadline": "deadline", "lead": "lead_agency",
                  "state": "status", "source": "source"}  # fmt: skip


class Traced(str):
    """HTML of a figure with its trace; safe to place in a sentence as it is."""


class Edition:
    """The data of one edition in one language, with what a page needs to say and show it."""

    def __init__(self, edition=None, lang="vi", data_dir=None, chart_dir=None, deps_file=None,
                 site_root=None):  # fmt: skip
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
        self.lang = lang
        self.data = EditionData(data_dir, edition, Reads(deps_file))
        self.edition, self.as_of = self.data.edition, self.data.as_of
        self.chart_dir = Path(chart_dir) if chart_dir else LAB_CHART_DIR / f"{self.edition}/charts"
        # Where a page finds the site's root (`../`); None in JupyterLab: nothing is published.
        self.site_root = site_root
        self.chart_href = None if site_root is None else f"{site_root}charts/{self.edition}/"
        self._tables = 0
        charts.setup()
        if site_root is None:
            _use_shipped_font_in_jupyterlab()

    # Words -----------------------------------------------------------------------

    def t(self, key: str, **values) -> str:
        # The observatory's name is written one way everywhere: the site's title.
        return t(key, self.lang, observatory=t("site.title", self.lang), **values)

    def t_count(self, key: str, n: int, **values) -> str:
        """A text that agrees with a count (`1 indicator`, `2 indicators`): the catalog's
        `<key>.<plural category>` for the language (Babel's CLDR plural rules)."""
        category = Locale.parse(LANGUAGES[self.lang].babel_locale).plural_form(n)
        return self.t(f"{key}.{category}", n=n, **values)

    @cached_property
    def citation(self) -> Citation:
        """How to cite this edition: its citation line (`.reference(lang)`), its files."""
        return Citation(self.edition, self.data.data_date)

    def number(self, value, decimals: int | None = None) -> str:
        return fmt(value, self.lang, decimals)

    def comparator(self, code: str) -> str:
        """A target's comparator as the plan writes it: `≥`, `≤`, …"""
        return vocabularies.symbol("comparator", code)

    def period(self, period: str) -> str:
        return fmt_period(period, self.lang)

    def _row(self, table: str, key: str, value: str) -> dict:
        return self.data.table(table).filter(pl.col(key) == value).row(0, named=True)

    def label(self, indicator_id: str) -> str:
        return self._row("indicators", "indicator_id", indicator_id)[f"name_{self.lang}"]

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

    def target(self, row: dict) -> str:
        """A Plan 46 target as the page writes it: its bound in the page's notation, or its
        words (the plan's own, or their translation) with `{target}` standing for the bound."""
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

    # Figures ---------------------------------------------------------------------

    def latest(self, indicator_id: str, obs_type: str = "actual") -> dict:
        """The latest observation of an indicator in this edition (KeyError if none)."""
        row = self.data.latest(indicator_id, obs_type)
        if row is None:
            raise KeyError(f"no {obs_type} value of {indicator_id} in edition {self.edition}")
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
        words = [label("qualifier", code, self.lang) for code in (qualifier or "exact").split("+")]
        return self.t("hedge_join").join(w for w in words if w)

    def disputes(self, row: dict) -> list[dict]:
        """The observations of the same measure and period whose sources give another value
        (the data product's `disputed_by`)."""
        ids = [i for i in (row.get("disputed_by") or "").split("; ") if i]
        if not ids:
            return []
        found = self.data.observations([row["indicator_id"]])
        return list(found.filter(pl.col("obs_id").is_in(ids)).iter_rows(named=True))

    def dispute_text(self, row: dict, unit: bool = False) -> str:
        """` (disputed: Báo Cần Thơ gives 1,320)` after a figure another source contradicts;
        empty otherwise. Every page, table, chart and export that shows the figure says it."""
        others = [
            self.t("disputed_by", source=self.publisher(o["source_id"]),
                   figure=self.with_unit(self.figure_text(o), o["indicator_id"]) if unit
                   else self.figure_text(o))
            for o in self.disputes(row)
        ]  # fmt: skip
        return f" ({self.t('disputed', others='; '.join(others))})" if others else ""

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
        title = html.escape(self.trace(row), quote=True)
        obs_id = html.escape(row.get("obs_id") or row["indicator_id"], quote=True)
        return Traced(f'<span class="fig" tabindex="0" data-obs="{obs_id}" title="{title}">{html.escape(text)}</span>')  # fmt: skip

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
        listed = "; ".join(
            self.t("disputed_by", source=html.escape(self.publisher(o["source_id"])),
                   figure=self._traced(o, text(o)))
            for o in others
        )  # fmt: skip
        return Traced(f'{main} <span class="disputed">({self.t("disputed", others=listed)})</span>')

    def values(self, indicator_ids: list[str], label_period: bool = False,
               all_sources: bool = False) -> pl.DataFrame:  # fmt: skip
        """Plot-ready rows, one per indicator (its latest value) or, with `all_sources`, one
        per source and period: label, value, figure as written on the page, unit, period,
        source, ids; with `all_sources` also the source's `publisher` by name alone (the
        label names it too, as a chart by source colours it)."""
        rows = []
        for ind in indicator_ids:
            found = self.data.observations([ind]).filter(pl.col("obs_type") == "actual")
            candidates = found.iter_rows(named=True) if all_sources else [self.latest(ind)]
            for row in candidates:
                text = self.label(ind)
                by_source = {}
                if all_sources:  # the same period may have several sources
                    by_source = {"publisher": self.publisher(row["source_id"])}
                    text += f" ({self.period(row['period'])}; {by_source['publisher']})"
                elif label_period:
                    text += f" ({self.period(row['period'])})"
                # Every source's value is plotted when `all_sources`: a disagreement shows.
                dispute = "" if all_sources else self.dispute_text(row)
                rows.append({
                    "indicator_id": ind, "label": text, "value": row["value"],
                    "figure": self.figure_text(row) + dispute, "unit": self.unit(ind),
                    "period": self.period(row["period"]), "source": self.source(row["source_id"]),
                    "category": self.source(row["source_id"]), **by_source,
                    "source_id": row["source_id"], "obs_id": row.get("obs_id") or "",
                })  # fmt: skip
        return pl.DataFrame(rows)

    def describe(self, frame: pl.DataFrame) -> str:
        """A chart's text alternative: every plotted value as the page writes it, with its
        unit and any other source's value."""
        observed = {r["obs_id"]: r for r in self.data.observations(frame["indicator_id"].unique().to_list()).iter_rows(named=True)}  # fmt: skip

        def one(r: dict) -> str:
            obs = observed.get(r.get("obs_id") or "")
            if obs is None:
                return self.with_unit(r["figure"], r["indicator_id"])
            shown = self.with_unit(self.figure_text(obs), r["indicator_id"])
            return shown + self.dispute_text(obs, unit=True)

        return "; ".join(f"{r['label']}: {one(r)}" for r in frame.iter_rows(named=True))

    def with_unit(self, figure: str, indicator_id: str) -> str:
        """A figure and its unit as running text writes them: `7,12%`, `8.947 người`, `41`."""
        unit = self.unit_suffix(indicator_id)
        return f"{figure}{'' if unit.startswith('%') or not unit else ' '}{unit}"

    def quote(self, text: str, source_id: str) -> Traced:
        """A source's words, verbatim and marked with their language (English pages keep
        them as evidence; the search index of a page's language leaves them out)."""
        lang = self._row("sources", "source_id", source_id)["language"]
        ignore = "" if lang == self.lang else " data-pagefind-ignore"
        return Traced(f'<q lang="{lang}"{ignore}>{html.escape(text)}</q>')

    def coverage(self) -> dict:
        """How many sourced figures (reported values and stated targets) of how many
        documents this edition holds: every page states the same counts."""
        known = metrics.for_edition(self.data.outline(), self.edition)
        return {"n_obs": known.height, "n_sources": known["source_id"].n_unique()}

    def chart_indicators(self, chart_id: str) -> list[str]:
        """The indicators a chart plots, from the chart catalog (`data/charts.csv`)."""
        return (self._row("charts", "chart_id", chart_id)["indicators"] or "").split()

    def axis_titles(self, chart_id: str, **extra) -> dict:
        """Tooltip and axis titles of a chart in the page's language."""
        keys = ["indicator", "value", "unit", "period", "source", "task", "deadline", "lead_agency"]
        chart = self._row("charts", "chart_id", chart_id)
        # A bar chart's axis is its indicators' one unit (the catalog checks they share it).
        axis = (self.unit(chart["indicators"].split()[0]) if chart["axis"] == "unit"
                else self.t(chart["axis"]))  # fmt: skip
        return {k: self.t(k) for k in keys} | {"x": axis} | extra

    # Displays ------------------------------------------------------------------------

    def page_title(self, page: str) -> None:
        """The page's heading and what the edition covers."""
        display(Markdown(f"# {self.t('page.' + page)}"))
        self.say("edition", edition=self.edition, **self.coverage())

    def link(self, path: str) -> Traced:
        """A link target in the site (`reports/…`, `data/…`), relative to the page; in
        JupyterLab (no site root), to the built site beside `notebooks/`."""
        return Traced(html.escape(f"{self.site_root or '../_site/'}{path}", quote=True))

    def checks(self) -> list[tuple[str, bool]]:
        """Each data check as the page states it, and whether the build that made this data
        ran it (a check that did not run is never claimed as passed)."""
        bounds = {"share_min": SHARE_MIN, "share_max": SHARE_MAX, "rank_min": RANK_MIN}
        return [(self.t(f"check.{check}", **bounds), ran)
                for check, ran in self.data.table("checks").select("check_id", "ran").iter_rows()]  # fmt: skip

    def heading(self, key: str) -> None:
        display(Markdown(f"## {html.escape(self.t(key))}"))

    def say(self, key: str, **values) -> None:
        """A sentence of the catalog; data text is escaped, traced figures are kept."""
        safe = {k: v if isinstance(v, Traced) else html.escape(str(v), quote=False)
                for k, v in values.items()}  # fmt: skip
        display(Markdown(self.t(f"sentence.{key}", **safe)))

    def show_chart(self, chart_id: str, chart: alt.TopLevelMixin, frame: pl.DataFrame,
                   description: str | None = None, headings: dict[str, str] | None = None) -> None:  # fmt: skip
        """Display a chart (interactive) and write what its exports are made from; `frame` is
        what it plots.
        `headings`: the data table's headings for its `label` and `category` columns where
        they are not indicators and sources (a task, a status)."""
        description = description or self.describe(frame)
        title = self.t(f"chart.{chart_id}")
        chart = charts.finish(chart, title, description, self.lang)
        sources = ", ".join(self.source(s) for s in sorted(set(frame["source_id"]) - {"", None}))
        citation = self.citation.chart_reference(self.lang, title, sources)
        stem = f"{chart_id}-{self.lang}"
        spec = chart.to_dict()
        files = charts.write_inputs(spec, frame.drop("source_id", "obs_id", strict=False), stem,
                                    citation, self.chart_dir)  # fmt: skip
        if self.chart_href is None:
            # A researcher's run gets the exports at once; the build makes them as each
            # run ends, once per changed chart (analysis.pipeline.exports).
            charts.export(stem, self.lang, self.chart_dir, self.data.data_date)
            options = {VEGALITE_MIME: {"embed_options": charts.embed_options(self.lang)}}
            display(interactive_bundle(spec, description), metadata=options, raw=True)
            return
        table = self.table_columns(frame, headings or {})
        labels = self.export_labels()
        figure = ChartFigure(
            chart_id=chart_id, title=title, description=description,
            citation=f"{self.t('export_citation')}: {citation}", spec=spec,
            svg_href=self.chart_href + files[".svg"].name,
            downloads=[(labels[s], self.chart_href + p.name) for s, p in files.items()],
            columns=list(table.values()),
            rows=[["" if r[c] is None else self.cell(r[c]) for c in table]
                  for r in frame.iter_rows(named=True)],
            table_caption=self.t("data_table"), downloads_label=self.t("downloads"),
        )  # fmt: skip
        display(figure.bundle(), raw=True)

    def export_labels(self) -> dict[str, str]:
        """Each chart export's link text by file suffix. Formats are named alike in every
        language; the citation line is a word of the page's."""
        return EXPORT_LABELS | {".cite.txt": self.t("export_citation")}

    def table_columns(self, frame: pl.DataFrame, headings: dict[str, str]) -> dict[str, str]:
        """The columns of a chart's data table and their headings. A value shows as the page
        writes it (`figure`) where the frame has it; a `category` that only repeats the
        source (the colour of a chart by source) is left out, as is any column not named."""
        shown = [c for c in TABLE_HEADINGS if c in frame.columns]
        if "figure" in shown:
            shown.remove("value")
        named = "category" in headings
        if (
            {"category", "source"} <= set(shown)
            and not named
            and frame["category"].equals(frame["source"])
        ):
            shown.remove("category")
        return {c: headings.get(c) or self.t(TABLE_HEADINGS[c]) for c in shown}

    def cell(self, value) -> str:
        """A data table's cell: numbers in the page's notation."""
        return self.number(value) if isinstance(value, int | float) else str(value)

    def show_table(self, frame: pl.DataFrame, columns: list[str] | dict[str, str],
                   decimals: dict[str, int] | None = None, traced: tuple[str, ...] = ()) -> None:  # fmt: skip
        """A Great Tables table in the page's locale. `columns` maps names to headings, or
        lists names whose headings are the message of the same key.

        Cells are escaped, except the `traced` columns: they hold `Traced` figures.
        """
        if not isinstance(columns, dict):
            columns = {c: self.t(c) for c in columns}
        self._tables += 1  # a stable id: builds must be reproducible
        locale = LANGUAGES[self.lang].babel_locale  # the notation of the page's numbers
        table = gt.GT(frame.select(list(columns)), locale=locale, id=f"table-{self._tables}")
        table = table.cols_label(**columns)
        for column, places in (decimals or {}).items():
            table = table.fmt_number(columns=column, decimals=places, drop_trailing_zeros=True)
        # Missing values read as a dash, never "None"; the site's shipped font, not GT's stack.
        table = table.sub_missing(missing_text="–").opt_table_font(font="Noto Sans")
        if traced:
            table = table.fmt_markdown(columns=list(traced))
        display({"text/html": table.as_raw_html()}, raw=True)

    def theme_figures(self, theme: str) -> pl.DataFrame:
        """Every figure of a theme (latest of each indicator, breakdowns left to their own
        tables), in catalog order: indicator, traced value with its unit, period, source."""
        indicators = self.data.table("indicators").filter(
            (pl.col("theme") == theme) & pl.col("part_of").is_null() & pl.col("share_of").is_null()
        )
        rows = []
        for ind in indicators["indicator_id"]:
            row = self.data.latest(ind)
            if row is not None:
                rows.append({"indicator": self.label(ind), "value": self.fig(row, unit=True),
                             "period": self.period(row["period"]),
                             "source": self.source(row["source_id"])})  # fmt: skip
        return pl.DataFrame(rows)

    def theme_targets(self, theme: str) -> pl.DataFrame:
        """Every target on the theme's indicators, from Plan 46's Appendix I and from the
        sources' running text, with its status (`metrics.theme_targets`)."""
        ids = self.data.table("indicators").filter(pl.col("theme") == theme)["indicator_id"]
        return metrics.theme_targets(self.data.table("targets"), self.data.observations(ids.to_list()),
                                     self.data.table("indicators"), theme)  # fmt: skip

    def show_targets(self, targets: pl.DataFrame) -> None:
        """A theme's targets as a table: the indicator, the target as stated (traced to its
        quote, or Plan 46's item), its year, the latest value (traced), status and gap."""
        if targets.is_empty():
            self.say("no_targets")
            return
        observed = {r["obs_id"]: r for r in self.data.observations(
            targets["indicator_id"].unique().to_list()).iter_rows(named=True)}  # fmt: skip
        rows = []
        for row in targets.iter_rows(named=True):
            ind = row["indicator_id"]
            if row.get("target_obs_id"):
                stated = self.fig(observed[row["target_obs_id"]], unit=True)
            else:
                stated = self.with_unit(html.escape(self.target(row)), ind)
                stated += f" ({html.escape(self.t('plan46_item', item=row['item']))})"
            latest = observed.get(row["latest_obs_id"] or "")
            rows.append({
                "indicator": self.label(ind), "target": stated, "horizon": str(row["horizon"]),
                "latest": self.fig(latest, unit=True) if latest else "–",
                "status": label("status", row["status"], self.lang),
                "gap": None if row["status"] != metrics.GAP else self.with_unit(self.number(row["gap"], 1), ind),
            })  # fmt: skip
        self.show_table(pl.DataFrame(rows), ["indicator", "target", "horizon", "latest", "status", "gap"],
                        traced=("target", "latest"))  # fmt: skip


_font_shown = False


def _use_shipped_font_in_jupyterlab() -> None:
    """Give JupyterLab the shipped font, once per kernel, so charts draw in Noto Sans
    wherever the notebook is opened (published pages load it from the site's CSS)."""
    global _font_shown
    if _font_shown:
        return
    faces = []
    for path, weight in ((charts.FONT_DIR / "NotoSans-Regular.ttf", 400),
                         (charts.FONT_DIR / "NotoSans-Bold.ttf", 700)):  # fmt: skip
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        faces.append(f'@font-face{{font-family:"Noto Sans";font-weight:{weight};'
                     f'src:url(data:font/ttf;base64,{data}) format("truetype")}}')  # fmt: skip
    display(HTML(f"<style>{''.join(faces)}</style>"))
    _font_shown = True
