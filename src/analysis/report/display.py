"""The output contract between the notebooks and the site's renderers.

A chart cell run for the site displays one bundle: `text/html` holding the whole figure
(the static SVG export, which Vega draws over where scripts run; the title, text
description and citation line, which names the chart's sources; the downloads; the data
table) and the standard Vega-Lite MIME type holding the spec. Renderers (Quarto, pandoc)
pass the HTML through unchanged: the site's script draws every `.vega-chart` from the spec
in the script element its `data-spec` names. Print leaves out whatever is marked
`screen-only`.

In JupyterLab (no `chart_href`: nothing is published) a chart displays the spec alone,
because JupyterLab prefers HTML to Vega-Lite when a bundle holds both, and the spec is
what draws an interactive chart there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
HTML_MIME = "text/html"
SCREEN_ONLY = "screen-only"
CHART_CLASS = "vega-chart"
# An empty element of this class with `data-file="<path from the site's root>"` stands where a
# file's size goes: the site's build writes it in once the file is made (analysis.site.build).
FILE_SIZE_CLASS = "file-size"
# What each export is called on a page, by file suffix (the files `charts.export_files` names).
EXPORT_LABELS = {
    ".svg": "SVG", ".pdf": "PDF", "-85mm.png": "PNG 85 mm", "-170mm.png": "PNG 170 mm",
    ".vl.json": "Vega-Lite", ".csv": "CSV", ".cite.txt": "Citation", ".zip": "ZIP",
}  # fmt: skip


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                       autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True)  # fmt: skip


def _template():
    return _environment().get_template("chart_figure.html")


def render(template: str, **values) -> str:
    """One of the report's small HTML templates (`templates/<template>`), autoescaped:
    text is escaped, `Markup` (HTML made by a template) is kept."""
    return _environment().get_template(template).render(**values)


@dataclass(frozen=True)
class ChartFigure:
    """Everything a page shows of one chart, in the page's language."""

    chart_id: str
    title: str
    description: str
    citation: str  # the chart's citation, with its sources
    spec: dict
    svg_href: str
    downloads: list[tuple[str, str]]  # (label, href)
    columns: list[str]
    rows: list[list[str]]
    table_caption: str
    downloads_label: str

    def html(self) -> str:
        """The figure's HTML (templates/chart_figure.html), every text escaped."""
        # No "<" inside the script element: JSON's \u003c keeps data from closing the tag.
        spec = json.dumps(self.spec, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values |= {"spec": Markup(spec), "chart_class": CHART_CLASS, "screen_only": SCREEN_ONLY}
        return _template().render(values).strip()

    def bundle(self) -> dict:
        return {HTML_MIME: self.html(), VEGALITE_MIME: self.spec}


def interactive_bundle(spec: dict, description: str) -> dict:
    """What JupyterLab draws: the spec, and the description for plain-text readers."""
    return {VEGALITE_MIME: spec, "text/plain": description}
