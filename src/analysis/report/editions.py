"""Editions' data: the data product as of one edition, and what changed between two.

Pure functions of the published tables (polars frames by table name), tested in
tests/test_editions.py. The build writes each edition's own data product with them (its
tables, and the `changes` table against the previous edition as that edition was
published); the "what changed" page reads that table.

An edition holds the figures whose period ends by 31 December of its year (stated targets
whatever their year), taken from the sources dated on or before the day it was published
(a draft: every source registered): a source registered later reaches only later editions.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import polars as pl

from analysis.product.disputes import FIGURE_KEY as KEY
from analysis.product.disputes import find_conflicts, with_disputes
from analysis.report import metrics

Tables = Mapping[str, pl.DataFrame]

# What changed, in the order the page and the table list it.
NEW, REVISED, DROPPED, DISPUTED, TARGET_STATUS = (
    "new", "revised", "dropped", "disputed", "target_status"
)  # fmt: skip
CHANGE_KINDS = (NEW, REVISED, DROPPED, DISPUTED, TARGET_STATUS)

# What an observation says: two sources saying the same thing agree.
_SAYS = ["value", "value_high", "qualifier"]
# Each side of a change (the previous edition's figure, `previous_<field>`, and this one's).
_SIDE_TYPES = {"obs_id": pl.String, "value": pl.Float64, "value_high": pl.Float64,
               "qualifier": pl.String, "value_text": pl.String, "decimals": pl.Int64,
               "source_id": pl.String, "quote": pl.String}  # fmt: skip
SIDE = list(_SIDE_TYPES)
CHANGES_SCHEMA = {
    "change": pl.String, "previous_edition": pl.Int64, **{k: pl.String for k in KEY},
    "target_row": pl.Int64, "target_obs_id": pl.String, "horizon": pl.Int64,
    "previous_status": pl.String, "status": pl.String,
    **{f"previous_{k}": t for k, t in _SIDE_TYPES.items()}, **_SIDE_TYPES,
}  # fmt: skip


def source_day(text: str) -> date:
    """The first day a source's date can mean: `2025` -> 2025-01-01, `2026-01` -> 2026-01-01."""
    parts = [int(p) for p in text.split("-")]
    month, day = [*parts[1:], 1, 1][:2]
    return date(parts[0], month, day)


def as_of(tables: Tables, edition: int, published: date | None) -> dict[str, pl.DataFrame]:
    """The data product of `edition`, published on `published` (None: a draft): its
    observations, with their disputes and conflicts among those alone, the charts it can
    draw and the sources its figures cite (each with the number of figures it gives there).
    The other tables (catalog, Plan 46, checks) are the whole product's."""
    sources = dated_sources(tables["sources"], published)
    obs = metrics.for_edition(tables["observations"], edition).drop("period_end")
    obs = obs.filter(pl.col("source_id").is_in(sources["source_id"].implode()))
    obs = with_disputes(obs.drop("disputed_by"))
    out = dict(tables)
    out["observations"] = obs
    out["conflicts"] = find_conflicts(obs)
    out["charts"] = charts_with_figures(tables["charts"], obs)
    out["sources"] = cited_sources(sources, obs)
    return out


def dated_sources(sources: pl.DataFrame, published: date | None) -> pl.DataFrame:
    """The sources dated on or before the day an edition was published (a draft: all)."""
    if published is None:
        return sources
    dated = [source_day(d) <= published for d in sources["date"]]
    return sources.filter(pl.Series(dated, dtype=pl.Boolean))


def edition_product(tables: Tables, edition: int, published: date | None, previous: Tables | None,
                    previous_edition: int | None = None) -> dict[str, pl.DataFrame]:  # fmt: skip
    """The data product of `edition` (`as_of`) with the table `changes`: what changed since
    the `previous` edition's product as it was published (None: the first edition). The
    sources are those its figures, or the figures its changes list, cite."""
    out = as_of(tables, edition, published)
    out["changes"] = changes(previous, out, previous_edition)
    cited = [out["changes"][c].drop_nulls() for c in ("source_id", "previous_source_id")]
    out["sources"] = cited_sources(
        dated_sources(tables["sources"], published), out["observations"], *cited
    )
    return out


def cited_sources(sources: pl.DataFrame, obs: pl.DataFrame, *also: pl.Series) -> pl.DataFrame:
    """The sources `obs` cites (with their number of figures there), Plan 46 (the targets'
    and tasks' source) and those named in `also` (sources of figures a change lists)."""
    figures = obs.group_by("source_id").len("figures")
    named = pl.concat([obs["source_id"], pl.Series([metrics.PLAN_SOURCE_ID]), *also]).unique()
    return (
        sources.drop("figures")
        .filter(pl.col("source_id").is_in(named.implode()))
        .join(figures, on="source_id", how="left")
        .with_columns(pl.col("figures").fill_null(0).cast(pl.Int64))
        .select(sources.columns)
    )


def charts_with_figures(charts: pl.DataFrame, obs: pl.DataFrame) -> pl.DataFrame:
    """The charts an edition draws: those with a reported figure of one of their indicators,
    and those that plot other tables (no indicators listed: targets, tasks, PII pillars)."""
    reported = set(obs.filter(pl.col("obs_type") == "actual")["indicator_id"])
    drawn = [
        not ids or bool(set(ids.split()) & reported) for ids in charts["indicators"].fill_null("")
    ]
    return charts.filter(pl.Series(drawn, dtype=pl.Boolean))


# What changed -------------------------------------------------------------------------------


def _side(row: dict | None, prefix: str = "") -> dict:
    return {f"{prefix}{k}": (row or {}).get(k) for k in SIDE}


def _change(kind: str, key: dict, previous: dict | None, current: dict | None, **extra) -> dict:
    row = {"change": kind, **{k: key.get(k) for k in KEY}, **extra}
    return row | _side(previous, "previous_") | _side(current)


def _by_key(obs: pl.DataFrame) -> dict[tuple, list[dict]]:
    found: dict[tuple, list[dict]] = {}
    for row in obs.sort("source_id").iter_rows(named=True):
        found.setdefault(tuple(row[k] for k in KEY), []).append(row)
    return found


def _says(row: dict) -> tuple:
    return tuple(row[k] for k in _SAYS)


def _revisions(key: dict, old: list[dict], new: list[dict]) -> list[dict]:
    """A figure both editions give, with something else said: each figure one edition says
    and the other does not, beside the other's figure from the same source (else its first)."""
    old_says, new_says = {_says(r) for r in old}, {_says(r) for r in new}
    if old_says == new_says:
        return []

    def partner(row: dict, others: list[dict]) -> dict:
        return next((o for o in others if o["source_id"] == row["source_id"]), others[0])

    pairs = [(partner(n, old), n) for n in new if _says(n) not in old_says]
    paired = {id(o) for o, _ in pairs}
    pairs += [(o, partner(o, new)) for o in old if _says(o) not in new_says and id(o) not in paired]
    return [_change(REVISED, key, o, n) for o, n in pairs]


def figure_changes(previous: pl.DataFrame, current: pl.DataFrame) -> list[dict]:
    """Figures new in `current`, revised, no longer reported, and newly disputed (one row
    per observation; a revision pairs the previous figure with the current one)."""
    old, new = _by_key(previous), _by_key(current)
    rows = []
    for key in sorted(new.keys() | old.keys()):
        named = dict(zip(KEY, key, strict=True))
        if key not in old:
            rows += [_change(NEW, named, None, r) for r in new[key]]
        elif key not in new:
            rows += [_change(DROPPED, named, r, None) for r in old[key]]
        else:
            rows += _revisions(named, old[key], new[key])
    disputed_before = {k for k, rs in old.items() if any(r.get("disputed_by") for r in rs)}
    for key, found in sorted(new.items()):
        if key not in disputed_before and any(r.get("disputed_by") for r in found):
            rows += [_change(DISPUTED, dict(zip(KEY, key, strict=True)), None, r) for r in found]
    return rows


def target_statuses(tables: Tables) -> pl.DataFrame:
    """Every target on a catalog indicator (Plan 46's Appendix I and the targets the sources
    state), with its status in this edition (`metrics.theme_targets`, theme by theme)."""
    indicators = tables["indicators"]
    obs = metrics.with_derived(tables["observations"], indicators)
    found = [metrics.theme_targets(tables["targets"], obs, indicators, theme)
             for theme in indicators["theme"].unique(maintain_order=True)]  # fmt: skip
    return pl.concat([f for f in found if not f.is_empty()], how="diagonal_relaxed")


def _target_key(row: dict) -> tuple:
    return (
        row.get("target_obs_id") or "",
        row.get("row") if not row.get("target_obs_id") else None,
    )


def status_changes(previous: Tables, current: Tables) -> list[dict]:
    """Targets in both editions whose status differs, each with the latest value behind
    its status in each edition."""
    observed = {
        side: {r["obs_id"]: r for r in tables["observations"].iter_rows(named=True)}
        for side, tables in (("previous", previous), ("current", current))
    }

    def latest(row: dict, side: str) -> dict:
        found = observed[side].get(row["latest_obs_id"] or "")
        # A computed figure has no quote: its value and source only.
        return found or {"value": row["latest_value"], "source_id": row["latest_source"]}

    before = {_target_key(r): r for r in target_statuses(previous).iter_rows(named=True)}
    rows = []
    for now in target_statuses(current).iter_rows(named=True):
        then = before.get(_target_key(now))
        if then is None or then["status"] == now["status"]:
            continue
        key = {"indicator_id": now["indicator_id"], "geo": None, "period": None,
               "obs_type": "target"}  # fmt: skip
        rows.append(_change(
            TARGET_STATUS, key, latest(then, "previous") if then["latest_value"] is not None else None,
            latest(now, "current") if now["latest_value"] is not None else None,
            target_row=now.get("row") if not now.get("target_obs_id") else None,
            target_obs_id=now.get("target_obs_id"), horizon=now["horizon"],
            previous_status=then["status"], status=now["status"],
        ))  # fmt: skip
    return rows


def changes(
    previous: Tables | None, current: Tables, previous_edition: int | None = None
) -> pl.DataFrame:
    """What changed from the `previous` edition (its year: `previous_edition`; None: this
    is the first) to `current`: one row per figure new, revised, no longer reported or newly
    disputed, and per target whose status changed, in `CHANGE_KINDS` order."""
    rows = []
    if previous is not None:
        rows = figure_changes(previous["observations"], current["observations"])
        rows += status_changes(previous, current)
        rows = [r | {"previous_edition": previous_edition} for r in rows]
    order = {kind: i for i, kind in enumerate(CHANGE_KINDS)}
    rows.sort(key=lambda r: (order[r["change"]], r["indicator_id"], r["period"] or "",
                             r["obs_type"], r["source_id"] or r["previous_source_id"] or ""))  # fmt: skip
    return pl.DataFrame(rows, schema=CHANGES_SCHEMA)


def figure(change: dict, side: str = "") -> dict | None:
    """One side of a change as an observation (`side` "previous" or ""), for writing and
    tracing it as any figure; None where that side has no quoted figure."""
    prefix = f"{side}_" if side else ""
    row = {k: change[f"{prefix}{k}"] for k in SIDE}
    if row["quote"] is None:
        return None
    return row | {"indicator_id": change["indicator_id"]}


def counts(table: pl.DataFrame) -> dict[str, int]:
    """How many changes of each kind (every kind named, zero included); a disagreement
    counts once, however many sources disagree."""
    disputed = table.filter(pl.col("change") == DISPUTED).select(KEY).unique().height
    return {kind: disputed if kind == DISPUTED else table.filter(pl.col("change") == kind).height
            for kind in CHANGE_KINDS}  # fmt: skip
