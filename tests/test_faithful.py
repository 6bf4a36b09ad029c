"""Every published surface says what the sources say, in the reader's language.

Long because it is one promise checked on every surface (pages, charts, exports, the data
product, the PDF) through the same few readers of a page's text, defined here.
"""

from __future__ import annotations

import html as html_module
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import polars as pl

from analysis.paths import DATA, ROOT
from analysis.report.i18n import fmt, gettext, label, t

PAGES = pl.read_csv(DATA / "pages.csv")["page"].to_list()

# Letters only Vietnamese writes (with their tone marks): an English page shows them only
# inside a verbatim quote marked with the quote's language.
VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ\u1ea0-\u1ef9]")


class PageText(HTMLParser):
    """The text a reader sees, less scripts, styles and elements in another language."""

    VOID = frozenset({"br", "img", "meta", "link", "input", "hr", "col", "source", "wbr"})

    def __init__(self, lang: str):
        super().__init__()
        self.lang, self.stack, self.text = lang, [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        foreign = tag in ("script", "style") or attrs.get("lang", self.lang) != self.lang
        self.stack.append(foreign or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.text.append(data)


def reader_text(page: Path, lang: str) -> str:
    parser = PageText(lang)
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(parser.text)


def test_english_pages_show_no_vietnamese_outside_marked_quotes(built):
    found = {}
    for page in (built.site / "pages" / "en" / f"{slug}.html" for slug in PAGES):
        words = {w for w in reader_text(page, "en").split() if VIETNAMESE.search(w)}
        if words:
            found[page.name] = sorted(words)[:8]
    assert not found, found


def test_page_text_check_catches_an_unmarked_vietnamese_word(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<html lang="en"><p>Staff: 8,947 <q lang="vi">cán bộ</q> người</p></html>')
    assert [w for w in reader_text(page, "en").split() if VIETNAMESE.search(w)] == ["người"]


def test_figures_follow_the_page_notation(built):
    """Each large figure a source gives appears on the sources page in the page's notation,
    never in the other language's (1,943 in English; 1.943 in Vietnamese)."""
    obs = pl.read_parquet(built.data / "processed/observations.parquet")
    # Figures written with a scale word ("20,3 triệu") are shown at that scale instead.
    plain = obs.filter(~pl.col("value_text").str.contains(r"[a-zà-ỹ]"))
    large = [v for v in plain["value"] if v >= 1000 and float(v).is_integer()]
    assert large
    for lang, other in (("en", "vi"), ("vi", "en")):
        text = reader_text(built.site / "pages" / lang / "sources.html", lang)
        for value in large:
            assert fmt(value, lang) in text, (lang, value)
            assert fmt(value, other) not in text, (lang, value)


def test_charts_keep_the_source_hedge_in_labels_tooltips_and_exports(built):
    obs = pl.read_parquet(built.data / "processed/observations.parquet")
    hedged = dict(
        obs.filter(pl.col("qualifier") != "exact").select("indicator_id", "qualifier").iter_rows()
    )
    checked = 0
    for lang in ("vi", "en"):
        for csv in sorted((built.notebooks / "charts").glob(f"*-{lang}.csv")):
            frame = pl.read_csv(csv)
            if "indicator_id" not in frame.columns:
                continue
            spec = csv.with_suffix(".vl.json").read_text(encoding="utf-8")
            for row in frame.iter_rows(named=True):
                code = hedged.get(row["indicator_id"])
                if code:
                    checked += 1
                    assert row["figure"].startswith(label("qualifier", code, lang)), (csv.name, row)
                    assert '"field": "figure"' in spec, csv.name  # bars and tooltips write it
    assert checked, "no chart plots a hedged figure: the test would prove nothing"


def test_a_range_keeps_its_upper_bound(built):
    obs = pl.read_parquet(built.data / "processed/observations.parquet")
    (row,) = obs.filter(pl.col("value_high").is_not_null()).rows(named=True)
    indicators = pl.read_parquet(built.data / "processed/indicators.parquet")
    themes = pl.read_parquet(built.data / "processed/themes.parquet")
    theme = indicators.filter(pl.col("indicator_id") == row["indicator_id"])["theme"].item()
    page = themes.filter(pl.col("theme_id") == theme)["page"].item()
    for lang in ("vi", "en"):
        text = reader_text(built.site / "pages" / lang / f"{page}.html", lang)
        shown = f"{label('qualifier', row['qualifier'], lang)} {fmt(row['value'], lang)}–{fmt(row['value_high'], lang)}"
        assert shown in text, (lang, shown)


def test_a_check_that_did_not_run_is_not_claimed(built, tmp_path):
    """The data quality page of a build without the source texts says which checks did
    not run, and never that every check passed."""
    import papermill as pm

    from analysis.product.dataset import build_tables
    from analysis.product.publish import field_descriptions, publish

    data = tmp_path / "processed"
    tables = build_tables(built.data, None)  # no source texts: quotes are not verified
    publish(tables, data, "2026-01-11", field_descriptions(built.data, tables))
    out = tmp_path / "quality.ipynb"
    pm.execute_notebook(ROOT / "notebooks/11_data_quality.ipynb", out, kernel_name="python3",
                        progress_bar=False, parameters={"lang": "en", "data_dir": str(data),
                        "chart_dir": str(tmp_path / "charts"), "site_root": "../"})  # fmt: skip
    # What the page shows: the run's outputs (its code holds every message, in English).
    executed = json.loads(out.read_text(encoding="utf-8"))
    text = json.dumps([c.get("outputs", []) for c in executed["cells"]], ensure_ascii=False)
    assert gettext("not run in this build: the source texts were not available", "en") in text
    passed_all = "{n_obs} sourced figures from {n_sources} documents passed every check below."
    coverage_all = gettext(passed_all, "en").split("{n_sources}")[1]
    assert coverage_all not in text  # "documents passed every check below."


def published(built, table: str) -> pl.DataFrame:
    return pl.read_parquet(built.data / f"processed/{table}.parquet")


def site_pages(built):
    """Every page of the page catalog in each language (a missing one fails the test)."""
    for lang in ("vi", "en"):
        for slug in PAGES:
            page = built.site / "pages" / lang / f"{slug}.html"
            yield lang, page, page.read_text(encoding="utf-8")


TRACED = re.compile(r'<span class="fig"[^>]*data-obs="([^"]+)"[^>]*>([^<]*)</span>')
DISPUTE = re.compile(r'\s<span class="disputed">')


def test_a_disputed_figure_carries_the_other_sources_value_wherever_it_is_shown(built):
    """Where a figure another source contradicts is shown (home, overview, theme tables,
    sentences, the PDF), the other value and its source stand beside it, traced."""
    obs = published(built, "observations")
    disputed = {
        r["obs_id"]: r["disputed_by"].split("; ")
        for r in obs.iter_rows(named=True)
        if r["disputed_by"]
    }
    assert disputed, "no disagreement in the data: the test would prove nothing"
    shown = set()
    for lang, page, html in site_pages(built):
        at = 0
        while match := TRACED.search(html, at):
            at = match.end()
            if match[1] not in disputed:
                continue
            assert DISPUTE.match(html, at), (lang, page.name, match[0])
            note_end = html.index(")</span>", at) + len(")</span>")
            for other in disputed[match[1]]:
                assert f'data-obs="{other}"' in html[at:note_end], (lang, page.name, other)
            shown.add((lang, page.stem))
            at = note_end  # the other values inside the note need no note of their own
    for lang in ("vi", "en"):
        assert {(lang, "index"), (lang, "overview"), (lang, "digital_government")} <= shown
    # The data product says so in its own column, and the PDF never shows one value alone.
    csv = pl.read_csv(built.data / "processed/observations.csv", infer_schema=False)
    assert dict(
        csv.filter(pl.col("disputed_by").is_not_null()).select("obs_id", "disputed_by").iter_rows()
    ) == {k: "; ".join(v) for k, v in disputed.items()}
    values = dict(obs.select("obs_id", "value").iter_rows())
    for lang in ("vi", "en"):
        text = subprocess.run(["pdftotext", built.site / f"reports/report-2025-{lang}.pdf", "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        # The PDF shows disputed figures (its overview does), or the check below proves nothing.
        assert any(fmt(values[obs_id], lang) in text for obs_id in disputed), lang
        for obs_id, others in disputed.items():
            for other in others:
                assert text.count(fmt(values[other], lang)) >= text.count(fmt(values[obs_id], lang))


def numerals(text: str, lang: str) -> list[str]:
    """The numerals of a text, written in Vietnamese notation, leading zeros dropped
    (`8,947` and `11.0` in English read as `8.947` and `11,0`)."""
    found = re.findall(r"\d[\d,]*(?:\.\d+)?" if lang == "en" else r"\d[\d.]*(?:,\d+)?", text)
    swap = str.maketrans(",.", ".,") if lang == "en" else {}
    return [n.translate(swap).lstrip("0") or "0" for n in found]


def test_every_figure_shows_the_hedges_precision_and_scale_its_source_wrote(built):
    """`11,0%` stays 11.0, `hơn 20,3 triệu` stays more than 20.3 million, `ước khoảng 6,35`
    keeps both hedges: every traced figure on every page writes the source's numeral."""
    obs = {r["obs_id"]: r for r in published(built, "observations").iter_rows(named=True)}
    checked = set()
    for lang, page, html in site_pages(built):
        for obs_id, text in TRACED.findall(html):
            row = obs.get(obs_id)
            if row is None or not re.search(r"\d", row["value_text"]):
                continue  # a derived figure, or a number written as a word ("bốn")
            text = " ".join(html_module.unescape(text).split())
            assert numerals(text, lang) == numerals(row["value_text"], "vi"), (
                lang,
                page.name,
                text,
                row["value_text"],
            )
            position = -1
            for code in row["qualifier"].split("+"):
                word = label("qualifier", code, lang)
                assert text.find(word, position + 1) > position, (lang, page.name, text, code)
                position = text.find(word, position + 1)
            checked.add(row["value_text"])
    assert {"11,0%", "7,0%", "20,3 triệu", "6,35"} <= checked
    # The sources page lists every figure as plain text: the same numerals there.
    for lang in ("vi", "en"):
        listed = set(
            numerals(reader_text(built.site / "pages" / lang / "sources.html", lang), lang)
        )
        for row in obs.values():
            assert set(numerals(row["value_text"], "vi")) <= listed, (lang, row["value_text"])


class InlineText(HTMLParser):
    """A page's text as a browser lays it out: inline elements (a traced figure's span) add
    no space, blocks add one, table cells stand apart."""

    BLOCKS = frozenset(
        {"p", "div", "li", "h1", "h2", "h3", "h4", "br", "tr", "figcaption", "summary"}
    )

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        self.parts.append(" | " if tag in ("td", "th") else " " if tag in self.BLOCKS else "")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")
        self.parts.append(" | " if tag in ("td", "th") else " " if tag in self.BLOCKS else "")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def test_one_percent_style_per_language(built):
    """A percentage is written one way per language (`14,4%`, `14.4%`), in sentences,
    tables and the text a search snippet takes: never `51,4 %`."""
    for lang, page, html in site_pages(built):
        parser = InlineText()
        parser.feed(html)
        spaced = re.findall(r".{20}\d\s+%", "".join(parser.parts))
        assert not spaced, (lang, page.name, spaced[:3])
        # A figure and its percent sign are one text: a search snippet or a copy, which
        # joins elements with a space, never splits them ("51,4 %").
        split = re.findall(r".{40}</span>\s*%", html)
        assert not split, (lang, page.name, split[:3])


def theme_page(built, indicator_id: str) -> str:
    indicators = published(built, "indicators")
    themes = published(built, "themes")
    theme = indicators.filter(pl.col("indicator_id") == indicator_id)["theme"].item()
    return themes.filter(pl.col("theme_id") == theme)["page"].item()


def test_every_target_appears_on_its_themes_page_with_its_status(built):
    obs = published(built, "observations").filter(pl.col("obs_type") == "target")
    targets = published(built, "targets").filter(pl.col("indicator_id").is_not_null())
    assert obs.height and targets.height
    for lang in ("vi", "en"):
        for row in obs.iter_rows(named=True):
            html = (
                built.site / "pages" / lang / f"{theme_page(built, row['indicator_id'])}.html"
            ).read_text(encoding="utf-8")
            assert f'data-obs="{row["obs_id"]}"' in html, (lang, row["obs_id"])
        for row in targets.iter_rows(named=True):
            text = reader_text(
                built.site / "pages" / lang / f"{theme_page(built, row['indicator_id'])}.html", lang
            )
            item = gettext("Plan 46, Appendix I, item {item}", lang).format(item=row["item"])
            assert item in text, (lang, row["item"])


def test_a_target_before_its_deadline_is_never_called_met(built):
    """Plan 46's 2045 PII target, reached in 2024, is at the target level, not met."""
    for lang in ("vi", "en"):
        text = reader_text(built.site / "pages" / lang / "pii.html", lang)
        assert t("status.at_level", lang) in text
        assert f"({t('status.met', lang)})" not in text


def test_a_new_target_row_reaches_its_themes_page_with_no_code(built, tmp_path):
    """A curator adds Plan 46's "3% of total budget spending" as a target row: the theme's
    page shows it on the next run."""
    import shutil

    import papermill as pm

    from analysis.product.dataset import build_tables
    from analysis.product.publish import field_descriptions, publish

    data = tmp_path / "data"
    shutil.copytree(built.data, data, ignore=shutil.ignore_patterns("processed*"))
    row = ('sti_budget_share,VN-CT,2025-08-25,target,3,,exact,percent_budget,3%,003_46c1bc078081cbe5,'
           '"phấn đấu bố trí 3% tổng chi ngân sách hằng năm",Synthetic test row.,\n')  # fmt: skip
    with (data / "curated/observations.csv").open("a", encoding="utf-8") as f:
        f.write(row)
    tables = build_tables(data, None)
    publish(tables, data / "processed", "2026-01-11", field_descriptions(data, tables))
    page = theme_page(built, "sti_budget_share")
    notebook = (
        ROOT
        / "notebooks"
        / f"{published(built, 'pages').filter(pl.col('page') == page)['notebook'].item()}.ipynb"
    )
    out = tmp_path / "page.ipynb"
    pm.execute_notebook(notebook, out, kernel_name="python3", progress_bar=False,
                        parameters={"lang": "en", "data_dir": str(data / "processed"),
                                    "chart_dir": str(tmp_path / "charts"), "site_root": "../"})  # fmt: skip
    assert 'data-obs=\\"sti_budget_share|2025-08-25|target|003\\"' in out.read_text(
        encoding="utf-8"
    )


def test_the_procedures_chart_plots_only_counts_of_one_kind(built):
    """The digital-government chart puts procedures provided, fully online and served
    regardless of residence (both sources, their disagreement in view) on its axis, not
    another source's count of procedures synchronised on the city's system: a different
    measure, larger than the procedures provided with no reason given. The page states that
    count beside the chart as not comparable, and its figures table keeps it."""
    residence = "procedures_residence_independent"
    for lang in ("vi", "en"):
        plotted = pl.read_csv(built.site / f"charts/2025/dg_procedures-{lang}.csv")
        assert set(plotted["indicator_id"]) == {
            "admin_procedures_provided", "online_full_process_services", residence,
        }  # fmt: skip
        assert plotted.filter(pl.col("indicator_id") == residence)["publisher"].n_unique() == 2
        # The legend names each source by its publisher alone; tooltips and table in full.
        assert all(p in s and "(" not in p for p, s in plotted.select("publisher", "source").rows())
        page = (built.site / f"pages/{lang}/digital_government.html").read_text(encoding="utf-8")
        said = [p for p in re.findall(r"<p>(.*?)</p>", page, re.S)
                if 'data-obs="admin_procedures_synced|' in p]  # fmt: skip
        assert len(said) == 1 and 'data-obs="admin_procedures_provided|' in said[0], said
        assert page.count('data-obs="admin_procedures_synced|') == 2  # the sentence, the table
