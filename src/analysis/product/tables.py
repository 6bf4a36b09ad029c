"""Strict reading of the project's hand-curated CSV files.

Every cell is read as text and parsed explicitly afterwards: a generic CSV reader would
quietly read the Vietnamese `8.947` as 8.947. Each row keeps its line number (`_line`)
so that every later check can name file, row and field.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import polars as pl

from analysis.product.errors import DataError

LINE = "_line"


def read_table(path: Path, columns: list[str], optional: tuple[str, ...] = ()) -> pl.DataFrame:
    """Read a UTF-8 CSV whose header holds exactly `columns` (plus any of `optional`)."""
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(path, None, None, "the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            path, line, None, f"not UTF-8 (byte 0x{raw[err.start]:02x}); save the file as UTF-8"
        ) from None
    text = unicodedata.normalize("NFC", text)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as err:
        raise DataError(path, 1, None, f"unreadable header: {err}") from None
    header = [h.strip() for h in header]
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(path, 1, missing[0], f"missing column(s) {missing}")
    unknown = [h for h in header if h not in columns and h not in optional]
    if unknown:
        raise DataError(path, 1, unknown[0], f"unknown column(s) {unknown}")
    if len(set(header)) != len(header):
        raise DataError(path, 1, None, "a column name appears twice")
    records: list[list[str]] = []
    lines: list[int] = []
    last = reader.line_num
    try:
        for row in reader:
            start, last = last + 1, reader.line_num
            if not row:
                continue  # a blank line
            if len(row) != len(header):
                raise DataError(
                    path, start, None, f"has {len(row)} fields but the header has {len(header)}"
                )
            records.append(row)
            lines.append(start)
    except csv.Error as err:
        raise DataError(path, reader.line_num, None, f"malformed CSV: {err}") from None
    if not records:
        raise DataError(path, None, None, "the file has a header but no rows")
    frame = pl.DataFrame(
        {name: [r[i] for r in records] for i, name in enumerate(header)},
        schema={name: pl.String for name in header},
    )
    for name in optional:
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit("").alias(name))
    return frame.select(*columns, *optional).with_columns(pl.Series(LINE, lines, dtype=pl.Int64))


def blank_to_null(frame: pl.DataFrame, columns: list[str] | None = None) -> pl.DataFrame:
    """Empty text cells as nulls (CSV cannot tell an empty string from a missing value)."""
    names = (
        columns if columns is not None else [c for c, t in frame.schema.items() if t == pl.String]
    )
    return frame.with_columns(
        pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c)).alias(c)
        for c in names
    )
