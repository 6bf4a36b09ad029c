"""The base layer, under every other package (with `analysis.paths` and `analysis.quarto`):
the content-hash cache of build steps and the staging publisher (`steps`), and what a
notebook run read from the data product, with digests of exactly that (`reads`).

It imports nothing of the project but `analysis.paths`, so the data product, the report and
the site can use it, and `analysis.pipeline` only orchestrates."""

from __future__ import annotations

import importlib

__all__ = ["reads", "steps"]


def __getattr__(name: str):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
