"""Each chart's own page and embeddable view, and the chart figure on the theme pages.

Made here without a build: a chart page staged from a notebook output (a synthetic figure,
labelled so), rendered by pandoc one folder below the pages, and its embeddable view. On
the full build (`built`) and in chromium: every chart of the catalog has its page in every
language with every download resolving, the embed draws the chart without the site's
navigation and the embed code's address resolves, the theme figure links to its chart's
page, a highlighted series lives in the address, charts fill their column with text of at
least 12 px at 1280 px, and a chart's description is hidden until opened yet read by
screen readers.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import polars as pl
import pytest

from analysis.paths import DATA
from analysis.quarto import load_config
from analysis.report.cite import Citation
from analysis.report.display import (
    CHART_MIME,
    FIGURE_LABELS,
    SCREEN_TEXT_PX,
    VEGALITE_MIME,
    ChartFigure,
)
from analysis.report.i18n import LANGS, t
from analysis.site.chart_pages import embed_page, stage_chart_pages
from analysis.site.pages import render_page
from analysis.site.profiles import profile
from analysis.site.stage import read_page
from tests.conftest import browser
from tests.site_audit import chart_figures, drawn_charts

EDITION = 2025
CHARTS = pl.read_csv(DATA / "charts.csv")
EXPORTS = (".svg", ".pdf", "-85mm.png", "-170mm.png", ".vl.json", ".csv", ".cite.txt", ".zip")


# Made here: a synthetic chart figure, staged and rendered ----------------------------------


def synthetic_figure(lang: str, chart_id: str = "ip_filings") -> ChartFigure:
    """A figure as a notebook displays it, its data synthetic (two made-up bars)."""
    title = t(f"chart.{chart_id}", lang)
    citation = Citation(EDITION, "2026-01-11").chart_reference(lang, title, "Synthetic source")
    spec = {"title": {"text": title}, "width": 643, "mark": "bar",
            "data": {"values": [{"label": "a", "value": 1}, {"label": "b", "value": 2}]},
            "encoding": {"y": {"field": "label", "type": "nominal"},
                         "x": {"field": "value", "type": "quantitative"}}}  # fmt: skip
    path = f"charts/{EDITION}/{chart_id}-{lang}"
    return ChartFigure(
        chart_id=chart_id, lang=lang, title=title, caption=t(f"chart_caption.{chart_id}", lang),
        description="a: 1; b: 2 (synthetic)", citation=citation, spec=spec, svg=f"{path}.svg",
        downloads=[(suffix.strip("-."), f"{path}{suffix}") for suffix in EXPORTS],
        columns=["label", "value"], rows=[["a", "1"], ["b", "2"]],
        labels={key: t(key, lang) for key in FIGURE_LABELS},
    )  # fmt: skip


def synthetic_build(root: Path, lang: str) -> Path:
    """A build folder holding one executed notebook that displays the synthetic figure, and
    the figure's SVG export (the embed's height is read from it)."""
    build = root / "_build" / str(EDITION)
    figure = synthetic_figure(lang)
    outputs = [{"output_type": "display_data", "metadata": {},
                "data": {**figure.bundle("../../"), CHART_MIME: figure.record()}}]  # fmt: skip
    notebooks = build / "notebooks" / lang
    notebooks.mkdir(parents=True)
    notebook = {"cells": [{"cell_type": "code", "outputs": outputs}]}
    (notebooks / "04_intellectual_property.ipynb").write_text(json.dumps(notebook))
    (build / "charts").mkdir()
    (build / "charts" / f"ip_filings-{lang}.svg").write_text('<svg width="643" height="200"></svg>')
    return build


def test_a_chart_page_is_staged_from_the_figure_its_notebook_displayed(tmp_path):
    lang = "en"
    (staged,) = stage_chart_pages(synthetic_build(tmp_path, lang), lang, tmp_path)
    assert staged == tmp_path / "pages" / lang / "charts" / "ip_filings.md"
    page = read_page(staged)
    assert page.title == t("chart.ip_filings", lang) and page.lang == lang
    # One folder below the pages: the twin, the site's files and the page it belongs to.
    assert 'href="../../vi/charts/ip_filings.html"' in page.head
    assert 'href="../../vi/charts/ip_filings.html" hreflang="vi"' in page.body
    assert 'href="../intellectual_property.html"' in page.body
    hrefs = re.findall(r'<li><a href="([^"]+)" download>', page.body)
    assert hrefs == [f"../../../charts/{EDITION}/ip_filings-{lang}{suffix}" for suffix in EXPORTS]
    # Section headings are Markdown (a table of contents lists them), the rest raw HTML.
    assert f"\n## {t('chart_page.cite', lang)}\n" in page.body
    assert f"\n## {t('chart_page.embed', lang)}\n" in page.body
    # The citation: the page's address (none published yet) and an access date to fill.
    cite = re.search(r'<p class="chart-cite">(.*?)</p>', page.body, re.S)[1]
    assert f'<span class="page-address">{t("cite.no_address", lang)}</span>' in cite
    assert (
        f'<span class="access-date">{html.escape(t("chart_page.access_date", lang))}</span>' in cite
    )
    # The embed code, shown as text: an iframe of the embeddable view, 200 px of chart scaled
    # and room for its caption.
    snippet = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page.body, re.S)[1])
    assert snippet.startswith('<iframe src="ip_filings-embed.html" title="')
    assert re.search(r"height: (\d+)px", snippet)[1] == "400"
    # The figure keeps the highlight in the address; its caption has no repeated title.
    assert 'data-state="url"' in page.body and 'class="chart-highlight' in page.body
    assert '<strong class="chart-title">' not in page.body


def test_pandoc_renders_a_chart_page_with_every_link_one_folder_deeper(tmp_path):
    lang = "en"
    (staged,) = stage_chart_pages(synthetic_build(tmp_path, lang), lang, tmp_path)
    config = load_config(lang)
    out = render_page(read_page(staged), "charts/ip_filings", config)
    assert '<link rel="stylesheet" href="../../../assets/site.css">' in out
    assert '<script src="../../../assets/site.js"></script>' in out
    assert 'href="../overview.html"' in out and 'href="../index.html">' in out  # navigation
    assert 'href="../../en/cite.html"' in out  # the footer's link to How to cite
    assert 'aria-current="page"' not in out  # a chart's page is in no menu
    # A page of the navigation keeps its links (the includes name files from the site's root).
    theme = render_page(read_page(staged), "overview", config)
    assert '<link rel="stylesheet" href="../../assets/site.css">' in theme
    assert 'href="../en/cite.html"' in theme and 'href="pii.html"' in theme


def test_the_embeddable_view_is_the_chart_alone_with_a_link_to_its_page():
    for lang in LANGS:
        out = embed_page(synthetic_figure(lang))
        assert f'<html lang="{lang}">' in out and "<nav" not in out and "<header" not in out
        assert 'href="../../../assets/site.css"' in out and 'src="../../../assets/site.js"' in out
        assert '<a href="ip_filings.html" target="_blank" rel="noopener">' in out
        assert 'id="chart-layout"' in out and 'data-state="url"' in out
        # Its description is there for screen readers only; the table is on the chart's page.
        assert '<p id="desc-ip_filings" hidden>' in out and "<table>" not in out
        assert 'data-pagefind-ignore="all"' in out  # the search finds the chart's page instead


def test_the_profiles_render_the_chart_pages_but_list_them_in_no_menu():
    for lang in LANGS:
        config = profile(lang)
        assert config["project"]["render"] == [f"pages/{lang}/*.md", f"pages/{lang}/charts/*.md"]
        assert "/charts/" not in json.dumps(config["website"]["navbar"])


def test_every_chart_has_a_caption_line_in_every_language():
    for lang in LANGS:
        for chart_id in CHARTS["chart_id"]:
            caption = t(f"chart_caption.{chart_id}", lang)
            assert caption.strip() and caption != t(f"chart.{chart_id}", lang), (lang, chart_id)
            assert "\n" not in caption and len(caption) < 200, (lang, chart_id)


def test_a_figure_round_trips_through_the_notebook_output():
    figure = synthetic_figure("vi")
    bundle = json.loads(json.dumps(figure.bundle("../../")))  # as a notebook stores it
    assert ChartFigure.from_record(bundle[CHART_MIME], bundle[VEGALITE_MIME]) == figure
    assert "spec" not in bundle[CHART_MIME]  # the bundle holds it once, as Vega-Lite


# On the full build ------------------------------------------------------------------------


def chart_page(built, lang: str, chart_id: str) -> Path:
    return built.site / "pages" / lang / "charts" / f"{chart_id}.html"


def test_each_chart_has_its_page_in_each_language_with_every_download(built):
    for chart_id in CHARTS["chart_id"]:
        for lang in LANGS:
            path = chart_page(built, lang, chart_id)
            text = path.read_text(encoding="utf-8")
            assert f'<html lang="{lang}"' in text
            assert f"<title>{html.escape(t(f'chart.{chart_id}', lang), quote=False)} –" in text
            downloads = re.findall(r'<li><a href="([^"]+)" download>', text)
            files = {(path.parent / href).resolve() for href in downloads}
            exports = built.site / "charts" / str(EDITION)
            assert files == {(exports / f"{chart_id}-{lang}{s}").resolve() for s in EXPORTS}
            assert all(f.is_file() for f in files), (chart_id, lang)
            # The chart's citation, as its file says it, with the page's address in it.
            cite = (exports / f"{chart_id}-{lang}.cite.txt").read_text(encoding="utf-8").strip()
            shown = html.unescape(re.sub(r"<[^>]+>", "", re.search(
                r'<p class="chart-cite">(.*?)</p>', text, re.S)[1]))  # fmt: skip
            assert shown.startswith(cite), (shown, cite)
            assert shown.endswith(
                t("chart_page.accessed", lang, date=t("chart_page.access_date", lang))
            )
            # The embed code's address: the embeddable view, beside the page.
            snippet = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", text, re.S)[1])
            src = re.search(r'<iframe src="([^"]+)"', snippet)[1]
            assert (path.parent / src).is_file(), (chart_id, lang, src)


def test_the_theme_figure_links_to_its_charts_page(built):
    seen = set()
    for lang in LANGS:
        for page in (built.site / "pages" / lang).glob("*.html"):
            for chart_id, figure in chart_figures(page.read_text(encoding="utf-8")).items():
                href = f"charts/{chart_id}.html"
                title = html.escape(t(f"chart.{chart_id}", lang), quote=False)
                assert (
                    f'<strong class="chart-title"><a class="chart-page-link" href="{href}">{title}</a>'
                    in figure
                )
                opened = html.escape(t("chart_page.open", lang), quote=False)
                assert f'<a class="chart-page-link" href="{href}">{opened}</a>' in figure
                assert (page.parent / href).is_file()
                # The caption is short: the description is behind its disclosure.
                caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S)[1]
                assert len(re.sub(r"<[^>]+>", "", caption)) < 900, (page.name, chart_id)
                seen.add(chart_id)
    assert seen == set(CHARTS["chart_id"])


# In chromium ------------------------------------------------------------------------------


def colored_chart(built, lang: str) -> tuple[str, str, list[str]]:
    """A chart of the catalog coloured by series: its id, the field and its series."""
    for chart_id in CHARTS["chart_id"]:
        spec = json.loads((built.site / "charts" / str(EDITION) / f"{chart_id}-{lang}.vl.json")
                          .read_text(encoding="utf-8"))  # fmt: skip
        for unit in spec.get("layer", [spec]):
            color = unit.get("encoding", {}).get("color", {})
            if color.get("field") and color.get("legend", {}) is not None:
                values = spec["datasets"][spec["data"]["name"]]
                series = sorted({str(row[color["field"]]) for row in values})
                if len(series) > 1:
                    return chart_id, color["field"], series
    pytest.fail("no chart is coloured by series")


@browser
def test_a_highlighted_series_lives_in_the_address(built, server, chrome):
    lang = "en"
    chart_id, _, series = colored_chart(built, lang)
    page = chrome.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def faded() -> list[str]:  # the drawn bars' (or points') opacity
        return page.eval_on_selector_all(
            ".vega-chart .role-mark.mark-rect path, .vega-chart .role-mark.mark-symbol path",
            "ps => ps.map(p => p.getAttribute('fill-opacity'))",
        )

    def pressed() -> list[str]:
        return page.eval_on_selector_all(
            '.chart-highlight button[aria-pressed="true"]', "bs => bs.map(b => b.textContent)"
        )

    url = f"{server}/pages/{lang}/charts/{chart_id}.html"
    page.goto(url)
    page.wait_for_selector(".vega-chart.drawn")
    assert pressed() == [t("chart_page.highlight_none", lang)] and "0.2" not in faded()
    # A click on the legend highlights its series and writes it into the address.
    chosen = series[-1]
    page.locator(".role-legend-label text", has_text=chosen).first.click()
    assert parse_qs(urlparse(page.url).query)["highlight"] == [chosen]
    assert pressed() == [chosen] and "0.2" in faded() and "1" in faded()
    snippet = page.input_value("#embed-code")
    assert "highlight=" in snippet  # the embed code shows the same view
    # The address restores it, on the chart's page and in its embed.
    embed = html.unescape(re.search(r'src="([^"]+)"', snippet)[1])
    for address in (page.url, embed):
        page.goto(address)
        page.wait_for_selector(".vega-chart.drawn")
        page.wait_for_function("() => [...document.querySelectorAll('.vega-chart path')].some("
                               "p => p.getAttribute('fill-opacity') === '0.2')")  # fmt: skip
    page.goto(embed.replace("-embed", ""))
    page.wait_for_selector(".vega-chart.drawn")
    assert pressed() == [chosen]
    # The buttons clear it, and a series the chart does not have is dropped.
    page.get_by_role("button", name=t("chart_page.highlight_none", lang), exact=True).click()
    assert "highlight" not in page.url and "0.2" not in faded()
    page.goto(f"{url}?highlight=no-such-series")
    page.wait_for_selector(".vega-chart.drawn")
    assert "highlight" not in page.url and pressed() == [t("chart_page.highlight_none", lang)]
    assert not errors, errors
    page.close()


@browser
def test_the_embed_draws_the_chart_without_navigation_and_its_code_resolves(built, server, chrome):
    page = chrome.new_page(viewport={"width": 1280, "height": 900})
    for lang in LANGS:
        for chart_id in CHARTS["chart_id"][:3]:
            page.goto(f"{server}/pages/{lang}/charts/{chart_id}.html")
            page.wait_for_selector(".vega-chart.drawn")
            snippet = page.input_value("#embed-code")
            src = html.unescape(re.search(r'src="([^"]+)"', snippet)[1])
            assert src == f"{server}/pages/{lang}/charts/{chart_id}-embed.html"
            assert page.request.get(src).ok
            # The code as another site pastes it: the frame draws the chart, alone.
            page.set_content(f"<!DOCTYPE html><title>host</title><p>Host page</p>{snippet}")
            frame = page.frame_locator("iframe")
            frame.locator(".vega-chart svg").wait_for()
            assert frame.locator("nav, .site-header, #quarto-header, .page-tools").count() == 0
            assert frame.locator("figcaption .source").inner_text().strip()
            link = frame.locator(".embed-link a")
            assert link.get_attribute("href") == f"{chart_id}.html"
    page.close()


@browser
def test_charts_fill_the_column_with_text_of_at_least_12_px(built, server, chrome):
    """At 1280 px, every chart on the theme pages and on a chart's page is as wide as its
    column and every text it draws is at least `SCREEN_TEXT_PX` (its font size times the
    scale at which its SVG is drawn)."""
    measure = """() => [...document.querySelectorAll('.vega-chart')].map(el => {
      const svg = el.querySelector('svg'), box = svg.getBoundingClientRect();
      const scale = box.width / svg.viewBox.baseVal.width;
      const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
      const figure = el.closest('figure'), style = getComputedStyle(figure.parentElement);
      const column = figure.parentElement.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return [figure.id, box.width, column, Math.min(...sizes)];
    })"""
    page = chrome.new_page(viewport={"width": 1280, "height": 900})
    pages = [f"pages/{lang}/{p}.html" for lang in LANGS for p in sorted(set(CHARTS["page"]))]
    pages += [f"pages/{lang}/charts/tasks_by_group.html" for lang in LANGS]
    measured = 0
    for path in pages:
        page.goto(f"{server}/{path}")
        drawn_charts(page, lambda problem, path=path: pytest.fail(f"{path}: {problem}"))
        for figure, width, column, smallest in page.evaluate(measure):
            assert abs(width - column) <= 2, (path, figure, width, column)
            assert smallest >= SCREEN_TEXT_PX - 0.01, (path, figure, smallest)
            measured += 1
    assert measured >= 2 * CHARTS.height
    page.close()


@browser
def test_the_description_is_hidden_until_opened_but_read_by_screen_readers(built, server, chrome):
    from playwright.sync_api import expect

    lang = "en"
    chart_id = "tasks_by_group"  # its description runs to thousands of characters
    page = chrome.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/pages/{lang}/plan46_tasks.html")
    figure = page.locator(f"#chart-{chart_id}")
    figure.locator(".vega-chart svg").wait_for()
    description = figure.locator(f"#desc-{chart_id}")
    text = description.text_content()
    assert len(text) > 1000
    assert not description.is_visible()
    # The drawn chart is named by its title and described by the description.
    svg = figure.locator(".vega-chart svg")
    expect(svg).to_have_accessible_name(t(f"chart.{chart_id}", lang))
    expect(svg).to_have_accessible_description(text)
    figure.locator("details.chart-description summary").click()
    assert description.is_visible()
    page.close()
