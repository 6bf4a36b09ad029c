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
import vl_convert as vlc
from IPython.display import Markdown, display
from markupsafe import Markup

from analysis.base.reads import Reads
from analysis.paths import ROOT
from analysis.report import chart_exports, chart_theme, metrics
from analysis.report.cite import Citation
from analysis.report.data import EditionData
from analysis.report.display import (
    EXPORT_LABELS,
    FIGURE_LABELS,
    FILE_SIZE_CLASS,
    SCREEN_ONLY,
    VEGALITE_MIME,
    ChartFigure,
    interactive_bundle,
    render,
)
from analysis.report.figures import Figures, Traced
from analysis.report.i18n import D3_LOCALE, LANGS, LANGUAGES, label

# The pages an indicator's and a source's entries are on (data/pages.csv), beside every page.
INDICATORS_PAGE, SOURCES_PAGE = "indicators.html", "sources.html"
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


# A table of more columns than a phone shows side by side reads there as cards: each row
# stacked, each cell under its column's heading (the site's CSS, `table.stacked`, which the
# task explorer shares, reads `data-label`; it leaves out a cell marked `data-missing`).
STACKED_FROM_COLUMNS = 3
MISSING = "–"  # a missing value in a table
_TABLE_TAG = '<table class="gt_table"'
_BODY_CELL = re.compile(r'<td headers="([^"]+)"([^>]*)>(.*?)</td>', re.DOTALL)


def _stacked(table_html: str, table_id: str, headings: dict[str, str]) -> str:
    """Great Tables' HTML with the class `stacked` and each body cell's heading as its
    `data-label` (a cell names its column in `headers`: `<id>-<column>`); a missing value's
    cell is marked `data-missing`."""
    labels = {f"{table_id}-{column}": heading for column, heading in headings.items()}

    def labelled(cell: re.Match) -> str:
        label = html.escape(labels[cell[1]], quote=True)
        missing = " data-missing" if cell[3].strip() == MISSING else ""
        return f'<td headers="{cell[1]}"{cell[2]} data-label="{label}"{missing}>{cell[3]}</td>'

    if table_html.count(_TABLE_TAG) != 1:
        raise ValueError(f"{table_id}: Great Tables wrote no table or several")
    marked = table_html.replace(_TABLE_TAG, '<table class="gt_table stacked"')
    return _BODY_CELL.sub(labelled, marked)


def _escaped(values: dict) -> dict:
    """Placeholder values for a sentence: data text escaped, traced figures (HTML) kept."""
    return {k: v if isinstance(v, Traced) else html.escape(str(v), quote=False)
            for k, v in values.items()}  # fmt: skip


def _as_html(value):
    """Traced figures (HTML) anywhere in lists and dicts as Markup, which a template keeps;
    every other text stays text, which it escapes."""
    if isinstance(value, Traced):
        return Markup(value)
    if isinstance(value, dict):
        return {k: _as_html(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_html(v) for v in value]
    return value


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

    def has_chart(self, chart_id: str) -> bool:
        """Whether this edition draws the chart: it has a reported figure of one of the
        chart's indicators, or the chart plots other tables (`editions.charts_with_figures`).
        A chart an edition does not draw is left out of its page, downloads and exports."""
        from analysis.report.editions import charts_with_figures

        charts = self.data.table("charts").filter(pl.col("chart_id") == chart_id)
        ids = (charts["indicators"][0] or "").split() if charts.height else []
        obs = (self.data.observations(ids) if ids
               else pl.DataFrame(schema={"indicator_id": pl.String, "obs_type": pl.String}))  # fmt: skip
        return charts_with_figures(charts, obs).height == 1

    def no_figures(self) -> None:
        """Say that the sources give no figure on what the page's section is about for this
        edition (an edition before the figures' periods)."""
        self.say(self.gettext("The sources report no figure on this for a period ending by the end "
                              "of {edition}."), edition=self.edition)  # fmt: skip

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
        # Here: the checks' module loads pandera, which no other page needs (a kernel's start).
        from analysis.product.observations import RANK_MIN, SHARE_MAX, SHARE_MIN

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
        display(Markdown(self.sentence(message, **values)))

    def sentence(self, message: str, **values) -> str:
        """The Markdown `say` shows, without showing it (to join sentences into a list)."""
        return message.format(**_escaped(values)) if values else message

    def downloads(self, files: dict[str, str], size: bool = False) -> Traced:
        """Links to files of the site (`{label: path from the site's root}`), joined by ` · `;
        with `size`, each followed by its size, which the site's build writes in once the
        file exists (a PDF, a chart's ZIP are made after the page's run)."""
        links = [(label, Markup(self.link(path)), path) for label, path in files.items()]
        return Traced(
            render("downloads.html", files=links, size=size, size_class=FILE_SIZE_CLASS).strip()
        )

    def fill(self, message: str, **values) -> Traced:
        """`message` with its placeholders filled, as HTML for a template (a card's line):
        data text escaped, traced figures kept."""
        return Traced(message.format(**_escaped(values)))

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
        # A researcher's run has altair check the spec against the Vega-Lite schema as it
        # draws. The build does not, in every run (a third of a chart page's run): the tests
        # check every spec the site publishes against that schema (test_charts.py).
        spec = chart.to_dict(validate=self.chart_href is None)
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

        Cells are escaped, except the `traced` columns: they hold `Traced` figures. A table
        of `STACKED_FROM_COLUMNS` columns or more reads as cards on a phone, each cell under
        its heading.
        """
        if frame.is_empty():  # nothing to show (an edition without these figures): no table
            return
        if not isinstance(columns, dict):
            columns = {c: self.t(c) for c in columns}
        self._tables += 1  # a stable id: builds must be reproducible
        table_id = f"table-{self._tables}"
        locale = LANGUAGES[self.lang].babel_locale  # the notation of the page's numbers
        table = gt.GT(frame.select(list(columns)), locale=locale, id=table_id)
        table = table.cols_label(**columns)
        for column, places in (decimals or {}).items():
            table = table.fmt_number(columns=column, decimals=places, drop_trailing_zeros=True)
        # Missing values read as a dash, never "None"; the site's shipped font, not GT's stack.
        table = table.sub_missing(missing_text=MISSING).opt_table_font(font="Noto Sans")
        if traced:
            table = table.fmt_markdown(columns=list(traced))
        text = _valid_css(table.as_raw_html())
        if len(columns) >= STACKED_FROM_COLUMNS:
            text = _stacked(text, table_id, columns)
        display({"text/html": text}, raw=True)

    def show_facts(self, facts: dict[str, str]) -> None:
        """Named facts as a definition list (templates/facts.html), label above value on a
        phone: `facts` maps label keys to values, text escaped, `Traced` HTML kept."""
        pairs = [(self.t(key), Markup(value) if isinstance(value, Traced) else value)
                 for key, value in facts.items()]  # fmt: skip
        display({"text/html": render("facts.html", facts=pairs).strip()}, raw=True)

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

    def small_chart(self, chart: alt.TopLevelMixin) -> Markup:
        """A small chart drawn into the page as SVG (a card's bar), in the page's number
        notation. It only draws what the words beside it state, so the page hides it from
        assistive technology (the template marks it `aria-hidden`)."""
        return Markup(vlc.vegalite_to_svg(chart.to_dict(), format_locale=D3_LOCALE[self.lang]))

    def show_cards(self, cards: list[dict]) -> None:
        """Headline figures as a grid of cards (templates/headline_cards.html). Each card:
        `name`, `figure` (traced), `period`, `targets` (each `status`, its `label` and
        `text`, traced), `share` (`name`, `figure` traced, `chart` from `small_chart`) or
        None, and its theme's page (`href`, `page`)."""
        colors = {status: chart_theme.STATUS_COLORS[status] for status in metrics.STATUSES}
        text = render("headline_cards.html", cards=_as_html(cards), status_colors=colors)
        display({"text/html": text.strip()}, raw=True)

    # A theme's figures and targets ----------------------------------------------------------

    def theme_figures(self, theme: str) -> pl.DataFrame:
        """Every figure of a theme (latest of each indicator, breakdowns left to their own
        tables), in catalog order: indicator (linked to its entry on the indicators page),
        traced value with its unit, period, source. Show it with `traced=("indicator",
        "value")`."""
        indicators = self.data.table("indicators").filter(
            (pl.col("theme") == theme) & pl.col("part_of").is_null() & pl.col("share_of").is_null()
        )
        rows = []
        for ind in indicators["indicator_id"]:
            row = self.data.latest(ind)
            if row is not None:
                rows.append({"indicator": self.indicator_link(ind), "value": self.fig(row, unit=True),
                             "period": self.period(row["period"]),
                             "source": self.source(row["source_id"])})  # fmt: skip
        return pl.DataFrame(rows)

    def theme_targets(self, theme: str) -> pl.DataFrame:
        """Every target on the theme's indicators, from Plan 46's Appendix I and from the
        sources' running text, with its status (`metrics.theme_targets`)."""
        ids = self.data.table("indicators").filter(pl.col("theme") == theme)["indicator_id"]
        return self.targets_on(ids.to_list())

    def targets_on(self, indicator_ids: list[str]) -> pl.DataFrame:
        """Every target on these indicators, as `theme_targets` gives them; only their
        observations are read (a page that shows a few indicators runs again only when
        those change)."""
        return metrics.indicator_targets(self.data.table("targets"), self.data.observations(indicator_ids),
                                         self.data.table("indicators"), indicator_ids)  # fmt: skip

    def stated_target(self, row: dict, observed: dict[str, dict]) -> Traced:
        """A target (a row of `theme_targets`) as HTML: stated in a source's running text, its
        figure traced to the quote; from Plan 46's Appendix I, its bound and the plan's item.
        `observed`: the observations of its indicator by id (`data.by_id`)."""
        if row.get("target_obs_id"):
            return self.fig(observed[row["target_obs_id"]], unit=True)
        item = self.gettext("Plan 46, Appendix I, item {item}").format(item=row["item"])
        stated = html.escape(self.target(row, unit_of=row["indicator_id"]))
        return Traced(f"{stated} ({html.escape(item)})")

    def show_targets(self, targets: pl.DataFrame) -> None:
        """A theme's targets as a table: the indicator, the target as stated (traced to its
        quote, or Plan 46's item), its year, the latest value (traced), status and gap."""
        if targets.is_empty():
            self.say(self.gettext("No target of Plan 46 or of the sources concerns this theme’s "
                                  "indicators yet."))  # fmt: skip
            return
        observed = self.data.by_id(targets["indicator_id"].unique().to_list())
        rows = [{"indicator": self.indicator_link(row["indicator_id"]), **self._target_cells(row, observed)}
                for row in targets.iter_rows(named=True)]  # fmt: skip
        self.show_table(pl.DataFrame(rows), ["indicator", "target", "horizon", "latest", "status", "gap"],
                        traced=("indicator", "target", "latest"))  # fmt: skip

    def _target_cells(self, row: dict, observed: dict[str, dict]) -> dict:
        """A target as a page states it (`metrics.theme_targets`' row): the target, traced to
        its quote or named by Plan 46's item, its year, the latest value (traced), status and
        gap; `observed`: the indicator's observations by id."""
        ind = row["indicator_id"]
        latest = observed.get(row["latest_obs_id"] or "")
        return {
            "target": self.stated_target(row, observed), "horizon": str(row["horizon"]),
            "latest": self.fig(latest, unit=True) if latest else MISSING,
            "status": label("status", row["status"], self.lang),
            "gap": None if row["status"] != metrics.GAP else self.with_unit(self.number(row["gap"], 1), ind),
        }  # fmt: skip

    # The indicators page --------------------------------------------------------------------

    def indicator_link(self, indicator_id: str) -> Traced:
        """The indicator's name, linked to its entry on the indicators page (`#ind-<id>`)."""
        href = f"{INDICATORS_PAGE}#ind-{indicator_id}"
        return Traced(render("link.html", href=href, text=self.label(indicator_id)).strip())

    def source_link(self, source_id: str) -> Traced:
        """A source as `source` names it, linked to its entry on the sources page (`#src-<id>`)."""
        href = f"{SOURCES_PAGE}#src-{source_id}"
        return Traced(render("link.html", href=href, text=self.source(source_id)).strip())

    def as_given(self, source: dict, snippet: str, value: str | None = None) -> Traced | str:
        """A detail a source document gives of itself (its official number, date, publisher,
        address) in its own words: the `snippet` column's text, which the build found verbatim
        in the document, after the `value` read from it where there is one (`46/KH-UBND`);
        or that the document does not give it."""
        if not source[snippet]:
            return self.t("not_given")
        words = self.quote(source[snippet], source["source_id"])
        if value is None:
            return words
        return Traced(render("as_given.html", value=value, words=Markup(words)).strip())

    def gloss(self, row: dict) -> str | None:
        """What a quote in another language than the page's states, in the page's words: the
        indicator and the figure (never a translation of the source's sentence); None where
        the quote is in the page's language."""
        quoted_in = self._row("sources", "source_id", row["source_id"])["language"]
        if quoted_in == self.lang:
            return None
        figure = self.with_unit(self.figure_text(row), row["indicator_id"])
        return self.gettext("The source’s wording, in {language}; it gives {indicator}: {figure}.").format(
            language=self.language(quoted_in), indicator=self.label(row["indicator_id"]),
            figure=figure)  # fmt: skip

    def show_indicator(self, indicator: dict, observations: pl.DataFrame, disputed: pl.DataFrame,
                       targets: pl.DataFrame) -> None:  # fmt: skip
        """One indicator of the catalog (a row of `indicators`) as a block anchored
        `#ind-<indicator_id>` (templates/indicator.html): its name and definition in the
        page's language, theme (linked to its page), unit and the indicators it is part of
        or computed from; every one of its `observations` (traced, with source and verbatim
        quote, glossed on a page in another language); the `disputed` observations (those
        of the conflicts table), stated first, by period: each value with its source; its
        `targets` (`metrics.theme_targets`' rows) with status and gap."""
        ind = indicator["indicator_id"]
        theme = self._row("themes", "theme_id", indicator["theme"])
        related = [(self.t(key), Markup(self.indicator_link(indicator[key])))
                   for key in ("part_of", "share_of") if indicator[key]]  # fmt: skip
        if indicator["numerator"]:
            parts = (self.indicator_link(indicator[k]) for k in ("numerator", "denominator"))
            related.append((self.t("computed"), Markup(" ÷ ").join(map(Markup, parts))))
        shown = []
        for row in observations.iter_rows(named=True):
            derived = row.get("derived_from")
            shown.append({
                "figure": Markup(self.fig(row, unit=True)), "period": self.period(row["period"]),
                # A computed figure says what it is computed from instead of its kind.
                "kind": None if derived else self.t(f"obs_type.{row['obs_type']}"),
                "sources": [Markup(self.source_link(s)) for s in row["source_id"].split("+")],
                "quote": None if derived else Markup(self.quote(row["quote"], row["source_id"])),
                "gloss": None if derived else self.gloss(row),
                "computed": [Markup(self.indicator_link(i.split("|")[0])) for i in derived or []],
            })  # fmt: skip
        disagreements = []
        # (Most indicators have no disagreement and no target: grouping or reading nothing
        # for each of them was a quarter of the indicators page's run.)
        groups = (
            disputed.group_by("period", "obs_type", maintain_order=True) if disputed.height else []
        )
        for (period, _), group in groups:
            values = Markup("; ").join(
                Markup("{} ({})").format(self.with_unit(self.figure_text(r), ind),
                                         Markup(self.source_link(r["source_id"])))
                for r in group.iter_rows(named=True)
            )  # fmt: skip
            message = self.gettext("For {period}, the sources give different values: {values}. The data "
                                   "keeps each, with its source’s words below, and picks none.")  # fmt: skip
            disagreements.append(
                Markup(html.escape(message)).format(period=self.period(period), values=values)
            )
        aims = []
        observed = self.data.by_id([ind]) if targets.height else None
        for row in targets.iter_rows(named=True):
            cells = self._target_cells(row, observed)
            aims.append({"stated": Markup(cells["target"]), "horizon": cells["horizon"],
                         "latest": Markup(cells["latest"]), "status": row["status"],
                         "status_label": cells["status"], "gap": cells["gap"]})  # fmt: skip
        labels = ("theme", "unit", "indicator_id", "observations_heading", "source", "source_words",
                  "computed", "disagreement_heading", "targets_heading", "horizon", "status", "gap", "latest")  # fmt: skip
        text = render(
            "indicator.html", id=ind, name=indicator[f"name_{self.lang}"],
            definition=indicator[f"definition_{self.lang}"], theme=theme[f"name_{self.lang}"],
            theme_href=f"{theme['page']}.html", unit=self.unit(ind), related=related,
            observations=shown, disagreements=disagreements, targets=aims,
            no_observation=self.gettext("No source gives a figure for this indicator in this edition."),
            t={key: self.t(key) for key in labels},
        )  # fmt: skip
        display({"text/html": text.strip()}, raw=True)
