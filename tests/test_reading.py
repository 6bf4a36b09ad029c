"""Pages that read like a publication: the home page's headline figures as cards, a header on
one line, tables whose rows a phone shows whole, a figure's source pop-up inside the screen.
On the pandoc site the tests build; `python -m tests.site_audit` checks the header, the
tables and the pop-up on any built site, Quarto's too (the same scripts, from the audit)."""

from __future__ import annotations

import html
import re

import great_tables as gt
import polars as pl
import pytest

from analysis.product.vocabularies import qualifier_codes
from analysis.report import metrics
from analysis.report.edition import _stacked
from analysis.report.i18n import fmt_period, label, t
from analysis.site.spec import site_pages
from tests.conftest import browser
from tests.site_audit import CELLS_OFF_SCREEN, HEADER_LINES, RIGHTMOST_FIGURE_POPUP

LANGS = ("vi", "en")
EDITION = 2025  # the edition the `built` fixture builds
THEME_PAGES = [page.slug for page in site_pages() if page.menu == "themes"]
MENUS = list(dict.fromkeys(page.menu for page in site_pages() if page.menu))
CARD = re.compile(r'<li class="card">(.*?)</li>', re.S)
CARD_NAME = re.compile(r'<h3 class="card-name">(.*?)</h3>')


def home_cards(built, lang: str) -> dict[str, str]:
    """The home page's cards: the indicator's name -> the card's HTML."""
    text = (built.site / "pages" / lang / "index.html").read_text(encoding="utf-8")
    return {html.unescape(CARD_NAME.search(card)[1]): card for card in CARD.findall(text)}


def test_the_home_page_has_a_card_for_every_headline_figure(built):
    """One card per headline indicator of the catalog, in its order: the latest figure traced
    with its source's hedge, its period, the status of every target on it, its theme's page."""
    processed = built.data / "processed"
    indicators = pl.read_parquet(processed / "indicators.parquet")
    observed = metrics.for_edition(pl.read_parquet(processed / "observations.parquet"), EDITION)
    targets = pl.read_parquet(processed / "targets.parquet")
    pages = dict(
        pl.read_parquet(processed / "themes.parquet").select("theme_id", "page").iter_rows()
    )
    headlines = indicators.filter(pl.col("headline").is_not_null()).sort("headline")
    hedged = with_target = 0
    for lang in LANGS:
        cards = home_cards(built, lang)
        assert list(cards) == headlines[f"name_{lang}"].to_list()
        for ind, theme, name in headlines.select(
            "indicator_id", "theme", f"name_{lang}"
        ).iter_rows():
            card, latest = cards[name], metrics.latest(observed, ind)
            figure = re.search(r'<p class="card-figure">(.*?)</p>', card, re.S)[1]
            assert f'data-obs="{latest["obs_id"]}"' in figure, (name, figure)
            words = html.unescape(re.sub(r"<[^>]+>", "", figure))
            for code in qualifier_codes(latest["qualifier"]):
                hedge = label("qualifier", code, lang)
                assert hedge in words, (name, hedge, words)  # "estimated", "top": never lost
                hedged += bool(hedge)
            assert (
                f'<p class="card-period">{html.escape(fmt_period(latest["period"], lang))}</p>'
                in card
            )
            if latest["disputed_by"]:
                assert 'class="disputed"' in figure, name  # another source's value kept
            on_it = metrics.theme_targets(targets, observed, indicators, theme)
            statuses = (  # a theme without any target has no statuses at all
                on_it.filter(pl.col("indicator_id") == ind)["status"].to_list()
                if on_it.height
                else []
            )
            shown = re.findall(r'<p class="card-status">.*?<strong>(.*?)</strong>', card)
            assert shown == [html.escape(t(f"status.{s}", lang)) for s in statuses], (name, shown)
            with_target += len(statuses)
            assert f'<a href="{pages[theme]}.html">' in card
    assert hedged and with_target  # the data hold both: the checks above ran on them


@browser
def test_headline_cards_are_a_grid_of_three_or_four_a_row_on_a_desktop_one_on_a_phone(
    server, chrome
):
    for lang in LANGS:
        for width, per_row in ((1280, {3, 4}), (390, {1})):
            page = chrome.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{server}/pages/{lang}/index.html")
            tops = page.eval_on_selector_all(
                ".card", "cs => cs.map(c => c.getBoundingClientRect().top)"
            )
            assert len(tops) > 4 and tops.count(tops[0]) in per_row, (lang, width, tops[:5])
            page.close()


@browser
@pytest.mark.parametrize("lang", LANGS)
def test_the_header_fits_on_one_line_with_a_short_brand_and_the_menus(server, chrome, lang):
    """Brand (the site's short name), top-level links, the page list's menus, language switch
    and search box side by side, no label wrapped, at 1280 and 1024 px."""
    page = chrome.new_page()
    for width in (1280, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        for slug in ("index", "plan46_targets"):
            page.goto(f"{server}/pages/{lang}/{slug}.html")
            header = page.evaluate(HEADER_LINES)
            assert header["band"] and not header["wrapped"], (width, slug, header)
            assert header["items"] == 2 + page.locator(".nav-items > li").count()  # brand, tools
            assert page.inner_text(".site-title") == t("site.short_title", lang)
            assert page.locator(".nav-menu summary").all_inner_texts() == [
                t(f"nav_menu.{menu}", lang) for menu in MENUS
            ]
    assert page.title() != t("site.short_title", lang)  # the full title stays in <title>
    page.close()


@browser
@pytest.mark.parametrize("lang", LANGS)
def test_tables_show_whole_rows_on_a_phone(server, chrome, lang):
    """At 390 px no cell of a table lies off the screen on the targets and theme pages: a
    table of several columns is a card per row, each cell under its column's heading."""
    page = chrome.new_page(viewport={"width": 390, "height": 844})
    stacked = 0
    for slug in THEME_PAGES:
        page.goto(f"{server}/pages/{lang}/{slug}.html")
        assert page.evaluate(CELLS_OFF_SCREEN) == [], slug
        for table in page.locator("table.gt_table.stacked").all():
            headings = table.locator("thead th").all_inner_texts()
            for row in table.locator("tbody tr").all()[:3]:
                labels = [cell.get_attribute("data-label") for cell in row.locator("td").all()]
                assert labels == headings, (slug, labels, headings)
            stacked += 1
    assert stacked >= len(THEME_PAGES)  # each theme's figures, and the targets
    page.close()


@browser
def test_the_source_pop_up_stays_inside_the_screen(server, chrome):
    """The figure nearest the right edge, focused or hovered, shows its source in a pop-up
    inside the screen, at 390 and 1280 px; near the screen's foot it opens above the figure."""
    page = chrome.new_page()
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        for path in ("vi/index", "en/economy", "vi/plan46_targets"):
            page.goto(f"{server}/pages/{path}.html")
            focused = page.evaluate(RIGHTMOST_FIGURE_POPUP)
            assert focused["shown"] and focused["inside"] and focused["text"], (
                width,
                path,
                focused,
            )
            figure = page.locator(".fig").last
            figure.hover()
            box = page.locator("#fig-popup").bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, path, box)
    page.mouse.move(0, 0)
    page.evaluate("""() => {  // the last figure at the screen's foot
        const figure = [...document.querySelectorAll('.fig')].pop();
        window.scrollBy(0, figure.getBoundingClientRect().bottom - window.innerHeight + 4);
        figure.focus({preventScroll: true});
    }""")
    popup, figure = (
        page.locator("#fig-popup").bounding_box(),
        page.locator(".fig").last.bounding_box(),
    )
    assert popup["y"] + popup["height"] <= figure["y"] and popup["y"] >= 0, (popup, figure)
    page.close()


def test_a_wide_table_marks_each_cell_with_its_heading():
    """Great Tables' HTML, stacked: every body cell carries its column's heading (escaped) as
    `data-label`, a missing value's cell is marked, the table has the class the CSS reads."""
    frame = pl.DataFrame({"a": ["x", "y"], "b": [1.5, None], "c": ["<i>", "z"]})
    headings = {"a": 'A "&" <b>', "b": "B", "c": "C"}
    table = gt.GT(frame, id="table-7").cols_label(**headings).sub_missing(missing_text="–")
    out = _stacked(table.as_raw_html(), "table-7", headings)
    assert '<table class="gt_table stacked"' in out
    cells = re.findall(r"<td ([^>]*)>(.*?)</td>", out, re.S)
    labels = [html.unescape(re.search(r'data-label="([^"]*)"', attrs)[1]) for attrs, _ in cells]
    assert labels == list(headings.values()) * 2
    assert [text for attrs, text in cells if "data-missing" in attrs] == ["–"]
    assert "&lt;i&gt;" in out  # the data stays escaped
