"""The reference tables every observation points into: sources, units, themes, indicators.

Each loader reads its curated CSV strictly, types it, and checks it against its pandera
schema; a failure names the file, row and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandera.polars as pa
import polars as pl

from analysis.paths import DATA
from analysis.product.checks import validate
from analysis.product.tables import blank_to_null, read_table
from analysis.product.vocabularies import codes, languages

ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
IDENT = r"^[a-z][a-z0-9_]*$"


def _nonempty(name: str) -> pa.Column:
    return pa.Column(pl.String, pa.Check.str_length(min_value=1), nullable=False)


def _ident(**kwargs) -> pa.Column:
    return pa.Column(pl.String, pa.Check.str_matches(IDENT), nullable=False, **kwargs)


def _in_every_language(*fields: str) -> dict[str, pa.Column]:
    """`name_vi`, `name_en`, …: one non-empty column per field and site language, so that
    a language added to data/languages.csv stops the build until its texts are curated."""
    return {
        f"{field}_{lang}": _nonempty(f"{field}_{lang}") for field in fields for lang in languages()
    }


SOURCES_SCHEMA = pa.DataFrameSchema(
    {
        "source_id": pa.Column(
            pl.String, pa.Check.str_matches(r"^\d{3}_[0-9a-f]{16}$"), unique=True
        ),
        **_in_every_language("title"),
        "publisher": _nonempty("publisher"),
        "date": pa.Column(pl.String, pa.Check.str_matches(ISO_DATE)),
        "kind": pa.Column(pl.String, pa.Check.isin(codes("source_kind"))),
        # The document's own language, not one of the site's.
        "language": pa.Column(pl.String, pa.Check.isin(["vi", "en"])),
        "sha256": pa.Column(pl.String, pa.Check.str_matches(r"^[0-9a-f]{64}$")),
    }
)
UNITS_SCHEMA = pa.DataFrameSchema(
    {
        "unit_id": _ident(unique=True),
        "kind": pa.Column(pl.String, pa.Check.isin(codes("unit_kind"))),
        **_in_every_language("name"),
        # Plan 46 names a target's unit in Vietnamese: that name must find one unit.
        "name_vi": pa.Column(pl.String, pa.Check.str_length(min_value=1), unique=True),
    }
)
THEMES_SCHEMA = pa.DataFrameSchema(
    {
        "theme_id": _ident(unique=True),
        **_in_every_language("name"),
    }
)


def indicators_schema(theme_ids: list[str], unit_ids: list[str], indicator_ids: list[str]):
    optional_ref = pa.Column(pl.String, pa.Check.isin(indicator_ids), nullable=True)
    return pa.DataFrameSchema(
        {
            "indicator_id": _ident(unique=True),
            "theme": pa.Column(pl.String, pa.Check.isin(theme_ids)),
            "unit": pa.Column(pl.String, pa.Check.isin(unit_ids)),
            "higher_is_better": pa.Column(pl.Boolean, nullable=True),
            "part_of": optional_ref,
            "share_of": optional_ref,
            **_in_every_language("name", "definition"),
        }
    )


def pii_framework_schema(indicator_ids: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "pillar": pa.Column(pl.Int64, pa.Check.in_range(1, 7), unique=True),
            "sub_index": pa.Column(pl.String, pa.Check.isin(codes("sub_index"))),
            "indicator_id": pa.Column(pl.String, pa.Check.isin(indicator_ids), nullable=True),
            **_in_every_language("name"),
        }
    )


@dataclass(frozen=True)
class Catalog:
    sources: pl.DataFrame
    units: pl.DataFrame
    themes: pl.DataFrame
    indicators: pl.DataFrame
    pii_framework: pl.DataFrame

    def unit_kind(self) -> dict[str, str]:
        return dict(self.units.select("unit_id", "kind").iter_rows())


def load_catalog(data_dir: Path = DATA) -> Catalog:
    path = data_dir / "sources.csv"
    sources = validate(SOURCES_SCHEMA, read_table(path, list(SOURCES_SCHEMA.columns)), path)
    path = data_dir / "units.csv"
    units = validate(UNITS_SCHEMA, read_table(path, list(UNITS_SCHEMA.columns)), path)
    path = data_dir / "themes.csv"
    themes = validate(THEMES_SCHEMA, read_table(path, list(THEMES_SCHEMA.columns)), path)
    path = data_dir / "indicators.csv"
    columns = list(indicators_schema([], [], []).columns)
    raw = blank_to_null(read_table(path, columns), ["higher_is_better", "part_of", "share_of"])
    bad_bool = raw.filter(
        ~pl.col("higher_is_better").is_in(["true", "false"])
        & pl.col("higher_is_better").is_not_null()
    )
    raw = raw.with_columns(
        pl.col("higher_is_better").replace_strict({"true": True, "false": False}, default=None)
    )
    schema = indicators_schema(
        themes["theme_id"].to_list(), units["unit_id"].to_list(), raw["indicator_id"].to_list()
    )
    indicators = validate(
        schema,
        raw,
        path,
        extra=[
            (int(line), "higher_is_better", "must be true, false or empty")
            for line in bad_bool["_line"]
        ],
    )
    path = data_dir / "pii_framework.csv"
    ids = indicators["indicator_id"].to_list()
    raw = blank_to_null(read_table(path, list(pii_framework_schema(ids).columns)), ["indicator_id"])
    pillars = [int(p) if p.isdigit() else -1 for p in raw["pillar"]]
    raw = raw.with_columns(pl.Series("pillar", pillars, dtype=pl.Int64))
    framework = validate(pii_framework_schema(ids), raw, path)
    return Catalog(sources, units, themes, indicators, framework)
