"""The output contract between the notebooks and the site's renderers.

A chart cell run for the site displays one bundle: `text/html` holding the whole figure
(the static SVG export, which Vega draws over where scripts run; the title, a one-line
caption and the citation line, which names the chart's sources; a link to the chart's own
page; the downloads; the text description and the data table, each behind a disclosure),
the standard Vega-Lite MIME type holding the spec, and `CHART_MIME` holding the rest of the
figure as data (`ChartFigure.record`), from which the site makes the chart's own page and
its embeddable view. Renderers (Quarto, pandoc) pass the HTML through unchanged: the
site's script draws every `.vega-chart` from the spec in the script element its `data-spec`
names. Print leaves out whatever is marked `screen-only`.

In JupyterLab (no `chart_href`: nothing is published) a chart displays the spec alone,
because JupyterLab prefers HTML to Vega-Lite when a bundle holds both, and the spec is
what draws an interactive chart there.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
HTML_MIME = "text/html"
CHART_MIME = "application/vnd.cantho-sti.chart+json"  # a figure as data, for its own page
SCREEN_ONLY = "screen-only"
CHART_CLASS = "vega-chart"
# An empty element of this class with `data-file="<path from the site's root>"` stands where a
# file's size goes: the site's build writes it in once the file is made (analysis.site.build).
FILE_SIZE_CLASS = "file-size"
# Each chart's own page sits in this folder beside the pages that show the chart:
# pages/<lang>/charts/<chart_id>.html, its embeddable view <chart_id>-embed.html.
CHART_PAGES = "charts"
EMBED_SUFFIX = "-embed"
# The words a figure shows besides its own texts: label keys of the message catalogs.
FIGURE_LABELS = ("export_citation", "downloads", "data_table", "chart_description",
                 "chart_page.open", "chart_page.highlight", "chart_page.highlight_none")  # fmt: skip
# Charts are drawn at least this size of text on screens (site/charts.js scales them up).
SCREEN_TEXT_PX = 12
# What each export is called on a page, by file suffix (the files `charts.export_files` names),
# in the order pages list them: images, then data, citation and the bundle of them all.
EXPORT_LABELS = {
    ".svg": "SVG", ".pdf": "PDF", "-85mm.png": "PNG 85 mm", "-170mm.png": "PNG 170 mm",
    ".vl.json": "Vega-Lite", ".csv": "CSV", ".cite.txt": "Citation", ".zip": "ZIP",
}  # fmt: skip


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                       autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True)  # fmt: skip


def template_names() -> list[str]:
    return _environment().list_templates()


def compiled(template: str) -> Template:
    """One of the report's small HTML templates (`templates/<template>`), compiled once per
    process (again if the file changed)."""
    return _environment().get_template(template)


def _template():
    return compiled("chart_figure.html")


def render(template: str, **values) -> str:
    """One of the report's small HTML templates (`templates/<template>`), autoescaped:
    text is escaped, `Markup` (HTML made by a template) is kept."""
    return compiled(template).render(**values)


def chart_page_href(chart_id: str) -> str:
    """A chart's own page, from a page that shows the chart."""
    return f"{CHART_PAGES}/{chart_id}.html"


@dataclass(frozen=True)
class ChartFigure:
    """Everything a page shows of one chart, in the page's language. Paths (`svg`,
    `downloads`) are from the site's root; a page gives its way there (`root`)."""

    chart_id: str
    lang: str
    title: str
    caption: str  # one line: what the chart shows
    description: str  # the text alternative, in full
    citation: str  # the chart's citation line (its .cite.txt), with its sources
    spec: dict
    svg: str
    downloads: list[tuple[str, str]]  # (label, path)
    columns: list[str]
    rows: list[list[str]]
    labels: dict[str, str]  # FIGURE_LABELS in the page's language

    def html(self, root: str, page_href: str | None = None, state: bool = False,
             compact: bool = False) -> str:  # fmt: skip
        """The figure's HTML (templates/chart_figure.html), every text escaped. `root`: the
        site's root from the page; `page_href`: the chart's own page (none on that page
        itself, which shows title and downloads apart); `state`: the chart keeps what a
        reader highlights in the page's address (the chart's page and its embed); `compact`:
        the embed's figure, its description for screen readers only, no data table."""
        # No "<" inside the script element: JSON's \u003c keeps data from closing the tag.
        spec = json.dumps(self.spec, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values |= {"spec": Markup(spec), "chart_class": CHART_CLASS, "screen_only": SCREEN_ONLY,
                   "root": root, "page_href": page_href, "state": state,
                   "compact": compact}  # fmt: skip
        return _template().render(values).strip()

    def record(self) -> dict:
        """The figure as data (`CHART_MIME`), its spec left out: the bundle holds it already."""
        record = asdict(self)
        del record["spec"]
        return record

    @classmethod
    def from_record(cls, record: dict, spec: dict) -> ChartFigure:
        values = {**record, "spec": spec}
        values["downloads"] = [tuple(pair) for pair in values["downloads"]]
        return cls(**values)

    def bundle(self, root: str) -> dict:
        html = self.html(root, chart_page_href(self.chart_id))
        return {HTML_MIME: html, VEGALITE_MIME: self.spec, CHART_MIME: self.record()}


def chart_figures(outputs: list[dict]) -> list[ChartFigure]:
    """The chart figures among a notebook's outputs (their `data` bundles), in order."""
    return [ChartFigure.from_record(data[CHART_MIME], data[VEGALITE_MIME])
            for data in outputs if CHART_MIME in data]  # fmt: skip


def interactive_bundle(spec: dict, description: str) -> dict:
    """What JupyterLab draws: the spec, and the description for plain-text readers."""
    return {VEGALITE_MIME: spec, "text/plain": description}
