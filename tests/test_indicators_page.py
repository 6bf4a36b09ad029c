"""Every figure addressable: the indicators page gives each indicator of the catalog an
anchor (`indicators.html#ind-<id>`, the same in both languages) holding its definition,
every figure of the edition with its source and verbatim quote, the sources' disagreements
and its targets with their status; theme and sources pages link to it; the search finds an
indicator by its name. The sources page anchors each document (`#src-<id>`) with what it
says of itself; the downloads page lists every table, report, citation file and chart bundle."""

from __future__ import annotations

import html
import re
import subprocess

import polars as pl
import pytest
from markupsafe import escape

from analysis.report import metrics
from analysis.report.display import render
from analysis.report.i18n import fmt, fmt_period, gettext, t
from analysis.site.build import size_text
from tests.conftest import browser, poppler

LANGS = ("vi", "en")
EDITION = 2025
HREF = re.compile(r'href="([a-z_]+\.html)#((?:ind|src)-[^"]+)"')


def published(built, table: str) -> pl.DataFrame:
    return pl.read_parquet(built.data / f"processed/{table}.parquet")


def page(built, lang: str, slug: str) -> str:
    return (built.site / f"pages/{lang}/{slug}.html").read_text(encoding="utf-8")


def blocks(text: str) -> dict[str, str]:
    """Each indicator's block on the indicators page: its id -> its HTML."""
    parts = text.split('<div class="indicator">')[1:]
    return {re.match(r'\s*<h3 id="ind-([^"]+)"', part)[1]: part for part in parts}


def section(block: str, heading: str) -> str:
    """The part of a block under one of its headings (to the next heading)."""
    start = block.index(f"<h4>{escape(heading)}</h4>")
    end = block.find("<h4>", start + 4)
    return block[start : end if end > 0 else None]


def test_the_indicator_template_escapes_the_data():
    values = {"id": "x", "name": "<b>n</b>", "definition": "A & B", "theme": "<t>", "theme_href": "t.html",
              "unit": "<u>", "related": [], "observations": [], "disagreements": [], "targets": [],
              "no_observation": "<none>", "t": {k: k for k in ("theme", "unit", "indicator_id",
              "observations_heading", "source", "source_words", "computed", "disagreement_heading",
              "targets_heading", "horizon", "status", "gap", "latest")}}  # fmt: skip
    out = render("indicator.html", **values)
    assert "<b>n" not in out and "<t>" not in out and "<u>" not in out and "<none>" not in out
    assert '<h3 id="ind-x"><a href="#ind-x">&lt;b&gt;n&lt;/b&gt;</a></h3>' in out
    assert "A &amp; B" in out and "<table" not in out


def test_file_sizes_in_the_pages_notation():
    assert (
        size_text(1_157_333, "en") == "(1.1\u00a0MB)"
        and size_text(1_302_409, "vi") == "(1,2\u00a0MB)"
    )
    assert size_text(5_000, "vi") == "(5\u00a0KB)"


@pytest.mark.parametrize("lang", LANGS)
def test_every_indicator_has_its_anchor_with_every_figure_its_source_and_quote(built, lang):
    text = page(built, lang, "indicators")
    found = blocks(text)
    indicators = published(built, "indicators")
    assert list(found) == [
        i
        for theme in published(built, "themes")["theme_id"]
        for i in indicators.filter(pl.col("theme") == theme)["indicator_id"]
    ]
    assert len(found) == indicators.height == len(set(re.findall(r'id="(ind-[^"]+)"', text)))
    for ind in indicators.iter_rows(named=True):
        block = found[ind["indicator_id"]]
        # The indicators it is a part, a share or a ratio of link to their own entries.
        for key in ("part_of", "share_of", "numerator", "denominator"):
            assert not ind[key] or f'<a href="indicators.html#ind-{ind[key]}">' in block, (key, ind)
        assert (
            str(escape(ind[f"name_{lang}"])) in block
            and str(escape(ind[f"definition_{lang}"])) in block
        )
    obs = metrics.for_edition(published(built, "observations"), EDITION)
    assert obs.height > 80
    prefix = gettext("The source’s wording, in {language}; it gives {indicator}: {figure}.", lang)
    for row in obs.iter_rows(named=True):
        block = found[row["indicator_id"]]
        figures = section(block, t("observations_heading", lang))
        # The item that shows the figure (another's may name it as the other source's value).
        at = figures.index(
            f'<span class="indicator-value"><span class="fig" tabindex="0" data-obs="{row["obs_id"]}"'
        )
        item = figures[at : figures.find("</li>", at)]
        assert f'href="sources.html#src-{row["source_id"]}"' in item, row["obs_id"]
        quote = re.search(r'<q lang="vi"[^>]*>(.*?)</q>', item)
        assert html.unescape(quote[1]) == row["quote"], row["obs_id"]
        # An English page says what the Vietnamese words give, and that they are the source's.
        gloss = f'<span class="gloss">{escape(prefix.split("{language}")[0])}'
        assert (gloss in item) == (lang == "en"), row["obs_id"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_disputed_figure_shows_both_sides_on_its_indicator(built, lang):
    """The indicator's entry states the disagreement first, each value beside its source,
    then lists both figures with their sources' words."""
    conflicts = published(built, "conflicts")
    assert conflicts.height >= 2, "no disagreement in the data: the test would prove nothing"
    found = blocks(page(built, lang, "indicators"))
    for (ind, period), rows in conflicts.group_by("indicator_id", "period"):
        disagreement = section(found[ind], t("disagreement_heading", lang))
        headings = [found[ind].index(f"<h4>{escape(t(key, lang))}</h4>")
                    for key in ("disagreement_heading", "observations_heading")]  # fmt: skip
        assert headings == sorted(headings) and fmt_period(period, lang) in disagreement
        figures = section(found[ind], t("observations_heading", lang))
        for row in rows.iter_rows(named=True):
            source = f'href="sources.html#src-{row["source_id"]}"'
            assert f"{fmt(row['value'], lang)} (<a {source}>" in disagreement, (lang, row["value"])
            assert str(escape(row["quote"])) in figures and source in figures
    undisputed = [i for i in found if i not in set(conflicts["indicator_id"])]
    assert all(f"<h4>{escape(t('disagreement_heading', lang))}" not in found[i] for i in undisputed)


@pytest.mark.parametrize("lang", LANGS)
def test_every_target_is_on_its_indicator_with_its_status(built, lang):
    found = blocks(page(built, lang, "indicators"))
    statuses = [t(f"status.{s}", lang) for s in metrics.STATUSES]
    plan = published(built, "targets").filter(pl.col("indicator_id").is_not_null())
    stated = published(built, "observations").filter(pl.col("obs_type") == "target")
    assert plan.height and stated.height
    for row in plan.iter_rows(named=True):
        targets = section(found[row["indicator_id"]], t("targets_heading", lang))
        item = gettext("Plan 46, Appendix I, item {item}", lang).format(item=row["item"])
        at = targets.index(str(escape(item)))
        shown = targets[at : targets.find("</li>", at)]
        assert any(f">{escape(s)}</span>" in shown for s in statuses), (lang, row["item"])
    for row in stated.iter_rows(named=True):
        targets = section(found[row["indicator_id"]], t("targets_heading", lang))
        assert f'data-obs="{row["obs_id"]}"' in targets, (lang, row["obs_id"])
    # A target in words carries its unit on its bound, not after the words (item 12: "≥ 3%
    # of total state budget spending and rising as development requires").
    budget = section(found["sti_budget_share"], t("targets_heading", lang))
    assert re.search(r"≥ 3 ?%", budget) and "requires%" not in budget
    # Plan 46's 2045 PII rank target, reached in 2024, is at the target level, never met.
    pii = section(found["pii_rank"], t("targets_heading", lang))
    assert (
        escape(t("status.at_level", lang)) in pii and escape(t("status.met", lang)) + "<" not in pii
    )


def test_every_link_to_an_indicator_or_a_source_finds_its_anchor(built):
    """Theme pages' figure and target tables link their indicators' names, the indicators page
    its figures' sources, the sources page its figures' indicators: every such link finds its
    anchor on its page, in the same language."""
    linked = set()
    for lang in LANGS:
        anchors = {slug: set(re.findall(r'id="([^"]+)"', page(built, lang, slug)))
                   for slug in ("indicators", "sources")}  # fmt: skip
        for path in sorted((built.site / "pages" / lang).glob("*.html")):
            for target, anchor in HREF.findall(path.read_text(encoding="utf-8")):
                assert anchor in anchors[target.removesuffix(".html")], (lang, path.name, anchor)
                linked.add((path.stem, target))
    themes = published(built, "themes")["page"].to_list()
    assert {(slug, "indicators.html") for slug in themes} <= linked
    assert ("indicators", "sources.html") in linked and ("sources", "indicators.html") in linked
    sources = published(built, "sources")["source_id"]
    for lang in LANGS:
        assert all(f'id="src-{s}"' in page(built, lang, "sources") for s in sources)


@pytest.mark.parametrize("lang", LANGS)
def test_the_sources_page_shows_what_each_document_says_of_itself(built, lang):
    text = page(built, lang, "sources")
    sources = published(built, "sources")
    plan = sources.filter(pl.col("identifier").is_not_null()).row(0, named=True)
    start = text.index(f'id="src-{plan["source_id"]}"')
    entry = text[start : text.index("</dl>", start)]
    assert f"<code>{plan['identifier']}</code>" in entry
    assert re.search(
        rf'<q lang="vi"[^>]*>{re.escape(str(escape(plan["identifier_quote"])))}</q>', entry
    )
    # Where no document gives an address, each entry says so.
    not_given = str(escape(t("not_given", lang)))
    assert sources["url"].null_count() == sources.height
    assert text.count(f"<dt>{escape(t('url', lang))}</dt><dd>{not_given}</dd>") == sources.height


@pytest.mark.parametrize("lang", LANGS)
def test_the_downloads_page_lists_every_table_report_citation_file_and_bundle(built, lang):
    text = re.sub(r"\s+", " ", page(built, lang, "downloads"))  # pandoc wraps lines
    site = built.site / "pages" / lang
    catalog = published(built, "tables")
    assert catalog["table"].to_list() == [r.stem for r in sorted(built.data.glob("processed/*.parquet"),
                                          key=lambda p: catalog["table"].to_list().index(p.stem))]  # fmt: skip
    # Text as a reader sees it (pandoc writes a typewriter apostrophe as ’).
    readable = html.unescape(text).replace("’", "'")
    for row in catalog.iter_rows(named=True):
        name, shown = row["table"], row[f"name_{lang}"]
        at = readable.index(f"<strong>{shown}</strong>")
        item = readable[at : readable.index("</li>", at)]
        assert shown != name and row[f"description_{lang}"] in item
        assert f"<code>{name}</code>" in item
        assert (
            f'href="../../data/{name}.csv"' in item and f'href="../../data/{name}.parquet"' in item
        )
    expected = [f"reports/report-{EDITION}-{code}.pdf" for code in LANGS]
    expected += [f"cite/{name}" for name in ("CITATION.cff", f"cantho-sti-observatory-{EDITION}.bib",
                                            f"cantho-sti-observatory-{EDITION}.ris")]  # fmt: skip
    expected += [
        f"charts/{EDITION}/{chart}-{lang}.zip" for chart in published(built, "charts")["chart_id"]
    ]
    expected += ["data/cantho-sti-observatory.xlsx", "data/datapackage.json"]
    for path in expected:
        assert f'href="../../{path}"' in text, path
        assert (site / f"../../{path}").resolve().is_file(), path
    # Each report, bundle and the workbook with its size, written in once the file was made.
    sizes = dict(re.findall(r'<span class="file-size" data-file="([^"]+)">([^<]*)</span>', text))
    for path in [p for p in expected if p.endswith((".pdf", ".zip", ".xlsx"))]:
        size = size_text((built.site / path).stat().st_size, lang)
        assert sizes[path] == re.sub(r"\s", " ", size), path  # the text's spaces made plain above
    for chart in published(built, "charts")["chart_id"]:
        assert str(escape(t(f"chart.{chart}", lang))) in text


def test_no_table_on_the_indicators_page(built):
    """A phone shows each indicator whole: facts and figures stack, no wide table."""
    for lang in LANGS:
        assert "<table" not in page(built, lang, "indicators")


@browser
@pytest.mark.parametrize("lang", LANGS)
def test_the_search_finds_an_indicator_by_its_name(built, server, chrome, lang):
    """Pagefind's index of the page's language finds an indicator's name and leads to its
    anchor (a heading with an id is a result of its own)."""
    row = (
        published(built, "indicators")
        .filter(pl.col("indicator_id") == "open_datasets")
        .row(0, named=True)
    )
    view = chrome.new_page()
    view.goto(f"{server}/pages/{lang}/indicators.html")
    urls = view.evaluate(
        """async (query) => {
            const pagefind = await import('/pagefind/pagefind.js');
            const search = await pagefind.search(query);
            const results = await Promise.all(search.results.slice(0, 5).map(r => r.data()));
            return results.flatMap(r => [r.url, ...r.sub_results.map(s => s.url)]);
        }""",
        row[f"name_{lang}"],
    )
    view.close()
    assert any(u.endswith(f"/pages/{lang}/indicators.html#ind-open_datasets") for u in urls), urls


@poppler
def test_the_pdf_keeps_the_indicator_names_but_links_to_no_page_of_the_site(built):
    """The PDF holds the theme pages and the sources, not the indicators page: their links to
    an indicator's entry would lead nowhere from a PDF, so its words print unlinked."""
    for lang in LANGS:
        pdf = built.site / f"reports/report-{EDITION}-{lang}.pdf"
        urls = subprocess.run(
            ["pdfinfo", "-url", pdf], capture_output=True, text=True, check=True
        ).stdout
        assert ".html" not in urls, urls[:300]
        text = subprocess.run(
            ["pdftotext", pdf, "-"], capture_output=True, text=True, check=True
        ).stdout
        name = (
            published(built, "indicators")
            .filter(pl.col("indicator_id") == "pii_rank")[f"name_{lang}"]
            .item()
        )
        assert name in text
