"""Typst, as the project's PDFs are set with it: the chart PDFs (`chart_exports`) and the
annual report (`analysis.site.pdf`).

Both set text in the shipped fonts only (never the machine's), and both give PDFs that the
readers' tools open without a warning: Typst writes `/Suspects false` in the catalog's
/MarkInfo, which poppler before 23.x reports as "Syntax Error: Suspects object is wrong
type" on every run of pdfinfo, pdffonts or pdftoppm. The entry is left out (blanked, so
that the cross-reference table's offsets stay right): false is its default, so the
document says the same.
"""

from __future__ import annotations

from pathlib import Path

import typst

from analysis.paths import FONT_DIR

_SUSPECTS = b"/Suspects false"


def compile_pdf(source: Path, root: Path, **options) -> bytes:
    """The PDF of the Typst file `source` (its files found under `root`), set in the shipped
    fonts; `options` go to `typst.compile` (`sys_inputs`, `timestamp`)."""
    pdf = typst.compile(str(source), root=str(root), font_paths=[str(FONT_DIR)],
                        ignore_system_fonts=True, **options)  # fmt: skip
    return pdf.replace(_SUSPECTS, b" " * len(_SUSPECTS), 1)
