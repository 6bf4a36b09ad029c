"""The report site and PDF: pages, links, escaping, offline; then the browser tests."""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest

from analysis.paths import FONT_DIR, ROOT
from analysis.report.display import FIGURE_LABELS, ChartFigure
from analysis.report.i18n import t
from analysis.site.spec import nav_links, slugs
from tests.conftest import browser
from tests.site_audit import (
    CHARTS,
    browser_problems,
    catalog_charts,
    chart_figures,
    chart_problems,
    export_problems,
    file_problems,
    html_pages,
)

LANGS = ("vi", "en")
PAGES = slugs()  # data/pages.csv, the one list of pages


def page_text(built, lang: str, page: str) -> str:
    return (built.site / "pages" / lang / f"{page}.html").read_text(encoding="utf-8")


def test_renderer_is_named_and_every_page_exists_in_both_languages(built):
    assert built.renderer == "pandoc"
    for lang in LANGS:
        slugs = {p.stem for p in (built.site / "pages" / lang).glob("*.html")}
        assert slugs == set(PAGES), slugs ^ set(PAGES)


def test_pandoc_pages_list_every_page_in_the_specs_order(built):
    """pandoc's header: the pages of data/pages.csv, in its order, labelled from the
    catalogs (Quarto's navbar: tests/test_site_spec.py)."""
    for lang in LANGS:
        for slug in PAGES:
            text = (built.site / "pages" / lang / f"{slug}.html").read_text(encoding="utf-8")
            nav = re.search(r"<nav .*?</nav>", text, re.S)[0]
            links = re.findall(r'<a href="([^"]+)\.html"( aria-current="page")?>([^<]*)</a>', nav)
            assert [href for href, _, _ in links] == PAGES
            assert [html.unescape(text) for _, _, text in links] == [
                link.text for link in nav_links(lang)
            ]
            assert [href for href, current, _ in links if current] == [slug]


def test_chart_pages_carry_the_phone_layout_numbers_once(built):
    """site/charts.js lays charts out on a phone with the numbers of
    `analysis.report.charts.NARROW`, and scales them up to the screen's text size, with
    numbers which pages with charts carry as JSON (`stage.chart_layout_numbers`): no number
    of the rule is written in the script."""
    from analysis.report.charts import NARROW
    from analysis.site.stage import chart_layout_numbers

    layout = chart_layout_numbers()
    assert NARROW.items() <= layout.items()
    for lang in LANGS:
        for page in (built.site / "pages" / lang).rglob("*.html"):  # chart pages, embeds too
            text = page.read_text(encoding="utf-8")
            found = re.findall(
                r'<script type="application/json" id="chart-layout">(.*?)</script>', text
            )
            assert len(found) == (1 if 'class="vega-chart"' in text else 0), page.name
            if found:
                assert json.loads(found[0]) == layout
    script = (built.site / "assets/vega.js").read_text(encoding="utf-8")  # charts.js, minified
    assert 'document.getElementById("chart-layout")' in script
    source = (ROOT / "site/charts.js").read_text(encoding="utf-8")
    for key, value in NARROW.items():
        assert key in source and not re.search(rf"\b{re.escape(str(value))}\b", source), key
    assert all(key in source for key in layout)


def test_html_lang_and_language_switch_on_every_page(built):
    for lang, other in (("vi", "en"), ("en", "vi")):
        for page in PAGES:
            text = page_text(built, lang, page)
            assert f'<html lang="{lang}"' in text, page
            assert f'class="lang-switch" href="../{other}/{page}.html"' in text, page


def test_the_site_passes_the_file_audit(built):
    """Every page in both languages with its `lang`; every link, image, script, stylesheet
    and download resolves inside the site (tests/site_audit.py, also run on Quarto's site)."""
    # The root page, and in each language its pages and each chart's page and embed.
    assert len(html_pages(built.site)) == 1 + len(LANGS) * (len(PAGES) + 2 * CHARTS.height)
    problems = file_problems(built.site)
    assert not problems, problems[:20]
    css = (built.site / "assets/site.css").read_text(encoding="utf-8")
    assert "http" not in css


def test_vega_is_vendored_once_not_per_chart(built):
    assert (built.site / "assets/vega.js").stat().st_size > 500_000
    page = (built.site / "pages/vi/rd_workforce.html").read_text(encoding="utf-8")
    # site.js loads the one bundle on chart pages (the browser tests watch it happen).
    assert "vega.js" not in page and "site.js" in page and len(page) < 300_000


def test_web_fonts_are_woff2_subsets_that_cover_every_character_of_the_pages(built):
    from fontTools.ttLib import TTFont

    fonts = built.site / "assets/fonts"
    assert {p.suffix for p in fonts.iterdir()} == {".woff2", ".txt"}  # and the licence
    used = {ch for page in html_pages(built.site)
            for ch in page.read_text(encoding="utf-8") if not ch.isspace()}  # fmt: skip
    for face in ("NotoSans-Regular", "NotoSans-Bold"):
        woff2 = fonts / f"{face}.woff2"
        assert woff2.stat().st_size < 120_000
        full = set(TTFont(FONT_DIR / f"{face}.ttf").getBestCmap())
        subset = set(TTFont(woff2).getBestCmap())
        missing = sorted(ch for ch in used if ord(ch) in full and ord(ch) not in subset)
        assert not missing, missing
        assert {ord(ch) for ch in "ắằẳẵặấầẩẫậếềểễệốồổỗộớờởỡợứừửữựđĐ"} <= subset


def test_every_chart_in_the_catalog_is_on_its_page_with_a_description_and_a_table(built):
    """Each page shows, in both languages, every chart the catalog (data/charts.csv) puts on
    it, and only catalog charts; each figure has its image with the chart's description as
    its text alternative and a data table (the file audit checks the same)."""
    assert CHARTS.height and set(CHARTS["page"]) <= set(PAGES)
    assert not chart_problems(built.site)
    shown = {c for lang in LANGS for p in PAGES for c in chart_figures(page_text(built, lang, p))}
    assert shown == set(CHARTS["chart_id"])


def made_figure(chart_id: str, lang: str) -> str:
    return (f'<figure class="chart" id="chart-{chart_id}"><div class="vega-chart"><img src='
            f'"../../charts/2025/{chart_id}-{lang}.svg" alt="what the chart shows" '
            f'aria-describedby="desc-{chart_id}"></div><details class="chart-description">'
            f'<summary>Description</summary><p id="desc-{chart_id}">What the chart shows in '
            "words.</p></details><details><summary>Data</summary><table></table></details></figure>")  # fmt: skip


def test_the_chart_check_fails_on_a_page_that_shows_none_of_its_charts(tmp_path):
    """Pages made here: first each with its catalog charts, then the PII page with none, a
    chart without its description and one without its table."""
    for lang in LANGS:
        (tmp_path / "pages" / lang / "charts").mkdir(parents=True)
        for page in PAGES:
            body = "".join(made_figure(c, lang) for c in sorted(catalog_charts(page)))
            (tmp_path / "pages" / lang / f"{page}.html").write_text(f"<main>{body}</main>")
        for chart in CHARTS["chart_id"]:  # each chart's page and embeddable view
            for name in (chart, f"{chart}-embed"):
                (tmp_path / "pages" / lang / "charts" / f"{name}.html").write_text("<main></main>")
    assert chart_problems(tmp_path) == []
    (tmp_path / "pages/en/pii.html").write_text("<main><p>No chart.</p></main>")
    rd = tmp_path / "pages/vi/rd_workforce.html"
    rd.write_text(rd.read_text().replace('alt="what the chart shows"', 'alt=""'))
    ip = tmp_path / "pages/vi/intellectual_property.html"
    ip.write_text(ip.read_text().replace("<details>", "<div>", 1))
    assert chart_problems(tmp_path) == [
        "vi/rd_workforce.html: chart rd_qualifications has no image described in its alt",
        "vi/intellectual_property.html: chart ip_accepted has no data table",
        *(f"en/pii.html: does not show the chart {c} (the catalog puts it here)"
          for c in sorted(catalog_charts("pii"))),
    ]  # fmt: skip


def test_chart_data_tables_name_each_column_once_and_show_what_is_plotted(built):
    """A chart's table alternative: no heading twice (a category that only repeats the source
    is left out), and the plotted values (or, on the timeline, the deadlines) are in it."""
    shown = 0
    for lang in LANGS:
        for page in PAGES:
            for chart_id, figure in chart_figures(page_text(built, lang, page)).items():
                (table,) = re.findall(r"<details><summary>.*?</details>", figure, re.S)
                heads = [html.unescape(h) for h in re.findall(r"<th[^>]*>([^<]*)</th>", table)]
                assert len(heads) == len(set(heads)), (page, chart_id, heads)
                assert {t("value", lang), t("deadline", lang)} & set(heads), (page, chart_id, heads)
                shown += 1
    assert shown >= len(LANGS) * CHARTS.height  # every chart of the catalog, in each language


def test_figures_carry_their_source_and_quote(built):
    text = (built.site / "pages/vi/rd_workforce.html").read_text(encoding="utf-8")
    spans = re.findall(
        r'<span\s+class="fig"\s+tabindex="0"\s+data-obs="([^"]+)"\s+title="([^"]+)">([^<]+)</span>',
        text,
    )
    assert spans
    # The sentence shows the figure alone, the theme table with its unit: both traced.
    total = [
        (title, shown)
        for obs, title, shown in spans
        if obs == "rd_staff_total|2024-12-31|actual|004"
    ]
    assert {shown for _, shown in total} == {"8.947", "8.947 người"}
    assert all("8.947 người" in html.unescape(title) for title, _ in total)


def test_data_labels_and_quotes_are_escaped():
    figure = ChartFigure(
        chart_id="x", lang="vi", title="<script>alert(1)</script>", caption="<i>c</i>",
        description='a "quote" <b>', citation="<b>s</b>",
        spec={"usermeta": {"x": "</script><script>alert(2)</script>"}},
        svg="charts/x-vi.svg", downloads=[("SVG", "charts/x-vi.svg")],
        columns=["<i>c</i>"], rows=[["<img src=x onerror=alert(1)>"]],
        labels={key: "<b>w</b>" for key in FIGURE_LABELS},
    )  # fmt: skip
    for out in (
        figure.html("../../", "charts/x.html"),
        figure.html("../../../", state=True, compact=True),
    ):
        assert "<script>alert" not in out and "<img src=x" not in out and "<i>c</i>" not in out
        assert "<b>" not in out
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


@browser
def test_the_site_passes_the_browser_audit(built, server, chrome):
    """Every page of both languages loads with no outside request and no console error,
    draws every chart, links its twin, fits a phone screen; the search finds "tiến sĩ"
    with and without diacritics; the root page redirects to the default language."""
    problems = browser_problems(built.site, server, chrome)
    assert not problems, problems[:10]


@browser
def test_vega_loads_only_on_pages_with_charts(server, chrome):
    page = chrome.new_page()
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url) if r.url.endswith("/vega.js") else None)
    page.goto(f"{server}/pages/en/cite.html", wait_until="load")
    assert page.locator(".vega-chart").count() == 0 and loaded == []
    page.goto(f"{server}/pages/en/pii.html", wait_until="load")
    page.wait_for_selector(".vega-chart svg")
    assert loaded == [f"{server}/assets/vega.js"]
    page.close()


@browser
def test_rd_tooltip_shows_vietnamese_notation(server, chrome):
    page = chrome.new_page()
    page.goto(f"{server}/pages/vi/rd_workforce.html")
    page.wait_for_selector(".vega-chart svg .mark-rect path")
    page.locator(".vega-chart svg .mark-rect path").first.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert re.search(r"\b\d{1,3}\.\d{3}\b", text), text  # e.g. 3.054, thousands grouped with "."
    assert "Nguồn" in text
    page.close()


@browser
def test_traced_figure_shows_its_source_on_focus(server, chrome):
    page = chrome.new_page()
    page.goto(f"{server}/pages/vi/rd_workforce.html")
    figure = page.locator(".fig").first
    figure.focus()
    popup = page.locator("#fig-popup")
    assert popup.is_visible() and "Sở Khoa học" in popup.inner_text()
    assert figure.get_attribute("aria-describedby") == "fig-popup"
    figure.blur()
    assert not popup.is_visible()
    page.close()


@browser
def test_site_works_from_a_file_url(built, chrome, tmp_path):
    copy = tmp_path / "usb"
    shutil.copytree(built.site, copy)
    page = chrome.new_page()
    page.goto((copy / "pages/vi/rd_workforce.html").as_uri())
    page.wait_for_selector(".vega-chart svg")
    assert page.locator(".vega-chart svg").count() == page.locator(".vega-chart").count()
    page.close()


@browser
@pytest.mark.parametrize("lang", LANGS)
def test_phone_menu_is_collapsed_and_the_page_tools_sit_in_the_header(server, chrome, lang):
    """At 390 px the navigation is one closed menu that opens on a tap, each menu of the page
    list opening below its label on another (no page is wider than the screen: the audit); at
    1280 px the top-level links show without a tap, each menu a drop-down. The language switch
    and search box, which come with the page, sit in the header."""
    phone = chrome.new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{server}/pages/{lang}/pii.html")
    assert phone.locator(".site-header .page-tools .lang-switch").count() == len(LANGS) - 1
    links = phone.locator(".site-header nav a")
    assert links.count() == len(PAGES) and not any(
        links.nth(i).is_visible() for i in range(links.count())
    )
    phone.click(".site-header nav summary")
    assert links.first.is_visible()
    for menu in phone.locator(".nav-menu summary").all():  # a menu's pages: one tap more
        menu.click()
    assert all(links.nth(i).is_visible() for i in range(links.count()))
    phone.close()
    desktop = chrome.new_page(viewport={"width": 1280, "height": 900})
    desktop.goto(f"{server}/pages/{lang}/index.html")
    assert desktop.locator(".nav-items > li > a").first.is_visible()
    last = desktop.locator(".site-header nav a").last
    assert not last.is_visible()  # in a menu, a drop-down: one click
    desktop.locator(".nav-menu summary").last.click()
    assert last.is_visible()
    # A click elsewhere closes it (at the heading's start: the open menu may cover its middle).
    desktop.locator("h1").click(position={"x": 5, "y": 5})
    assert not last.is_visible()
    desktop.close()


@browser
def test_every_chart_export_keeps_its_text_inside(built, chrome):
    """No label, value, title or legend entry sticks out of any chart's exports: the SVG
    and the PDF made from it, and the layouts of the 85 mm PNG (laid out narrower than
    drawn, `charts.narrow`, the rule phones get too) and of the 170 mm PNG; checked on
    their text outlined, so the geometry is exact (tests/site_audit.py, `export_problems`)."""
    assert len(list((built.site / "charts").glob("*/*.vl.json"))) > 2 * 10
    problems = export_problems(built.site, chrome)
    assert not problems, problems[:10]


def test_a_pandoc_conversion_runs_pandoc_once(monkeypatch):
    # pypandoc checks the formats by running pandoc twice more, unless told not to.
    import subprocess

    import pypandoc

    from analysis.site.config import pandoc

    pypandoc.get_pandoc_version()  # pandoc found (its search runs it) before counting
    started = []
    popen = subprocess.Popen
    monkeypatch.setattr(
        subprocess, "Popen", lambda args, *a, **k: started.append(args) or popen(args, *a, **k)
    )
    assert (
        pandoc("*a conversion of this test*", "html5")
        == "<p><em>a conversion of this test</em></p>\n"
    )
    assert len(started) == 1
