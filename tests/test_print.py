"""The PDF report as poppler reads it, and the edition's citation files."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import bibtexparser
import polars as pl
import pytest
import rispy
import yaml

from analysis.paths import DATA, ROOT
from analysis.report import cite
from analysis.report.i18n import LANGUAGES, t
from tests.conftest import poppler

LANGS = ("vi", "en")
PAGES = pl.read_csv(DATA / "pages.csv")["page"].to_list()


def report(built, lang):
    return built.site / f"reports/report-2025-{lang}.pdf"


def pdf_pages(pdf) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout.split("\f")


def squash(line: str) -> str:
    return " ".join(line.split())


def pdf_lang(pdf: bytes) -> str:
    """The document catalog's /Lang (typst writes the catalog uncompressed)."""
    (catalog,) = re.findall(rb"<<(?:(?!>>).)*/Type\s*/Catalog(?:(?!endobj).)*", pdf, re.S)
    return re.search(rb"/Lang\s*\(([^)]*)\)", catalog)[1].decode()


def poppler_stderr(pdf: Path, tmp_path: Path) -> dict[str, str]:
    """What pdfinfo, pdffonts and pdftoppm print on stderr reading `pdf` (nothing, for a sound file)."""
    commands = (["pdfinfo", str(pdf)], ["pdffonts", str(pdf)],
                ["pdftoppm", "-r", "10", "-png", str(pdf), str(tmp_path / pdf.stem)])  # fmt: skip
    out = {}
    for command in commands:
        result = subprocess.run(command, capture_output=True, text=True)
        out[command[0]] = (
            result.stderr
            if result.returncode == 0
            else f"exit {result.returncode}: {result.stderr}"
        )
    return out


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def pdf_string(pdf: bytes, at: int) -> str:
    """The PDF string object starting at `at`: `<hex>` (UTF-16 with its byte-order mark) or
    a `(literal)` (balanced parentheses, backslash escapes; PDFDocEncoding, read as Latin-1)."""
    if pdf[at : at + 1] == b"<":
        raw = bytes.fromhex(pdf[at + 1 : pdf.index(b">", at)].decode())
        return raw.decode("utf-16") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")
    out, depth, i = bytearray(), 0, at
    while True:
        c = pdf[i : i + 1]
        if c == b"\\":
            nxt = pdf[i + 1 : i + 2]
            if nxt.isdigit():
                digits = re.match(rb"[0-7]{1,3}", pdf[i + 1 : i + 4])[0]
                out.append(int(digits, 8))
                i += 1 + len(digits)
                continue
            out += _ESCAPES.get(nxt, nxt)
            i += 2
            continue
        depth += {b"(": 1, b")": -1}.get(c, 0)
        if depth == 0:
            return out.decode("latin-1")
        if not (c == b"(" and depth == 1):
            out += c
        i += 1


def pdf_alt_texts(pdf: bytes) -> list[str]:
    """The alternative texts of a tagged PDF's structure elements (typst writes its
    structure tree uncompressed), in document order."""
    return [pdf_string(pdf, m.end()) for m in re.finditer(rb"/Alt\s*(?=[(<])", pdf)]


def pdf_title(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return re.search(r"^Title:\s*(.*)$", info, re.M)[1]


@poppler
@pytest.mark.parametrize("lang", LANGS)
def test_poppler_reads_the_report_without_errors(built, lang, tmp_path):
    pdf = str(report(built, lang))
    # pdfinfo reads the document catalog (where typst's /MarkInfo sits), pdftoppm every page.
    for command in (["pdfinfo", pdf], ["pdftoppm", "-r", "12", "-png", pdf, str(tmp_path / "p")]):
        result = subprocess.run(command, capture_output=True, text=True)
        assert result.returncode == 0 and result.stderr == "", (command[0], result.stderr)


@poppler
@pytest.mark.parametrize("lang", LANGS)
def test_plan46_targets_table_continues_with_its_header(built, lang):
    """Every row of Appendix I is printed (none overprinted at a page's foot), and each page
    the table continues on starts with the table's header."""
    # Every target of Appendix I (a group heading without a target, comparator "none", is not one).
    targets = pl.read_parquet(built.data / "processed/targets.parquet").filter(
        pl.col("comparator") != "none"
    )
    pages = pdf_pages(report(built, lang))
    rows = {
        (item, horizon): n
        for item, horizon, n in targets.group_by("item", "horizon").len().iter_rows()
    }
    pattern = re.compile(r"^\s*(\d+(?:\.\d+)?)\s+(2030|2045)\s", re.M)
    found: dict[tuple[str, int], int] = {}
    on_pages = []
    for number, text in enumerate(pages):
        hits = [(m[1], int(m[2])) for m in pattern.finditer(text)]
        if hits:
            on_pages.append(number)
        for hit in hits:
            found[hit] = found.get(hit, 0) + 1
    assert found == rows, {
        k: (found.get(k), rows.get(k))
        for k in rows.keys() | found.keys()
        if found.get(k) != rows.get(k)
    }
    assert len(on_pages) >= 2 and on_pages == list(range(on_pages[0], on_pages[-1] + 1))
    # The header: the block of lines just above the first row (a heading may wrap).
    lines = pages[on_pages[0]].splitlines()
    start = end = next(i for i, line in enumerate(lines) if pattern.match(line))
    while start > 0 and lines[start - 1].strip():
        start -= 1
    header = [squash(line) for line in lines[start:end]]
    assert header and not pattern.match(header[0])
    for number in on_pages[1:]:
        top = [squash(line) for line in pages[number].splitlines() if line.strip()][: len(header)]
        assert top == header, (number, top, header)


@poppler
@pytest.mark.parametrize("lang", LANGS)
def test_report_has_cover_summary_methods_quality_and_citation(built, lang):
    pages = pdf_pages(report(built, lang))
    cover = squash(pages[0])
    for key in (
        "report.publisher",
        "report.edition",
        "report.date",
        "report.licence",
        "report.address",
    ):
        assert t(key, lang) in cover, key
    # The licence as readers write it (CC BY 4.0), as every citation gives it.
    licence = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["license"]
    assert "2025" in cover and licence.replace("-", " ") in cover
    assert t("cite.no_address", lang) in cover
    headings = [squash(p.splitlines()[0]) for p in pages[1:] if p.strip()]
    for key in ("report.summary", "page.methods", "page.data_quality", "page.cite"):
        assert t(key, lang) in headings, (key, headings)
    text = squash(" ".join(pages))
    # Screen-only text stays off print: a chart's data table and downloads, the page's CSS.
    assert (
        t("data_table", lang) not in text and "gt_table" not in text and "font-family" not in text
    )
    assert f"{t('downloads', lang)}:" not in text
    # Nor the page's tools: the switch to the other languages, the search box.
    others = [LANGUAGES[o].name for o in LANGS if o != lang]
    assert not any(name in text for name in others), others
    # An apostrophe after a number stays one (Typst would print "Plan 46′s" from a ').
    assert "′" not in text


def test_citation_files_parse_and_carry_edition_version_and_address(built):
    folder = built.site / cite.FOLDER
    cff = yaml.safe_load((folder / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == "2025" and cff["date-released"] == "2026-01-11"
    (entry,) = bibtexparser.parse_string(
        (folder / "cantho-sti-observatory-2025.bib").read_text(encoding="utf-8")
    ).entries
    assert (
        entry["edition"] == "2025" and entry["version"] == "2025" and entry["date"] == "2026-01-11"
    )
    assert entry["howpublished"] == t("cite.no_address", "en")  # no address is configured yet
    (record,) = rispy.loads(
        (folder / "cantho-sti-observatory-2025.ris").read_text(encoding="utf-8")
    )
    assert record["type_of_reference"] == "DATA" and record["edition"] == "2025"
    for lang in LANGS:
        page = (built.site / "pages" / lang / "cite.html").read_text(encoding="utf-8")
        for name in (
            "CITATION.cff",
            "cantho-sti-observatory-2025.bib",
            "cantho-sti-observatory-2025.ris",
        ):
            assert f'href="../../cite/{name}"' in page, name
        for path in (built.site / "pages" / lang / f"{slug}.html" for slug in PAGES):
            footer = path.read_text(encoding="utf-8").split('class="site-footer"')[1]
            assert f'<a href="../{lang}/cite.html">' in footer, path
