"""The data product: every table, checked, as a pure function of the project's data files."""

from __future__ import annotations

from pathlib import Path

import pandera.polars as pa
import polars as pl

from analysis.paths import DATA
from analysis.product import plan46
from analysis.product.catalog import Catalog, load_catalog, load_table_catalog
from analysis.product.checks import validate
from analysis.product.disputes import find_conflicts, with_disputes
from analysis.product.errors import DataError, DataErrors
from analysis.product.numbers import written_decimals
from analysis.product.observations import load_observations
from analysis.product.sources import detail_text_errors, load_texts
from analysis.product.tables import LINE, blank_to_null, read_table
from analysis.product.vocabularies import codes

_TARGETS_FILE = "extracted/plan46_targets.csv"
_TASKS_FILE = "extracted/plan46_tasks.csv"
# What the extraction writes (data/extracted/): only what the plan's text says.
_EXTRACTED_TARGETS = {
    "row": pl.Int64, "item": pl.String, "horizon": pl.Int64, "indicator_vi": pl.String,
    "unit": pl.String, "comparator": pl.String, "target_low": pl.Float64, "target_high": pl.Float64,
    "target_text": pl.String, "lead_agency": pl.String, "source_line": pl.Int64,
}  # fmt: skip
_EXTRACTED_TASKS = {
    "task_no": pl.Int64, "group": pl.Int64, "group_title_vi": pl.String, "task_vi": pl.String,
    "lead_agency": pl.String, "co_agencies": pl.String, "deadline_text": pl.String,
    "deadline_kind": pl.String, "deadline_date": pl.String, "deadline_year_start": pl.Int64,
    "deadline_year_end": pl.Int64, "source_line": pl.Int64,
}  # fmt: skip


def _targets_check(catalog: Catalog) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "row": pa.Column(pl.Int64, unique=True),
            "horizon": pa.Column(pl.Int64, pa.Check.isin([2030, 2045])),
            "comparator": pa.Column(pl.String, pa.Check.isin(codes("comparator"))),
            "indicator_en": pa.Column(pl.String, pa.Check.str_length(min_value=1)),
            "indicator_id": pa.Column(
                pl.String,
                pa.Check.isin(catalog.indicators["indicator_id"].to_list()),
                nullable=True,
            ),
            "unit": pa.Column(
                pl.String, pa.Check.isin(catalog.units["name_vi"].to_list()), nullable=True
            ),
        }
    )


_TASKS_CHECK = pa.DataFrameSchema(
    {
        "task_no": pa.Column(pl.Int64, pa.Check.in_range(1, 10_000), unique=True),
        "group": pa.Column(pl.Int64, pa.Check.in_range(1, 7)),
        "task_title_en": pa.Column(pl.String, pa.Check.str_length(min_value=1)),
        **{c: pa.Column(pl.String, pa.Check.str_length(min_value=1)) for c in plan46.GROUP_SHORT},
        **{
            c: pa.Column(pl.String, pa.Check.str_length(min_value=1), nullable=True)
            for c in plan46.TASK_SHORT
        },
        "deadline_kind": pa.Column(pl.String, pa.Check.isin(codes("deadline_kind"))),
        "deadline_date": pa.Column(
            pl.String, pa.Check.str_matches(r"^\d{4}-\d{2}$"), nullable=True
        ),
    }
)


def extract_plan46(plan_text: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both appendices as the plan's text gives them (what `sti extract-plan` commits)."""
    targets = (
        plan46.extract_targets(plan_text).select(list(_EXTRACTED_TARGETS)).cast(_EXTRACTED_TARGETS)
    )
    tasks = plan46.extract_tasks(plan_text).select(list(_EXTRACTED_TASKS)).cast(_EXTRACTED_TASKS)
    return blank_to_null(targets), blank_to_null(tasks)


def _with_line(frame: pl.DataFrame) -> pl.DataFrame:
    """Each row's line in its extracted CSV (the header is line 1), for error messages."""
    return frame.with_row_index(LINE, offset=2).with_columns(pl.col(LINE).cast(pl.Int64))


def load_plan46(data_dir: Path, catalog: Catalog, plan_raw: str | None):
    """The committed extraction (checked current when the plan's text is at hand), joined
    with the curated English titles and catalog links, and checked."""
    targets_path, tasks_path = data_dir / _TARGETS_FILE, data_dir / _TASKS_FILE
    targets = pl.read_csv(targets_path, schema=_EXTRACTED_TARGETS)
    tasks = pl.read_csv(tasks_path, schema=_EXTRACTED_TASKS)
    if plan_raw is not None:
        fresh_targets, fresh_tasks = extract_plan46(plan_raw)
        for path, committed, fresh in (
            (targets_path, targets, fresh_targets),
            (tasks_path, tasks, fresh_tasks),
        ):
            if not committed.equals(fresh):
                raise DataError(path, None, None,
                                "differs from a fresh extraction of the plan's text: run `sti extract-plan`")  # fmt: skip
    curated = data_dir / "curated"
    targets_en_path = curated / "plan46_targets_en.csv"
    targets_en = blank_to_null(read_table(targets_en_path, ["row", "item", "indicator_id", "indicator_en", "target_en"]).drop(LINE),
                               ["indicator_id", "target_en"])  # fmt: skip
    tasks_en_path, groups_en_path = (
        curated / "plan46_tasks_en.csv",
        curated / "plan46_groups_en.csv",
    )
    tasks_en = read_table(tasks_en_path, ["task_no", "task_title_en"]).drop(LINE)
    groups_en = read_table(groups_en_path, ["group", "group_title_en"]).drop(LINE)
    targets = plan46.with_english_targets(targets, targets_en, targets_en_path)
    # The plan names units in Vietnamese; the catalog's unit id translates them.
    unit_ids = catalog.units.select(pl.col("name_vi").alias("unit"), "unit_id")
    targets = targets.join(unit_ids, on="unit", how="left").select(plan46.TARGET_COLUMNS)
    tasks = plan46.with_english_tasks(tasks, tasks_en, groups_en, tasks_en_path, groups_en_path)
    groups_short_path, tasks_short_path = (
        curated / "plan46_groups_short.csv",
        curated / "plan46_tasks_short.csv",
    )
    groups_short = read_table(groups_short_path, ["group", *plan46.GROUP_SHORT]).drop(LINE)
    tasks_short = blank_to_null(
        read_table(tasks_short_path, ["task_no", *plan46.TASK_SHORT]).drop(LINE), plan46.TASK_SHORT
    )
    tasks = plan46.with_short_names(
        tasks, groups_short, tasks_short, groups_short_path, tasks_short_path
    )
    agencies_path = curated / "plan46_agencies_en.csv"
    agencies = read_table(agencies_path, ["agency", "agency_en"]).drop(LINE)
    tasks = plan46.with_english_agencies(tasks, agencies, agencies_path)
    targets = validate(_targets_check(catalog), _with_line(targets), targets_path)
    tasks = validate(_TASKS_CHECK, _with_line(tasks), tasks_path)
    return targets.drop(LINE), tasks.drop(LINE)


# The checks the build runs, in the order the data quality page lists them; True where a
# check needs the source texts ($STI_SOURCES_DIR), so that a build without them says so.
_CHECKS = {
    "encoding": False, "registered": False, "values": False, "quotes": False,
    "ranges": False, "sums": False, "verbatim": True, "extraction": True,
}  # fmt: skip


def _checks_run(sources_dir: Path | None) -> pl.DataFrame:
    """Which checks this build ran: a published table, so no page claims one that did not."""
    return pl.DataFrame(
        {
            "check_id": list(_CHECKS),
            "ran": [sources_dir is not None or not n for n in _CHECKS.values()],
        }
    )


def build_tables(data_dir: Path = DATA, sources_dir: Path | None = None) -> dict[str, pl.DataFrame]:
    """Every published table; with `sources_dir`, quotes and hashes are checked too."""
    catalog = load_catalog(data_dir)
    texts = plan_raw = None
    if sources_dir is not None:
        texts = load_texts(catalog.sources, sources_dir, data_dir / "sources.csv")
        if errors := detail_text_errors(catalog.sources, texts, data_dir / "sources.csv"):
            raise DataErrors(errors)
        plan_raw = (sources_dir / f"{plan46.PLAN_SOURCE_ID}.txt").read_text(encoding="utf-8")
    obs_path = data_dir / "curated" / "observations.csv"
    obs = load_observations(obs_path, catalog, texts)
    targets, tasks = load_plan46(data_dir, catalog, plan_raw)
    obs = obs.drop(LINE).sort("indicator_id", "period", "obs_type", "source_id")
    obs = obs.select(
        pl.concat_str(
            "indicator_id", "period", "obs_type", pl.col("source_id").str.slice(0, 3), separator="|"
        ).alias("obs_id"),
        pl.all(),
        # The precision the source wrote (`11,0%` has one decimal): every page keeps it.
        pl.col("value_text")
        .map_elements(written_decimals, return_dtype=pl.Int64)
        .alias("decimals"),
    )
    obs = with_disputes(obs)
    figures = obs.group_by("source_id").len("figures")
    sources = (
        catalog.sources.drop(LINE)
        .join(figures, on="source_id", how="left")
        .with_columns(pl.col("figures").fill_null(0).cast(pl.Int64))
    )
    published = {
        "observations": obs,
        "indicators": catalog.indicators.drop(LINE),
        "sources": sources,
        "units": catalog.units.drop(LINE),
        "themes": catalog.themes.drop(LINE),
        "pii_framework": catalog.pii_framework.drop(LINE),
        "pages": catalog.pages.drop(LINE),
        "charts": catalog.charts.drop(LINE),
        "targets": targets,
        "tasks": tasks,
        "conflicts": find_conflicts(obs),
        "checks": _checks_run(sources_dir),
    }
    # The table catalog describes itself too, and the tables only an edition's own product
    # holds (publish.py writes with each product the rows of the tables it holds).
    names = [*published, "tables", *EDITION_TABLES]
    return published | {"tables": _described(catalog.tables, names, data_dir / "tables.csv")}


# Tables only each edition's own data product holds (analysis.report.editions).
EDITION_TABLES = ("changes",)


def _described(tables: pl.DataFrame, names: list[str], path: Path) -> pl.DataFrame:
    """The table catalog, one row per published table in the product's order: a table
    without a name and description, or a row naming no table, stops the build."""
    lines = dict(tables.select("table", LINE).iter_rows())
    errors = [DataError(path, None, "table", f"the published table {n!r} has no row")
              for n in names if n not in lines]  # fmt: skip
    errors += [DataError(path, line, "table", f"{n!r} is not a published table")
               for n, line in lines.items() if n not in names]  # fmt: skip
    if errors:
        raise DataErrors(errors)
    order = pl.DataFrame({"table": names}).with_row_index("_order")
    return tables.join(order, on="table").sort("_order").drop("_order", LINE)


def table_catalog(data_dir: Path = DATA) -> pl.DataFrame:
    """The whole table catalog, data/tables.csv as checked: an edition's own product, which
    adds its tables to the published ones, publishes it with the rows of the tables it holds."""
    return load_table_catalog(data_dir).drop(LINE)


def data_date(sources: pl.DataFrame) -> str:
    """The edition's data date: the newest source's date (used to pin tool-stamped dates)."""
    return max(sources["date"].to_list())


__all__ = ["EDITION_TABLES", "build_tables", "data_date", "extract_plan46", "table_catalog"]
