"""What the notebooks call: one `Report` per edition and language, and the figures.

A notebook holds a parameters cell, calls into this module and prose; every number it
shows comes from the published data through here.
"""

from __future__ import annotations

import html
import json
import textwrap
from datetime import date
from pathlib import Path

import great_tables as gt
import polars as pl
from IPython.display import Markdown, display

from analysis.paths import PROCESSED, ROOT
from analysis.pipeline.deps import Reads
from analysis.product.plan46 import PLAN_SOURCE_ID
from analysis.report import charts, metrics
from analysis.report.charts import Figure
from analysis.report.i18n import COMPARATORS, DEADLINE_KINDS, QUALIFIERS, fmt, fmt_period, t
from analysis.report.narrative import CHECKS, SENTENCES

# Interactive runs (JupyterLab) export here; published builds pass their own chart_dir.
CHART_DIR = ROOT / "_build" / "lab"
HEADLINES = [
    "pii_rank",
    "dti_rank",
    "rd_staff_total",
    "rd_staff_phd",
    "ip_industrial_property_applications_filed",
    "ip_protection_titles_granted",
    "online_full_process_services",
    "procedures_residence_independent",
    "st_enterprises",
    "r57_tasks_completed",
    "grdp_current_prices",
    "grdp_growth",
]


class TrackedDataset:
    """The published tables; reading one is recorded (observations are recorded finer,
    by indicator, where the report reads them)."""

    def __init__(self, dataset: metrics.Dataset, reads: Reads):
        self._dataset, self._reads = dataset, reads

    def __getattr__(self, name: str) -> pl.DataFrame:
        if name != "observations":
            self._reads.add("table", name)
        return getattr(self._dataset, name)


class Traced(str):
    """HTML of a figure with its trace (source and quote); safe to place in narrative."""


class Report:
    """The data of one edition in one language, with helpers to say, show and export it."""

    def __init__(
        self,
        edition: int | None = None,
        lang: str = "vi",
        data_dir=None,
        chart_dir=None,
        deps_file=None,
    ):
        if lang not in ("vi", "en"):
            raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
        self.lang = lang
        # What this run reads is recorded, so that the build re-runs it only when that changes.
        self.reads = Reads(deps_file)
        self.ds = TrackedDataset(
            metrics.load_dataset(Path(data_dir) if data_dir else PROCESSED), self.reads
        )
        self.reads.add("outline")
        supported = metrics.editions(self.ds.observations)
        self.edition = int(edition) if edition else supported[-1]
        if self.edition not in supported:
            raise ValueError(
                f"edition {self.edition} is not supported by the data (only {supported})"
            )
        self.as_of: date = metrics.edition_date(self.edition)
        self.obs = metrics.with_derived(metrics.for_edition(self.ds.observations, self.edition))
        self.chart_dir = Path(chart_dir) if chart_dir else CHART_DIR / str(self.edition) / "charts"
        self.indicator = {r["indicator_id"]: r for r in self.ds.indicators.iter_rows(named=True)}
        self.unit = {r["unit_id"]: r for r in self.ds.units.iter_rows(named=True)}
        self.source = {r["source_id"]: r for r in self.ds.sources.iter_rows(named=True)}
        self._tables = 0
        charts.setup()

    # Values ---------------------------------------------------------------------

    def _find(self, indicator_id: str, obs_type: str = "actual") -> dict | None:
        """The latest observation of an indicator (None if there is none), recorded as read."""
        self.reads.add("indicator", indicator_id)
        for inputs in metrics.RATIO_INPUTS.get(indicator_id, ()):
            self.reads.add("indicator", inputs)
        return metrics.latest(self.obs, indicator_id, obs_type)

    def latest(self, indicator_id: str, obs_type: str = "actual") -> dict:
        row = self._find(indicator_id, obs_type)
        if row is None:
            raise KeyError(f"no {obs_type} value of {indicator_id} in edition {self.edition}")
        return row

    def num(self, indicator_id: str, decimals: int | None = None) -> Traced:
        """The latest value, traceable: hovering or focusing it shows its source and quote."""
        row = self.latest(indicator_id)
        return self.traced(fmt(row["value"], self.lang, self._decimals(row, decimals)), row)

    @staticmethod
    def _decimals(row: dict, decimals: int | None) -> int | None:
        """Derived figures (ratios) show one decimal unless asked otherwise."""
        return 1 if decimals is None and row.get("derived_from") is not None else decimals

    def fig(self, indicator_id: str, decimals: int | None = None) -> Traced:
        """The latest value with the source's hedge (`hơn 540`, `more than 540`), traceable."""
        row = self.latest(indicator_id)
        hedge = QUALIFIERS[row.get("qualifier") or "exact"][self.lang]
        return self.traced(hedge + fmt(row["value"], self.lang, self._decimals(row, decimals)), row)

    def trace(self, row: dict) -> str:
        """Where a figure comes from: its source and verbatim quote, or how it was computed."""
        if row.get("derived_from"):
            parts = [self.label(obs_id.split("|")[0]) for obs_id in row["derived_from"]]
            return (
                f"{self.t('computed')}: {' ÷ '.join(parts)} ({self.source_label(row['source_id'])})"
            )
        return f"{self.source_label(row['source_id'])}: “{row['quote']}”"

    def traced(self, text: str, row: dict) -> Traced:
        title = html.escape(self.trace(row), quote=True)
        obs_id = html.escape(row.get("obs_id") or row["indicator_id"], quote=True)
        return Traced(
            f'<span class="fig" tabindex="0" data-obs="{obs_id}" title="{title}">'
            f"{html.escape(text)}</span>"
        )

    def label(self, indicator_id: str) -> str:
        return self.indicator[indicator_id][f"name_{self.lang}"]

    def unit_label(self, unit_id: str) -> str:
        return self.unit[unit_id][f"name_{self.lang}"]

    def source_label(self, source_id: str) -> str:
        """`PLO (Pháp Luật TP.HCM), 2026-01-11`; a derived figure names all its sources."""
        ids = sorted(set(source_id.split("+")))
        return "; ".join(f"{self.source[s]['publisher']}, {self.source[s]['date']}" for s in ids)

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    # Output ---------------------------------------------------------------------

    def page(self, key: str) -> None:
        """The page heading and what the edition covers."""
        display(Markdown(f"# {PAGES[key][self.lang]}"))
        actual = self.obs.filter(pl.col("obs_type") == "actual")
        sourced = actual.filter(pl.col("quote").is_not_null())
        self.say(
            "edition",
            edition=self.edition,
            n_sources=sourced["source_id"].n_unique(),
            n_obs=sourced.height,
        )

    def heading(self, key: str) -> None:
        display(Markdown(f"## {TITLES[key][self.lang]}"))

    def say(self, key: str, **values) -> None:
        """A narrative sentence; text from the data is escaped, traced figures are kept."""
        safe = {
            k: v if isinstance(v, Traced) else html.escape(str(v), quote=False)
            for k, v in values.items()
        }
        display(Markdown(SENTENCES[key][self.lang].format(**safe)))

    def points(
        self, indicator_ids: list[str], label_period: bool = False, all_sources: bool = False
    ):
        """Plot-ready rows: label, value, unit, period, source, obs_id (latest, or every source)."""
        rows = []
        for ind in indicator_ids:
            if all_sources:
                self.reads.add("indicator", ind)
                found = self.obs.filter(
                    (pl.col("indicator_id") == ind) & (pl.col("obs_type") == "actual")
                )
                candidates = list(found.iter_rows(named=True))
            else:
                candidates = [self.latest(ind)]
            for row in candidates:
                label = self.label(ind)
                if all_sources:  # one row per source: the same period may have several
                    publisher = self.source[row["source_id"].split("+")[0]]["publisher"]
                    label += f" ({fmt_period(row['period'], self.lang)}; {publisher})"
                elif label_period:
                    label += f" ({fmt_period(row['period'], self.lang)})"
                rows.append(
                    {
                        "label": label,
                        "value": row["value"],
                        "unit": self.unit_label(self.indicator[ind]["unit"]),
                        "period": fmt_period(row["period"], self.lang),
                        "source": self.source_label(row["source_id"]),
                        "category": self.source_label(row["source_id"]),
                        "source_id": row["source_id"],
                        "obs_id": row.get("obs_id") or "",
                    }
                )
        return pl.DataFrame(rows)

    def labels(self, **extra) -> dict:
        keys = ["indicator", "value", "unit", "period", "source", "task", "deadline", "lead_agency"]
        return {k: self.t(k) for k in keys} | extra

    def show(self, figure: Figure) -> Figure:
        """Display a figure, its text description and its data, and write its exports."""
        sources = ", ".join(self.source_label(s) for s in figure.source_ids)
        citation = self.t(
            "chart_citation", title=figure.title, edition=self.edition, sources=sources
        )
        files = charts.export(figure, self.lang, self.edition, citation, self.chart_dir)
        spec = json.loads(files[".vl.json"].read_text(encoding="utf-8"))
        svg = files[".svg"].read_text(encoding="utf-8")
        meta = {
            "chart_id": figure.chart_id, "lang": self.lang, "edition": self.edition,
            "title": figure.title, "description": figure.description, "citation": citation,
            "files": {suffix: path.name for suffix, path in files.items()},
            "table": self.figure_table(figure),
        }  # fmt: skip
        display(charts.mimebundle(spec, svg, figure.description or figure.title, meta), raw=True)
        return figure

    def figure_table(self, figure: Figure) -> dict:
        """The table alternative of a chart: its plotted values in the page's notation."""
        columns = [c for c in ("label", "category", "value", "unit", "period", "source", "deadline", "state")
                   if c in figure.frame.columns]  # fmt: skip
        names = {"label": self.t("indicator"), "category": figure.labels.get("color", ""),
                 "value": self.t("value"), "unit": self.t("unit"), "period": self.t("period"),
                 "source": self.t("source"), "deadline": self.t("deadline"), "state": self.t("status")}  # fmt: skip
        rows = [[fmt(r[c], self.lang) if c == "value" else ("" if r[c] is None else str(r[c]))
                 for c in columns] for r in figure.frame.iter_rows(named=True)]  # fmt: skip
        return {"columns": [names[c] for c in columns], "rows": rows}

    def table(
        self,
        frame: pl.DataFrame,
        columns: dict[str, str],
        decimals: dict[str, int] | None = None,
        traced: tuple[str, ...] = (),
    ) -> None:
        """Display a Great Tables table in the page's locale; `columns` maps names to headings.

        Cells are escaped, except the `traced` columns: they hold `Traced` figures, whose
        markup (source and quote on hover and focus) is built escaped.
        """
        # A stable id: Great Tables would pick a random one, and builds must be reproducible.
        self._tables += 1
        table_id = f"table-{self._tables}"
        table = gt.GT(frame.select(list(columns)), locale=self.lang, id=table_id).cols_label(
            **columns
        )
        for column, places in (decimals or {}).items():
            table = table.fmt_number(columns=column, decimals=places, drop_trailing_zeros=True)
        # Missing values read as a dash, never "None"; the site's shipped font, not GT's stack.
        table = table.sub_missing(missing_text="–").opt_table_font(font="Noto Sans")
        if traced:
            table = table.fmt_markdown(columns=list(traced))
        display(table)

    # Shared figure makers ------------------------------------------------------------

    def bar_figure(
        self, chart_id: str, title_key: str, indicator_ids: list[str], **options
    ) -> Figure:
        frame = self.points(indicator_ids, **options)
        return Figure(
            chart_id,
            "bar_by_color" if options.get("all_sources") else "bar",
            self.title(title_key),
            frame,
            self.labels(x=self.t("value"), color=self.t("source")),
            sorted(set(frame["source_id"])),
            self.describe(frame),
        )

    def describe(self, frame: pl.DataFrame) -> str:
        """A text alternative: every plotted value, in the page's notation."""
        return "; ".join(
            f"{r['label']}: {fmt(r['value'], self.lang)} {r['unit']}"
            for r in frame.iter_rows(named=True)
        )

    def title(self, key: str) -> str:
        return TITLES[key][self.lang]

    # Theme-specific figures ----------------------------------------------------------

    def headline_table(self) -> None:
        self.figures_table(HEADLINES)

    def plan_stacked_figure(self, chart_id: str, frame: pl.DataFrame, labels: dict) -> Figure:
        """A stacked count chart of Plan 46 rows (targets by status, tasks by deadline kind)."""
        rows = frame.iter_rows(named=True)
        desc = "; ".join(f"{r['label']} – {r['category']}: {r['value']}" for r in rows)
        return Figure(
            chart_id, "stacked", self.title(chart_id), frame, labels, [PLAN_SOURCE_ID], desc
        )

    def target_status(self) -> pl.DataFrame:
        for ind in self.ds.targets["indicator_id"].drop_nulls():
            self._find(ind)
        return metrics.target_status(self.ds.targets, self.obs, self.ds.indicators)

    def targets_figure(self) -> Figure:
        counts = metrics.status_counts(self.target_status())
        order = [metrics.MET, metrics.GAP, metrics.NOT_MEASURED]
        frame = counts.select(
            pl.format("{} {}", pl.lit(self.t("horizon")), pl.col("horizon")).alias("label"),
            pl.col("status").replace_strict({s: self.t(s) for s in order}).alias("category"),
            pl.col("status").replace_strict({s: i for i, s in enumerate(order)}).alias("order"),
            pl.col("targets").cast(pl.Int64).alias("value"),
            pl.lit(self.source_label(PLAN_SOURCE_ID)).alias("source"),
        )
        labels = self.labels(
            x=self.t("count"), color=self.t("status"), order=[self.t(s) for s in order]
        )
        return self.plan_stacked_figure("targets_status", frame, labels)

    def say_targets(self) -> None:
        status = self.target_status().filter(pl.col("comparator") != "none")
        n = status.height
        count = dict(status.group_by("status").len().iter_rows())
        self.say(
            "overview_targets",
            n_targets=n,
            n_met=count.get(metrics.MET, 0),
            n_gap=count.get(metrics.GAP, 0),
            n_unmeasured=count.get(metrics.NOT_MEASURED, 0),
        )

    def targets_table(self):
        status = self.target_status().filter(pl.col("comparator") != "none")
        frame = status.select(
            "item",
            "horizon",
            pl.col(f"indicator_{self.lang}").alias("indicator"),
            "unit",
            pl.col("target_text").alias("target"),  # as the plan writes it: ≥ 80, 10-15, …
            "latest_value",
            pl.col("status").replace_strict(
                {s: self.t(s) for s in (metrics.MET, metrics.GAP, metrics.NOT_MEASURED)}
            ),
            "gap",
        )
        cols = {
            "item": "TT",
            "horizon": self.t("horizon"),
            "indicator": self.t("indicator"),
            "unit": self.t("unit"),
            "target": self.t("target"),
            "latest_value": self.t("latest"),
            "status": self.t("status"),
            "gap": self.t("gap"),
        }
        self.table(frame, cols, decimals={"latest_value": 1, "gap": 1})

    def pii_figure(self) -> Figure:
        pillars = self.pii_pillars()
        frame = pillars.select(
            pl.format("{}. {}", "pillar", f"name_{self.lang}").alias("label"),
            pl.col("score").alias("value"),
            pl.col("sub_index").replace_strict(
                {"input": self.t("input"), "output": self.t("output")}
            ),
            pl.when(pl.col("reported"))
            .then(pl.lit(""))
            .otherwise(pl.lit(self.t("unknown")))
            .alias("status"),
            pl.lit(self.unit_label("score")).alias("unit"),
            pl.col("period")
            .fill_null("")
            .map_elements(lambda p: fmt_period(p, self.lang) if p else "", return_dtype=pl.String),
            pl.col("source_id")
            .fill_null("")
            .map_elements(lambda s: self.source_label(s) if s else "", return_dtype=pl.String)
            .alias("source"),
        )
        desc = "; ".join(
            f"{r['label']}: {fmt(r['value'], self.lang) if r['value'] is not None else r['status']}"
            for r in frame.iter_rows(named=True)
        )
        labels = self.labels(x=self.t("score"), color=self.t("sub_index"))
        return Figure(
            "pii_pillars",
            "pillars",
            self.title("pii_pillars"),
            frame,
            labels,
            sorted(set(pillars["source_id"].drop_nulls())),
            desc,
        )

    def say_pii(self) -> None:
        pillars = self.pii_pillars()
        rank = self.latest("pii_rank")
        self.say(
            "pii_scores",
            year=rank["period"],
            rank=self.num("pii_rank"),
            n_reported=int(pillars["reported"].sum()),
            n_pillars=pillars.height,
            n_unknown=int((~pillars["reported"]).sum()),
        )
        self.say(
            "pii_efficiency",
            input=self.num("pii_input_score"),
            output=self.num("pii_output_score"),
            ratio=self.num("pii_efficiency_ratio", 3),
        )
        status = (
            self.target_status().filter(pl.col("indicator_id") == "pii_rank").row(0, named=True)
        )
        self.say(
            "pii_target",
            horizon=status["horizon"],
            target=f"{COMPARATORS[status['comparator']]} {fmt(status['target_high'], self.lang)}",
            rank=self.fig("pii_rank"),
            status=self.t(status["status"]),
        )

    def say_rd(self) -> None:
        parts = self.rd_breakdown()
        self.say(
            "rd_total",
            year=metrics.period_end(self.latest("rd_staff_total")["period"]).year,
            orgs=self.num("st_organisations"),
            total=self.num("rd_staff_total"),
            phd=self.num("rd_staff_phd"),
            phd_share=self.num("rd_staff_phd_share", 1),
            per_org=self.num("rd_staff_per_st_organisation", 1),
        )
        self.say("rd_shares", max_diff=fmt(parts["difference"].abs().max(), self.lang, 2))

    def say_ip(self) -> None:
        filed = self.latest("ip_industrial_property_applications_filed")
        start, _, end = filed["period"].partition("/")
        accepted = self.latest("ip_applications_accepted")
        self.say(
            "ip_filings",
            start=fmt_period(start, self.lang),
            end=fmt_period(end, self.lang),
            filed=self.num("ip_industrial_property_applications_filed"),
            granted=self.num("ip_protection_titles_granted"),
            ratio=self.num("ip_grant_ratio", 1),
            window2=fmt_period(accepted["period"], self.lang),
            accepted=self.num("ip_applications_accepted"),
            patents=self.num("ip_patent_applications_accepted"),
        )
        target = self.ds.targets.filter(pl.col("indicator_id") == "ip_patent_growth").row(
            0, named=True
        )
        growth = self.latest("ip_new_titles_growth")
        self.say(
            "ip_growth",
            target=f"{fmt(target['target_low'], self.lang)}–{fmt(target['target_high'], self.lang)}",
            reported=QUALIFIERS[growth["qualifier"]][self.lang]
            + f"{fmt(growth['value'], self.lang)}–{fmt(growth['value_high'], self.lang)}",
        )

    def say_digital(self) -> None:
        status = self.target_status().filter(
            pl.col("indicator_id") == "online_full_process_service_share"
        )
        target = status.row(0, named=True)
        self.say(
            "dg_procedures",
            procedures=self.num("admin_procedures_provided"),
            online=self.num("online_full_process_services"),
            share=self.num("online_full_process_service_share", 1),
            horizon=target["horizon"],
            target=fmt(target["target_low"], self.lang),
        )
        conflicts = self.ds.conflicts.filter(
            pl.col("indicator_id") == "procedures_residence_independent"
        )
        if conflicts.height:
            values = "; ".join(
                f"{fmt(r['value'], self.lang)} – {self.source_label(r['source_id'])}"
                for r in conflicts.iter_rows(named=True)
            )
            self.say(
                "dg_conflict", period=fmt_period(conflicts["period"][0], self.lang), values=values
            )
        self.say(
            "dg_community",
            teams=self.fig("community_digital_teams"),
            members=self.fig("community_digital_team_members"),
            trained=self.fig("people_trained_digital_skills"),
        )

    def say_ecosystem(self) -> None:
        self.say(
            "eco_summary",
            orgs=self.fig("startup_support_organisations"),
            startups=self.fig("startup_projects_per_year"),
            st_firms=self.fig("st_enterprises"),
            products=self.fig("tech_exchange_products"),
        )
        funding = self.latest("sme_tech_support_funding")
        self.say(
            "eco_renewal",
            year=self.latest("enterprise_tech_renewal_rate")["period"],
            rate=self.num("enterprise_tech_renewal_rate", 3),
            window=fmt_period(funding["period"], self.lang),
            funding=self.num("sme_tech_support_funding", 1),
        )

    def say_targets_by_horizon(self) -> None:
        counts = metrics.status_counts(self.target_status())
        for horizon in sorted(counts["horizon"].unique()):
            c = dict(
                counts.filter(pl.col("horizon") == horizon).select("status", "targets").iter_rows()
            )
            self.say(
                "targets_summary",
                horizon=horizon,
                n=sum(c.values()),
                met=c.get(metrics.MET, 0),
                gap=c.get(metrics.GAP, 0),
                unmeasured=c.get(metrics.NOT_MEASURED, 0),
            )

    def say_r57(self) -> None:
        row = self.latest("r57_tasks_assigned")
        self.say(
            "r57_progress",
            period=fmt_period(row["period"], self.lang),
            completed=self.num("r57_tasks_completed"),
            assigned=self.num("r57_tasks_assigned"),
            share=self.num("r57_tasks_completed_share", 1),
            on_schedule=self.num("r57_tasks_on_schedule"),
        )

    def say_economy(self) -> None:
        self.say(
            "economy",
            year=self.latest("grdp_current_prices")["period"],
            grdp=self.num("grdp_current_prices", 2),
            share=self.num("mekong_delta_economy_share", 2),
            growth=self.num("grdp_growth", 2),
            income=self.num("income_per_capita_month", 2),
        )

    def figures_table(self, indicator_ids: list[str]):
        """Every figure of a theme with its period and source (the table alternative)."""
        rows = [
            {
                "indicator": self.label(i),
                "value": self.fig(i),
                "unit": self.unit_label(self.indicator[i]["unit"]),
                "period": fmt_period(self.latest(i)["period"], self.lang),
                "source": self.source_label(self.latest(i)["source_id"]),
            }
            for i in indicator_ids
            if self._find(i) is not None
        ]
        self.table(
            pl.DataFrame(rows),
            {k: self.t(k) for k in ("indicator", "value", "unit", "period", "source")},
            traced=("value",),
        )

    # Site pages ---------------------------------------------------------------------

    def key_figures(self) -> None:
        """The edition's key figures, each with its period and a link to its page."""
        lines = []
        for ind in HEADLINES:
            row = self._find(ind)
            if row is None:
                continue
            page = THEME_PAGES[self.indicator[ind]["theme"]]
            unit_id = self.indicator[ind]["unit"]
            # The generic units "count" and "rank" add nothing to the label; others are named.
            unit = "" if unit_id in ("count", "rank") else html.escape(self.unit_label(unit_id))
            lines.append(
                f"- **{self.fig(ind)}** {unit} – {html.escape(self.label(ind))} "
                f"({fmt_period(row['period'], self.lang)}) → "
                f"[{html.escape(PAGES[page][self.lang])}]({page}.html)"
            )
        display(Markdown("\n".join(lines)))

    def report_link(self) -> None:
        name = f"report-{self.edition}-{self.lang}.pdf"
        href = Traced(f"{SITE_ROOT}reports/{name}")
        self.say("home_report", edition=self.edition, file=name, href=href)

    def sources_list(self) -> None:
        self.reads.add("table", "observations")  # every figure's quote is listed
        obs = self.ds.observations
        for src in self.ds.sources.iter_rows(named=True):
            display(Markdown(f"## {html.escape(src['title_' + self.lang])}"))
            kind = SOURCE_KINDS[src["kind"]][self.lang]
            self.say("source_meta", publisher=src["publisher"], date=src["date"], kind=kind,
                     n=src["figures"], sha=src["sha256"])  # fmt: skip
            figures = obs.filter(pl.col("source_id") == src["source_id"]).select(
                pl.col("indicator_id")
                .map_elements(self.label, return_dtype=pl.String)
                .alias("indicator"),
                "value_text",
                pl.col("period").map_elements(
                    lambda p: fmt_period(p, self.lang), return_dtype=pl.String
                ),
                "quote",
            )
            self.table(figures, {"indicator": self.t("indicator"), "value_text": self.t("value"),
                                 "period": self.t("period"), "quote": self.t("quote")})  # fmt: skip

    def say_quality(self) -> None:
        obs = self.ds.observations  # only its outline: counts of figures and sources
        conflicts = self.ds.conflicts.select("indicator_id", "period").n_unique()
        self.say("quality_summary", n_obs=obs.height, n_sources=obs["source_id"].n_unique(),
                 n_conflicts=conflicts)  # fmt: skip

    def conflicts_table(self):
        frame = self.ds.conflicts.select(
            pl.col("indicator_id")
            .map_elements(self.label, return_dtype=pl.String)
            .alias("indicator"),
            pl.col("period").map_elements(
                lambda p: fmt_period(p, self.lang), return_dtype=pl.String
            ),
            "value_text",
            pl.col("source_id")
            .map_elements(self.source_label, return_dtype=pl.String)
            .alias("source"),
            "quote",
        )
        self.table(frame, {"indicator": self.t("indicator"), "period": self.t("period"),
                                  "value_text": self.t("value"), "source": self.t("source"),
                                  "quote": self.t("quote")})  # fmt: skip

    def checks_list(self) -> None:
        display(Markdown("\n".join(f"- {html.escape(c)}" for c in CHECKS[self.lang])))

    def downloads(self) -> None:
        self.say("downloads_intro", datapackage=Traced(f"{SITE_ROOT}data/datapackage.json"),
                 dpi=charts.PRINT_DPI)  # fmt: skip
        rows = [f"| {self.t('table')} | {self.t('rows')} | {self.t('files')} |", "|---|--:|---|"]
        for name in metrics.TABLES:
            links = " · ".join(f"[{label}]({SITE_ROOT}data/{name}.{ext})"
                               for label, ext in (("CSV", "csv"), ("Parquet", "parquet")))  # fmt: skip
            rows.append(f"| `{name}` | {fmt(getattr(self.ds, name).height, self.lang)} | {links} |")
        rows.append(f"\n{self.t('workbook')}: [XLSX]({SITE_ROOT}data/cantho-sti-observatory.xlsx)")
        display(Markdown("\n".join(rows)))
        display(Markdown(f"## {self.t('charts')}"))
        base = f"{SITE_ROOT}charts/{self.edition}/"
        lines = [f"| {self.t('chart')} | {self.t('files')} |", "|---|---|"]
        for chart_id, titles in TITLES.items():
            stem = f"{chart_id}-{self.lang}"
            files = " · ".join(f"[{label}]({base}{stem}{suffix})" for label, suffix in CHART_FILES)
            lines.append(f"| {html.escape(titles[self.lang])} | {files} |")
        display(Markdown("\n".join(lines)))

    def methods(self) -> None:
        for key in (
            "methods_editions",
            "methods_shares",
            "methods_ratios",
            "methods_gaps",
            "methods_pii",
        ):
            self.say(key)
        reported = {True: "✓", False: self.t("unknown")}
        framework = self.ds.pii_framework.select(
            "pillar",
            pl.col(f"name_{self.lang}").alias("name"),
            pl.col("sub_index").replace_strict(
                {"input": self.t("input"), "output": self.t("output")}
            ),
            pl.col("indicator_id").is_not_null().replace_strict(reported).alias("reported"),
        )
        self.table(framework, {"pillar": self.t("pillar"), "name": self.t("indicator"),
                               "sub_index": self.t("sub_index"), "reported": self.t("reported")})  # fmt: skip
        display(Markdown(f"## {self.t('definitions')}"))
        units = self.ds.units.select("unit_id", pl.col(f"name_{self.lang}").alias("unit"))
        defs = self.ds.indicators.join(
            units, left_on="unit", right_on="unit_id", suffix="_u"
        ).select(
            pl.col(f"name_{self.lang}").alias("name"),
            pl.col("unit_u").alias("unit"),
            pl.col(f"definition_{self.lang}").alias("definition"),
        )
        self.table(defs, {"name": self.t("indicator"), "unit": self.t("unit"),
                          "definition": self.t("definition")})  # fmt: skip

    def citation(self) -> str:
        return self.t("edition_citation", edition=self.edition)

    def say_cite(self) -> None:
        self.say("cite_edition", citation=self.citation())
        self.say("cite_chart")

    def rd_breakdown(self) -> pl.DataFrame:
        ind = self.ds.indicators
        parts = ind.filter(pl.col("part_of") == "rd_staff_total")["indicator_id"]
        shares = ind.filter(pl.col("share_of").is_in(parts.to_list()))["indicator_id"]
        for read in ["rd_staff_total", *parts, *shares]:
            self.reads.add("indicator", read)
        return metrics.breakdown(self.obs, ind, "rd_staff_total")

    def pii_pillars(self) -> pl.DataFrame:
        framework = self.ds.pii_framework
        for ind in framework["indicator_id"].drop_nulls():
            self.reads.add("indicator", ind)
        return metrics.pii_pillars(self.obs, framework)

    def rd_figure(self) -> Figure:
        parts = self.rd_breakdown().sort("value", descending=True)
        frame = self.points(parts["indicator_id"].to_list()).with_columns(
            parts["stated_share"], parts["recomputed_share"].round(2)
        )
        labels = self.labels(
            x=self.t("count"),
            extra=[
                ("stated_share", self.t("stated_share")),
                ("recomputed_share", self.t("recomputed_share")),
            ],
        )
        return Figure(
            "rd_qualifications",
            "bar",
            self.title("rd_qualifications"),
            frame,
            labels,
            sorted(set(parts["source_id"])),
            self.describe(frame),
        )

    def rd_table(self):
        parts = self.rd_breakdown().sort("value", descending=True)
        frame = parts.select(
            pl.col("indicator_id")
            .map_elements(self.label, return_dtype=pl.String)
            .alias("qualification"),
            "value",
            "stated_share",
            "recomputed_share",
            "difference",
        )
        cols = {
            "qualification": self.t("qualification"),
            "value": self.t("count"),
            "stated_share": self.t("stated_share"),
            "recomputed_share": self.t("recomputed_share"),
            "difference": self.t("difference"),
        }
        self.table(
            frame,
            cols,
            decimals={"value": 0, "stated_share": 1, "recomputed_share": 2, "difference": 2},
        )

    def tasks(self) -> pl.DataFrame:
        return metrics.tasks_with_due(self.ds.tasks, self.as_of)

    def tasks_group_figure(self) -> Figure:
        tasks = self.tasks()
        kinds = list(DEADLINE_KINDS)
        counts = metrics.count_by(tasks, "group", "deadline_kind")
        frame = counts.select(
            pl.format("{} {}", pl.lit(self.t("group")), "group").alias("label"),
            pl.col("deadline_kind")
            .replace_strict({k: v[self.lang] for k, v in DEADLINE_KINDS.items()})
            .alias("category"),
            pl.col("deadline_kind")
            .replace_strict({k: i for i, k in enumerate(kinds)})
            .alias("order"),
            pl.col("tasks").cast(pl.Int64).alias("value"),
            pl.lit(self.source_label(PLAN_SOURCE_ID)).alias("source"),
        )
        labels = self.labels(
            x=self.t("tasks"),
            color=self.t("deadline_kind"),
            order=[DEADLINE_KINDS[k][self.lang] for k in kinds],
        )
        return self.plan_stacked_figure("tasks_by_group", frame, labels)

    def tasks_timeline_figure(self) -> Figure:
        dated = (
            self.tasks().filter(pl.col("deadline_kind") == "dated").sort("deadline_end", "task_no")
        )
        title_col = "task_title_en" if self.lang == "en" else "task_vi"
        frame = dated.select(
            pl.format(
                "{}. {}",
                "task_no",
                pl.col(title_col).map_elements(
                    lambda s: textwrap.shorten(s, 80, placeholder=" …"), return_dtype=pl.String
                ),
            ).alias("label"),
            "deadline_end",
            pl.col("deadline_text").alias("deadline"),
            pl.col("lead_agency").alias("lead"),
            pl.when("past_due")
            .then(pl.lit(self.t("past_due")))
            .otherwise(pl.lit(self.t("not_yet_due")))
            .alias("state"),
            pl.lit(self.as_of).alias("as_of"),
            pl.lit(self.source_label(PLAN_SOURCE_ID)).alias("source"),
        )
        labels = self.labels(
            x=self.t("deadline"),
            color=self.t("status"),
            states=[self.t("past_due"), self.t("not_yet_due")],
        )
        desc = "; ".join(
            f"{r['label']}: {r['deadline']} ({r['state']})" for r in frame.iter_rows(named=True)
        )
        return Figure(
            "tasks_timeline",
            "timeline",
            self.title("tasks_timeline"),
            frame,
            labels,
            [PLAN_SOURCE_ID],
            desc,
        )

    def say_tasks(self) -> None:
        tasks = self.tasks()
        dated = tasks.filter(pl.col("deadline_kind") == "dated")
        self.say(
            "tasks_summary",
            n_tasks=tasks.height,
            n_groups=tasks["group"].n_unique(),
            n_dated=dated.height,
            n_past_due=int(dated["past_due"].sum()),
            as_of=fmt_period(self.as_of.isoformat(), self.lang),
        )

    def tasks_by_lead_table(self, top: int = 10):
        counts = (
            metrics.count_by(self.tasks(), "lead_agency").sort("tasks", descending=True).head(top)
        )
        self.table(counts, {"lead_agency": self.t("lead_agency"), "tasks": self.t("tasks")})


SITE_ROOT = "../"  # pages sit one folder below the site root (vi/, en/)
CHART_FILES = [
    ("SVG", ".svg"), ("PDF", ".pdf"), ("PNG 85 mm", "-85mm.png"), ("PNG 170 mm", "-170mm.png"),
    ("Vega-Lite", ".vl.json"), ("CSV", ".csv"), ("Citation", ".cite.txt"), ("ZIP", ".zip"),
]  # fmt: skip
THEME_PAGES = {
    "pii": "pii", "rd": "rd_workforce", "ip": "intellectual_property",
    "digital_gov": "digital_government", "ecosystem": "innovation_ecosystem",
    "economy": "economy", "plan_progress": "plan46_tasks",
}  # fmt: skip
SOURCE_KINDS = {
    "news": {"vi": "bài báo", "en": "news article"},
    "legal_document": {"vi": "văn bản pháp quy", "en": "legal document"},
    "journal_article": {"vi": "bài tạp chí", "en": "journal article"},
}
# Page titles by page slug (the notebook's name without its number).
PAGES = {
    "index": {"vi": "Đài quan sát KH,CN, ĐMST và CĐS Cần Thơ", "en": "Can Tho STI Observatory"},
    "overview": {"vi": "Tổng quan", "en": "Overview"},
    "pii": {"vi": "Chỉ số đổi mới sáng tạo cấp địa phương (PII)", "en": "Provincial Innovation Index (PII)"},
    "rd_workforce": {"vi": "Nhân lực nghiên cứu và phát triển", "en": "R&D workforce"},
    "intellectual_property": {"vi": "Sở hữu trí tuệ", "en": "Intellectual property"},
    "digital_government": {"vi": "Chính quyền số", "en": "Digital government"},
    "innovation_ecosystem": {"vi": "Hệ sinh thái đổi mới sáng tạo và thị trường công nghệ",
                             "en": "Innovation ecosystem and technology market"},
    "plan46_targets": {"vi": "Chỉ tiêu Kế hoạch 46", "en": "Plan 46 targets"},
    "plan46_tasks": {"vi": "Nhiệm vụ Kế hoạch 46 và tiến độ Nghị quyết 57",
                     "en": "Plan 46 tasks and Resolution 57 progress"},
    "economy": {"vi": "Bối cảnh kinh tế", "en": "Economic context"},
    "sources": {"vi": "Tài liệu nguồn", "en": "Sources"},
    "data_quality": {"vi": "Chất lượng dữ liệu", "en": "Data quality"},
    "downloads": {"vi": "Dữ liệu và tải về", "en": "Data and downloads"},
    "methods": {"vi": "Phương pháp", "en": "Methods"},
    "cite": {"vi": "Trích dẫn", "en": "How to cite"},
}  # fmt: skip

TITLES = {
    "targets_status": {
        "vi": "Chỉ tiêu Kế hoạch 46 theo tình trạng",
        "en": "Plan 46 targets by status",
    },
    "pii_pillars": {"vi": "Điểm các trụ cột PII", "en": "PII pillar scores"},
    "pii_subindices": {
        "vi": "Chỉ số phụ đầu vào và đầu ra PII",
        "en": "PII input and output sub-indices",
    },
    "rd_qualifications": {
        "vi": "Cán bộ nghiên cứu theo trình độ",
        "en": "R&D staff by qualification",
    },
    "ip_filings": {
        "vi": "Đơn đăng ký và văn bằng sở hữu trí tuệ",
        "en": "IP applications and grants",
    },
    "ip_marks": {"vi": "Chỉ dẫn địa lý và nhãn hiệu", "en": "Geographical indications and marks"},
    "dg_procedures": {
        "vi": "Thủ tục hành chính và dịch vụ công trực tuyến",
        "en": "Administrative procedures and online services",
    },
    "dg_community": {"vi": "Tổ công nghệ số cộng đồng", "en": "Community digital technology teams"},
    "eco_ecosystem": {
        "vi": "Hệ sinh thái khởi nghiệp đổi mới sáng tạo",
        "en": "Start-up and innovation ecosystem",
    },
    "eco_exchange": {
        "vi": "Sàn giao dịch công nghệ catex.vn",
        "en": "The catex.vn technology exchange",
    },
    "tasks_by_group": {
        "vi": "Nhiệm vụ Kế hoạch 46 theo nhóm và loại thời hạn",
        "en": "Plan 46 tasks by group and deadline kind",
    },
    "tasks_timeline": {
        "vi": "Nhiệm vụ có thời hạn theo tháng",
        "en": "Tasks with a month deadline",
    },
    "r57_progress": {"vi": "Tiến độ nhiệm vụ Nghị quyết 57", "en": "Resolution 57 task progress"},
    "economy_growth": {"vi": "Tăng trưởng kinh tế", "en": "Economic growth"},
}
