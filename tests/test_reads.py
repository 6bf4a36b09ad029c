"""What a notebook run read, and the digests the build keys its runs on: each kind of read
changes exactly when what it names changes (synthetic tables, written here)."""

from __future__ import annotations

import polars as pl

from analysis.base.reads import Digests, Reads, load_reads
from analysis.cli import main
from analysis.paths import SOURCES_ENV
from analysis.report.data import EditionData


def write(folder, **tables) -> None:
    for name, frame in tables.items():
        frame.write_parquet(folder / f"{name}.parquet")


def test_a_row_count_read_changes_with_the_rows_not_with_their_values(tmp_path):
    reads = [("rows", "observations"), ("table", "observations"), ("indicator", "a"),
             ("indicator", "b")]  # fmt: skip

    def digests() -> dict:
        found = Digests(tmp_path)
        return {read: found.part(*read) for read in reads}

    rows = pl.DataFrame({"indicator_id": ["a", "b"], "value": [94.0, 3194.0]})  # synthetic
    write(tmp_path, observations=rows)
    before = digests()
    write(tmp_path, observations=rows.with_columns(pl.Series("value", [95.0, 3194.0])))
    corrected = digests()
    changed = {read for read in reads if corrected[read] != before[read]}
    assert changed == {("table", "observations"), ("indicator", "a")}
    write(tmp_path, observations=pl.concat([rows, rows.head(1)]))
    assert digests()[("rows", "observations")] != before[("rows", "observations")]


def test_the_data_door_records_a_row_count_as_such(data_dir, tmp_path, monkeypatch):
    """`EditionData.rows` gives a table's height and records only that it counted it."""
    monkeypatch.delenv(SOURCES_ENV, raising=False)
    assert main(["--data-dir", str(data_dir), "data"]) == 0
    product, deps = data_dir / "processed", tmp_path / "reads.json"
    data = EditionData(product, None, Reads(deps))
    assert data.rows("tasks") == pl.read_parquet(product / "tasks.parquet").height
    assert ("rows", "tasks") in load_reads(deps)
    assert ("table", "tasks") not in load_reads(deps)
