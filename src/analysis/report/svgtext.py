"""An exported chart's text as outlines, so the SVG looks the same on every machine.

vl-convert writes labels as SVG `<text>` naming "Noto Sans": a viewer without that font
installed substitutes another (often a serif). Here each `<text>` becomes a group of glyph
outlines from the shipped fonts, shaped by HarfBuzz (kerning, marks) at the position,
size, weight and anchor the text had; each glyph's outline is defined once per file.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import uharfbuzz as hb
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.ttLib import TTFont

SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", _XLINK)
_FAMILY = "Noto Sans"
# What a <text> says about its glyphs; everything else (fill, opacity, transform, ARIA)
# moves to the group that replaces it.
_TEXT_ONLY = {"font-family", "font-size", "font-weight", "font-style", "text-anchor"}


@dataclass(frozen=True)
class Font:
    key: str
    shaper: hb.Font
    cmap: dict[int, str]
    glyphs: object  # fontTools glyph set
    order: list[str]
    upem: int


@cache
def _font(path: Path) -> Font:
    # Read from memory, not from an open file: kernels forked from a process that loaded the
    # font (analysis.pipeline.forkserver) would otherwise share the file's offset.
    tt = TTFont(io.BytesIO(path.read_bytes()))
    shaper = hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))
    return Font(path.stem, shaper, tt.getBestCmap(), tt.getGlyphSet(), tt.getGlyphOrder(),
                tt["head"].unitsPerEm)  # fmt: skip


def _runs(text: str, fonts: list[Font]) -> list[tuple[Font, str]]:
    """`text` cut into runs, each set in the first font that has its characters (Noto Sans
    Math for the symbols Noto Sans lacks)."""
    runs: list[tuple[Font, str]] = []
    for char in text:
        font = next((f for f in fonts if ord(char) in f.cmap), fonts[0])
        if runs and runs[-1][0] is font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def load_fonts(font_dir: Path) -> None:
    """Load every face text is set in, ahead of its first use."""
    for bold in (False, True):
        _fonts(font_dir, bold)


def _fonts(font_dir: Path, bold: bool) -> list[Font]:
    """The faces a text is set in: Noto Sans (regular or bold), then Noto Sans Math."""
    main = font_dir / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")
    return [_font(main), _font(font_dir / "NotoSansMath-Regular.ttf")]


def _shaped(line: str, fonts: list[Font], size: float) -> tuple[list[tuple], float]:
    """A line's glyphs as HarfBuzz places them (font, glyph name, x, y, scale) and its width."""
    placed, x = [], 0.0
    for font, run in _runs(line, fonts):
        buf = hb.Buffer()
        buf.add_str(run)
        buf.guess_segment_properties()
        hb.shape(font.shaper, buf)
        scale = size / font.upem
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
            name = font.order[info.codepoint]
            placed.append((font, name, x + pos.x_offset * scale, pos.y_offset * scale, scale))
            x += pos.x_advance * scale
    return placed, x


@cache  # wrapping a label measures the same words again and again
def text_width(line: str, size: float, font_dir: Path, bold: bool = False) -> float:
    """How wide `line` is drawn in the shipped font at `size` pixels (a chart lays its labels
    out by such widths)."""
    return _shaped(line, _fonts(font_dir, bold), size)[1]


def _lines(text: ET.Element) -> list[tuple[float, str]]:
    """Each line's offset below the first and its characters (vega writes one `<tspan>`
    per line, the later ones with `x="0"` and `dy`), whitespace collapsed as SVG does."""
    spans = text.findall(f"{{{SVG}}}tspan") or [text]
    lines, y = [], 0.0
    for span in spans:
        y += float(span.get("dy", "0"))
        lines.append((y, " ".join((span.text or "").split())))
    return lines


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def outline_text(svg: str, font_dir: Path) -> str:
    """`svg` with every `<text>` replaced by its glyphs' outlines."""
    root = ET.fromstring(svg)
    defs = ET.Element(f"{{{SVG}}}defs")
    defined: dict[str, str | None] = {}  # glyph and size -> its definition's id (None: blank)
    for parent in list(root.iter()):
        for i, text in enumerate(list(parent)):
            if text.tag == f"{{{SVG}}}text":
                parent[i] = _outline(text, font_dir, defs, defined)
                parent[i].tail = text.tail
    root.insert(0, defs)
    return ET.tostring(root, encoding="unicode")


def described(svg: str, title: str, description: str, lang: str) -> str:
    """`svg` as an image that names itself: `<title>` and `<desc>` first, in the chart's
    language, so a reader reusing the file (or a screen reader) gets the chart's own words."""
    root = ET.fromstring(svg)
    root.set("role", "img")
    root.set("lang", lang)
    for i, (tag, text) in enumerate([("title", title), ("desc", description)]):
        element = ET.Element(f"{{{SVG}}}{tag}")
        element.text = text
        root.insert(i, element)
    return ET.tostring(root, encoding="unicode")


def _outline(
    text: ET.Element, font_dir: Path, defs: ET.Element, defined: dict[str, str | None]
) -> ET.Element:
    family = text.get("font-family", _FAMILY).strip("'\"")
    if family != _FAMILY:
        raise ValueError(f"a chart's text asks for {family!r}; only {_FAMILY!r} is shipped")
    bold = text.get("font-weight") in ("bold", "700")
    # No italic face is shipped: italic text stays upright, as in the PNG and PDF exports.
    fonts = _fonts(font_dir, bold)
    size = float(text.get("font-size", "10").removesuffix("px"))
    anchor = {"middle": 0.5, "end": 1.0}.get(text.get("text-anchor", "start"), 0.0)
    group = ET.Element(f"{{{SVG}}}g", {k: v for k, v in text.attrib.items() if k not in _TEXT_ONLY})
    x0, y0 = float(text.get("x", "0")), float(text.get("y", "0"))
    lines = _lines(text)
    # The words stay in the file for screen readers and search (vega labels some marks itself).
    group.attrib.setdefault("aria-label", " ".join(line for _, line in lines))
    for dy, line in lines:
        placed, x = _shaped(line, fonts, size)
        for font, name, gx, gy, scale in placed:
            # One definition per glyph and size, scaled from font units (y up) to pixels.
            key = f"{font.key}-{name}-{size:g}"
            if key not in defined:
                pen = SVGPathPen(font.glyphs)
                font.glyphs[name].draw(pen)
                # A space has no outline; ids are short and numbered in order (reproducible).
                defined[key] = f"g{len(defs)}" if pen.getCommands() else None
                if defined[key]:
                    ET.SubElement(defs, f"{{{SVG}}}path", {"id": defined[key], "d": pen.getCommands(),
                                  "transform": f"scale({scale:g} {-scale:g})"})  # fmt: skip
            if defined[key]:
                ET.SubElement(group, f"{{{SVG}}}use", {f"{{{_XLINK}}}href": f"#{defined[key]}",
                              "x": _num(x0 + gx - anchor * x), "y": _num(y0 + dy - gy)})  # fmt: skip
    return group
