"""The published data product: formats, Frictionless validity, determinism, atomic swap."""

from __future__ import annotations

import json
import shutil
import zipfile

import frictionless
import polars as pl
import pytest

from analysis import paths
from analysis.cli import main
from analysis.product.publish import WORKBOOK
from tests.conftest import edit_row

TABLES = ["observations", "indicators", "sources", "targets", "tasks", "conflicts"]


@pytest.fixture
def published(data_dir, monkeypatch):
    """The data product built from a private copy of the data, for tests that build again."""
    monkeypatch.delenv("STI_SOURCES_DIR", raising=False)
    assert main(["--data-dir", str(data_dir), "data"]) == 0
    return data_dir / "processed"


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    """The data product built once, for the tests that only read it."""
    data = tmp_path_factory.mktemp("product") / "data"
    shutil.copytree(paths.DATA, data, ignore=shutil.ignore_patterns("processed*"))
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("STI_SOURCES_DIR", raising=False)
        assert main(["--data-dir", str(data), "data"]) == 0
    return data / "processed"


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_every_table_in_every_format(product):
    for name in TABLES:
        parquet = pl.read_parquet(product / f"{name}.parquet")
        raw = (product / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), f"{name}.csv has no UTF-8 BOM (Excel needs it)"
        csv = pl.read_csv(product / f"{name}.csv", infer_schema=False)
        assert csv.columns == parquet.columns and csv.height == parquet.height
    with zipfile.ZipFile(product / WORKBOOK) as book:
        sheets = book.read("xl/workbook.xml").decode()
    for name in TABLES:
        assert f'name="{name}"' in sheets


def test_the_published_table_catalog_lists_the_tables_written_and_no_other(product):
    written = sorted(p.stem for p in product.glob("*.parquet"))
    catalog = pl.read_parquet(product / "tables.parquet")["table"].to_list()
    assert sorted(catalog) == written and "changes" not in catalog


def test_csv_keeps_vietnamese_and_plain_decimals(product):
    obs = pl.read_csv(product / "observations.csv", infer_schema=False)
    row = obs.filter(pl.col("indicator_id") == "rd_staff_phd").row(0, named=True)
    assert row["value_text"] == "1.286"
    assert float(row["value"]) == 1286
    assert "tiến sĩ" in row["quote"]


def test_datapackage_passes_frictionless(product):
    descriptor = json.loads((product / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in descriptor["resources"]} >= set(TABLES)
    report = frictionless.validate(str(product / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_two_builds_are_byte_identical(published, data_dir, capsys):
    first = snapshot(published)
    capsys.readouterr()
    # --force: unchanged inputs would otherwise reuse the published folder, comparing it
    # with itself.
    assert main(["--data-dir", str(data_dir), "data", "--force"]) == 0
    assert f"data: wrote {published}" in capsys.readouterr().out
    assert snapshot(published) == first


def test_failed_build_leaves_published_data_untouched(published, data_dir, capsys):
    before = snapshot(published)
    path = data_dir / "curated/observations.csv"
    line = edit_row(path, "rd_staff_total,", "actual,8947,", "actual,8.947,")
    assert main(["--data-dir", str(data_dir), "data"]) == 1
    err = capsys.readouterr().err
    assert f"{path}, row {line - 1} (line {line}), field 'value'" in err
    assert "nothing was published" in err
    assert snapshot(published) == before
    assert not (data_dir / "processed.staging").exists()


# Exports a reader opens: XLSX, CSV, the datapackage's documentation ---------------------


def test_workbook_reads_like_a_table(product):
    from openpyxl import load_workbook

    book = load_workbook(product / WORKBOOK)
    assert book.sheetnames[0] == "README"
    readme = [row[0] for row in book["README"].iter_rows(values_only=True)]
    assert "Licence" in readme and "Sources" in readme and "observations" in readme
    sheet = book["observations"]
    assert sheet.freeze_panes == "A2"  # the header stays in view
    assert (
        sheet.auto_filter.ref
        == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    )
    assert all(cell.font.b for cell in sheet[1])
    header = [cell.value for cell in sheet[1]]
    row = next(
        r
        for r in sheet.iter_rows(min_row=2)
        if r[header.index("indicator_id")].value == "admin_procedures_provided"
    )
    value = row[header.index("value")]
    # 1943 procedures show as 1943, not 1,943.000
    assert value.value == 1943 and value.number_format == "General"
    for name in book.sheetnames[1:]:
        widths = [d.width for d in book[name].column_dimensions.values()]
        assert widths and max(widths) < 64, (name, max(widths))  # 60 characters and a margin


def test_csv_writes_whole_numbers_without_a_decimal_point(product):
    raw = (product / "observations.csv").read_text(encoding="utf-8-sig")
    obs = pl.read_csv(product / "observations.csv", infer_schema=False)
    row = obs.filter(pl.col("indicator_id") == "rd_staff_total").row(0, named=True)
    assert row["value"] == "8947"
    assert not [v for v in obs["value"].drop_nulls() if v.endswith(".0")]
    assert ",133064.73," in raw  # decimals stay as they are


def test_every_datapackage_field_is_described(product):
    descriptor = json.loads((product / "datapackage.json").read_text(encoding="utf-8"))
    missing = [f"{r['name']}.{f['name']}" for r in descriptor["resources"]
               for f in r["schema"]["fields"] if not f.get("description", "").strip()]  # fmt: skip
    assert not missing


def test_an_undescribed_field_stops_the_build(data_dir, capsys, monkeypatch):
    monkeypatch.delenv("STI_SOURCES_DIR", raising=False)
    path = data_dir / "fields.csv"
    line = edit_row(
        path, "observations,note,", "A curator's note on the figure; empty when there is none.", ""
    )
    assert main(["--data-dir", str(data_dir), "data"]) == 1
    err = capsys.readouterr().err
    assert f"{path}, field 'description': observations.note has no description" in err
    assert line > 1
