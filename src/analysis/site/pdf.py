"""The PDF annual report: pandoc writes Typst from the pages' Markdown; typst sets it."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import polars as pl
import pypandoc
import typst

from analysis.pipeline.steps import StepCache
from analysis.report import theme
from analysis.report.charts import FONT_DIR
from analysis.report.i18n import t
from analysis.site.config import TEMPLATES, load_config
from analysis.site.pages import notebook_markdown


def build_pdf(pages: dict[str, Path], lang: str, edition: int, folder: Path, data_date: str,
              cache: StepCache) -> Path:  # fmt: skip
    """Pandoc writes Typst from the pages' Markdown; typst sets it with the shipped fonts.

    The report holds the pages the page catalog marks `in_pdf`, in its order (read from
    the data the site publishes, `folder/data`).
    """
    catalog = pl.read_parquet(folder / "data" / "pages.parquet").filter("in_pdf")
    markdown = "\n\n".join(notebook_markdown(pages[slug], "pdf")[0] for slug in catalog["page"])
    title = load_config(lang)["website"]["title"]
    out = folder / "reports" / f"report-{edition}-{lang}.pdf"
    svgs = [
        p.read_bytes() for p in sorted((folder / "charts" / str(edition)).glob(f"*-{lang}.svg"))
    ]
    fonts = [p.read_bytes() for p in sorted(FONT_DIR.glob("*.ttf"))]
    colours = theme.typst(theme.load())
    parts = [markdown, title, lang, edition, data_date, (TEMPLATES / "report.typ").read_bytes(), colours, *svgs, *fonts,
             pypandoc.get_pandoc_version(), typst.__version__]  # fmt: skip

    def produce(dest: Path) -> None:
        # The Typst files sit in reports/, one folder below the root like the pages, so the
        # figures' links (../charts/…) resolve as they do on the site.
        design = folder / "reports" / ".report-design.typ"
        design.parent.mkdir(exist_ok=True)
        shutil.copyfile(TEMPLATES / "report.typ", design)
        palette = design.with_name(".report-theme.typ")  # the design imports it
        palette.write_text(colours, encoding="utf-8")
        meta = [
            f"--metadata=title:{title}",
            f"--metadata=subtitle:{t('edition', lang)} {edition}",
            f"--metadata=lang:{lang}",
            f"--variable=template:{design.name}",
            "--toc",
        ]
        source = pypandoc.convert_text(
            markdown, "typst", format="markdown", extra_args=["--standalone", *meta]
        )
        typ = folder / "reports" / f".report-{edition}-{lang}.typ"
        typ.write_text(source, encoding="utf-8")
        dest.parent.mkdir(exist_ok=True)
        # The PDF's date is the edition's data date, not the build's: builds are reproducible.
        stamp = int(datetime.fromisoformat(data_date).timestamp())
        try:
            typst.compile(str(typ), output=str(dest), root=str(folder), font_paths=[str(FONT_DIR)],
                          ignore_system_fonts=True, timestamp=stamp)  # fmt: skip
        finally:
            typ.unlink()
            design.unlink()
            palette.unlink()

    cache.output(f"pdf {lang}", parts, out, produce)
    return out
