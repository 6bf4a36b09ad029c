"""The audit of a built site, whichever renderer built it (pandoc in the tests, Quarto by hand).

In the files: every page of every language is there with `<html lang>` its language, shows
every chart the chart catalog (data/charts.csv) puts on it, each with its image, text
alternative and data table, and its own page and embeddable view (`pages/<lang>/charts/`),
and every link, image, script, stylesheet and download resolves inside the site. In a browser
(chromium, through a local web server): every page loads with no request leaving the site and
no console error or warning (the charts' pages and embeddable views too), shows and draws
every chart the catalog puts on it with none of its text cut off (at desktop and phone
width), the language switch leads to the page's twin, the search finds a Vietnamese word with
and without its diacritics, no page is wider than a 390 px phone screen, the header fits on
one line (1024 and 1280 px), no table cell lies off the screen and a figure's source pop-up
stays inside it. Every chart's exports keep their text inside: the SVG (and the PDF, made
from it at its size) and the layouts the 85 mm and 170 mm PNGs are rendered from.

    python -m tests.site_audit _site [--screenshots DIR]

prints every problem (none: "audit: ok") and with `--screenshots` saves each page at
desktop (1280 px) and phone (390 px) width. One module of some 300 lines because it is also
a command for any built site (Quarto's too): the checks and the scripts they run in the
browser stay together.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

import polars as pl

from analysis.paths import DATA
from analysis.report.display import CHART_PAGES, EMBED_SUFFIX
from analysis.report.i18n import LANGS
from analysis.site.config import PAGES as PAGES_FOLDER
from analysis.site.config import page_dir
from analysis.site.spec import slugs

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PAGES = slugs()  # data/pages.csv, the one list of pages
CHARTS = pl.read_csv(DATA / "charts.csv")  # the chart catalog: each chart's page
LINK = re.compile(r'(?:href|src)="([^"]+)"')
HTML_LANG = re.compile(r'<html[^>]*\slang="([^"]*)"')
FIGURE = re.compile(
    r'<figure class="chart[^"]*" id="chart-(\w+)">(.*?)</figure>', re.S
)  # Quarto adds its own class


def catalog_charts(page: str) -> set[str]:
    """The charts the catalog puts on a page (a page may show others' too: the overview)."""
    return set(CHARTS.filter(pl.col("page") == page)["chart_id"])


def chart_figures(text: str) -> dict[str, str]:
    """A page's chart figures: chart id -> the figure's HTML."""
    return dict(FIGURE.findall(text))


def html_pages(site: Path) -> list[Path]:
    """The site's pages: the root page first, then every language's, and its charts' pages
    and embeddable views (`pages/<lang>/charts/`)."""
    return sorted(site.glob("*.html")) + sorted(
        [
            *(site / PAGES_FOLDER).glob("*/*.html"),
            *(site / PAGES_FOLDER).glob(f"*/{CHART_PAGES}/*.html"),
        ]
    )


def chart_slugs(site: Path, lang: str) -> list[str]:
    """The language's chart pages and embeddable views, as paths below `pages/<lang>/`."""
    folder = page_dir(site, lang) / CHART_PAGES
    return [f"{CHART_PAGES}/{p.stem}" for p in sorted(folder.glob("*.html"))]


def file_problems(site: Path, langs: tuple[str, ...] = LANGS) -> list[str]:
    """What is wrong in the files: missing pages, wrong `lang`, links that lead nowhere or
    out of the site."""
    problems = []
    for lang in langs:
        slugs = {p.stem for p in page_dir(site, lang).glob("*.html")}
        problems += [f"{lang}/{slug}.html is missing" for slug in sorted(set(PAGES) - slugs)]
    problems += chart_problems(site, langs)
    for page in html_pages(site):
        where = page.relative_to(site).as_posix()
        text = page.read_text(encoding="utf-8")
        found = HTML_LANG.search(text)
        parts = page.relative_to(site).parts  # pages/<lang>/..., or the root page
        expected = parts[1] if len(parts) > 2 else LANGS[0]
        if not found or found[1] != expected:
            problems.append(f"{where}: <html lang> is {found and found[1]!r}, not {expected!r}")
        for target in LINK.findall(text):
            url = urlparse(html.unescape(target))
            if url.scheme in ("http", "https") or target.startswith("//"):
                problems.append(f"{where}: links out of the site: {target}")
            elif url.scheme in ("mailto", "data") or target.startswith("#"):
                continue
            elif not (page.parent / unquote(url.path)).resolve().is_file():
                problems.append(f"{where}: broken link {target}")
    return problems


def chart_problems(site: Path, langs: tuple[str, ...] = LANGS) -> list[str]:
    """Charts the catalog puts on a page that it does not show, charts not in the catalog,
    and figures without their image (its text alternative the chart's description) or
    without their data table."""
    problems = []
    for lang in langs:
        for slug in PAGES:
            path = page_dir(site, lang) / f"{slug}.html"
            if not path.is_file():
                continue  # named missing above
            where, figures = f"{lang}/{slug}.html", chart_figures(path.read_text(encoding="utf-8"))
            problems += [f"{where}: does not show the chart {chart} (the catalog puts it here)"
                         for chart in sorted(catalog_charts(slug) - figures.keys())]  # fmt: skip
            problems += [f"{where}: shows the chart {chart}, which is not in the catalog"
                         for chart in sorted(figures.keys() - set(CHARTS["chart_id"]))]  # fmt: skip
            for chart, figure in figures.items():
                # Named by its title, described by its description (behind a disclosure).
                if not re.search(rf'<img src="[^"]*/{chart}-{lang}\.svg" alt="[^"]{{5,}}" '
                                 rf'aria-describedby="desc-{chart}"', figure) or not re.search(
                    rf'<p id="desc-{chart}"[^>]*>[^<]{{10,}}</p>', figure
                ):  # fmt: skip
                    problems.append(f"{where}: chart {chart} has no image described in its alt")
                if figure.count("<details><summary>") != 1:
                    problems.append(f"{where}: chart {chart} has no data table")
                for own in (chart, f"{chart}{EMBED_SUFFIX}"):
                    if not (page_dir(site, lang) / CHART_PAGES / f"{own}.html").is_file():
                        problems.append(
                            f"{where}: chart {chart} has no page {CHART_PAGES}/{own}.html"
                        )
    return problems


@contextmanager
def serve(site: Path):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # a browser that drops a connection it no longer needs is no problem

    httpd = Server(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# Chart texts that stick out of their chart (cut off by its drawing or its box): e.g. axis
# labels measured in a fallback font before the page's font loaded, then drawn wider in the
# page's font, or a legend wider than the chart.
OUTSIDE = """(r, b) => r.width > 0 &&
  (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1)"""
TEXT_OUTSIDE_CHART = f"""() => [...document.querySelectorAll('.vega-chart')].flatMap(chart => {{
  const outside = {OUTSIDE}, box = chart.getBoundingClientRect();
  return [...chart.querySelectorAll('svg text')].filter(text => {{
    const r = text.getBoundingClientRect();
    return outside(r, box) || outside(r, text.ownerSVGElement.getBoundingClientRect());
  }}).map(text => text.textContent);
}})"""
# An exported chart's texts (outlined: each a group of glyphs named by its words) that stick
# out of the SVG's drawing, its viewBox drawn at its own size.
TEXT_OUTSIDE_SVG = f"""() => {{
  const outside = {OUTSIDE}, svg = document.querySelector('svg');
  const [, , width, height] = svg.getAttribute('viewBox').split(/[\\s,]+/).map(Number);
  const box = svg.getBoundingClientRect();
  const sized = Math.abs(box.width - width) < 1 && Math.abs(box.height - height) < 1;
  return (sized ? [] : ['the SVG is not drawn at its viewBox size'])
    .concat([...svg.querySelectorAll('g[aria-label]')]
      .filter(g => outside(g.getBoundingClientRect(), box))
      .map(g => g.getAttribute('aria-label')));
}}"""
# The header on one line (at 1024 px and wider): the brand, each top-level entry and the page's
# tools side by side (their boxes share a band), and no label wrapped onto a second line. The
# same for pandoc's header and Quarto's navbar.
HEADER_ITEMS = (".site-header > .site-title, .site-header .nav-items > li, .site-header .page-tools, "
                ".navbar-brand, .navbar-nav > .nav-item, .navbar .page-tools")  # fmt: skip
HEADER_LABELS = (".site-title, .nav-items > li > a, .nav-menu summary, .navbar-title, "
                 ".navbar-nav > .nav-item > .nav-link, .page-tools .lang-switch")  # fmt: skip
HEADER_LINES = f"""() => {{
  const shown = el => el.getClientRects().length > 0;
  const boxes = [...document.querySelectorAll('{HEADER_ITEMS}')].filter(shown)
    .map(el => el.getBoundingClientRect());
  const band = Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom));
  const wrapped = [...document.querySelectorAll('{HEADER_LABELS}')].filter(shown).filter(el => {{
    const range = document.createRange();
    range.selectNodeContents(el);
    const bottoms = [...range.getClientRects()].filter(r => r.width > 0).map(r => r.bottom)
      .sort((a, b) => a - b);
    return bottoms.some((b, i) => i > 0 && b - bottoms[i - 1] > 8);
  }}).map(el => el.textContent.trim());
  return {{items: boxes.length, band, wrapped}};
}}"""
# Table cells (headings included) shown (not in a closed disclosure) with any part outside the
# screen's width.
CELLS_OFF_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('main td, main th')].filter(cell => {
    const r = cell.getBoundingClientRect();
    return cell.checkVisibility() && (r.left < -0.5 || r.right > width + 0.5);
  }).map(cell => cell.textContent.trim().slice(0, 40));
}"""
# The traced figure nearest the screen's right edge, focused: the pop-up with its source, and
# whether it lies inside the screen (null: the page has no traced figure).
RIGHTMOST_FIGURE_POPUP = """() => {
  const figures = [...document.querySelectorAll('.fig')].filter(f => f.getClientRects().length);
  if (!figures.length) return null;
  const right = f => f.getBoundingClientRect().right;
  const figure = figures.reduce((a, b) => (right(b) > right(a) ? b : a));
  figure.scrollIntoView({block: 'center'});
  figure.focus();
  const popup = document.getElementById('fig-popup');
  if (!popup || popup.hidden) return {shown: false};
  const r = popup.getBoundingClientRect();
  const inside = r.left >= 0 && r.top >= 0 && r.right <= document.documentElement.clientWidth
    && r.bottom <= window.innerHeight;
  const text = popup.textContent;
  figure.blur();
  return {shown: true, inside, text, box: [r.left, r.top, r.right, r.bottom]};
}"""


def reading_problems(page, width: int) -> list[str]:
    """What stops a reader at this width: a header on more than one line (1024 px and wider),
    a table cell off the screen, a figure's source pop-up outside it."""
    problems = []
    if width >= 1024:
        header = page.evaluate(HEADER_LINES)
        if not header["band"] or header["wrapped"]:
            problems.append(f"header not on one line at {width} px: wrapped {header['wrapped']}")
    if cells := page.evaluate(CELLS_OFF_SCREEN):
        problems.append(f"{len(cells)} table cells off the screen at {width} px: {cells[:3]}")
    popup = page.evaluate(RIGHTMOST_FIGURE_POPUP)
    if popup is not None and not (popup["shown"] and popup["inside"]):
        problems.append(f"source pop-up not shown inside the screen at {width} px: {popup}")
    return problems


MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")
SVG_SIZE = re.compile(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"')


def drawn_charts(page, note) -> None:
    """Wait until every chart on `page` is drawn; note those that are not."""
    charts = page.locator(".vega-chart").count()
    try:
        page.wait_for_function(
            f"document.querySelectorAll('.vega-chart svg').length >= {charts}", timeout=15_000
        )
    except Exception:
        note(f"{charts} charts, not all drawn")


def browser_problems(site: Path, server: str, browser, langs: tuple[str, ...] = LANGS,
                     screenshots: Path | None = None) -> list[str]:  # fmt: skip
    """What goes wrong in a browser: outside requests, console errors, undrawn charts, a
    language switch that misses the twin page, a search that finds nothing."""
    page = browser.new_page()
    problems: list[str] = []
    current = [""]

    def note(problem: str) -> None:
        problems.append(f"{current[0]}: {problem}")

    page.on("console", lambda m: note(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: note(str(e)))
    page.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:"))
            else note(f"request out of the site: {r.url}"))  # fmt: skip
    for lang in langs:
        for slug in [*PAGES, *chart_slugs(site, lang)]:
            current[0] = f"{PAGES_FOLDER}/{lang}/{slug}.html"
            page.goto(f"{server}/{current[0]}", wait_until="load")
            charts = page.locator(".vega-chart").count()
            # A chart's page and its embeddable view show their chart.
            expected = len(catalog_charts(slug)) if slug in PAGES else 1
            if charts < expected:
                note(f"{charts} charts, {expected} expected here")
            drawn_charts(page, note)
            embed = slug.endswith(EMBED_SUFFIX)  # no navigation, no language switch
            for other in (o for o in langs if o != lang and not embed):
                # The link as the browser resolves it (Quarto's script rewrites its navbar's,
                # `index.html` to the folder's URL).
                hrefs = page.eval_on_selector_all(
                    f'a[hreflang="{other}"]', "as => as.map(a => a.href)"
                )
                twin = f"{server}/{PAGES_FOLDER}/{other}/{slug}.html"
                if twin not in hrefs and twin.replace("/index.html", "/") not in hrefs:
                    note(f"no language switch to ../{other}/{slug}.html: {hrefs}")
            for width in (1280, 390):
                page.set_viewport_size({"width": width, "height": 900})
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide > width:
                    note(f"{wide} px wide at {width} px")
                if charts:  # charts are laid out to the screen they are opened on
                    page.goto(f"{server}/{current[0]}", wait_until="load")
                    drawn_charts(page, note)
                    outside = page.evaluate(TEXT_OUTSIDE_CHART)
                    if outside:
                        note(f"chart text cut off at {width} px: {outside[:3]}")
                for problem in reading_problems(page, width):
                    note(problem)
                if screenshots:
                    page.screenshot(
                        path=screenshots / f"{lang}-{slug.replace('/', '-')}-{width}.png",
                        full_page=True,
                    )
            page.set_viewport_size({"width": 1024, "height": 900})  # a small laptop
            for problem in reading_problems(page, 1024):
                note(problem)
            page.set_viewport_size({"width": 1280, "height": 900})
    if "vi" in langs:
        for query in ("tiến sĩ", "tien si"):
            current[0] = f"search {query!r}"
            page.goto(f"{server}/{PAGES_FOLDER}/vi/index.html")
            page.fill(".pagefind-ui__search-input", query)
            try:
                page.wait_for_selector(".pagefind-ui__result", timeout=15_000)
            except Exception:
                note("no result")
    current[0] = "index.html"
    page.goto(f"{server}/index.html")
    page.wait_for_url(f"{server}/{PAGES_FOLDER}/{LANGS[0]}/index.html")
    page.close()
    return problems


def export_problems(site: Path, browser) -> list[str]:
    """Chart text outside its exports: every chart's SVG as published, its PDF (the SVG set
    at its own size: the page must be the SVG's), and each layout a PNG is rendered from
    (`charts.print_layouts`: the 85 mm column's is laid out narrower), drawn as SVG with its
    text outlined in the shipped fonts, so the glyphs' boxes are exact."""
    import json

    import vl_convert as vlc

    from analysis.paths import FONT_DIR
    from analysis.report import charts
    from analysis.report.i18n import D3_LOCALE
    from analysis.report.svgtext import outline_text

    charts.setup()
    specs = sorted((site / "charts").glob("*/*.vl.json"))
    problems = [] if specs else ["charts/: no chart exports"]
    page = browser.new_page()
    for spec_file in specs:
        stem = spec_file.name.removesuffix(".vl.json")
        where = f"{spec_file.parent.relative_to(site).as_posix()}/{stem}"
        svg = spec_file.with_name(f"{stem}.svg").read_text(encoding="utf-8")
        drawn = {"svg": svg}
        spec = json.loads(spec_file.read_text(encoding="utf-8"))
        locale = D3_LOCALE[stem.rsplit("-", 1)[1]]
        for name, layout in charts.print_layouts(spec).items():
            if layout != spec:  # else the PNG is drawn as the SVG is
                drawn[f"{name} png"] = outline_text(
                    vlc.vegalite_to_svg(layout, format_locale=locale), FONT_DIR
                )
        for name, text in drawn.items():
            page.set_content(text)
            if outside := page.evaluate(TEXT_OUTSIDE_SVG):
                problems.append(f"{where} {name}: text outside the chart: {outside[:3]}")
        pdf = MEDIA_BOX.search(spec_file.with_name(f"{stem}.pdf").read_bytes())
        svg_px = [float(v) for v in SVG_SIZE.search(svg).groups()]
        pdf_px = [float(v) * 96 / 72 for v in pdf.groups()] if pdf else [0, 0]  # points -> px
        if any(abs(a - b) >= 1 for a, b in zip(pdf_px, svg_px, strict=True)):
            problems.append(f"{where} pdf: its page is {pdf_px} px, not the SVG's {svg_px}")
    page.close()
    return problems


def audit(site: Path, langs: tuple[str, ...] = LANGS, screenshots: Path | None = None) -> list[str]:
    problems = file_problems(site, langs)
    with serve(site) as server, chromium() as browser:
        problems += browser_problems(site, server, browser, langs, screenshots)
        problems += export_problems(site, browser)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--screenshots", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    problems = audit(args.site, screenshots=args.screenshots)
    for problem in problems:
        print(problem)
    print(f"audit: {len(problems)} problems" if problems else "audit: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
