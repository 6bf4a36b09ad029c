"""Every published surface says what the sources say, in the reader's language."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polars as pl

from analysis.paths import ROOT
from analysis.report.i18n import fmt, label, t

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
    for page in sorted((built.site / "pages" / "en").glob("*.html")):
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
    large = [v for v in obs["value"] if v >= 1000 and float(v).is_integer()]
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
    text = out.read_text(encoding="utf-8")
    assert t("check_not_run", "en") in text
    coverage_all = t("sentence.quality_summary", "en").split("{n_sources}")[1]
    assert coverage_all not in text  # "documents passed every check below."


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
