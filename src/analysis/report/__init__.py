"""What the notebooks use, and all they need to import: an `Edition` (the data door, the
page's words and figures, its displays), `charts` (the project's chart look and the parts
its charts are composed of, with altair), `metrics` (the analysis rules) and `editions` (an
edition's data product, and what changed between two editions).

Everything else in this package is private to it: `words`, `figures` and `edition` are the
layers of `Edition`; `chart_theme`, `chart_parts` and `chart_exports` are what `charts`
gathers; `i18n` (catalogs, number notation), `catalogs` (extraction and upkeep of the
message catalogs), `data`, `display`, `cite`, `svgtext`, `theme` serve them and the build;
`typeset` sets the chart PDFs and the report with Typst; the build's kernel server loads the
fonts `svgtext` measures with.
Layer 2 of the package: imports the base and the data product, never the site or the pipeline.

Loaded on first use: the build imports `analysis.report.i18n` and `analysis.report.data`
without paying for altair and great_tables (a rebuild with no change stays fast)."""

from __future__ import annotations

import importlib

__all__ = ["Edition", "charts", "cite", "data", "display", "editions", "i18n", "metrics", "svgtext",
           "theme", "typeset"]  # fmt: skip


def __getattr__(name: str):
    if name == "Edition":
        from analysis.report.edition import Edition

        return Edition
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
