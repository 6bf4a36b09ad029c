"""The published data product: formats, Frictionless validity, determinism, atomic swap."""

from __future__ import annotations

import json
import zipfile

import frictionless
import polars as pl
import pytest

from analysis.cli import main
from analysis.product.publish import WORKBOOK
from tests.conftest import edit_row

TABLES = ["observations", "indicators", "sources", "targets", "tasks", "conflicts"]


@pytest.fixture
def published(data_dir, monkeypatch):
    monkeypatch.delenv("STI_SOURCES_DIR", raising=False)
    assert main(["--data-dir", str(data_dir), "data"]) == 0
    return data_dir / "processed"


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_every_table_in_every_format(published):
    for name in TABLES:
        parquet = pl.read_parquet(published / f"{name}.parquet")
        raw = (published / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), f"{name}.csv has no UTF-8 BOM (Excel needs it)"
        csv = pl.read_csv(published / f"{name}.csv", infer_schema=False)
        assert csv.columns == parquet.columns and csv.height == parquet.height
    with zipfile.ZipFile(published / WORKBOOK) as book:
        sheets = book.read("xl/workbook.xml").decode()
    for name in TABLES:
        assert f'name="{name}"' in sheets


def test_csv_keeps_vietnamese_and_plain_decimals(published):
    obs = pl.read_csv(published / "observations.csv", infer_schema=False)
    row = obs.filter(pl.col("indicator_id") == "rd_staff_phd").row(0, named=True)
    assert row["value_text"] == "1.286"
    assert float(row["value"]) == 1286
    assert "tiến sĩ" in row["quote"]


def test_datapackage_passes_frictionless(published):
    descriptor = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in descriptor["resources"]} >= set(TABLES)
    report = frictionless.validate(str(published / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_two_builds_are_byte_identical(published, data_dir):
    first = snapshot(published)
    assert main(["--data-dir", str(data_dir), "data"]) == 0
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
