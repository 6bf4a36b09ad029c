"""The report site: Quarto project configuration, staged pages, the pandoc renderer, the PDF."""

from __future__ import annotations


def __getattr__(name: str):
    # Loaded on first use: reading the configuration does not import the renderers.
    if name in ("build_site", "SITE"):
        from analysis.site import build

        return {"build_site": build.build_site, "SITE": build.SITE}[name]
    raise AttributeError(f"module 'analysis.site' has no attribute {name!r}")
