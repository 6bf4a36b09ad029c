"""Run a pandera schema and turn its failures into errors that name file, row and field."""

from __future__ import annotations

from pathlib import Path

import pandera.polars as pa
import polars as pl

from analysis.product.errors import DataError, DataErrors
from analysis.product.tables import LINE


def _describe(check: str | None, value: object) -> str:
    """A reader's sentence for a pandera check (the raw text of `isin` lists every id)."""
    check = check or ""
    if check == "multiple_fields_uniqueness":
        return f"duplicate key {value}: another row has the same key"
    if check == "field_uniqueness":
        return f"duplicate value {value!r}"
    if check.startswith("isin("):
        return f"unknown value {value!r}"
    if check == "not_nullable":
        return "is empty"
    return f"{value!r} fails {check}"


def schema_errors(schema: pa.DataFrameSchema, frame: pl.DataFrame, path: Path) -> list[DataError]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        errors = []
        for case in err.failure_cases.iter_rows(named=True):
            index = case.get("index")
            line = int(frame[LINE][index]) if index is not None and LINE in frame.columns else None
            field = case.get("column") or ", ".join(schema.unique or [])
            errors.append(
                DataError(path, line, field, _describe(case.get("check"), case.get("failure_case")))
            )
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
