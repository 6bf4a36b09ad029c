"""One edition of the report in one language: its data, and what a page says and shows.

A notebook opens an `Edition` and takes its `gettext` as `_`; it reads frames from
`ed.data` (the data door: every read is recorded for the build), computes with polars and
`metrics`, composes charts with altair (`analysis.report.charts`), and hands the results to
`ed.say` (a message, `_("…")`, its placeholders filled), `ed.show_table` and
`ed.show_chart`. `Edition` is the last of three layers: `Words` (texts, numbers, dates,
labels in the page's language), `Figures` (figures as their sources wrote them, traced),
and here, the displays.
"""

from __future__ import annotations

import html
import re
from functools import cached_property
from pathlib import Path

import altair as alt
import great_tables as gt
import polars as pl
from IPython.display import Markdown, display

from analysis.base.reads import Reads
from analysis.paths import ROOT
from analysis.product.observations import RANK_MIN, SHARE_MAX, SHARE_MIN
from analysis.report import chart_exports, chart_theme, metrics
from analysis.report.cite import Citation
from analysis.report.data import EditionData
from analysis.report.display import (
    EXPORT_LABELS,
    FIGURE_LABELS,
    SCREEN_ONLY,
    VEGALITE_MIME,
    ChartFigure,
    interactive_bundle,
    render,
)
from analysis.report.figures import Figures, Traced
from analysis.report.i18n import LANGS, LANGUAGES, label

# Interactive runs (JupyterLab) export here; the build passes its own chart_dir.
LAB_CHART_DIR = ROOT / "_build" / "lab"
# A chart's data table: these of its frame's columns, in this order, under these headings (keys
# of the catalog); `show_chart(headings=…)` names what a chart's labels and categories are.
TABLE_HEADINGS = {"label": "indicator", "category": "category", "figure": "value", "value": "value",
                  "unit": "unit", "period": "period", "deadline": "deadline", "lead": "lead_agency",
                  "state": "status", "source": "source"}  # fmt: skip


def _slug(name: str) -> str:
    """An id for a name: `Department of Science and Technology` -> `department-of-science-and-technology`."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


# Great Tables writes an uncompiled Sass function as a colour (`color: font-color(<its background>);`),
# which browsers ignore and HTML validators reject: the declaration goes, the look stays.
_SASS_COLOR = re.compile(r" ?color: font-color\([^)]*\);")


def _valid_css(table_html: str) -> str:
    return _SASS_COLOR.sub("", table_html)


class Edition(Figures):
    """The data of one edition in one language, with what a page needs to say and show it."""

    def __init__(self, edition=None, lang="vi", data_dir=None, chart_dir=None, deps_file=None,
                 site_root=None):  # fmt: skip
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
        super().__init__(lang, EditionData(data_dir, edition, Reads(deps_file)))
        self.edition, self.as_of = self.data.edition, self.data.as_of
        self.chart_dir = Path(chart_dir) if chart_dir else LAB_CHART_DIR / f"{self.edition}/charts"
        # Where a page finds the site's root (`../`); None in JupyterLab: nothing is published.
        self.site_root = site_root
        self.chart_path = f"charts/{self.edition}/"  # the chart exports, from the site's root
        self.chart_href = None if site_root is None else site_root + self.chart_path
        self._tables = 0
        chart_theme.setup()
        if site_root is None:
            chart_theme.use_shipped_font_in_jupyterlab()

    @cached_property
    def citation(self) -> Citation:
        """How to cite this edition: its citation line (`.reference(lang)`), its files."""
        return Citation(self.edition, self.data.data_date)

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

    def checks(self) -> list[tuple[str, bool]]:
        """Each data check as the page states it, and whether the build that made this data
        ran it (a check that did not run is never claimed as passed)."""
        bounds = {"share_min": SHARE_MIN, "share_max": SHARE_MAX, "rank_min": RANK_MIN}
        return [(self.t(f"check.{check}", **bounds), ran)
                for check, ran in self.data.table("checks").select("check_id", "ran").iter_rows()]  # fmt: skip

    def link(self, path: str) -> Traced:
        """A link target in the site (`reports/…`, `data/…`), relative to the page; in
        JupyterLab (no site root), to the built site beside `notebooks/`."""
        return Traced(html.escape(f"{self.site_root or '../_site/'}{path}", quote=True))

    # Displays ------------------------------------------------------------------------

    def page_title(self, page: str) -> None:
        """The page's heading and what the edition covers."""
        display(Markdown(f"# {self.t('page.' + page)}"))
        self.say(
            self.gettext("Edition {edition}: figures whose period ends by the end of {edition}, "
                         "from {n_sources} source documents; {n_obs} sourced figures, each with "
                         "a verbatim quote."),
            edition=self.edition, **self.coverage(),
        )  # fmt: skip

    def heading(self, key: str) -> None:
        """A section heading: the label `key` (`targets_heading`, `chart.<chart_id>`)."""
        display(Markdown(f"## {html.escape(self.t(key))}"))

    def say(self, message: str, **values) -> None:
        """A sentence: `message` in the page's language (`_("…")`), its placeholders filled
        with `values`; data text is escaped, traced figures are kept."""
        safe = {k: v if isinstance(v, Traced) else html.escape(str(v), quote=False)
                for k, v in values.items()}  # fmt: skip
        display(Markdown(message.format(**safe) if values else message))

    def show_chart(self, chart_id: str, chart: alt.TopLevelMixin, frame: pl.DataFrame,
                   description: str | None = None, headings: dict[str, str] | None = None) -> None:  # fmt: skip
        """Display a chart (interactive) and write what its exports are made from; `frame` is
        what it plots.
        `headings`: the data table's headings for its `label` and `category` columns where
        they are not indicators and sources (a task, a status)."""
        description = description or self.describe(frame)
        title = self.t(f"chart.{chart_id}")
        chart = chart_theme.finish(chart, title, description, self.lang)
        sources = ", ".join(self.source(s) for s in sorted(set(frame["source_id"]) - {"", None}))
        citation = self.citation.chart_reference(self.lang, title, sources)
        stem = f"{chart_id}-{self.lang}"
        spec = chart.to_dict()
        files = chart_exports.write_inputs(spec, frame.drop("source_id", "obs_id", strict=False),
                                           stem, citation, self.chart_dir)  # fmt: skip
        if self.chart_href is None:
            # A researcher's run gets the exports at once; the build makes them as each
            # run ends, once per changed chart (analysis.pipeline.exports).
            chart_exports.export(stem, self.lang, self.chart_dir, self.data.data_date)
            options = {VEGALITE_MIME: {"embed_options": chart_theme.embed_options(self.lang)}}
            display(interactive_bundle(spec, description), metadata=options, raw=True)
            return
        table = self.table_columns(frame, headings or {})
        labels = self.export_labels()
        figure = ChartFigure(
            chart_id=chart_id, lang=self.lang, title=title,
            caption=self.t(f"chart_caption.{chart_id}"), description=description,
            citation=citation, spec=spec, svg=self.chart_path + files[".svg"].name,
            downloads=[(labels[s], self.chart_path + files[s].name) for s in EXPORT_LABELS],
            columns=list(table.values()),
            rows=[["" if r[c] is None else self.cell(r[c]) for c in table]
                  for r in frame.iter_rows(named=True)],
            labels={key: self.t(key) for key in FIGURE_LABELS},
        )  # fmt: skip
        display(figure.bundle(self.site_root), raw=True)

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
        lists names whose headings are the labels of the same key.

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
        display({"text/html": _valid_css(table.as_raw_html())}, raw=True)

    def show_tasks(self, tasks: pl.DataFrame, intro: str, count_text: str) -> None:
        """Every Plan 46 task in one table a reader can filter (by group, lead agency, kind of
        deadline and status) and search (templates/task_explorer.html; the site's tasks.js
        reads the filters' values from the rows' data attributes). `tasks`: `metrics.task_status`'s
        frame. Without scripts it is the whole table; each row is anchored `#task-<no>`.
        `count_text`: the sentence the script fills with the rows shown (`{shown}`, `{total}`).
        Titles, agencies and groups are in the page's language where the data has them; the
        plan's own words (co-ordinating agencies, a title without translation) are marked
        Vietnamese."""
        plan_lang = "vi"  # the plan's language
        title = self.translated_column(tasks, "task_title", original="task_vi")
        lead = self.translated_column(tasks, "lead_agency", original="lead_agency")
        group_title = self.translated_column(tasks, "group_title", original="group_title_vi")
        ids = {}  # each lead agency's id (from its English name: one in every language) -> name
        rows = []
        for r in tasks.sort("task_no").iter_rows(named=True):
            names = r[lead].split("; ")
            codes = [_slug(a) for a in r["lead_agency_en"].split("; ")]
            ids.update(zip(codes, names, strict=True))
            rows.append({
                "no": r["task_no"], "group": r["group"], "group_title": r[group_title],
                "title": r[title], "title_lang": None if title != "task_vi" else plan_lang,
                "original": r["task_vi"] if title != "task_vi" else None,
                "leads": " ".join(codes), "lead": r[lead],
                "co_agencies": r["co_agencies"] or "",
                "deadline": self.deadline(r), "kind": r["deadline_kind"],
                "status": r["status"], "status_label": self.t(r["status"]),
            })  # fmt: skip
        groups = tasks.select("group", group_title).unique().sort("group").rows()
        kinds = [k for k in metrics.DEADLINE_KINDS if k in set(tasks["deadline_kind"])]
        lead_lang = None if lead != "lead_agency" else plan_lang
        text = render(
            "task_explorer.html", rows=rows, total=len(rows), intro=intro, count_text=count_text,
            plan_lang=plan_lang, foreign_plan=self.lang != plan_lang, lead_lang=lead_lang,
            groups=[(str(g), f"{g}. {t}") for g, t in groups],
            leads=sorted(ids.items(), key=lambda item: item[1].casefold()),
            kinds=[(k, label("deadline_kind", k, self.lang)) for k in kinds],
            statuses=[(s, self.t(s)) for s in metrics.TASK_STATUSES],
            heading=self.t("tasks_all", n=len(rows)),
            t={k: self.t(k) for k in ("task_no", "task", "group", "lead_agency",
                                        "co_agencies", "deadline", "deadline_kind", "status",
                                        "task_search", "task_filters", "all_option",
                                        "clear_filters", "plan_words")},
            screen_only=SCREEN_ONLY,
        )  # fmt: skip
        display({"text/html": text.strip()}, raw=True)

    # A theme's figures and targets ----------------------------------------------------------

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
            self.say(self.gettext("No target of Plan 46 or of the sources concerns this theme’s "
                                  "indicators yet."))  # fmt: skip
            return
        observed = self.data.by_id(targets["indicator_id"].unique().to_list())
        rows = []
        for row in targets.iter_rows(named=True):
            ind = row["indicator_id"]
            if row.get("target_obs_id"):
                stated = self.fig(observed[row["target_obs_id"]], unit=True)
            else:
                item = self.gettext("Plan 46, Appendix I, item {item}").format(item=row["item"])
                stated = self.with_unit(html.escape(self.target(row)), ind)
                stated += f" ({html.escape(item)})"
            latest = observed.get(row["latest_obs_id"] or "")
            rows.append({
                "indicator": self.label(ind), "target": stated, "horizon": str(row["horizon"]),
                "latest": self.fig(latest, unit=True) if latest else "–",
                "status": label("status", row["status"], self.lang),
                "gap": None if row["status"] != metrics.GAP else self.with_unit(self.number(row["gap"], 1), ind),
            })  # fmt: skip
        self.show_table(pl.DataFrame(rows), ["indicator", "target", "horizon", "latest", "status", "gap"],
                        traced=("target", "latest"))  # fmt: skip
