"""What the notebooks use: an `Edition` (data, words, displays), the chart makers and the
analysis rules (`metrics`). Layer 2: imports the base and the data product, never the site
or the pipeline.

Loaded on first use: the build imports `analysis.report.i18n` and `analysis.report.data`
without paying for altair and great_tables (a rebuild with no change stays fast)."""

from __future__ import annotations

import importlib

__all__ = ["Edition", "charts", "cite", "data", "display", "i18n", "metrics", "theme"]


def __getattr__(name: str):
    if name == "Edition":
        from analysis.report.edition import Edition

        return Edition
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
