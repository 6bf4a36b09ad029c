"""What the notebooks use: an `Edition` (data, words, displays), the chart makers and the
analysis rules (`metrics`).

Loaded on first use: the build imports `analysis.report.i18n` and `analysis.report.data`
without paying for altair and great_tables (a rebuild with no change stays fast)."""

from __future__ import annotations

import importlib

__all__ = ["Edition", "charts", "metrics"]


def __getattr__(name: str):
    if name == "Edition":
        from analysis.report.edition import Edition

        return Edition
    if name in ("charts", "metrics"):
        return importlib.import_module(f"analysis.report.{name}")
    raise AttributeError(f"module 'analysis.report' has no attribute {name!r}")
