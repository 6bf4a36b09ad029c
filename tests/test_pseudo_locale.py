"""A third language is data and a catalog: nothing else.

In a copy of the project, code adds a pseudo-language `qps` (English texts, every one
visibly transformed: `⟦Sóúrcé⟧`) exactly as the README says a language is added: a
catalog, the translated columns of the reference tables, a row in data/languages.csv and a
site profile. The copy then builds its data product, runs one real theme page's notebook in
`qps` and renders it with pandoc. Every word on that page must be pseudo text (or data: a
a quote), its numbers and dates in the new language's notation. A text typed into
the code, or a rule that knows only vi and en, shows up here.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest
import yaml
from babel.messages.pofile import read_po, write_po
from babel.numbers import format_decimal

from analysis.paths import ROOT
from analysis.report.display import EXPORT_LABELS

# Every test reads the module's build of a copy of the project (data, a notebook run, a page).
pytestmark = pytest.mark.slow

LANG = "qps"
BABEL_LOCALE = "de_CH"  # 3’415 and 47.26: a notation neither vi nor en uses
DATE_FORMAT = "d.m.y"  # 2025-08 -> 08.2025
NOTEBOOK = "04_intellectual_property.ipynb"
SLUG = "intellectual_property"
ACCENTS = str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ")
# Kept as they are: placeholders, a Markdown link's target, HTML tags, code.
KEEP = re.compile(r"(\{[^{}]*\}|\]\([^)]*\)|<[^>]*>|`[^`]*`)")
PSEUDO = re.compile(r"⟦[^⟦⟧]*⟧")


def pseudo(text: str) -> str:
    """`Sources: {list}` -> `⟦Sóúrcés: {list}⟧`; an empty text stays empty."""
    if not text:
        return text
    parts = KEEP.split(text)
    return "⟦" + "".join(p if KEEP.fullmatch(p) else p.translate(ACCENTS) for p in parts) + "⟧"


# Adding the language, as README's "Adding a language" lists it --------------------------


def add_catalog(root: Path) -> None:
    locales = root / "src/analysis/report/locales"
    with (locales / "en/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        # Labels and messages alike: the English catalog's text (a message's is the message).
        if message.id and message.pluralizable:
            message.string = tuple(pseudo(form) for form in message.string)
        elif message.id:
            message.string = pseudo(message.string)
    target = locales / LANG / "LC_MESSAGES/messages.po"
    target.parent.mkdir(parents=True)
    with target.open("wb") as f:
        write_po(f, catalog)


def add_translated_columns(data: Path) -> list[str]:
    """Beside every `<field>_en` column that has a `<field>_vi` twin, `<field>_qps`."""
    added = []
    for path in sorted(data.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        header = rows[0]
        fields = [c[:-3] for c in header if c.endswith("_en") and f"{c[:-3]}_vi" in header]
        for field in fields:
            at = header.index(f"{field}_en")
            for row in rows:
                row.insert(at + 1, f"{field}_{LANG}" if row is header else pseudo(row[at]))
            added.append(f"{path.name}:{field}_{LANG}")
        if fields:
            with path.open("w", encoding="utf-8", newline="") as f:
                csv.writer(f, lineterminator="\n").writerows(rows)
    return added


def add_language_row(data: Path) -> None:
    with (data / "languages.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow([LANG, BABEL_LOCALE, "Pséúdó", "", " VND", DATE_FORMAT])  # fmt: skip


def add_site_profile(root: Path) -> None:
    """The language in `_quarto.yml`'s profile group; its profile, `_quarto-qps.yml`, is
    generated from data/pages.csv and the catalog (`sti profiles`, run by the driver)."""
    config = root / "_quarto.yml"
    base = config.read_text(encoding="utf-8")
    assert "- [vi, en]" in base  # Quarto's profile group
    config.write_text(base.replace("- [vi, en]", f"- [vi, en, {LANG}]"), encoding="utf-8")


# Building the page in the copy -----------------------------------------------------------

DRIVER = """
import sys
from pathlib import Path

import analysis
from analysis.pipeline.build import build_data
from analysis.pipeline.notebooks import Run, execute
from analysis.base.steps import StepCache
from analysis.report import charts
from analysis.report.data import data_date, latest_edition
from analysis.site.build import render_pages
from analysis.site.stage import stage_pages

root, lang, notebook, slug = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
assert Path(analysis.__file__).is_relative_to(root), analysis.__file__  # the copy's code
from analysis.cli import main

assert main(["profiles"]) == 0  # writes _quarto-qps.yml, as `make site` would
assert (root / f"_quarto-{lang}.yml").is_file()
# The notebook's kernel inherits PYTHONPATH: only the copy's code knows the language.
build_data(root / "data")
data = root / "data" / "processed"
edition = latest_edition(data)
run = execute(Run(root / "notebooks" / notebook, lang), edition, root / "_build" / "run", data)
for stem in charts.written(run / "charts"):  # the exports, as the build makes them after a run
    charts.export(stem, lang, run / "charts", data_date(data))
cache = StepCache(root / "_build" / "cache")
executed = root / "_build" / "executed"
executed.mkdir()
(executed / notebook).write_bytes((run / "notebook.ipynb").read_bytes())
pages = stage_pages(executed, lang, root)
render_pages(lang, pages, root / "_site" / "pages" / lang, cache, 1)
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pseudo")
    skip = shutil.ignore_patterns("__pycache__", "processed*", ".ipynb_checkpoints")
    for folder in ("src", "data", "notebooks", "assets", "site"):
        shutil.copytree(ROOT / folder, root / folder, ignore=skip)
    for path in [*ROOT.glob("_quarto*.yml"), ROOT / "pyproject.toml", ROOT / "CITATION.cff"]:
        shutil.copyfile(path, root / path.name)
    add_catalog(root)
    added = add_translated_columns(root / "data")
    assert {"sources.csv:title_qps", "indicators.csv:definition_qps", "units.csv:name_qps"} <= set(added)  # fmt: skip
    add_language_row(root / "data")
    add_site_profile(root)
    env = {k: v for k, v in os.environ.items() if k != "STI_SOURCES_DIR"}  # quotes: not this test's
    env |= {"PYTHONPATH": str(root / "src"), "JUPYTER_PREFER_ENV_PATH": "1"}
    done = subprocess.run([sys.executable, "-c", DRIVER, str(root), LANG, NOTEBOOK, SLUG], cwd=root,
                          env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return root


class Text(HTMLParser):
    """What a reader of the page reads in its language: text and the attributes read aloud
    or shown (alt, title, aria-label, the search box's placeholder), without scripts,
    styles and elements marked as another language (the language switch)."""

    SKIP = ("script", "style")
    VOID = ("meta", "link", "img", "br", "hr", "input", "source", "wbr")
    READ = ("alt", "title", "aria-label", "data-placeholder")

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # per open element: is its content skipped
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = (bool(self.stack) and self.stack[-1]) or tag in self.SKIP
        skipped = skipped or attrs.get("lang", LANG) != LANG
        if not skipped:
            self.parts += [attrs[a] for a in self.READ if attrs.get(a)]
        if tag not in self.VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def page_text(page: Path) -> str:
    parser = Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


def outside_catalog(project: Path) -> str:
    """The page's text less its pseudo texts and its data, the same in every language: the
    sources' quotes (“…”), the names of export formats (publishers are translated) and the
    licence's identifier (in a chart's citation)."""
    text = page_text(project / "_site" / "pages" / LANG / f"{SLUG}.html")
    assert "⟦" in text
    while PSEUDO.search(text):  # sentences hold pseudo words (a status, a unit): inner first
        text = PSEUDO.sub(" ", text)
    text = re.sub(r"“[^”]*”", " ", text)
    formats = [label for suffix, label in EXPORT_LABELS.items() if suffix != ".cite.txt"]
    licence = yaml.safe_load((project / "CITATION.cff").read_text(encoding="utf-8"))[
        "license"
    ].replace("-", " ")
    for known in sorted([*formats, licence], key=len, reverse=True):
        text = text.replace(known, " ")
    return text


def test_the_page_is_in_the_new_language(project):
    page = (project / "_site" / "pages" / LANG / f"{SLUG}.html").read_text(encoding="utf-8")
    assert f'<html lang="{LANG}"' in page
    # The switch offers every other language, each named in its own.
    assert 'href="../vi/intellectual_property.html" hreflang="vi" lang="vi">Tiếng Việt</a>' in page
    assert 'href="../en/intellectual_property.html" hreflang="en" lang="en">English</a>' in page


def test_every_word_on_the_page_is_the_new_languages_or_data(project):
    rest = outside_catalog(project)
    words = re.findall(r"[^\W\d_][\w-]*", rest)
    assert not words, f"text outside the catalog: {words}\n{' '.join(rest.split())}"


def test_numbers_and_dates_follow_the_new_language(project):
    text = outside_catalog(project)
    observations = pl.read_parquet(project / "data/processed/observations.parquet")
    filed = observations.filter(
        pl.col("indicator_id") == "ip_industrial_property_applications_filed"
    ).row(0, named=True)
    assert filed["value"] >= 1000  # a figure with a thousands separator
    assert format_decimal(filed["value"], locale=BABEL_LOCALE) in text  # 3’415
    assert not re.search(r"\d[.,]\d{3}(?!\d)", text), "vi or en grouping"
    start, end = filed["period"].split("/")
    for period in (start, end):  # 2021-01 -> 01.2021
        year, month = period.split("-")
        assert f"{month}.{year}" in text
    assert not re.search(r"\b\d{4}-\d{2}\b", text), "an ISO period: not the language's format"
    # The charts' own words and numbers: the catalog and the d3 locale of the new language.
    # The exported SVG draws text as outlines; each text keeps its words as an aria-label.
    svg = (project / "_build/run/charts/ip_filings-qps.svg").read_text(encoding="utf-8")
    labels = " ".join(html.unescape(a) for a in re.findall(r'aria-label="([^"]*)"', svg))
    assert "⟦" in labels and format_decimal(filed["value"], locale=BABEL_LOCALE) in labels
    # What a screen reader is given holds no words but the catalog's: Vega's own English
    # descriptions of axes, marks and title ("X-axis titled …") are off or hidden.
    root = ET.fromstring(svg)
    assert root.get("lang") == LANG and root.find("{*}title") is not None
    spoken = " ".join(accessible_labels(root))
    assert "⟦" in spoken
    words = re.findall(r"[^\W\d_][\w-]*", PSEUDO.sub(" ", spoken))
    assert not words, words


def accessible_labels(element: ET.Element) -> list[str]:
    """The aria-labels and descriptions outside `aria-hidden` parts of an SVG."""
    if element.get("aria-hidden") == "true":
        return []
    named = element.tag.endswith(("}title", "}desc"))  # the file's own title and description
    own = [element.get("aria-label") or "", (element.text or "") if named else ""]
    return [*filter(None, own), *(label for child in element for label in accessible_labels(child))]
