"""Unit tests of every metric function, on small frames built here (synthetic, for tests)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analysis.report import metrics as m


def obs(*rows) -> pl.DataFrame:
    """Synthetic observations: (indicator_id, period, value[, obs_type, source_id])."""
    records = []
    for r in rows:
        ind, period, value, *rest = r
        kind = rest[0] if rest else "actual"
        source = rest[1] if len(rest) > 1 else "000_0000000000000000"
        records.append({"indicator_id": ind, "geo": "VN-CT", "period": period, "obs_type": kind,
                        "value": float(value), "value_high": None, "qualifier": "exact",
                        "source_id": source, "obs_id": f"{ind}|{period}|{kind}|{source[:3]}",
                        "quote": "q"})  # fmt: skip
    return pl.DataFrame(records)


@pytest.mark.parametrize(
    ("period", "end"),
    [("2024", date(2024, 12, 31)), ("2024-02", date(2024, 2, 29)), ("2025-10-01", date(2025, 10, 1)),
     ("2021-01/2025-08", date(2025, 8, 31)), ("2020/2025", date(2025, 12, 31))],
)  # fmt: skip
def test_period_end(period, end):
    assert m.period_end(period) == end


def test_editions_and_filter():
    data = obs(("a", "2024", 1), ("a", "2025-06", 2), ("t", "2030", 9, "target"))
    assert m.editions(data) == [2024, 2025]
    assert m.for_edition(data, 2024)["value"].to_list() == [1.0, 9.0]


def test_latest_prefers_newest_period_then_first_source():
    data = obs(
        ("a", "2024", 1),
        ("a", "2025-04", 2, "actual", "001_x"),
        ("a", "2025-04", 3, "actual", "000_x"),
    )
    assert m.latest(data, "a")["value"] == 3
    assert m.latest(data, "missing") is None


def test_ratio_and_efficiency():
    assert m.ratio(998, 1943, 100) == pytest.approx(51.3638, abs=1e-4)
    with pytest.raises(ZeroDivisionError):
        m.ratio(1, 0)


def test_derived_figures_pair_inputs_of_one_source_and_period():
    data = obs(
        ("online_full_process_services", "2025", 50), ("admin_procedures_provided", "2025", 200),
        ("admin_procedures_provided", "2024", 100),
        ("r57_tasks_completed", "2025", 3, "actual", "000_a"), ("r57_tasks_assigned", "2025", 4, "actual", "002_b"),
    )  # fmt: skip
    # Two ratios as the catalog defines them (indicators.csv: numerator, denominator, scale).
    catalog = pl.DataFrame({
        "indicator_id": ["online_full_process_service_share", "r57_tasks_completed_share"],
        "numerator": ["online_full_process_services", "r57_tasks_completed"],
        "denominator": ["admin_procedures_provided", "r57_tasks_assigned"], "scale": [100.0, 100.0],
    })  # fmt: skip
    derived = m.derived_observations(data, catalog)
    assert derived["indicator_id"].to_list() == ["online_full_process_service_share"]
    row = derived.row(0, named=True)
    assert row["value"] == 25.0 and row["period"] == "2025"
    assert row["derived_from"] == [
        "online_full_process_services|2025|actual|000",
        "admin_procedures_provided|2025|actual|000",
    ]


def test_breakdown_recomputes_shares():
    indicators = pl.DataFrame({
        "indicator_id": ["t", "p1", "p2", "s1"], "part_of": [None, "t", "t", None],
        "share_of": [None, None, None, "p1"],
    })  # fmt: skip
    data = obs(("t", "2024", 8), ("p1", "2024", 2), ("p2", "2024", 6), ("s1", "2024", 25.5))
    result = m.breakdown(data, indicators, "t").sort("indicator_id")
    assert result["recomputed_share"].to_list() == [25.0, 75.0]
    assert result["stated_share"].to_list() == [25.5, None]
    assert result["difference"][0] == pytest.approx(-0.5)


def test_unreported_pillars_stay_unknown():
    framework = pl.DataFrame({"pillar": [1, 2], "sub_index": ["input", "input"],
                              "indicator_id": ["s1", None], "name_vi": ["a", "b"], "name_en": ["a", "b"]})  # fmt: skip
    pillars = m.pii_pillars(obs(("s1", "2024", 62.38)), framework)
    assert pillars["score"].to_list() == [62.38, None]
    assert pillars["reported"].to_list() == [True, False]


@pytest.mark.parametrize(
    ("comparator", "low", "high", "value", "higher", "met", "gap"),
    [
        ("le", None, 10, 5, False, True, 0), ("le", None, 10, 12, False, False, 2),
        ("lt", None, 10, 10, False, False, 0), ("ge", 80, None, 79, True, False, 1),
        ("gt", 55, None, 55, True, False, 0), ("eq", 90, 90, 51.4, True, False, 38.6),
        ("eq", 90, 90, 95, True, True, 0), ("range", 16, 18, 17, True, True, 0),
        ("range", 16, 18, 12, True, False, 4), ("range", 16, 18, 20, True, True, 0),
    ],
)  # fmt: skip
def test_target_met_and_gap(comparator, low, high, value, higher, met, gap):
    assert m.target_met(comparator, low, high, value, higher) is met
    assert m.target_gap(comparator, low, high, value, higher) == pytest.approx(gap)


def test_target_status_marks_unmeasured_targets():
    targets = pl.DataFrame({
        "row": [1, 2, 3], "item": ["3", "4", "7"], "horizon": [2030] * 3,
        "indicator_id": ["dti_rank", None, None], "comparator": ["le", "gt", "none"],
        "target_low": [None, 55.0, None], "target_high": [10.0, None, None],
    })  # fmt: skip
    indicators = pl.DataFrame({"indicator_id": ["dti_rank"], "higher_is_better": [False]})
    status = m.target_status(targets, obs(("dti_rank", "2024", 5)), indicators)
    assert status["status"].to_list() == [m.AT_LEVEL, m.NOT_MEASURED, m.NOT_MEASURED]
    assert status["latest_value"].to_list() == [5.0, None, None]
    counts = m.status_counts(status)
    assert dict(counts.select("status", "targets").iter_rows()) == {
        m.AT_LEVEL: 1,
        m.NOT_MEASURED: 1,
    }


@pytest.mark.parametrize(
    ("period", "value", "status"),
    [("2024", 5, m.AT_LEVEL), ("2029-12", 5, m.AT_LEVEL), ("2030", 5, m.MET), ("2031", 9, m.MET),
     ("2030", 12, m.GAP), ("2024", 12, m.GAP)],
)  # fmt: skip
def test_a_target_is_met_only_by_a_value_observed_by_its_year(period, value, status):
    """A value observed before the target's year is at most at the target level now."""
    targets = pl.DataFrame({"row": [3], "item": ["3"], "horizon": [2030], "indicator_id": ["dti_rank"],
                            "comparator": ["le"], "target_low": [None], "target_high": [10.0]})  # fmt: skip
    indicators = pl.DataFrame({"indicator_id": ["dti_rank"], "higher_is_better": [False]})
    (row,) = m.target_status(targets, obs(("dti_rank", period, value)), indicators).rows(named=True)
    assert row["status"] == status


def test_targets_stated_in_running_text_join_their_themes_targets():
    """A target row of the observations (no code, no Appendix I row) is a target of its
    indicator's theme, its hedge read as its comparator, with its status."""
    data = obs(("share_online", "2025", 80, "target"), ("share_online", "2025-06", 85),
               ("budget", "2025", 1, "target"), ("other", "2030", 3, "target"))  # fmt: skip
    data = data.with_columns(
        pl.when(pl.col("indicator_id") == "share_online").then(pl.lit("more_than"))
        .when(pl.col("indicator_id") == "budget").then(pl.lit("at_least"))
        .otherwise(pl.col("qualifier")).alias("qualifier")
    )  # fmt: skip
    indicators = pl.DataFrame({"indicator_id": ["share_online", "budget", "other"],
                               "theme": ["dg", "dg", "economy"], "higher_is_better": [True] * 3})  # fmt: skip
    plan = pl.DataFrame({"row": [8], "item": ["7.1"], "horizon": [2030], "indicator_id": ["share_online"],
                         "comparator": ["ge"], "target_low": [80.0], "target_high": [None]})  # fmt: skip
    found = m.theme_targets(plan, data, indicators, "dg")
    by = {(r["indicator_id"], r["item"]): r for r in found.iter_rows(named=True)}
    assert set(by) == {("share_online", "7.1"), ("share_online", None), ("budget", None)}
    stated = by[("share_online", None)]
    assert (stated["comparator"], stated["target_low"], stated["horizon"]) == ("gt", 80.0, 2025)
    assert stated["target_obs_id"] == "share_online|2025|target|000"
    assert stated["status"] == m.MET  # 85 > 80, observed in the target's year
    assert by[("share_online", "7.1")]["status"] == m.AT_LEVEL  # 2030 target, 2025 value
    assert by[("budget", None)]["status"] == m.NOT_MEASURED
    assert m.theme_targets(plan, data, indicators, "pii").is_empty()


def test_past_due_only_for_deadlines_that_ended():
    tasks = pl.DataFrame({
        "task_no": [1, 2, 3, 4, 5],
        "deadline_kind": ["dated", "dated", "year", "year_range", "recurring"],
        "deadline_date": ["2025-09", "2025-12", None, None, None],
        "deadline_year_start": [2025, 2025, 2025, 2025, None], "deadline_year_end": [2025, 2025, 2024, 2030, None],
    })  # fmt: skip
    due = m.tasks_with_due(tasks, date(2025, 12, 31))
    assert due["past_due"].to_list() == [True, False, True, False, False]
    assert due["deadline_end"][0] == date(2025, 9, 30)


def test_task_status_past_due_not_yet_due_or_no_date():
    tasks = pl.DataFrame({
        "task_no": [1, 2, 3, 4, 5],
        "deadline_kind": ["dated", "dated", "year_range", "recurring", "after_year"],
        "deadline_date": ["2025-09", "2026-06", None, None, None],
        "deadline_year_start": [None, None, 2025, None, 2031], "deadline_year_end": [None, None, 2030, None, None],
    })  # fmt: skip
    status = m.task_status(m.tasks_with_due(tasks, date(2025, 12, 31)))
    assert status["status"].to_list() == [
        "past_due",
        "not_yet_due",
        "not_yet_due",
        "no_due_date",
        "no_due_date",
    ]
    assert set(status["status"]) <= set(m.TASK_STATUSES)
