"""Each chart's own page, `pages/<lang>/charts/<chart_id>.html`, and its embeddable view,
`<chart_id>-embed.html` beside it.

A chart's page is staged like any page (`pages/<lang>/charts/<chart_id>.md`, Markdown with
raw HTML, rendered by Quarto or pandoc in the site's chrome): the chart at the column's
width, its caption and source, its description and data table behind disclosures, every
download, its citation with the page's address and an access date, and the HTML that embeds
it elsewhere. The embeddable view is the chart alone (caption, source and a link back, no
navigation): a plain page written after rendering, since no renderer's chrome belongs on it.

Both are made from the figures the notebooks displayed (`display.CHART_MIME`), so a chart's
page shows what its theme page shows. Every link is relative: the edition's tree can be
published under another folder. What a static file cannot know (the address it is read at,
today's date) it leaves to the site's script (site/charts.js), with a placeholder in the
file, so that two builds stay identical.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

from markupsafe import Markup

from analysis.paths import DATA
from analysis.report.cite import Citation, site_url
from analysis.report.display import (
    CHART_PAGES,
    EMBED_SUFFIX,
    ChartFigure,
    chart_figures,
)
from analysis.report.i18n import t
from analysis.site.config import PAGES, ROOT_FROM_PAGE, page_dir, render
from analysis.site.spec import notebook_pages
from analysis.site.stage import (
    CHART_LAYOUT_ID,
    chart_layout,
    chart_layout_numbers,
    front_matter,
    language_links,
    page_tools,
    raw_html,
    read_notebook,
)

CHARTS_FILE = DATA / "charts.csv"  # the chart catalog: the page each chart belongs to
ROOT_FROM_CHART_PAGE = ROOT_FROM_PAGE + "../"  # pages/<lang>/charts/ -> the site's root
# Each export's note on a chart's page (`export_note.<key>` in the catalogs), by the suffix
# `charts.export_files` names it with; a PNG's note says its resolution and width.
EXPORT_NOTES = {
    ".svg": "svg", ".pdf": "pdf", "-85mm.png": "png_85mm", "-170mm.png": "png_170mm",
    ".vl.json": "vega_lite", ".csv": "csv", ".cite.txt": "citation", ".zip": "zip",
}  # fmt: skip
# The embed's height: the chart drawn a little larger than its export (charts.js scales
# charts up so that their text reads at the screen size), and room for its caption lines.
EMBED_SCALE, EMBED_CAPTION_PX = 1.25, 150
SVG_HEIGHT = re.compile(r'<svg[^>]*\sheight="([\d.]+)"')


def chart_slug(chart_id: str) -> str:
    """A chart page's path below `pages/<lang>/`, without `.html`."""
    return f"{CHART_PAGES}/{chart_id}"


def catalog_pages(path: Path = CHARTS_FILE) -> dict[str, str]:
    """Chart id -> the page the chart catalog puts it on."""
    with path.open(encoding="utf-8", newline="") as f:
        return {row["chart_id"]: row["page"] for row in csv.DictReader(f)}


def notebook_figures(notebook: Path) -> list[ChartFigure]:
    """The chart figures an executed notebook displayed, in order."""
    cells = read_notebook(notebook)["cells"]
    return chart_figures([out.get("data", {}) for cell in cells for out in cell.get("outputs", [])])


def staged_figures(notebook_dir: Path) -> dict[str, tuple[ChartFigure, str]]:
    """Every chart the executed notebooks of one language show, once, with the page it
    belongs to: the catalog's, where that page was built, else the first that shows it."""
    slugs, homes = notebook_pages(), catalog_pages()
    found: dict[str, tuple[ChartFigure, str]] = {}
    for notebook in sorted(notebook_dir.glob("*.ipynb")):
        slug = slugs[notebook.stem]
        for figure in notebook_figures(notebook):
            if figure.chart_id not in found or homes.get(figure.chart_id) == slug:
                found[figure.chart_id] = (figure, slug)
    return dict(sorted(found.items()))


def page_address(figure: ChartFigure) -> str:
    """The chart page's published address, or "" while the site has none."""
    url = site_url(figure.lang)
    return f"{url}/{PAGES}/{figure.lang}/{chart_slug(figure.chart_id)}.html" if url else ""


def embed_height(figure: ChartFigure, chart_dir: Path) -> int:
    """The iframe's height for the embed: the exported SVG's, scaled, and its caption."""
    svg = (chart_dir / Path(figure.svg).name).read_text(encoding="utf-8")
    return math.ceil(float(SVG_HEIGHT.search(svg)[1]) * EMBED_SCALE) + EMBED_CAPTION_PX


def embed_snippet(figure: ChartFigure, height: int) -> str:
    """The HTML another site pastes to show the chart. Its address: the published one, else
    the embed's own file name, which the page's script makes absolute where it is read."""
    published = page_address(figure)
    src = (published.removesuffix(".html") + f"{EMBED_SUFFIX}.html" if published
           else f"{figure.chart_id}{EMBED_SUFFIX}.html")  # fmt: skip
    return render("chart_embed_snippet.html", src=src, title=figure.title, height=height).strip()


def citation_parts(figure: ChartFigure) -> tuple[str, str, str]:
    """The chart's citation around its address (the site's, or that it has none), which the
    chart's page gives as its own: text before, the page's address, text after."""
    site_address = Citation.address(figure.lang)
    before, found, after = figure.citation.partition(site_address)
    if not found:
        raise ValueError(
            f"{figure.chart_id}: its citation does not hold the address {site_address!r}"
        )
    return before, page_address(figure) or site_address, after


def downloads(figure: ChartFigure) -> list[tuple[str, str, str]]:
    """The chart's downloads as its page lists them: (label, path, what the file is)."""
    # Here: the chart modules load altair, which no build that reuses its site needs.
    from analysis.report.charts import PRINT_DPI, WIDTHS_MM

    listed = []
    for label, path in figure.downloads:
        key = next((key for suffix, key in EXPORT_NOTES.items()
                    if path.endswith(f"-{figure.lang}{suffix}")), None)  # fmt: skip
        if key is None:
            raise ValueError(
                f"{figure.chart_id}: {path} is none of the exports {list(EXPORT_NOTES)}"
            )
        size = (
            {"dpi": PRINT_DPI, "mm": WIDTHS_MM[key.removeprefix("png_")]}
            if key.startswith("png_")
            else {}
        )
        listed.append((label, path, t(f"export_note.{key}", figure.lang, **size)))
    return listed


def chart_page_text(figure: ChartFigure, home: str, chart_dir: Path) -> str:
    """One chart page's file: front matter, tools, then the page (site/templates/chart_page.html)."""
    lang, slug = figure.lang, chart_slug(figure.chart_id)
    alternates, _ = language_links(lang, slug)
    meta = {"title": figure.title, "lang": lang,
            "include-in-header": [{"text": alternates}]}  # fmt: skip
    front = front_matter(meta)
    before, address, after = citation_parts(figure)
    words = {key: t(f"chart_page.{key}", lang) for key in
             ("part_of", "cite", "accessed", "access_date", "embed", "embed_help", "embed_code",
              "copy", "copied")}  # fmt: skip
    body = render(
        "chart_page.html", lang=lang, root=ROOT_FROM_CHART_PAGE,
        figure=Markup(figure.html(ROOT_FROM_CHART_PAGE, state=True)),
        home_href=f"../{home}.html", home_title=t(f"page.{home}", lang),
        downloads=downloads(figure),
        downloads_heading=t("downloads", lang), cite=(before, address, after),
        accessed=words["accessed"].split("{date}"), snippet=embed_snippet(figure, embed_height(figure, chart_dir)),
        words=words,
    )  # fmt: skip
    # Markdown headings (a table of contents lists them), each section's HTML passed as is.
    sections = [raw_html(part.strip()) if not part.startswith("## ") else part.strip()
                for part in re.split(r"^(## .+)$", body, flags=re.M) if part.strip()]  # fmt: skip
    tools = page_tools(lang, slug) + "\n\n" + chart_layout()
    return f"---\n{front}---\n\n{tools}\n\n" + "\n\n".join(sections) + "\n"


def stage_chart_pages(build: Path, lang: str, root: Path) -> list[Path]:
    """Every chart the language's notebooks show, as `root/pages/<lang>/charts/<id>.md`."""
    target = page_dir(root, lang) / CHART_PAGES
    target.mkdir(parents=True, exist_ok=True)
    staged = []
    for chart_id, (figure, home) in staged_figures(build / "notebooks" / lang).items():
        staged.append(target / f"{chart_id}.md")
        staged[-1].write_text(chart_page_text(figure, home, build / "charts"), encoding="utf-8")
    return staged


def embed_page(figure: ChartFigure) -> str:
    """The chart alone, for an iframe: its figure, caption, source and a link to its page."""
    lang = figure.lang
    return render(
        "chart_embed.html", lang=lang, root=ROOT_FROM_CHART_PAGE, title=figure.title,
        site_title=t("site.title", lang),
        figure=Markup(figure.html(ROOT_FROM_CHART_PAGE, state=True, compact=True)),
        page_href=f"{figure.chart_id}.html", view=t("chart_page.view", lang),
        layout_id=CHART_LAYOUT_ID, layout=chart_layout_numbers(),
    )  # fmt: skip


def write_embeds(site: Path, build: Path, lang: str) -> list[Path]:
    """Each chart page's embeddable view, beside it in the site."""
    folder = page_dir(site, lang) / CHART_PAGES
    written = []
    for chart_id, (figure, _) in staged_figures(build / "notebooks" / lang).items():
        folder.mkdir(parents=True, exist_ok=True)
        written.append(folder / f"{chart_id}{EMBED_SUFFIX}.html")
        written[-1].write_text(embed_page(figure), encoding="utf-8")
    return written
