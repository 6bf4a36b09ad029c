"""The PDF annual report: the pages' HTML, as the site shows them, set by typst.

Pandoc renders each page's Markdown to HTML (as for the site), then reads that HTML into
Typst through `site/print.lua` (which leaves out what only a screen needs), one page at a
time so that a page is converted again only when it changed; typst sets the pages with
`site/report.typ` (cover, contents, tables that break across pages) and the shipped fonts.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import polars as pl
import pypandoc
import typst

from analysis.base.steps import StepCache
from analysis.paths import FONT_DIR
from analysis.quarto import load_config
from analysis.report import theme, typeset
from analysis.report.cite import Citation
from analysis.report.i18n import t
from analysis.site.config import TEMPLATES, markdown_html, pandoc
from analysis.site.stage import read_page

_PRINT_FILTER = TEMPLATES / "print.lua"


def report_sections(pages: dict[str, Path], slugs: list[str],
                    lang: str) -> dict[str, tuple[str, str]]:  # fmt: skip
    """The staged pages in report order, each its title and its body, by slug; the first
    (the overview) is the executive summary."""
    staged = [read_page(pages[slug]) for slug in slugs]
    titles = [t("report.summary", lang), *(page.title for page in staged[1:])]
    return {slug: (title, page.body)
            for slug, title, page in zip(slugs, titles, staged, strict=True)}  # fmt: skip


def chapter_markdown(section: tuple[str, str]) -> str:
    """A page's chapter of the report: its body under its title."""
    title, body = section
    return f"# {title}\n\n{body}"


def _typst_parts(section: tuple[str, str]) -> list:
    return [chapter_markdown(section), _PRINT_FILTER.read_bytes(), pypandoc.get_pandoc_version(),
            Path(__file__)]  # fmt: skip


def chapter_html(section: tuple[str, str]) -> str:
    """The HTML of a page's chapter (`chapter_markdown`), its heading and its body converted
    apart: the body's is the one the page's render has just made (`markdown_html`).
    The same HTML as the two converted together while no heading of the body repeats the
    title (pandoc would number the second's id: tests/test_print.py checks every page)."""
    title, body = section
    return pandoc(f"# {title}", "html5") + markdown_html(body)


def _typst(section: tuple[str, str], step: str, work: Path, cache: StepCache) -> str:
    """A page of the report in Typst: its HTML (`chapter_html`) read into Typst through
    `site/print.lua`. A step of its own for each page: a correction converts again only the
    pages it changed."""
    dest = work / f"{step.replace(' ', '-').replace('/', '-')}.typ"

    def produce(out: Path) -> None:
        html = chapter_html(section)
        out.write_text(
            pandoc(html, "typst", source="html", lua_filter=_PRINT_FILTER), encoding="utf-8"
        )

    cache.output(step, _typst_parts(section), dest, produce, link=True)
    return dest.read_text(encoding="utf-8")


def cover(lang: str, edition: int, data_date: str) -> dict[str, str]:
    """The cover's texts, handed to the template as `sys.inputs`."""
    cite = Citation(edition, data_date)
    fields = {
        "report.publisher": t("site.title", lang),
        "report.edition": str(edition),
        "report.date": cite.date_text(lang),
        "report.licence": cite.licence,
        "report.address": cite.address(lang),
        "report.citation": cite.reference(lang),
    }
    inputs = {"title": load_config(lang)["website"]["title"], "lang": lang,
              "subtitle": t("report.subtitle", lang, edition=edition)}  # fmt: skip
    for i, (key, value) in enumerate(fields.items()):
        inputs[f"label{i}"], inputs[f"value{i}"] = t(key, lang), value
    return inputs


def build_pdf(pages: dict[str, Path], lang: str, edition: int, folder: Path, data_date: str,
              cache: StepCache) -> Path:  # fmt: skip
    """The report holds the pages the page catalog marks `in_pdf`, in its order (read from
    the data the site publishes, `folder/data`), after a cover and the contents."""
    catalog = pl.read_parquet(folder / "data" / "pages.parquet").filter("in_pdf")
    sections = report_sections(pages, catalog["page"].to_list(), lang)
    inputs = cover(lang, edition, data_date)
    out = folder / "reports" / f"report-{edition}-{lang}.pdf"
    svgs = [
        p.read_bytes() for p in sorted((folder / "charts" / str(edition)).glob(f"*-{lang}.svg"))
    ]
    fonts = [p.read_bytes() for p in sorted(FONT_DIR.glob("*.ttf"))]
    colours = theme.typst(theme.load())
    parts = [*map(chapter_markdown, sections.values()), sorted(inputs.items()), edition, data_date, (TEMPLATES / "report.typ").read_bytes(),
             colours, _PRINT_FILTER.read_bytes(), *svgs, *fonts, pypandoc.get_pandoc_version(), typst.__version__,
             Path(__file__), Path(typeset.__file__)]  # fmt: skip

    def produce(dest: Path) -> None:
        # The Typst files sit two folders below the root like the pages, so that the figures'
        # links (../../charts/…) resolve as they do on the site.
        work = folder / "reports" / f".typst-{lang}"
        work.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(_typst(section, f"pdf {lang}/{slug}", work, cache)
                             for slug, section in sections.items())  # fmt: skip
        design = work / "report-design.typ"
        shutil.copyfile(TEMPLATES / "report.typ", design)
        (work / ".report-theme.typ").write_text(colours, encoding="utf-8")  # the design imports it
        typ = work / f"report-{edition}-{lang}.typ"
        typ.write_text(
            f'#import "{design.name}": report\n#show: report\n\n{body}', encoding="utf-8"
        )
        # The PDF's date is the edition's data date, not the build's: builds are reproducible.
        stamp = int(datetime.fromisoformat(data_date).timestamp())
        try:
            pdf = typeset.compile_pdf(typ, folder, timestamp=stamp, sys_inputs=inputs)
        finally:
            shutil.rmtree(work)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(pdf)

    if cache.output(f"pdf {lang}", parts, out, produce, link=True):
        # Reused whole, its pages' conversions were not asked for: they stay for the next
        # report that changes (made again, they were each used or made by `produce`).
        for section in sections.values():
            cache.keep(_typst_parts(section))
    return out
