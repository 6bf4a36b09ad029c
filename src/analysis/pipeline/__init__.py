"""Building, the top layer under the `sti` command: it orchestrates the data product, the
notebook runs and the site (`build`), runs the notebooks in kernels started ahead
(`notebooks`, `kernels`, `forkserver`), exports charts beside the runs (`exports`) and
measures it all (`bench`); `editions` keeps the published editions (which, their data
products, the frozen ones and the site of them all). Nothing below it imports it.

The command uses the modules listed in `__all__`."""

from __future__ import annotations

import importlib

__all__ = ["bench", "build", "editions", "notebooks"]


def __getattr__(name: str):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
