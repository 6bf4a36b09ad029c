"""How to cite an edition: one citation on the cite page, the PDF's cover and the citation
files; each chart's citation; the chart bundles dated with the edition's data date."""

from __future__ import annotations

import html
import json
import re
import subprocess
import zipfile
from datetime import date

import bibtexparser
import polars as pl
import pytest
import rispy
import yaml

from analysis.paths import ROOT
from analysis.report import cite
from analysis.report.i18n import LANGS, t
from tests.conftest import poppler

EDITION = 2025  # the edition the `built` fixture builds
URL = "https://observatory.example"


def squash(text: str) -> str:
    return " ".join(text.split())


def data_date(built) -> str:
    """The edition's data date as the data product publishes it (its version)."""
    descriptor = built.data / "processed" / "datapackage.json"
    return json.loads(descriptor.read_text(encoding="utf-8"))["version"]


def page_paragraphs(path) -> list[str]:
    """Each paragraph of a page as a reader reads it."""
    found = re.findall(r"<p>(.*?)</p>", path.read_text(encoding="utf-8"), re.DOTALL)
    return [squash(html.unescape(re.sub(r"<[^>]+>", "", p))) for p in found]


def page_citation(built, lang: str) -> str:
    """The cite page's citation line: the one quoted block (after its lead-in)."""
    text = (built.site / "pages" / lang / "cite.html").read_text(encoding="utf-8")
    quotes = re.findall(r"<blockquote[^>]*>(.*?)</blockquote>", text, re.DOTALL)
    assert len(quotes) == 1, quotes
    return squash(html.unescape(re.sub(r"<[^>]+>", "", quotes[0])))


def cover_citation(built, lang: str) -> str:
    """The citation on the PDF's cover, as poppler reads it."""
    pdf = built.site / f"reports/report-{EDITION}-{lang}.pdf"
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    return squash(cover).split(t("report.citation", lang), 1)[1].strip()


def english_title_words() -> set[str]:
    """The words of the observatory's English title, as CITATION.cff gives it (not codes
    such as the resolution's number, 57-NQ/TW, which Vietnamese writes alike)."""
    title = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["title"]
    return {w.lower() for w in re.findall(r"\b[A-Za-z][a-z]+\b", title)}


@poppler
@pytest.mark.parametrize("lang", LANGS)
def test_cite_page_and_pdf_cover_give_one_and_the_same_citation(built, lang):
    on_cover = cover_citation(built, lang)
    # One citation on the page, of the data date's year (no second one of another year).
    text = " ".join(page_paragraphs(built.site / "pages" / lang / "cite.html"))
    assert re.findall(r"\((\d{4})\)", text) == [data_date(built)[:4]], text
    assert page_citation(built, lang) == on_cover
    assert str(EDITION) in on_cover and t("cite.no_address", lang) in on_cover


@poppler
def test_the_vietnamese_citation_has_no_english_title_words(built):
    english = english_title_words()
    assert {"observatory", "sourced", "indicators"} <= english

    def english_in(text: str) -> set[str]:
        return {w.lower() for w in re.findall(r"\w+", text)} & english

    catalog = pl.read_parquet(built.data / "processed/charts.parquet")["chart_id"]
    charts = [built.notebooks / "charts" / f"{chart_id}-vi.cite.txt" for chart_id in catalog]
    for text in [cover_citation(built, "vi"), *(p.read_text(encoding="utf-8") for p in charts)]:
        assert not english_in(text), (english_in(text), text)
    assert not english_in(page_citation(built, "vi"))


def test_citation_files_brace_protect_the_title_and_say_the_address_is_not_published(built):
    folder = built.site / cite.FOLDER
    files = {p.suffix: p.read_text(encoding="utf-8") for p in folder.iterdir()}
    cff = yaml.safe_load(files[".cff"])
    (entry,) = bibtexparser.parse_string(files[".bib"]).entries
    # A BibTeX style lower-cases a title's words unless braces protect them.
    assert entry["title"] == "{" + cff["title"] + "}"
    assert entry["year"] == data_date(built)[:4] and entry["edition"] == str(EDITION)
    assert "url" not in entry and "urldate" not in entry and "url" not in cff
    (record,) = rispy.loads(files[".ris"])
    assert record["title"] == cff["title"] and "urls" not in record
    # The repository's own CITATION.cff (read by GitHub) names the same title and author.
    own = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert (own["title"], own["authors"]) == (cff["title"], cff["authors"])


def test_a_configured_address_goes_into_every_citation(monkeypatch):
    config = {"website": {"site-url": URL + "/"}}

    def setting(lang: str, *keys: str):  # the configuration as `_quarto.yml` would give it
        value = config
        for key in keys:
            value = value.get(key)
        return value

    monkeypatch.setattr(cite, "setting", setting)
    citation = cite.Citation(EDITION, "2026-01-11")
    files = citation.files()
    assert yaml.safe_load(files["CITATION.cff"])["url"] == URL
    (entry,) = bibtexparser.parse_string(files[f"{citation.stem}.bib"]).entries
    assert entry["url"] == URL and entry["urldate"] == citation.data_date
    assert "howpublished" not in entry
    ris = files[f"{citation.stem}.ris"]
    assert f"UR  - {URL}\n" in ris and re.search(r"^Y2  - \d{4}/\d{2}/\d{2}$", ris, re.M)
    for lang in LANGS:
        line = citation.reference(lang)
        assert URL in line and t("cite.no_address", lang) not in line
        assert line.endswith(t("cite.accessed", lang))
        assert URL in citation.chart_reference(lang, "chart", "sources")
    # Without an address, the line says so and asks for no access date.
    config["website"]["site-url"] = ""
    for lang in LANGS:
        line = citation.reference(lang)
        assert t("cite.no_address", lang) in line and t("cite.accessed", lang) not in line


def test_each_chart_citation_names_chart_edition_year_licence_and_address(built):
    licence = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))[
        "license"
    ].replace("-", " ")  # as readers write it: CC BY 4.0
    year = data_date(built)[:4]
    catalog = pl.read_parquet(built.data / "processed/charts.parquet")
    for chart_id, page in catalog.select("chart_id", "page").iter_rows():
        for lang in LANGS:
            path = built.site / "charts" / str(EDITION) / f"{chart_id}-{lang}.cite.txt"
            text = path.read_text(encoding="utf-8").strip()
            for part in (t(f"chart.{chart_id}", lang), str(EDITION), f"({year})", licence,
                         t("cite.no_address", lang)):  # fmt: skip
                assert part in text, (chart_id, lang, part, text)
            # The chart's figure on its page shows the same citation, where it shows its source.
            shown = (built.site / "pages" / lang / f"{page}.html").read_text(encoding="utf-8")
            assert text in html.unescape(shown), (chart_id, lang)  # however it is escaped


def test_chart_bundles_are_dated_with_the_edition_data_date(built):
    dated = date.fromisoformat(data_date(built)).timetuple()[:3]
    bundles = sorted((built.site / "charts" / str(EDITION)).glob("*.zip"))
    catalog = pl.read_parquet(built.data / "processed/charts.parquet")["chart_id"]
    assert len(bundles) == len(LANGS) * len(catalog)  # each chart's, in each language
    for bundle in bundles:
        with zipfile.ZipFile(bundle) as zf:
            assert {info.date_time for info in zf.infolist()} == {(*dated, 0, 0, 0)}, bundle.name
