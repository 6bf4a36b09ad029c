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

import html
import json
from dataclasses import dataclass

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
HTML_MIME = "text/html"
SCREEN_ONLY = "screen-only"
CHART_CLASS = "vega-chart"
# What each export is called on a page, by file suffix (the files `charts.export_files` names).
EXPORT_LABELS = {
    ".svg": "SVG", ".pdf": "PDF", "-85mm.png": "PNG 85 mm", "-170mm.png": "PNG 170 mm",
    ".vl.json": "Vega-Lite", ".csv": "CSV", ".cite.txt": "Citation", ".zip": "ZIP",
}  # fmt: skip


def escape(text: object) -> str:
    return html.escape(str(text), quote=True)


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
        cid = escape(self.chart_id)
        # No "<" inside the script element: JSON's \u003c keeps data from closing the tag.
        spec = json.dumps(self.spec, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
        links = " · ".join(
            f'<a href="{escape(href)}" download>{escape(label)}</a>'
            for label, href in self.downloads
        )
        head = "".join(f'<th scope="col">{escape(c)}</th>' for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
            for row in self.rows
        )
        return (
            f'<figure class="chart" id="chart-{cid}">\n'
            f'<div class="{CHART_CLASS}" data-spec="spec-{cid}">'
            f'<img src="{escape(self.svg_href)}" alt="{escape(self.description)}" loading="lazy"></div>\n'
            f'<script type="application/json" id="spec-{cid}">{spec}</script>\n'
            f"<figcaption><strong>{escape(self.title)}</strong>. "
            f'<span class="{SCREEN_ONLY}">{escape(self.description)}.</span> '
            f'<br><span class="source">{escape(self.citation)}</span>'
            f'<span class="downloads {SCREEN_ONLY}"><br>{escape(self.downloads_label)}: {links}</span>'
            f"</figcaption>\n"
            f'<div class="{SCREEN_ONLY}"><details><summary>{escape(self.table_caption)}</summary>\n'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details></div>\n"
            f"</figure>"
        )

    def bundle(self) -> dict:
        return {HTML_MIME: self.html(), VEGALITE_MIME: self.spec}


def interactive_bundle(spec: dict, description: str) -> dict:
    """What JupyterLab draws: the spec, and the description for plain-text readers."""
    return {VEGALITE_MIME: spec, "text/plain": description}
