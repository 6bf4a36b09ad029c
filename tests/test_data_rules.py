"""Every rule the data build enforces, each with an input that breaks it.

Each test edits a private copy of the data files and checks that the build stops with
an error naming the file, the row (by its line) and the field. Long because it is one short
test per rule README lists, all on the same two helpers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.product.dataset import build_tables
from analysis.product.errors import DataError, DataErrors
from tests.conftest import edit_csv, edit_row, line_of

OBS = Path("curated/observations.csv")


def build_errors(data_dir: Path, sources: Path | None = None) -> list[DataError]:
    with pytest.raises((DataError, DataErrors)) as caught:
        build_tables(data_dir, sources)
    err = caught.value
    return err.errors if isinstance(err, DataErrors) else [err]


def assert_reported(errors, path: Path, line: int | None, field: str | None, fragment: str):
    for e in errors:
        if e.path == path and e.line == line and e.field == field and fragment in e.message:
            assert str(path) in str(e) and (line is None or f"line {line}" in str(e))
            return
    pytest.fail(
        f"no error at {path}:{line} [{field}] with {fragment!r}; got:\n"
        + "\n".join(map(str, errors))
    )


def test_the_curated_data_builds(data_dir):
    tables = build_tables(data_dir)
    assert tables["observations"].height >= 80
    assert set(tables) >= {"observations", "indicators", "sources", "targets", "tasks", "conflicts"}


def test_thousands_decimal_mix_up(data_dir):
    path = data_dir / OBS
    line = line_of(path, "rd_staff_total,")
    edit_csv(path, "actual,8947,,exact,people,8.947", "actual,8.947,,exact,people,8.947")
    assert_reported(build_errors(data_dir), path, line, "value", "mix-up")


def test_unparseable_value(data_dir):
    path = data_dir / OBS
    line = line_of(path, "rd_staff_total,")
    edit_csv(path, "actual,8947,,exact", 'actual,"8,947",,exact')
    assert_reported(build_errors(data_dir), path, line, "value", "not a plain decimal")


def test_duplicate_observation(data_dir):
    path = data_dir / OBS
    row = next(
        r for r in path.read_text(encoding="utf-8").splitlines() if r.startswith("grdp_growth,")
    )
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    errors = build_errors(data_dir)
    last = len(path.read_text(encoding="utf-8").splitlines())
    assert_reported(
        errors, path, last, "indicator_id, geo, period, obs_type, source_id", "duplicate key"
    )


@pytest.mark.parametrize(
    ("needle", "old", "new", "field"),
    [
        ("pii_output_score,", "pii_output_score,", "pii_outptu_score,", "indicator_id"),
        ("pii_rank,", "top,rank,10", "top,rnk,10", "unit"),
        (
            "st_enterprises,",
            "count,21,000_172e36571f27c9fb",
            "count,21,009_172e36571f27c9fb",
            "source_id",
        ),
        ("grdp_growth,", "VN-CT,2024,actual,7.12", "VN-CT,2024,real,7.12", "obs_type"),
        ("grdp_growth,", "VN-CT,2024,actual,7.12", "VN-CT,24,actual,7.12", "period"),
    ],
)
def test_unknown_ids_and_vocabularies(data_dir, needle, old, new, field):
    path = data_dir / OBS
    line = line_of(path, needle)
    edit_csv(path, old, new)
    assert_reported(build_errors(data_dir), path, line, field, "")


def test_quote_that_does_not_hold_its_number(data_dir):
    path = data_dir / OBS
    line = line_of(path, "rd_staff_total,")
    edit_csv(path, "đổi mới sáng tạo là 8.947 người", "đổi mới sáng tạo là 8.974 người")
    assert_reported(
        build_errors(data_dir), path, line, "quote", "does not contain the figure '8.947'"
    )


def test_figure_inside_a_longer_number_does_not_count(data_dir):
    path = data_dir / OBS
    line = edit_row(path, "rd_staff_phd,", "có 1.286 tiến sĩ", "có 11.286 tiến sĩ")
    assert_reported(build_errors(data_dir), path, line, "quote", "does not contain")


def test_breakdown_must_sum_to_its_total(data_dir):
    path = data_dir / OBS
    edit_row(path, "rd_staff_other,", "623", "624")
    errors = build_errors(data_dir)
    assert_reported(errors, path, line_of(path, "rd_staff_total,"), "value", "sum to 8948")


def test_stated_share_must_agree_with_counts(data_dir):
    path = data_dir / OBS
    line = edit_row(path, "rd_staff_phd_share,", "14,4%", "15,4%")
    edit_row(path, "rd_staff_phd_share,", "14.4", "15.4")
    assert_reported(build_errors(data_dir), path, line, "value", "stated share 15.4%")


def test_share_above_100(data_dir):
    path = data_dir / OBS
    line = edit_row(path, "info_systems_security_approved_share,", "95", "195")
    assert_reported(build_errors(data_dir), path, line, "value", "share above 100")


def test_negative_count(data_dir):
    path = data_dir / OBS
    line = line_of(path, "st_enterprises,")
    edit_csv(path, "actual,21,,exact,count,21", "actual,-21,,exact,count,21")
    assert_reported(build_errors(data_dir), path, line, "value", "negative")


def test_unit_must_be_the_indicators_unit(data_dir):
    path = data_dir / OBS
    line = line_of(path, "pii_rank,")
    edit_csv(path, "top,rank,10", "top,score,10")
    assert_reported(build_errors(data_dir), path, line, "unit", "indicator pii_rank is in 'rank'")


def test_hedge_must_be_in_the_quote(data_dir):
    path = data_dir / OBS
    line = line_of(path, "open_datasets,")
    edit_csv(path, "actual,540,,more_than", "actual,540,,nearly")
    assert_reported(build_errors(data_dir), path, line, "qualifier", "gần")


def test_missing_column(data_dir):
    path = data_dir / OBS
    edit_csv(path, "source_id,quote,note,not_hedge\n", "source_id,quote,not_hedge\n")
    assert_reported(build_errors(data_dir), path, 1, "note", "missing column")


def test_ragged_row(data_dir):
    path = data_dir / OBS
    line = line_of(path, "grdp_growth,")
    edit_csv(path, "VN-CT,2024,actual,7.12,", "VN-CT,2024,actual,7.12,,")
    assert_reported(build_errors(data_dir), path, line, None, "14 fields but the header has 13")


def test_empty_file(data_dir):
    path = data_dir / OBS
    path.write_text("", encoding="utf-8")
    assert_reported(build_errors(data_dir), path, None, None, "empty")


def test_header_without_rows(data_dir):
    path = data_dir / OBS
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert_reported(build_errors(data_dir), path, None, None, "no rows")


def test_wrong_encoding(data_dir):
    path = data_dir / OBS
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1258", errors="replace"))
    first_non_ascii = next(i for i, row in enumerate(text.splitlines(), 1) if not row.isascii())
    assert_reported(build_errors(data_dir), path, first_non_ascii, None, "not UTF-8")


def test_catalog_rules(data_dir):
    path = data_dir / "indicators.csv"
    line = line_of(path, "pii_rank,")
    edit_csv(path, "pii_rank,pii,rank,false", "pii_rank,pii_x,rank,false")
    assert_reported(build_errors(data_dir), path, line, "theme", "unknown value 'pii_x'")


def test_duplicate_indicator(data_dir):
    path = data_dir / "indicators.csv"
    row = next(
        r for r in path.read_text(encoding="utf-8").splitlines() if r.startswith("grdp_growth,")
    )
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    last = len(path.read_text(encoding="utf-8").splitlines())
    assert_reported(
        build_errors(data_dir), path, last, "indicator_id", "duplicate value 'grdp_growth'"
    )


def test_extracted_tables_are_checked(data_dir):
    path = data_dir / "extracted/plan46_tasks.csv"
    edit_csv(path, ",Thường xuyên,recurring,", ",Thường xuyên,soon,", count=19)
    errors = build_errors(data_dir)
    assert_reported(errors, path, 2, "deadline_kind", "unknown value 'soon'")


# The rules below read the source texts.


def test_quote_must_be_verbatim_in_its_source(data_dir, sources_dir):
    path = data_dir / OBS
    line = line_of(path, "pii_institutions_score,")
    edit_csv(path, "thể chế đạt 62,38 điểm", "thể chế đạt được 62,38 điểm")
    errors = build_errors(data_dir, sources_dir)
    assert_reported(
        errors, path, line, "quote", "not found verbatim in source 004_52f9f49b50acddb8"
    )


def test_changed_source_text_is_detected(data_dir, sources_dir, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(sources_dir, seeds)
    changed = seeds / "002_66c5695960ffbe45.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("1.320", "1.230"), encoding="utf-8"
    )
    path = data_dir / "sources.csv"
    assert_reported(
        build_errors(data_dir, seeds),
        path,
        line_of(path, "002_66c5695960ffbe45"),
        "sha256",
        "the text changed",
    )


def test_stale_extraction_is_detected(data_dir, sources_dir):
    path = data_dir / "extracted/plan46_tasks.csv"
    edit_csv(path, ",Tháng 9/2025,dated,2025-09,", ",Tháng 9/2025,dated,2025-10,", count=4)
    assert_reported(build_errors(data_dir, sources_dir), path, None, None, "fresh extraction")


def test_chart_names_an_unknown_indicator(data_dir):
    path = data_dir / "charts.csv"
    line = edit_row(path, "ip_marks,", "ip_collective_marks", "ip_collective_markz")
    assert_reported(build_errors(data_dir), path, line, "indicators", "ip_collective_markz")


def test_chart_on_an_unknown_page(data_dir):
    path = data_dir / "charts.csv"
    line = edit_row(path, "ip_marks,", "intellectual_property", "intellectual_propertee")
    assert_reported(build_errors(data_dir), path, line, "page", "")


def test_two_headlines_in_one_place(data_dir):
    path = data_dir / "indicators.csv"
    line = edit_row(path, "dti_rank,", ",,,2,", ",,,1,")
    assert_reported(build_errors(data_dir), path, line, "headline", "duplicate")


def test_ratio_scale_is_a_number(data_dir):
    path = data_dir / "indicators.csv"
    line = edit_row(path, "ip_grant_ratio,", ",100,", ",cent,")
    assert_reported(build_errors(data_dir), path, line, "scale", "plain number")


def test_bar_chart_of_unlike_measures(data_dir):
    path = data_dir / "charts.csv"
    line = edit_row(path, "ip_marks,", "ip_collective_marks", "ip_collective_marks rd_staff_phd")
    assert_reported(build_errors(data_dir), path, line, "indicators", "different units")


def test_a_hedge_word_before_the_figure_requires_its_qualifier(data_dir):
    """The hedge rule the other way: "hơn 309.000" cannot be published as exact."""
    path = data_dir / OBS
    line = edit_row(path, "people_trained_digital_skills,", ",more_than,", ",exact,")
    assert_reported(build_errors(data_dir), path, line, "qualifier", "'hơn' right before '309.000'")


def test_a_target_floor_cannot_be_published_as_exact(data_dir):
    path = data_dir / OBS
    line = edit_row(path, "sti_budget_share,", ",at_least,", ",exact,")
    assert_reported(build_errors(data_dir), path, line, "qualifier", "'ít nhất' right before '1%'")


def test_every_hedge_of_a_figure_is_required(data_dir):
    """ "ước khoảng 6,35" is estimated and about: dropping either is refused."""
    path = data_dir / OBS
    line = edit_row(path, "income_per_capita_month,", ",estimated+about,", ",about,")
    assert_reported(build_errors(data_dir), path, line, "qualifier", "add 'estimated'")


def test_an_unknown_code_among_several_hedges(data_dir):
    path = data_dir / OBS
    line = edit_row(path, "income_per_capita_month,", ",estimated+about,", ",estimated+roughly,")
    assert_reported(build_errors(data_dir), path, line, "qualifier", "unknown value")


def test_a_word_read_as_no_hedge_needs_its_reason_and_its_place(data_dir):
    path = data_dir / OBS
    # "trên 8 lĩnh vực": "trên" read as "on"; without the reader's note it is refused.
    note = '"""trên"" read as ""on"" (giám sát trên … lĩnh vực), as in source 004."'
    line = edit_row(path, "ioc_sectors,VN-CT,2025-12-31", f",{note},trên", ",,trên")
    assert_reported(build_errors(data_dir), path, line, "note", "needs the reason")


def test_not_hedge_must_name_the_word_before_the_figure(data_dir):
    path = data_dir / OBS
    line = edit_row(
        path,
        "open_datasets,",
        ",Cổng dữ liệu mở với hơn 540 bộ dữ liệu,,",
        ",Cổng dữ liệu mở với hơn 540 bộ dữ liệu,note,gần",
    )
    assert_reported(build_errors(data_dir), path, line, "not_hedge", "'gần' is not a hedge word")


def test_a_hedge_word_of_another_figure_does_not_count(data_dir):
    """ "thu hút 9 doanh nghiệp với trên 350 lao động": "trên" hedges 350, not 9."""
    from analysis.product.observations import governing_hedges

    quote = "thu hút 9 doanh nghiệp với trên 350 lao động"
    assert governing_hedges(quote, "9") == []
    assert governing_hedges(quote, "350") == ["trên"]
    assert governing_hedges("GRDP ước tính tăng 7,12% so với", "7,12%") == ["ước"]
    assert governing_hedges("thu nhập bình quân đầu người ước khoảng 6,35 triệu", "6,35") == [
        "ước",
        "khoảng",
    ]


def test_a_malformed_value_is_reported_once(data_dir):
    path = data_dir / OBS
    line = edit_row(path, "dost_public_service_units,", "actual,3,,exact", 'actual,"3,0",,exact')
    errors = [e for e in build_errors(data_dir) if e.line == line]
    assert [(e.field, e.message) for e in errors] == [
        (
            "value",
            "'3,0' is not a plain decimal (digits, optionally '.' and decimals; no thousands separators)",
        )
    ]
