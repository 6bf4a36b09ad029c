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

from analysis.pipeline.steps import staged

TITLE = "Can Tho STI Observatory: sourced indicators"
WORKBOOK = "cantho-sti-observatory.xlsx"
DESCRIPTIONS = {
    "observations": "Every figure the sources report about Can Tho, with its verbatim quote.",
    "indicators": "Indicator catalog: names, unit, theme, definition, direction.",
    "sources": "The source documents, with SHA-256 of their text and the number of figures taken.",
    "units": "Units of measure.",
    "themes": "Themes the indicators belong to.",
    "pii_framework": "The PII framework: seven pillars in input and output sub-indices.",
    "pages": "The report site's pages in navigation order, and which are in the PDF report.",
    "charts": "The report's charts: page, kind, the indicators plotted and the value axis.",
    "targets": "Plan 46/KH-UBND Appendix I: targets for 2030 and 2045, from the plan's text.",
    "tasks": "Plan 46/KH-UBND Appendix II: the 113 tasks, extracted from the plan's text.",
    "conflicts": "Observations of one indicator and period whose sources report different values.",
    "checks": "The checks the build that made this data ran (some need the source texts).",
}
PRIMARY_KEYS = {
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
}
FOREIGN_KEYS = {
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
}
FIELD_TYPES = {
    pl.String: "string",
    pl.Float64: "number",
    pl.Int64: "integer",
    pl.Boolean: "boolean",
    pl.UInt32: "integer",
    pl.Int32: "integer",
}


def _field_type(dtype: pl.DataType) -> str:
    for polars_type, name in FIELD_TYPES.items():
        if dtype == polars_type:
            return name
    raise TypeError(f"no Table Schema type for {dtype}")


def datapackage(tables: dict[str, pl.DataFrame], version_date: str) -> dict:
    resources = []
    for name, frame in tables.items():
        schema: dict = {
            "fields": [{"name": c, "type": _field_type(t)} for c, t in frame.schema.items()]
        }
        if name in PRIMARY_KEYS:
            schema["primaryKey"] = PRIMARY_KEYS[name]
        if name in FOREIGN_KEYS:
            schema["foreignKeys"] = [
                {"fields": f, "reference": {"resource": r, "fields": rf}}
                for f, r, rf in FOREIGN_KEYS[name]
            ]
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "description": DESCRIPTIONS[name],
                "schema": schema,
            }
        )
    return {
        "name": "cantho-sti-observatory",
        "title": TITLE,
        "version": version_date,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "description": "Each table is also published as Parquet and as a sheet of "
        + WORKBOOK
        + ".",
        "resources": resources,
    }


def write_tables(tables: dict[str, pl.DataFrame], folder: Path, version_date: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        frame.write_parquet(folder / f"{name}.parquet")
        frame.write_csv(folder / f"{name}.csv", include_bom=True)
        written += [folder / f"{name}.parquet", folder / f"{name}.csv"]
    workbook = xlsxwriter.Workbook(folder / WORKBOOK)
    # xlsxwriter stamps the creation time; pin it to the data date for reproducible files.
    workbook.set_properties({"title": TITLE, "created": datetime.fromisoformat(version_date)})
    for name, frame in tables.items():
        frame.write_excel(workbook=workbook, worksheet=name, autofit=True)
    workbook.close()
    descriptor = folder / "datapackage.json"
    descriptor.write_text(
        json.dumps(datapackage(tables, version_date), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return [*written, folder / WORKBOOK, descriptor]


def publish(tables: dict[str, pl.DataFrame], target: Path, version_date: str) -> list[Path]:
    """Write the tables in place of `target`, swapped in only once every file is written."""
    with staged(target) as staging:
        write_tables(tables, staging, version_date)
    return sorted(target.iterdir())
