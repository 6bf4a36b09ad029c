"""The journal exports of every chart: SVG, PDF, PNG at 85 and 170 mm (300 dpi), and a ZIP.

A notebook's run writes what the exports are made from (`write_inputs`: the Vega-Lite
spec, the plotted data as CSV, the citation line); `export` makes the rest from those files
alone, so the build makes them once per changed chart (`analysis.pipeline.exports`).
"""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import vl_convert as vlc

from analysis.paths import FONT_DIR
from analysis.report.chart_parts import LABELS_ABOVE, labels_above
from analysis.report.chart_theme import CSS_DPI, PRINT_DPI, WIDTHS_MM, mm_to_css_px, narrow, setup
from analysis.report.i18n import D3_LOCALE
from analysis.report.svgtext import described, outline_text
from analysis.report.typeset import compile_pdf


def svg_to_pdf(svg: Path, title: str, description: str, lang: str) -> bytes:
    """A vector PDF of an SVG at its own size, set by typst with the shipped fonts: its
    document title is the chart's `title`, its language `lang` (the catalog's /Lang), and
    the image is tagged as a figure whose alternative text is the chart's `description`.

    (vl-convert's own PDF writer orders its resources differently on every run; typst's
    output is the same for the same input, so builds stay byte-identical.)
    """
    source = svg.with_suffix(".typ")
    # The texts come in as inputs, never spliced into the markup: a title may hold any character.
    source.write_text(
        "#set document(title: sys.inputs.title, date: none)\n"
        "#set text(lang: sys.inputs.lang)\n"
        "#set page(width: auto, height: auto, margin: 0pt)\n"
        f'#image("{svg.name}", alt: sys.inputs.alt)\n',
        encoding="utf-8",
    )
    inputs = {"title": title, "lang": lang, "alt": description}
    try:
        return compile_pdf(source, svg.parent, sys_inputs=inputs)
    finally:
        source.unlink()


# A chart's export files by suffix, in the order of its ZIP: what a notebook writes (the spec,
# the plotted data, the citation), then what `export` makes of them.
INPUTS = (".vl.json", ".csv", ".cite.txt")
BUNDLE_ORDER = (".vl.json", ".svg", ".pdf", *(f"-{name}.png" for name in WIDTHS_MM), ".csv",
                ".cite.txt")  # fmt: skip


def export_files(stem: str, out_dir: Path) -> dict[str, Path]:
    """Every export of the chart `stem` in `out_dir`, by suffix (written or not yet)."""
    return {suffix: out_dir / f"{stem}{suffix}" for suffix in (*BUNDLE_ORDER, ".zip")}


def written(out_dir: Path) -> list[str]:
    """The stems of the charts whose inputs `write_inputs` wrote in `out_dir`."""
    return sorted(spec.name.removesuffix(".vl.json") for spec in out_dir.glob("*.vl.json"))


def write_inputs(spec: dict, frame: pl.DataFrame, stem: str, citation: str,
                 out_dir: Path) -> dict[str, Path]:  # fmt: skip
    """Write what the exports are made from: the Vega-Lite `spec` (made with `setup()` done,
    so it carries the project's theme), the CSV of `frame` (exactly the plotted data) and
    the citation line. Returns every export's path, by suffix."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = export_files(stem, out_dir)
    text = json.dumps(spec, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    files[".vl.json"].write_text(text, encoding="utf-8")
    files[".csv"].write_text(frame.write_csv(), encoding="utf-8")
    files[".cite.txt"].write_text(citation + "\n", encoding="utf-8")
    return files


def print_layouts(spec: dict) -> dict[str, dict]:
    """The spec each PNG is rendered from, by column: the chart laid out at the column's
    width (`narrow` where that is narrower than it was drawn, with its labels above its
    rows where the chart asks for that: `labels_above_when_narrow`)."""
    layouts = {}
    for name, mm in WIDTHS_MM.items():
        width = mm_to_css_px(mm)
        if width >= spec["width"]:
            layouts[name] = {**spec, "width": width}
        elif spec.get("usermeta", {}).get("narrow") == LABELS_ABOVE["narrow"]:
            layouts[name] = labels_above(narrow(spec, width))
        else:
            layouts[name] = narrow(spec, width)
    return layouts


def export(stem: str, lang: str, out_dir: Path, data_date: str) -> dict[str, Path]:
    """Make SVG, PDF, PNG (85 and 170 mm, 300 dpi) and a ZIP of them all from the inputs
    `write_inputs` wrote: a function of those three files, the edition's data date (ISO; the
    ZIP's entries are dated with it), the code and the fonts only, so the build runs it once
    per changed chart (`analysis.pipeline.exports`)."""
    setup()
    locale = D3_LOCALE[lang]
    files = export_files(stem, out_dir)
    spec = json.loads(files[".vl.json"].read_text(encoding="utf-8"))
    # Text as outlines of the shipped fonts: the SVG (and the PDF made from it) look the same anywhere.
    svg = outline_text(vlc.vegalite_to_svg(spec, format_locale=locale), FONT_DIR)
    title = spec["title"]["text"]
    files[".svg"].write_text(described(svg, title, spec["description"], lang), encoding="utf-8")
    files[".pdf"].write_bytes(svg_to_pdf(files[".svg"], title, spec["description"], lang))
    for name, sized in print_layouts(spec).items():
        # Each PNG is its layout's SVG, text outlined as in the SVG export, rasterised: the
        # shipped fonts' glyphs whatever the machine, and a layout the chart was drawn at
        # (the 170 mm column's) is not laid out again. vl-convert multiplies `scale` by
        # ppi/72: this gives PRINT_DPI/CSS_DPI overall.
        drawn = svg if sized == spec else outline_text(
            vlc.vegalite_to_svg(sized, format_locale=locale), FONT_DIR
        )  # fmt: skip
        png = vlc.svg_to_png(drawn, scale=72 / CSS_DPI, ppi=PRINT_DPI)
        files[f"-{name}.png"].write_bytes(png)
    # The edition's data date, not the build's time: the bundle is byte-identical across builds.
    dated = date.fromisoformat(data_date).timetuple()[:6]
    with zipfile.ZipFile(files[".zip"], "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for suffix in BUNDLE_ORDER:
            info = zipfile.ZipInfo(files[suffix].name, date_time=dated)
            zf.writestr(info, files[suffix].read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    return files
