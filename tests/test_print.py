"""The PDF report as poppler reads it, and the edition's citation files."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import bibtexparser
import polars as pl
import pytest
import rispy
import yaml

from analysis.paths import DATA, ROOT
from analysis.report import cite
from analysis.report.i18n import LANGUAGES, t
from analysis.site import pdf as report_pdf
from analysis.site.config import page_dir, pandoc
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


@pytest.mark.parametrize("lang", LANGS)
def test_each_chapters_html_is_that_of_its_markdown(built, lang):
    # The report converts a chapter's title and body apart (the body's HTML is its page's):
    # only a body heading that repeated the title would make the two differ (its id).
    pages = {p.stem: p for p in page_dir(built.data.parent, lang).glob("*.md")}
    in_pdf = pl.read_csv(DATA / "pages.csv").filter("in_pdf")["page"].to_list()
    for slug, section in report_pdf.report_sections(pages, in_pdf, lang).items():
        whole = pandoc(report_pdf.chapter_markdown(section), "html5")
        assert report_pdf.chapter_html(section) == whole, slug


@poppler
@pytest.mark.parametrize("lang", LANGS)
def test_poppler_reads_the_report_without_errors(built, lang, tmp_path):
    # pdfinfo reads the document catalog (where typst's /MarkInfo sits), pdffonts every
    # font, pdftoppm every page.
    stderr = poppler_stderr(report(built, lang), tmp_path)
    assert stderr == {"pdfinfo": "", "pdffonts": "", "pdftoppm": ""}, stderr
    assert pdf_lang(report(built, lang).read_bytes()) == lang


class Tagged:
    """A typst PDF's structure tree (the tags a screen reader follows), read from its
    objects: typst writes them uncompressed and none in object streams."""

    def __init__(self, pdf: bytes):
        assert b"/ObjStm" not in pdf, "objects in a stream: this reader cannot see them"
        objects = dict(re.findall(rb"(\d+) 0 obj\s*(.*?)\s*endobj", pdf, re.S))
        self.elements = {
            int(n): body for n, body in objects.items() if body.startswith(b"<</Type/StructElem")
        }
        (kids,) = re.findall(rb"/Type/Pages/Count \d+/Kids\[([^\]]*)\]", pdf)
        self.page_of = {int(ref): i + 1 for i, ref in enumerate(re.findall(rb"(\d+) 0 R", kids))}

    def kind(self, n: int) -> str:
        return re.match(rb"<</Type/StructElem/S/(\w+)", self.elements[n])[1].decode()

    def parent(self, n: int) -> int:
        return int(re.search(rb"/P (\d+) 0 R", self.elements[n])[1])

    def kids(self, n: int) -> list[int]:
        listed = re.search(rb"/K\[([^\]]*)\]", self.elements[n])
        refs = re.findall(rb"(\d+) 0 R", listed[1]) if listed else []
        return [int(r) for r in refs if int(r) in self.elements]

    def pages(self, n: int) -> set[int]:
        """The pages an element's content is on (its own and its kids')."""
        own = {self.page_of[int(p)] for p in re.findall(rb"/Pg (\d+) 0 R", self.elements[n])}
        return own.union(*(self.pages(k) for k in self.kids(n)))

    def of_kind(self, kind: str) -> list[int]:
        return [n for n in self.elements if self.kind(n) == kind]

    def alt(self, n: int) -> str | None:
        found = re.search(rb"/Alt\s*(?=[(<])", self.elements[n])
        return pdf_string(self.elements[n], found.end()) if found else None


@poppler
@pytest.mark.parametrize("lang", LANGS)
def test_no_table_row_caption_or_heading_is_left_alone_on_a_page(built, lang):
    """A table that breaks across pages leaves at least two of its rows on each page; a
    figure's caption is on its figure's page; a heading is on the page of what follows it."""
    tags = Tagged(report(built, lang).read_bytes())
    tables = tags.of_kind("Table")
    assert len(tables) > 10
    for table in tables:
        rows = [
            r for body in tags.kids(table) if tags.kind(body) == "TBody" for r in tags.kids(body)
        ]
        per_page = Counter(min(tags.pages(row)) for row in rows if tags.pages(row))
        if len(rows) > 1:
            assert min(per_page.values()) >= 2, (table, dict(per_page))
    captions = tags.of_kind("Caption")
    assert captions
    for caption in captions:
        assert len(tags.pages(tags.parent(caption))) == 1, caption
    for kind in ("H1", "H2", "H3"):
        for heading in tags.of_kind(kind):
            siblings = tags.kids(tags.parent(heading))
            after = [
                tags.pages(s) for s in siblings[siblings.index(heading) + 1 :] if tags.pages(s)
            ]
            if after:
                assert max(tags.pages(heading)) == min(after[0]), (
                    kind,
                    heading,
                    tags.pages(heading),
                    after[0],
                )


@poppler
@pytest.mark.parametrize("lang", LANGS)
def test_report_figures_carry_their_charts_descriptions_as_alternative_text(built, lang):
    tags = Tagged(report(built, lang).read_bytes())
    figures = tags.of_kind("Figure")
    described = {
        json.loads(p.read_text(encoding="utf-8"))["description"]
        for p in (built.site / "charts" / "2025").glob(f"*-{lang}.vl.json")
    }
    alts = [tags.alt(f) for f in figures]
    assert len(alts) >= 10 and all(alt in described for alt in alts), alts


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


# Print's tables: widths from their content, rows kept together ---------------------------


def print_typst(html: str) -> str:
    """HTML as print sets it: read by pandoc through site/print.lua, written as Typst."""
    import pypandoc

    from analysis.site.config import TEMPLATES

    return pypandoc.convert_text(
        html, "typst", format="html", filters=[str(TEMPLATES / "print.lua")]
    )


def html_table(header: list[str], rows: list[list[str]]) -> str:
    cells = lambda tag, row: "".join(f"<{tag}>{c}</{tag}>" for c in row)  # noqa: E731
    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return f"<table><thead><tr>{cells('th', header)}</tr></thead><tbody>{body}</tbody></table>"


def typst_columns(typst: str) -> list[str]:
    return [c.strip() for c in re.search(r"columns: \(([^)]*)\)", typst)[1].split(",") if c.strip()]


# Synthetic rows: a long text column between short ones, as the Plan 46 targets table has.
LONG = "Tỷ lệ đóng góp của năng suất nhân tố tổng hợp vào tăng trưởng kinh tế của thành phố (dữ liệu thử)"
SYNTHETIC = [[str(i), "2030", LONG, "%", "≥ 50", "–", "Chưa đo được", "–"] for i in range(1, 11)]


def test_a_long_text_column_gets_the_width_short_columns_keep_their_own():
    header = [
        "TT",
        "Mốc",
        "Chỉ tiêu",
        "Đơn vị",
        "Mục tiêu",
        "Số liệu mới nhất",
        "Tình trạng",
        "Khoảng cách",
    ]
    columns = typst_columns(print_typst(html_table(header, SYNTHETIC)))
    # Each short column as wide as its content (auto, never wrapped); the long one takes
    # the rest; the last, of no width, holds the cells that keep rows together.
    assert columns[:2] == ["auto", "auto"] and columns[3:8] == ["auto"] * 5, columns
    assert columns[-1] == "0%" and float(columns[2].rstrip("%")) > 50, columns
    # Where every column fits at its own width, none is set.
    assert typst_columns(print_typst(html_table(["a", "b"], [["1", "2"], ["3", "4"]]))) == [
        "auto",
        "auto",
        "0%",
    ]


def test_a_table_breaks_only_where_two_rows_stay_on_each_side():
    header = ["TT", "Chỉ tiêu"]
    long = print_typst(html_table(header, [[str(i), LONG] for i in range(1, 21)]))
    # The first two and the last two rows, each pair held by one unbreakable cell.
    assert long.count("table.cell(rowspan: 2)") == 2 and "rowspan: 20" not in long, long
    short = print_typst(html_table(header, [[str(i), LONG] for i in range(1, 9)]))
    assert short.count("table.cell(rowspan: 8)") == 1, short  # a short table stays whole
    # As does one of few rows, however tall; a few tall rows more are not kept whole.
    tall = " ".join([LONG] * 8)
    assert "rowspan: 3)" in print_typst(html_table(header, [[str(i), tall] for i in range(1, 4)]))
    assert "rowspan: 2)" in print_typst(html_table(header, [[str(i), tall] for i in range(1, 9)]))


@pytest.mark.parametrize("lang", LANGS)
def test_plan46_targets_table_gives_its_widest_column_to_the_indicator(built, lang):
    """The report's Appendix I table as print sets it: number, horizon and gap at their own
    width, the indicator's name (its longest text) the widest column."""
    import pypandoc

    from analysis.site.stage import read_page

    page = read_page(built.data.parent / "pages" / lang / "plan46_targets.md")
    html = pypandoc.convert_text(page.body, "html5", format="markdown")
    tables = [
        typst_columns(t) for t in re.split(r"(?=#figure\()", print_typst(html)) if "columns: (" in t
    ]
    (columns,) = [
        c for c in tables if len(c) == 9
    ]  # eight columns and the one that keeps rows together
    shares = {i: float(c.rstrip("%")) for i, c in enumerate(columns[:-1]) if c != "auto"}
    assert columns[0] == columns[1] == columns[7] == "auto", columns
    assert max(shares, key=shares.get) == 2 and shares[2] >= 20, columns  # was ~15% (70 pt)
