"""The report site: Quarto project configuration, staged pages, the pandoc renderer, the PDF.
Layer 3: imports the base, the data product and the report, never `analysis.pipeline`.

Other packages use `build` (and its `build_site`, `SITE`), `config`, `spec` (the page list,
data/pages.csv), `profiles` (the Quarto profiles made from it) and `editions` (an edition's
banner and switch where it is published, the list of editions); `stage`, `pages`, `pdf`
and `fonts` serve the build of the site."""

from __future__ import annotations

import importlib

__all__ = ["SITE", "build", "build_site", "config", "editions", "profiles", "spec"]


def __getattr__(name: str):
    # Loaded on first use: reading the configuration does not import the renderers.
    if name in ("build_site", "SITE"):
        from analysis.site import build

        return {"build_site": build.build_site, "SITE": build.SITE}[name]
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
