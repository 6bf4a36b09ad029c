"""The report site and PDF: pages, links, escaping, offline; then the browser tests."""

from __future__ import annotations

import html
import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

import polars as pl
import pytest

from analysis.paths import DATA
from analysis.report.display import ChartFigure
from analysis.site import config as site_config

CHROMIUM = Path("/usr/bin/chromium")
LANGS = ("vi", "en")
PAGES = pl.read_csv(DATA / "pages.csv")["page"].to_list()


def html_pages(root: Path) -> list[Path]:
    return sorted(root.glob("*.html")) + sorted(root.glob("*/*.html"))


def test_renderer_is_named_and_every_page_exists_in_both_languages(built):
    assert built.renderer == "pandoc"
    for lang in LANGS:
        slugs = {p.stem for p in (built.site / lang).glob("*.html")}
        assert slugs == set(PAGES), slugs ^ set(PAGES)


def test_pages_follow_the_quarto_navbar():
    for lang in LANGS:
        config = site_config.load_config(lang)
        assert config["lang"] == lang
        assert [p.slug for p in site_config.nav_pages(config)] == [
            "index", "overview", "pii", "rd_workforce", "intellectual_property", "digital_government",
            "innovation_ecosystem", "plan46_targets", "plan46_tasks", "economy", "downloads", "sources",
            "data_quality", "methods", "cite",
        ]  # fmt: skip


def test_html_lang_and_language_switch_on_every_page(built):
    for lang, other in (("vi", "en"), ("en", "vi")):
        for page in (built.site / lang).glob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert f'<html lang="{lang}"' in text, page
            assert f'class="lang-switch" href="../{other}/{page.name}"' in text, page


LINK = re.compile(r'(?:href|src)="([^"]+)"')


def test_every_link_and_download_resolves(built):
    broken, checked = [], 0
    for page in html_pages(built.site):
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            url = urlparse(html.unescape(target))
            if url.scheme in ("http", "https", "mailto", "data") or target.startswith("#"):
                continue
            path = (page.parent / unquote(url.path)).resolve()
            checked += 1
            if not path.is_file():
                broken.append(f"{page.relative_to(built.site)} -> {target}")
    assert checked > 500
    assert not broken, broken[:20]


def test_site_requests_nothing_outside_itself(built):
    for page in html_pages(built.site):
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            assert not target.startswith(("http://", "https://", "//")), (page, target)
    css = (built.site / "assets/site.css").read_text(encoding="utf-8")
    assert "http" not in css


def test_vega_is_vendored_once_not_per_chart(built):
    assert (built.site / "assets/vega.js").stat().st_size > 500_000
    page = (built.site / "vi/rd_workforce.html").read_text(encoding="utf-8")
    assert page.count("vega.js") == 1 and len(page) < 300_000


def test_every_chart_has_a_description_and_a_table_alternative(built):
    for page in (built.site / "vi").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        figures = text.count('<figure class="chart"')
        assert text.count("<details><summary>") >= figures
        assert len(re.findall(r'<img src="[^"]+\.svg" alt="[^"]{10,}"', text)) == figures


def test_figures_carry_their_source_and_quote(built):
    text = (built.site / "vi/rd_workforce.html").read_text(encoding="utf-8")
    spans = re.findall(
        r'<span class="fig" tabindex="0" data-obs="([^"]+)" title="([^"]+)">([^<]+)</span>', text
    )
    assert spans
    by_obs = {obs: (title, shown) for obs, title, shown in spans}
    title, shown = by_obs["rd_staff_total|2024-12-31|actual|004"]
    assert shown == "8.947" and "8.947 người" in html.unescape(title)


def test_data_labels_and_quotes_are_escaped():
    out = ChartFigure(
        chart_id="x", title="<script>alert(1)</script>", description='a "quote" <b>',
        source_line="<b>s</b>", spec={"usermeta": {"x": "</script><script>alert(2)</script>"}},
        svg_href="../charts/x-vi.svg", downloads=[("SVG", "../charts/x-vi.svg")],
        columns=["<i>c</i>"], rows=[["<img src=x onerror=alert(1)>"]], table_caption="t",
        downloads_label="d",
    ).html()  # fmt: skip
    assert "<script>alert" not in out and "<img src=x" not in out and "<i>c</i>" not in out
    assert "&lt;script&gt;alert(1)" in out and "\\u003c/script>" in out


def test_pdf_report_per_language_with_the_shipped_font_and_vector_charts(built):
    for lang in LANGS:
        pdf = (built.site / f"reports/report-2025-{lang}.pdf").read_bytes()
        fonts = set(re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([A-Za-z0-9-]+)", pdf))
        assert fonts and all(f.startswith(b"NotoSans") for f in fonts), fonts
        assert b"/Subtype /Image" not in pdf and b"/Subtype/Image" not in pdf  # charts are vector
        assert len(pdf) > 50_000


def test_search_index_has_both_languages(built):
    entry = (built.site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8")
    assert '"vi"' in entry and '"en"' in entry


# Browser tests ------------------------------------------------------------------------------

browser = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="chromium is not installed (apt-get install chromium): browser tests skipped",
)


@pytest.fixture(scope="module")
def server(built):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(built.site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def chrome():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield browser
        browser.close()


@browser
def test_every_page_loads_cleanly_offline_and_every_chart_draws(built, server, chrome):
    page = chrome.new_page()
    problems: list[str] = []
    current = [""]

    def note(problem: str) -> None:
        problems.append(f"{current[0]}: {problem}")

    page.on("console", lambda m: note(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: note(str(e)))
    page.on(
        "request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else note(r.url)
    )
    pages = html_pages(built.site)
    for path in pages[1:]:  # the root page redirects: it comes last
        current[0] = path.relative_to(built.site).as_posix()
        page.goto(f"{server}/{current[0]}", wait_until="load")
        charts = page.locator(".vega-chart").count()
        if charts:
            page.wait_for_function(
                f"document.querySelectorAll('.vega-chart svg').length >= {charts}"
            )
    current[0] = "index.html"
    page.goto(f"{server}/index.html")
    page.wait_for_url(f"{server}/vi/index.html")
    assert len(pages) == 1 + 2 * len(PAGES)
    assert not problems, problems[:10]
    page.close()


@browser
def test_rd_tooltip_shows_vietnamese_notation(server, chrome):
    page = chrome.new_page()
    page.goto(f"{server}/vi/rd_workforce.html")
    page.wait_for_selector(".vega-chart svg .mark-rect path")
    page.locator(".vega-chart svg .mark-rect path").first.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert re.search(r"\b\d{1,3}\.\d{3}\b", text), text  # e.g. 3.054, thousands grouped with "."
    assert "Nguồn" in text
    page.close()


@browser
@pytest.mark.parametrize("query", ["tiến sĩ", "tien si"])
def test_search_finds_with_and_without_diacritics(server, chrome, query):
    page = chrome.new_page()
    page.goto(f"{server}/vi/index.html")
    page.fill(".pagefind-ui__search-input", query)
    page.wait_for_selector(".pagefind-ui__result", timeout=15_000)
    assert page.locator(".pagefind-ui__result").count() > 0
    page.close()


@browser
def test_language_switch_lands_on_the_twin_page(server, chrome):
    page = chrome.new_page()
    page.goto(f"{server}/vi/pii.html")
    page.keyboard.press("Tab")  # the skip link, then the controls are reachable by keyboard
    page.click(".lang-switch")
    page.wait_for_url(f"{server}/en/pii.html")
    assert page.locator("html").get_attribute("lang") == "en"
    page.close()


@browser
def test_traced_figure_shows_its_source_on_focus(server, chrome):
    page = chrome.new_page()
    page.goto(f"{server}/vi/rd_workforce.html")
    figure = page.locator(".fig").first
    figure.focus()
    after = page.evaluate("el => getComputedStyle(el, '::after').content", figure.element_handle())
    assert "Sở Khoa học" in after
    page.close()


@browser
def test_site_works_from_a_file_url(built, chrome, tmp_path):
    copy = tmp_path / "usb"
    shutil.copytree(built.site, copy)
    page = chrome.new_page()
    page.goto((copy / "vi/rd_workforce.html").as_uri())
    page.wait_for_selector(".vega-chart svg")
    assert page.locator(".vega-chart svg").count() == page.locator(".vega-chart").count()
    page.close()


@browser
@pytest.mark.parametrize("lang", LANGS)
def test_phone_width_pages_do_not_overflow_and_the_menu_is_collapsed(built, server, chrome, lang):
    """At 390 px no page is wider than the screen, and the navigation is one closed menu
    that opens on a tap; at 1280 px the links show without a tap."""
    phone = chrome.new_page(viewport={"width": 390, "height": 844})
    wide = []
    for slug in PAGES:
        phone.goto(f"{server}/{lang}/{slug}.html")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide.append((slug, width))
    assert not wide, wide
    links = phone.locator(".site-header nav a")
    assert links.count() == len(PAGES) and not any(
        links.nth(i).is_visible() for i in range(links.count())
    )
    phone.click(".site-header nav summary")
    assert links.first.is_visible() and links.last.is_visible()
    phone.close()
    desktop = chrome.new_page(viewport={"width": 1280, "height": 900})
    desktop.goto(f"{server}/{lang}/index.html")
    assert desktop.locator(".site-header nav a").last.is_visible()
    desktop.close()
