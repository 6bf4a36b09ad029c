"""Run a pandera schema and turn its failures into errors that name file, row and field."""

from __future__ import annotations

from pathlib import Path

import pandera.polars as pa
import polars as pl

from analysis.errors import DataError, DataErrors
from analysis.tables import LINE


def schema_errors(schema: pa.DataFrameSchema, frame: pl.DataFrame, path: Path) -> list[DataError]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        errors = []
        for case in err.failure_cases.iter_rows(named=True):
            index = case.get("index")
            line = int(frame[LINE][index]) if index is not None and LINE in frame.columns else None
            field = case.get("column")
            check = case.get("check")
            value = case.get("failure_case")
            errors.append(DataError(path, line, field, f"{value!r} fails check {check}"))
        unique = {str(e): e for e in errors}.values()
        return sorted(unique, key=lambda e: (e.line or 0, e.field or "", e.message))
    return []


def validate(
    schema: pa.DataFrameSchema,
    frame: pl.DataFrame,
    path: Path,
    extra: list[tuple[int, str, str]] | None = None,
) -> pl.DataFrame:
    """Validate `frame`; raise DataErrors listing every failure, else return it."""
    errors = [DataError(path, line, field, msg) for line, field, msg in extra or []]
    errors += schema_errors(schema, frame, path)
    if errors:
        raise DataErrors(errors)
    return frame
