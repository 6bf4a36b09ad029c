"""Where sources disagree: observations of the same figure whose values differ.

Polars only (no schema library): the data product derives its `conflicts` table and each
observation's `disputed_by` with these, and so does each edition's product, built from
the figures that edition holds (`analysis.report.editions.as_of`), in the kernels too.
"""

from __future__ import annotations

import polars as pl

# One figure: a measure of a place in a period, reported or stated as a target. Two
# observations of one figure from different sources either agree or are in conflict.
FIGURE_KEY = ["indicator_id", "geo", "period", "obs_type"]


def find_conflicts(obs: pl.DataFrame) -> pl.DataFrame:
    """Observations of one indicator, place, period and type whose sources disagree."""
    disputed = (
        obs.group_by(FIGURE_KEY)
        .agg(pl.struct("value", "value_high").n_unique().alias("n_values"))
        .filter(pl.col("n_values") > 1)
    )
    return (
        obs.join(disputed, on=FIGURE_KEY)
        .select(
            *FIGURE_KEY,
            "n_values",
            "source_id",
            "value",
            "value_high",
            "qualifier",
            "value_text",
            "quote",
        )
        .sort(*FIGURE_KEY, "source_id")
    )


def with_disputes(obs: pl.DataFrame) -> pl.DataFrame:
    """Each observation with `disputed_by`: the ids of the observations of the same
    indicator, place, period and type whose value differs ("; "-joined), or null."""
    others = obs.select(*FIGURE_KEY, pl.col("obs_id").alias("other_id"),
                        pl.col("value").alias("other_value"),
                        pl.col("value_high").alias("other_high"))  # fmt: skip
    pairs = (
        obs.select("obs_id", "value", "value_high", *FIGURE_KEY)
        .join(others, on=FIGURE_KEY)
        .filter(
            (pl.col("other_value") != pl.col("value"))
            | (pl.col("other_high").eq_missing(pl.col("value_high")).not_())
        )
        .group_by("obs_id")
        .agg(pl.col("other_id").sort().str.join("; ").alias("disputed_by"))
    )
    return obs.join(pairs, on="obs_id", how="left")
