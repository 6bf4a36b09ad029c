"""The data product: the curated tables read, checked and published (Parquet, CSV, XLSX,
datapackage). Layer 1: imports only the base (`analysis.paths`, `analysis.base`).

Other packages use the modules listed in `__all__` (`tables`: the one CSV reader that names
file, row and field, for the site's page list too); the rest (`checks`, `catalog`,
`sources`) serve the build of the product itself."""

from __future__ import annotations

import importlib

__all__ = ["dataset", "disputes", "errors", "numbers", "observations", "plan46", "publish", "tables",
           "vocabularies"]  # fmt: skip


def __getattr__(name: str):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
