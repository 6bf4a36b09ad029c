"""Analysis on the published data product: pure functions of polars frames.

Derived figures are computed here and only here, each from quoted observations of one
source and period; each carries the ids of the observations it comes from.

Why one module of some 300 lines: it is every analysis rule the notebooks apply, in short
sections (periods, derived figures, R&D workforce, PII, Plan 46 targets and tasks), each
tested on its own in tests/test_metrics.py; notebooks reach all of them through one name
(`metrics.<rule>`), and the target rules lean on the period rules above them.
"""

from __future__ import annotations

import calendar
from datetime import date

import polars as pl

from analysis.product import plan46, vocabularies
from analysis.product.vocabularies import qualifier_codes

PLAN_SOURCE_ID = plan46.PLAN_SOURCE_ID  # Plan 46/KH-UBND: the targets' and tasks' source
DEADLINE_KINDS = vocabularies.codes("deadline_kind")  # in the order charts stack them

# Periods -------------------------------------------------------------------


def period_end(period: str) -> date:
    """The last day a period covers: `2024` -> 2024-12-31, `2021-01/2025-08` -> 2025-08-31."""
    last = period.split("/")[-1]
    parts = [int(p) for p in last.split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(*parts)


def editions(obs: pl.DataFrame) -> list[int]:
    """Report years the data supports: the years in which reported (actual) periods end."""
    actual = obs.filter(pl.col("obs_type") == "actual")["period"]
    return sorted({period_end(p).year for p in actual})


def edition_date(edition: int) -> date:
    return date(edition, 12, 31)


def for_edition(obs: pl.DataFrame, edition: int) -> pl.DataFrame:
    """Observations known by the end of the edition's year (targets are always kept)."""
    ends = pl.Series("period_end", [period_end(p) for p in obs["period"]], dtype=pl.Date)
    framed = obs.with_columns(ends)
    return framed.filter(
        (pl.col("obs_type") == "target") | (pl.col("period_end") <= edition_date(edition))
    )


def latest(obs: pl.DataFrame, indicator_id: str, obs_type: str = "actual") -> dict | None:
    """The most recent observation of an indicator (first source on ties), or None."""
    rows = obs.filter((pl.col("indicator_id") == indicator_id) & (pl.col("obs_type") == obs_type))
    if rows.is_empty():
        return None
    ends = pl.Series([period_end(p) for p in rows["period"]])
    return (
        rows.with_columns(ends.alias("_end"))
        .sort(["_end", "source_id"], descending=[True, False])
        .row(0, named=True)
    )


# Derived figures -------------------------------------------------------------


def ratio_definitions(indicators: pl.DataFrame) -> list[tuple[str, str, str, float]]:
    """(derived indicator, numerator, denominator, scale) from the catalog's ratio columns."""
    defined = indicators.filter(pl.col("numerator").is_not_null()).sort("indicator_id")
    return list(defined.select("indicator_id", "numerator", "denominator", "scale").iter_rows())


def ratio(numerator: float, denominator: float, scale: float = 1) -> float:
    if denominator == 0:
        raise ZeroDivisionError("ratio with a zero denominator")
    return scale * numerator / denominator


def derived_observations(obs: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Every derived figure the data allows, with the ids of its two inputs."""
    key = ["geo", "period", "obs_type", "source_id"]
    actual = obs.filter(pl.col("obs_type") == "actual")
    frames = []
    for derived, num, den, scale in ratio_definitions(indicators):
        a = actual.filter(pl.col("indicator_id") == num).select(
            *key, pl.col("value").alias("n"), pl.col("obs_id").alias("n_id")
        )
        b = actual.filter(pl.col("indicator_id") == den).select(
            *key, pl.col("value").alias("d"), pl.col("obs_id").alias("d_id")
        )
        pairs = a.join(b, on=key).filter(pl.col("d") != 0)
        frames.append(
            pairs.select(
                pl.lit(derived).alias("indicator_id"),
                *key,
                (scale * pl.col("n") / pl.col("d")).alias("value"),
                pl.concat_list("n_id", "d_id").alias("derived_from"),
            )
        )
    return pl.concat(frames)


def with_derived(obs: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Observations plus derived ones (those have no quote; `derived_from` says how)."""
    derived = derived_observations(obs, indicators)
    return pl.concat(
        [obs.with_columns(pl.lit(None, dtype=pl.List(pl.String)).alias("derived_from")), derived],
        how="diagonal_relaxed",
    )


# R&D workforce ---------------------------------------------------------------


def breakdown(obs: pl.DataFrame, indicators: pl.DataFrame, total_id: str) -> pl.DataFrame:
    """Parts of a total with counts, stated shares and shares recomputed from the counts."""
    parts = indicators.filter(pl.col("part_of") == total_id).select("indicator_id")
    shares = indicators.filter(pl.col("share_of").is_not_null()).select(
        pl.col("share_of").alias("indicator_id"), pl.col("indicator_id").alias("share_id")
    )
    total = latest(obs, total_id)
    if total is None:
        return pl.DataFrame()
    same = obs.filter(
        (pl.col("period") == total["period"])
        & (pl.col("source_id") == total["source_id"])
        & (pl.col("obs_type") == "actual")
    )
    counts = parts.join(
        same.select("indicator_id", "value", "obs_id", "period", "source_id"), on="indicator_id"
    )
    stated = same.select(
        pl.col("indicator_id").alias("share_id"), pl.col("value").alias("stated_share")
    )
    return (
        counts.join(shares, on="indicator_id", how="left")
        .join(stated, on="share_id", how="left")
        .with_columns(
            (100 * pl.col("value") / total["value"]).alias("recomputed_share"),
            pl.lit(total["value"]).alias("total"),
        )
        .with_columns((pl.col("recomputed_share") - pl.col("stated_share")).alias("difference"))
        .drop("share_id")
    )


# Provincial Innovation Index ---------------------------------------------------


def pii_pillars(obs: pl.DataFrame, framework: pl.DataFrame) -> pl.DataFrame:
    """The seven pillars with the score the sources report, or null (never filled)."""
    scores = obs.filter(pl.col("obs_type") == "actual").select(
        "indicator_id", pl.col("value").alias("score"), "period", "source_id", "obs_id"
    )
    return (
        framework.join(scores, on="indicator_id", how="left")
        .sort("pillar")
        .with_columns(pl.col("score").is_not_null().alias("reported"))
    )


# Plan 46 targets ---------------------------------------------------------------

# A target is met only when a value observed at or after its deadline meets it; a value
# observed before the deadline is at most at the target's level now.
MET, AT_LEVEL, GAP, NOT_MEASURED = "met", "at_level", "not_met", "not_measured"
STATUSES = (MET, AT_LEVEL, GAP, NOT_MEASURED)  # the order tables and charts list them in


def target_met(comparator: str, low, high, value: float, higher_is_better: bool | None) -> bool:
    """Whether `value` meets a target; a bare number is a floor when higher is better."""
    if comparator in ("eq", "range"):
        if comparator == "eq":
            return value >= low if higher_is_better is not False else value <= high
        return low <= value <= high or (higher_is_better is not False and value > high)
    return {
        "le": lambda: value <= high,
        "lt": lambda: value < high,
        "ge": lambda: value >= low,
        "gt": lambda: value > low,
    }[comparator]()


def target_gap(comparator: str, low, high, value: float, higher_is_better: bool | None) -> float:
    """How far `value` is from the target, in the target's unit (0 when met)."""
    if target_met(comparator, low, high, value, higher_is_better):
        return 0.0
    if comparator in ("le", "lt") or (comparator == "eq" and higher_is_better is False):
        return value - high
    return low - value


def _met_or_at_level(period: str, horizon: int | None) -> str:
    """A value that meets its target counts as the target met only when it was observed in
    or after the target's year; before that it is at the target level now."""
    return MET if horizon is not None and period_end(period).year >= horizon else AT_LEVEL


# A target stated in running text: its hedge is its comparator ("trên 80%" is > 80).
_QUALIFIER_COMPARATORS = {"exact": "eq", "more_than": "gt", "at_least": "ge", "at_most": "le",
                         "about": "eq", "nearly": "eq", "estimated": "eq"}  # fmt: skip


def _stated_targets(obs: pl.DataFrame) -> pl.DataFrame:
    """Targets the sources state in running text (observations of type `target`), in the
    columns of Plan 46's Appendix I: horizon (the year of the target's period), comparator
    (from its hedge) and bounds; `target_obs_id` names the observation."""
    rows = []
    for row in obs.filter(pl.col("obs_type") == "target").iter_rows(named=True):
        comparator = _QUALIFIER_COMPARATORS[qualifier_codes(row["qualifier"])[-1]]
        upper = row["value_high"] if row["value_high"] is not None else row["value"]
        rows.append({
            "indicator_id": row["indicator_id"], "horizon": period_end(row["period"]).year,
            "comparator": "range" if row["value_high"] is not None else comparator,
            "target_low": None if comparator in ("le", "lt") else row["value"],
            "target_high": upper if comparator in ("le", "lt", "eq") else row["value_high"],
            "target_obs_id": row["obs_id"], "source_id": row["source_id"],
        })  # fmt: skip
    schema = {"indicator_id": pl.String, "horizon": pl.Int64, "comparator": pl.String,
              "target_low": pl.Float64, "target_high": pl.Float64, "target_obs_id": pl.String,
              "source_id": pl.String}  # fmt: skip
    return pl.DataFrame(rows, schema=schema)


def theme_targets(
    targets: pl.DataFrame, obs: pl.DataFrame, indicators: pl.DataFrame, theme: str
) -> pl.DataFrame:
    """Every target on a theme's indicators, from Plan 46's Appendix I (`item` set) and from
    the sources' running text (`target_obs_id` set), each with its status and gap."""
    on_theme = indicators.filter(pl.col("theme") == theme)["indicator_id"].to_list()
    return indicator_targets(targets, obs, indicators, on_theme)


def indicator_targets(
    targets: pl.DataFrame, obs: pl.DataFrame, indicators: pl.DataFrame, indicator_ids: list[str]
) -> pl.DataFrame:
    """Every target on these indicators, as `theme_targets` gives them: `obs` need hold only
    their observations."""
    plan = targets.filter(pl.col("indicator_id").is_in(indicator_ids)).with_columns(
        pl.lit(None, dtype=pl.String).alias("target_obs_id"),
        pl.lit(PLAN_SOURCE_ID).alias("source_id"),
    )
    stated = _stated_targets(obs.filter(pl.col("indicator_id").is_in(indicator_ids)))
    both = pl.concat([plan, stated], how="diagonal_relaxed")
    if both.is_empty():
        return both
    return target_status(both, obs, indicators).sort("horizon", "indicator_id", nulls_last=True)


def target_status(
    targets: pl.DataFrame, obs: pl.DataFrame, indicators: pl.DataFrame
) -> pl.DataFrame:
    """Each Appendix I row with the latest observed value, its status and gap."""
    direction = dict(indicators.select("indicator_id", "higher_is_better").iter_rows())
    rows = []
    for target in targets.iter_rows(named=True):
        found = latest(obs, target["indicator_id"]) if target["indicator_id"] else None
        measurable = target["comparator"] not in ("qualitative", "none")
        row = {
            **target,
            "latest_value": None,
            "latest_period": None,
            "latest_source": None,
            "latest_obs_id": None,
            "status": NOT_MEASURED,
            "gap": None,
        }
        if found is not None and measurable:
            args = (
                target["comparator"],
                target["target_low"],
                target["target_high"],
                found["value"],
                direction.get(target["indicator_id"]),
            )
            row.update(
                latest_value=found["value"],
                latest_period=found["period"],
                latest_source=found["source_id"],
                latest_obs_id=found.get("obs_id"),
                status=_met_or_at_level(found["period"], target["horizon"])
                if target_met(*args)
                else GAP,
                gap=target_gap(*args),
            )
        rows.append(row)
    return pl.DataFrame(rows, infer_schema_length=None)


def status_counts(status: pl.DataFrame) -> pl.DataFrame:
    """Targets by horizon and status (group headings without a target are left out)."""
    return (
        status.filter(pl.col("comparator") != "none")
        .group_by("horizon", "status")
        .len("targets")
        .sort("horizon", "status")
    )


# Plan 46 tasks ---------------------------------------------------------------------


def deadline_end(row: dict) -> date | None:
    """The last day a task's deadline allows, where the deadline has one."""
    if row["deadline_kind"] == "dated":
        return period_end(row["deadline_date"])
    if row["deadline_kind"] in ("year", "year_range"):
        return date(row["deadline_year_end"], 12, 31)
    return None


def tasks_with_due(tasks: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Tasks with their deadline's last day and whether it had passed by `as_of`."""
    ends = [deadline_end(r) for r in tasks.iter_rows(named=True)]
    return tasks.with_columns(
        pl.Series("deadline_end", ends, dtype=pl.Date),
        pl.Series("past_due", [e is not None and e < as_of for e in ends], dtype=pl.Boolean),
    )


# A task's status as of the edition: its deadline's last day passed, ahead, or none to pass
# (recurring, on central request, conditional, after a year).
TASK_STATUSES = ("past_due", "not_yet_due", "no_due_date")


def task_status(tasks: pl.DataFrame) -> pl.DataFrame:
    """`tasks_with_due`'s frame with each task's status (`TASK_STATUSES`)."""
    return tasks.with_columns(
        pl.when(pl.col("past_due")).then(pl.lit("past_due"))
        .when(pl.col("deadline_end").is_not_null()).then(pl.lit("not_yet_due"))
        .otherwise(pl.lit("no_due_date")).alias("status")
    )  # fmt: skip


def count_by(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    return frame.group_by(*columns).len("tasks").sort(*columns)
