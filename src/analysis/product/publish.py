"""Write the data product: Parquet, CSV (UTF-8 with BOM), one XLSX, a Frictionless datapackage.

Writes go to a staging folder that replaces the published one only when every file is
written, so a failed build leaves the last good data in place. Nothing here stamps the
wall clock: two builds from the same inputs give byte-identical files.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import polars as pl
import xlsxwriter

from analysis.base.steps import staged
from analysis.product.dataset import EDITION_TABLES
from analysis.product.errors import DataError, DataErrors
from analysis.product.tables import read_table
from analysis.product.vocabularies import language_name, languages

_TITLE = "Can Tho STI Observatory: sourced indicators"
WORKBOOK = "cantho-sti-observatory.xlsx"
_FIELDS_FILE = "fields.csv"  # in data/: what each published field holds
_LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
_PRIMARY_KEYS = {
    "observations": ["obs_id"],
    "indicators": ["indicator_id"],
    "sources": ["source_id"],
    "units": ["unit_id"],
    "themes": ["theme_id"],
    "pii_framework": ["pillar"],
    "pages": ["page"],
    "charts": ["chart_id"],
    "targets": ["row"],
    "tasks": ["task_no"],
    "tables": ["table"],
}
_FOREIGN_KEYS = {
    "observations": [
        ("indicator_id", "indicators", "indicator_id"),
        ("source_id", "sources", "source_id"),
        ("unit", "units", "unit_id"),
    ],
    "indicators": [("theme", "themes", "theme_id"), ("unit", "units", "unit_id")],
    "charts": [("page", "pages", "page")],
    "conflicts": [
        ("indicator_id", "indicators", "indicator_id"),
        ("source_id", "sources", "source_id"),
    ],
    "changes": [("indicator_id", "indicators", "indicator_id")],
}
_FIELD_TYPES = {
    pl.String: "string",
    pl.Float64: "number",
    pl.Int64: "integer",
    pl.Boolean: "boolean",
    pl.UInt32: "integer",
    pl.Int32: "integer",
}


def _field_type(dtype: pl.DataType) -> str:
    for polars_type, name in _FIELD_TYPES.items():
        if dtype == polars_type:
            return name
    raise TypeError(f"no Table Schema type for {dtype}")


def field_descriptions(
    data_dir: Path, tables: dict[str, pl.DataFrame]
) -> dict[tuple[str, str], str]:
    """What each published field holds, from `data/fields.csv` (one row per table and
    field): every field has one, and every row names a published field."""
    path = data_dir / _FIELDS_FILE
    rows = read_table(path, ["table", "field", "description"])
    described: dict[tuple[str, str], tuple[str, int]] = {}
    for table, field, text, line in rows.iter_rows():
        if "{lang}" not in field:
            described[table, field] = (text, line)
    # A translated column is described once, `name_{lang}`, for every language of the site;
    # a row naming one language's column (`title_vi`: as published) says more and wins.
    for table, field, text, line in rows.iter_rows():
        for lang in languages() if "{lang}" in field else ():
            key = (table, field.replace("{lang}", lang))
            described.setdefault(key, (text.replace("{language}", language_name(lang)), line))
    errors = [DataError(path, line, "field", f"{table}.{field} is not a published field")
              for (table, field), (_, line) in described.items()
              if field not in tables.get(table, pl.DataFrame()).columns
              and not (table in EDITION_TABLES and table not in tables)]  # fmt: skip
    errors += [DataError(path, None, "description", f"{table}.{field} has no description")
               for table, frame in tables.items() for field in frame.columns
               if not described.get((table, field), ("",))[0].strip()]  # fmt: skip
    if errors:
        raise DataErrors(errors)
    return {key: text for key, (text, _) in described.items()}


def _described(tables: dict[str, pl.DataFrame], field: str) -> dict[str, str]:
    """Each table's name or description in English (the table catalog, data/tables.csv):
    the datapackage and the workbook's README are read in English, as data/fields.csv is."""
    return dict(tables["tables"].select("table", f"{field}_en").iter_rows())


def datapackage(tables: dict[str, pl.DataFrame], version_date: str,
                fields: dict[tuple[str, str], str]) -> dict:  # fmt: skip
    titles, descriptions = _described(tables, "name"), _described(tables, "description")
    resources = []
    for name, frame in tables.items():
        schema: dict = {
            "fields": [
                {"name": c, "type": _field_type(t), "description": fields[name, c]}
                for c, t in frame.schema.items()
            ]
        }
        if name in _PRIMARY_KEYS:
            schema["primaryKey"] = _PRIMARY_KEYS[name]
        if name in _FOREIGN_KEYS:
            schema["foreignKeys"] = [
                {"fields": f, "reference": {"resource": r, "fields": rf}}
                for f, r, rf in _FOREIGN_KEYS[name]
            ]
        resources.append(
            {
                "name": name,
                "title": titles[name],
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "description": descriptions[name],
                "schema": schema,
            }
        )
    return {
        "name": "cantho-sti-observatory",
        "title": _TITLE,
        "version": version_date,
        "licenses": [_LICENSE],
        "description": "Each table is also published as Parquet and as a sheet of "
        + WORKBOOK
        + ".",
        "resources": resources,
    }


def _plain_numbers(frame: pl.DataFrame) -> pl.DataFrame:
    """Decimal columns as text for CSV: a whole number without ".0" (8947, not 8947.0)."""
    return frame.with_columns(
        pl.when(pl.col(c) == pl.col(c).round(0))
        .then(pl.col(c).cast(pl.Int64).cast(pl.String))
        .otherwise(pl.col(c).cast(pl.String))
        .alias(c)
        for c, t in frame.schema.items()
        if t == pl.Float64
    )


_MAX_WIDTH = 60  # characters: a column of long text (quotes, definitions) stops there


def _width(column: pl.Series) -> int:
    longest = column.drop_nulls().cast(pl.String).str.len_chars().max() or 0
    return min(_MAX_WIDTH, max(len(column.name), longest)) + 2


def _readme(book: xlsxwriter.Workbook, tables: dict[str, pl.DataFrame], version_date: str,
            fields: dict[tuple[str, str], str]) -> None:  # fmt: skip
    """The workbook's first sheet: what it is, its licence, its sources and its tables."""
    bold = book.add_format({"bold": True})
    descriptions = _described(tables, "description")
    sheet = book.add_worksheet("README")
    rows: list[tuple[list, bool]] = [
        ([_TITLE], True),
        (["Version (data date)", version_date], False),
        (["Licence", f"{_LICENSE['name']} ({_LICENSE['path']})"], False),
        (["Cite", "See CITATION.cff and the report site's How to cite page."], False),
        ([], False),
        (["Sources", "Title", "Publisher", "Date"], True),
        *(([s["source_id"], s["title_en"], s["publisher_en"], s["date"]], False)
          for s in tables["sources"].iter_rows(named=True)),
        ([], False),
        (["Table (sheet)", "Description", "Rows"], True),
        *(([name, descriptions[name], frame.height], False) for name, frame in tables.items()),
        ([], False),
        (["Table", "Field", "Description"], True),
        *(([name, c, fields[name, c]], False) for name, frame in tables.items() for c in frame.columns),
    ]  # fmt: skip
    for r, (row, heading) in enumerate(rows):
        sheet.write_row(r, 0, row, bold if heading else None)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 90)
    sheet.set_column(2, 3, 24)


def _write_workbook(tables: dict[str, pl.DataFrame], path: Path, version_date: str,
                   fields: dict[tuple[str, str], str]) -> None:  # fmt: skip
    """A README sheet, then one sheet per table: a bold header row, frozen and filterable;
    numbers as they are (1943, 133064.73: no forced decimals); columns as wide as their
    content, up to _MAX_WIDTH."""
    # Text stays text: a quote beginning with "=" or holding an address is not a formula/link.
    # In memory: xlsxwriter would otherwise write each part of the file to a temporary file
    # first (some ninety files, made and deleted, for a workbook of a few hundred kilobytes).
    book = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False,
                                      "in_memory": True})  # fmt: skip
    # xlsxwriter stamps the creation time; pin it to the data date for reproducible files.
    book.set_properties({"title": _TITLE, "created": datetime.fromisoformat(version_date)})
    bold = book.add_format({"bold": True})
    _readme(book, tables, version_date, fields)
    for name, frame in tables.items():
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, frame.columns, bold)
        for r, row in enumerate(frame.iter_rows(), start=1):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, frame.height, frame.width - 1)
        for c, column in enumerate(frame.columns):
            sheet.set_column(c, c, _width(frame[column]))
    book.close()


def _write_tables(tables: dict[str, pl.DataFrame], folder: Path, version_date: str,
                 fields: dict[tuple[str, str], str]) -> list[Path]:  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        frame.write_parquet(folder / f"{name}.parquet")
        _plain_numbers(frame).write_csv(folder / f"{name}.csv", include_bom=True)
        written += [folder / f"{name}.parquet", folder / f"{name}.csv"]
    _write_workbook(tables, folder / WORKBOOK, version_date, fields)
    descriptor = folder / "datapackage.json"
    descriptor.write_text(
        json.dumps(datapackage(tables, version_date, fields), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return [*written, folder / WORKBOOK, descriptor]


def publish(tables: dict[str, pl.DataFrame], target: Path, version_date: str,
            fields: dict[tuple[str, str], str]) -> list[Path]:  # fmt: skip
    """Write the tables in place of `target`, swapped in only once every file is written; the
    table catalog (`tables`) lists the tables written, no other."""
    order = pl.DataFrame({"table": list(tables)}).with_row_index("_order")
    catalog = tables["tables"].join(order, on="table").sort("_order").drop("_order")
    with staged(target) as staging:
        _write_tables(tables | {"tables": catalog}, staging, version_date, fields)
    return sorted(target.iterdir())
