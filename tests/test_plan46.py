"""Plan 46/KH-UBND extraction: deadline kinds, target comparators, the full appendices."""

from __future__ import annotations

import polars as pl
import pytest

from analysis.paths import DATA
from analysis.product import plan46
from analysis.product.catalog import load_catalog
from analysis.product.dataset import extract_plan46, load_plan46


@pytest.mark.parametrize(
    ("text", "kind", "date", "start", "end"),
    [
        ("Thường xuyên", "recurring", None, None, None),
        ("Hằng năm", "recurring", None, None, None),
        ("Năm 2025 và những năm tiếp theo", "recurring", None, 2025, None),
        ("Khi có yêu cầu của Trung ương", "on_central_request", None, None, None),
        ("Tháng 9/2025", "dated", "2025-09", 2025, 2025),
        ("Tháng 01/2026", "dated", "2026-01", 2026, 2026),
        ("6/2028", "dated", "2028-06", 2028, 2028),
        ("2025", "year", None, 2025, 2025),
        ("2025- 2030", "year_range", None, 2025, 2030),
        ("2026-2030", "year_range", None, 2026, 2030),
        ("Sau năm 2030", "after_year", None, 2031, None),
        (
            "Sau khi các bộ, ngành ban hành đề án, hướng dẫn thực hiện",
            "conditional",
            None,
            None,
            None,
        ),
    ],
)
def test_deadline_kinds(text, kind, date, start, end):
    assert plan46.classify_deadline(text) == plan46.Deadline(kind, date, start, end)


def test_unknown_deadline_form_is_refused():
    with pytest.raises(ValueError, match="unknown deadline form"):
        plan46.classify_deadline("Sớm nhất có thể")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≤ 10", ("le", None, 10)),
        ("> 55", ("gt", 55, None)),
        ("≥ 3% và tăng dần theo yêu cầu phát triển", ("ge", 3, None)),
        ("90", ("eq", 90, 90)),
        ("01", ("eq", 1, 1)),
        ("16- 18", ("range", 16, 18)),
        ("> 0,7", ("gt", 0.7, None)),
        (">3", ("gt", 3, None)),
        ("Đạt mức trên trung bình của cả nước", ("qualitative", None, None)),
        ("", ("none", None, None)),
    ],
)
def test_target_comparators(text, expected):
    assert plan46.parse_target(text) == expected


# A synthetic two-row appendix in the plan's layout (made up for this test).
SYNTHETIC = """PHỤ LỤC I
TT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan |
I | Đến năm 2030 |
|
7 | Nhóm chỉ tiêu |
|
7.1 | Chỉ tiêu con | % | ≥ 80 | Sở A |
16 | Hạ tầng số |
| Tiên tiến | Sở B |
PHỤ LỤC II
"""


def test_sub_items_and_continuation_rows():
    rows = plan46.extract_targets(SYNTHETIC).to_dicts()
    assert [r["item"] for r in rows] == ["7", "7.1", "16"]
    assert rows[1] | {"row": 2, "unit": "%", "comparator": "ge", "target_low": 80.0} == rows[1]
    assert (rows[2]["unit"], rows[2]["target_text"], rows[2]["lead_agency"]) == (
        "",
        "Tiên tiến",
        "Sở B",
    )
    assert rows[0]["comparator"] == "none"


def test_committed_extraction_is_complete():
    targets, tasks = load_plan46(DATA, load_catalog(), None)
    assert tasks["task_no"].to_list() == list(range(1, 114))
    assert sorted(tasks["group"].unique().to_list()) == list(range(1, 8))
    items = targets["item"].to_list()
    assert {f"7.{i}" for i in range(1, 10)} | {"16.1", "16.2"} <= set(items)
    assert items.count("14") == 2
    assert targets.filter(pl.col("horizon") == 2045).height == 5
    assert targets.filter(pl.col("item") == "25")["indicator_id"].to_list() == ["pii_rank"]
    assert tasks["task_title_en"].null_count() == 0


def test_fresh_extraction_matches_committed(sources_dir):
    text = (sources_dir / f"{plan46.PLAN_SOURCE_ID}.txt").read_text(encoding="utf-8")
    fresh_targets, fresh_tasks = extract_plan46(text)
    assert fresh_targets.equals(
        pl.read_csv(DATA / "extracted/plan46_targets.csv", schema=fresh_targets.schema)
    )
    assert fresh_tasks.equals(
        pl.read_csv(DATA / "extracted/plan46_tasks.csv", schema=fresh_tasks.schema)
    )
