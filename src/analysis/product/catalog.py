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
from analysis.product.errors import DataError, DataErrors
from analysis.product.sources import SNIPPETS, VALUE_SNIPPETS, detail_errors
from analysis.product.tables import blank_to_null, read_table
from analysis.product.vocabularies import codes, languages

_ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
IDENT = r"^[a-z][a-z0-9_]*$"


def _nonempty(name: str) -> pa.Column:
    return pa.Column(pl.String, pa.Check.str_length(min_value=1), nullable=False)


def _optional_text() -> pa.Column:
    return pa.Column(pl.String, nullable=True)


def _ident(**kwargs) -> pa.Column:
    return pa.Column(pl.String, pa.Check.str_matches(IDENT), nullable=False, **kwargs)


def _in_every_language(*fields: str) -> dict[str, pa.Column]:
    """`name_vi`, `name_en`, …: one non-empty column per field and site language, so that
    a language added to data/languages.csv stops the build until its texts are curated."""
    return {
        f"{field}_{lang}": _nonempty(f"{field}_{lang}") for field in fields for lang in languages()
    }


_SOURCES_SCHEMA = pa.DataFrameSchema(
    {
        "source_id": pa.Column(
            pl.String, pa.Check.str_matches(r"^\d{3}_[0-9a-f]{16}$"), unique=True
        ),
        **_in_every_language("title"),
        **_in_every_language("publisher"),
        "date": pa.Column(pl.String, pa.Check.str_matches(_ISO_DATE)),
        "kind": pa.Column(pl.String, pa.Check.isin(codes("source_kind"))),
        # The document's own language, not one of the site's.
        "language": pa.Column(pl.String, pa.Check.isin(["vi", "en"])),
        "sha256": pa.Column(pl.String, pa.Check.str_matches(r"^[0-9a-f]{64}$")),
        # What the document says of itself (analysis.product.sources.VALUE_SNIPPETS):
        # empty where it does not say it.
        "identifier": _optional_text(),
        "identifier_quote": _optional_text(),
        "date_quote": _optional_text(),
        "publisher_quote": _optional_text(),
        "url": pa.Column(pl.String, pa.Check.str_matches(r"^https?://\S+$"), nullable=True),
        "url_quote": _optional_text(),
    }
)
_UNITS_SCHEMA = pa.DataFrameSchema(
    {
        "unit_id": _ident(unique=True),
        "kind": pa.Column(pl.String, pa.Check.isin(codes("unit_kind"))),
        **_in_every_language("name"),
        # Plan 46 names a target's unit in Vietnamese: that name must find one unit.
        "name_vi": pa.Column(pl.String, pa.Check.str_length(min_value=1), unique=True),
    }
)
_THEMES_SCHEMA = pa.DataFrameSchema(
    {
        "theme_id": _ident(unique=True),
        "page": _ident(unique=True),
        **_in_every_language("name"),
    }
)


def _indicators_schema(theme_ids: list[str], unit_ids: list[str], indicator_ids: list[str]):
    optional_ref = pa.Column(pl.String, pa.Check.isin(indicator_ids), nullable=True)
    return pa.DataFrameSchema(
        {
            "indicator_id": _ident(unique=True),
            "theme": pa.Column(pl.String, pa.Check.isin(theme_ids)),
            "unit": pa.Column(pl.String, pa.Check.isin(unit_ids)),
            "higher_is_better": pa.Column(pl.Boolean, nullable=True),
            "part_of": optional_ref,
            "share_of": optional_ref,
            # A derived indicator: numerator / denominator × scale, both of one source and period.
            "numerator": optional_ref,
            "denominator": optional_ref,
            "scale": pa.Column(pl.Float64, pa.Check.gt(0), nullable=True),
            # How many decimals a derived figure shows, on every page and in every table.
            "decimals": pa.Column(pl.Int64, pa.Check.in_range(0, 6), nullable=True),
            # Its place among the edition's key figures (home page, overview), if it is one.
            "headline": pa.Column(pl.Int64, pa.Check.ge(1), nullable=True),
            **_in_every_language("name", "definition"),
            # A shorter name for a chart's label where the name does not fit the 85 mm
            # column whole (the charts check that; tests/test_charts.py checks the catalog).
            **{f"short_name_{lang}": pa.Column(pl.String, nullable=True) for lang in languages()},
        }
    )


def _pii_framework_schema(indicator_ids: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "pillar": pa.Column(pl.Int64, pa.Check.in_range(1, 7), unique=True),
            "sub_index": pa.Column(pl.String, pa.Check.isin(codes("sub_index"))),
            "indicator_id": pa.Column(pl.String, pa.Check.isin(indicator_ids), nullable=True),
            **_in_every_language("name"),
        }
    )


# The site's pages in site order (the one list of pages: analysis.site.spec reads it for the
# navigation); `menu` names the navbar menu a page is listed in (empty: the navbar itself),
# `in_pdf` places it in the report.
_PAGES_SCHEMA = pa.DataFrameSchema(
    {
        "page": _ident(unique=True),
        "notebook": pa.Column(pl.String, pa.Check.str_matches(r"^[a-z0-9_]+$"), unique=True),
        "menu": pa.Column(pl.String, pa.Check.str_matches(IDENT), nullable=True),
        "in_pdf": pa.Column(pl.Boolean),
    }
)
# Every table of the data product, named and described in every site language: the one
# place the datapackage, the workbook's README sheet and the downloads page read them from.
_TABLES_SCHEMA = pa.DataFrameSchema(
    {"table": _ident(unique=True), **_in_every_language("name", "description")}
)
_CHART_KINDS = ["bars", "bars_by_source", "pillars", "stacked", "timeline"]


def _charts_schema(pages: list[str]) -> pa.DataFrameSchema:
    """Every chart of the site: its page, its kind, the indicators a bar chart plots, and
    the message key of its value axis."""
    return pa.DataFrameSchema(
        {
            "chart_id": _ident(unique=True),
            "page": pa.Column(pl.String, pa.Check.isin(pages)),
            "kind": pa.Column(pl.String, pa.Check.isin(_CHART_KINDS)),
            "indicators": pa.Column(pl.String, nullable=True),
            "axis": _ident(),
        }
    )


def _chart_problems(charts: pl.DataFrame, unit_of: dict[str, str]) -> list[tuple[int, str, str]]:
    """A bar chart plots known indicators of one unit, on an axis titled by that unit:
    unlike measures never share an axis."""
    problems = []
    for line, kind, names, axis in charts.select("_line", "kind", "indicators", "axis").iter_rows():
        names = (names or "").split()
        unknown = [n for n in names if n not in unit_of]
        problems += [(int(line), "indicators", f"unknown indicator {n!r}") for n in unknown]
        if not kind.startswith("bars"):
            continue
        units = sorted({unit_of[n] for n in names if n in unit_of})
        if not names:
            problems.append((int(line), "indicators", "a bar chart needs its indicators"))
        if len(units) > 1:
            problems.append((int(line), "indicators", f"indicators of different units {units}: "
                             "unlike measures cannot share an axis"))  # fmt: skip
        if axis != "unit":
            problems.append(
                (int(line), "axis", "a bar chart's axis is its indicators' unit: 'unit'")
            )
    return problems


@dataclass(frozen=True)
class Catalog:
    sources: pl.DataFrame
    units: pl.DataFrame
    themes: pl.DataFrame
    indicators: pl.DataFrame
    pii_framework: pl.DataFrame
    pages: pl.DataFrame
    charts: pl.DataFrame
    tables: pl.DataFrame

    def unit_kind(self) -> dict[str, str]:
        return dict(self.units.select("unit_id", "kind").iter_rows())


def load_catalog(data_dir: Path = DATA) -> Catalog:
    path = data_dir / "sources.csv"
    raw = blank_to_null(
        read_table(path, list(_SOURCES_SCHEMA.columns)), [*VALUE_SNIPPETS, *SNIPPETS]
    )
    sources = validate(_SOURCES_SCHEMA, raw, path)
    if errors := detail_errors(sources, path):
        raise DataErrors(errors)
    path = data_dir / "units.csv"
    units = validate(_UNITS_SCHEMA, read_table(path, list(_UNITS_SCHEMA.columns)), path)
    path = data_dir / "themes.csv"
    themes = validate(_THEMES_SCHEMA, read_table(path, list(_THEMES_SCHEMA.columns)), path)
    path = data_dir / "indicators.csv"
    columns = list(_indicators_schema([], [], []).columns)
    optional = [
        "higher_is_better",
        "part_of",
        "share_of",
        "decimals",
        "numerator",
        "denominator",
        "scale",
        "headline",
        *(f"short_name_{lang}" for lang in languages()),
    ]
    raw = blank_to_null(read_table(path, columns), optional)
    numeric = {"scale": pl.Float64, "decimals": pl.Int64, "headline": pl.Int64}
    not_numbers = [
        (int(line), name, "must be a plain number or empty")
        for name, dtype in numeric.items()
        for line in raw.filter(
            pl.col(name).is_not_null() & pl.col(name).cast(dtype, strict=False).is_null()
        )["_line"]
    ]
    raw = raw.with_columns(pl.col(n).cast(d, strict=False) for n, d in numeric.items())
    headlines = raw.filter(pl.col("headline").is_not_null())
    not_numbers += [
        (int(line), "headline", "duplicate headline position")
        for line in headlines.filter(pl.col("headline").is_duplicated())["_line"]
    ]
    bad_bool = raw.filter(
        ~pl.col("higher_is_better").is_in(["true", "false"])
        & pl.col("higher_is_better").is_not_null()
    )
    raw = raw.with_columns(
        pl.col("higher_is_better").replace_strict({"true": True, "false": False}, default=None)
    )
    schema = _indicators_schema(
        themes["theme_id"].to_list(), units["unit_id"].to_list(), raw["indicator_id"].to_list()
    )
    indicators = validate(
        schema,
        raw,
        path,
        extra=[
            (int(line), "higher_is_better", "must be true, false or empty")
            for line in bad_bool["_line"]
        ]
        + not_numbers,
    )
    path = data_dir / "pii_framework.csv"
    ids = indicators["indicator_id"].to_list()
    raw = blank_to_null(
        read_table(path, list(_pii_framework_schema(ids).columns)), ["indicator_id"]
    )
    pillars = [int(p) if p.isdigit() else -1 for p in raw["pillar"]]
    raw = raw.with_columns(pl.Series("pillar", pillars, dtype=pl.Int64))
    framework = validate(_pii_framework_schema(ids), raw, path)
    path = data_dir / "pages.csv"
    raw = blank_to_null(read_table(path, list(_PAGES_SCHEMA.columns)), ["menu"])
    raw = raw.with_columns(
        pl.col("in_pdf").replace_strict({"true": True, "false": False}, default=None)
    )
    pages = validate(_PAGES_SCHEMA, raw, path)
    path = data_dir / "charts.csv"
    schema = _charts_schema(pages["page"].to_list())
    charts = validate(schema, blank_to_null(read_table(path, list(schema.columns))), path)
    problems = _chart_problems(charts, dict(indicators.select("indicator_id", "unit").iter_rows()))
    if problems:
        raise DataErrors([DataError(path, line, field, msg) for line, field, msg in problems])
    return Catalog(sources, units, themes, indicators, framework, pages, charts,
                   load_table_catalog(data_dir))  # fmt: skip


def load_table_catalog(data_dir: Path = DATA) -> pl.DataFrame:
    """The table catalog, data/tables.csv: each published table's name and description in
    every language (an edition's own data product reads it for the tables it adds)."""
    path = data_dir / "tables.csv"
    return validate(_TABLES_SCHEMA, read_table(path, list(_TABLES_SCHEMA.columns)), path)
