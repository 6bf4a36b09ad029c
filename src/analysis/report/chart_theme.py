"""One chart look for the whole project: the theme every chart carries, its font and sizes.

The font is Noto Sans, shipped in `assets/fonts/` and registered with vl-convert, so that
exports never depend on (or fall back to) the machine's fonts; JupyterLab is given it too.
Colours come from the project's theme, `assets/theme.toml` (categories: the Okabe-Ito
palette, colour-blind safe). Widths are set for journal columns: 85 mm single, 170 mm
double; charts are drawn for the double column, and laid out narrower by one rule
(`narrow`) for the 85 mm export and phones.
"""

from __future__ import annotations

import base64
import json
import math

import altair as alt
import vl_convert as vlc
from IPython.display import HTML, display

from analysis.paths import FONT_DIR
from analysis.report import theme
from analysis.report.i18n import D3_LOCALE
from analysis.report.svgtext import text_width

FONT = "Noto Sans"
COLORS = theme.load()["chart"]
OKABE_ITO = COLORS["category"]
SERIES_COLOR = OKABE_ITO[0]  # a chart of one series: the palette's first colour
STATUS_COLORS = COLORS["status"]  # a target's status (met, not_met, not_measured)
DEADLINE_COLORS = [COLORS["past_due"], COLORS["not_yet_due"]]
CSS_DPI = 96  # Vega sizes are CSS pixels
PRINT_DPI = 300
WIDTHS_MM = {"85mm": 85, "170mm": 170}
NUMBER_FORMAT = ",.4~f"  # thousands grouping, up to 4 decimals, no trailing zeros


# A chart laid out narrower than it was drawn (a phone's screen, the 85 mm column) keeps its
# text size, so labels and legend share the width: axis labels up to one share of it, the
# legend (one column, under the plot, right of the axis labels) the rest less its symbols,
# a right margin holds the value written after the longest bar and the axis's last number,
# and the title wraps (about 7 px a character in its bold 12 px). The site's script lays
# charts out on phones by the same numbers (`narrow`).
NARROW = {"axis_labels": 0.45, "legend_symbol_px": 50, "right_px": 53,
          "title_char_px": 7}  # fmt: skip


def mm_to_css_px(mm: float) -> int:
    return round(mm / 25.4 * CSS_DPI)


DOUBLE_COLUMN_PX = mm_to_css_px(170)  # charts are drawn for a double journal column
# Axis labels are wrapped into lines no wider than the narrowest layout shows whole (the
# 85 mm column), so no layout cuts one; a few pixels spare for the renderers' own measuring.
AXIS_LABEL_PX = math.floor(mm_to_css_px(WIDTHS_MM["85mm"]) * NARROW["axis_labels"])
WRAP_SPARE_PX = 4
AXIS_WRAP_PX = AXIS_LABEL_PX - WRAP_SPARE_PX
LABEL_FONT_PX = 10
TITLE_FONT_PX = 12
# A narrow layout's title is wrapped to its width less the padding either side, and spare.
TITLE_SPARE_PX = 10 + WRAP_SPARE_PX
LEGEND_COLUMNS = 2  # side by side at the width a chart is drawn; one in a narrow layout


def wrap_words(text: str, px: float, size: float = LABEL_FONT_PX, bold: bool = False) -> list[str]:
    """`text` in as few lines at most `px` wide as its words allow, measured in the shipped
    font at `size`, broken only between words (a word wider than `px` stays whole on a line
    of its own) and balanced: the lines are as even as that many lines can be, so no line
    is left holding a lone word."""

    def greedy(limit: float) -> list[str]:
        lines: list[str] = []
        for word in str(text).split():
            if lines and text_width(f"{lines[-1]} {word}", size, FONT_DIR, bold) <= limit:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        return lines or [""]

    fewest = len(greedy(px))
    # The narrowest whole-pixel width that still takes no more lines.
    low, high = 1, math.floor(px)
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if len(greedy(middle)) <= fewest else (middle + 1, high)
    return greedy(min(high, px))


def legend_label_limit(width: int, axis_px: int, columns: int) -> int:
    """How wide a legend label may be: a legend sits under the plot, from the plot's left
    edge (right of axis labels at most `axis_px` wide), its `columns` side by side, each
    a symbol and a label."""
    return math.floor((width - axis_px) / columns) - NARROW["legend_symbol_px"]


_LEGEND_CHANNELS = ("color", "fill", "stroke", "shape", "opacity", "size")


def legend_labels(spec: dict) -> set[str]:
    """The texts a chart's legends may show: the values of the fields its legend channels
    encode (in its inline data) and any domain it gives them."""
    fields, labels = set(), set()
    for view in (spec, *spec.get("layer", [])):
        for channel in _LEGEND_CHANNELS:
            encoding = view.get("encoding", {}).get(channel, {})
            if "field" in encoding:
                fields.add(encoding["field"])
            labels.update(str(v) for v in encoding.get("scale", {}).get("domain", []))
    for rows in spec.get("datasets", {}).values():
        labels.update(str(row[f]) for row in rows for f in fields if row.get(f) is not None)
    return labels


def _legend_label_expr(spec: dict, px: float) -> str | None:
    """A legend `labelExpr` writing each label wider than `px` on lines that fit, broken
    between words (Vega would cut it with an ellipsis); None where every label fits."""
    lines = {label: wrap_words(label, px - WRAP_SPARE_PX) for label in sorted(legend_labels(spec))}
    wrapped = {label: parts for label, parts in lines.items() if len(parts) > 1}
    return (
        f"({json.dumps(wrapped, ensure_ascii=False)})[datum.label] || datum.label"
        if wrapped
        else None
    )


def _with_label_expr(view: dict, expr: str | None) -> dict:
    """`view` (and its layers) with `expr` as the `labelExpr` of every legend it draws
    (none: the legends' own labels)."""
    encoding = {}
    for channel, value in view.get("encoding", {}).items():
        if channel in _LEGEND_CHANNELS and "field" in value and value.get("legend", {}) is not None:
            legend = {k: v for k, v in value.get("legend", {}).items() if k != "labelExpr"}
            value = {**value, "legend": {**legend, **({"labelExpr": expr} if expr else {})}}
        encoding[channel] = value
    out = {**view, "encoding": encoding} if encoding else dict(view)
    if "layer" in view:
        out["layer"] = [_with_label_expr(layer, expr) for layer in view["layer"]]
    return out


def wrap_legend_labels(spec: dict, px: float) -> dict:
    """`spec` with every legend's labels at most `px` wide: those wider wrapped between
    words (Vega-Lite reads a legend's `labelExpr` from its encoding, not its config)."""
    return _with_label_expr(spec, _legend_label_expr(spec, px))


def narrow(spec: dict, width: int) -> dict:
    """`spec` laid out `width` CSS pixels wide, narrower than it was drawn."""
    config = spec.get("config", {})
    axis_limit = math.floor(width * NARROW["axis_labels"])
    legend_limit = legend_label_limit(width, axis_limit, 1)
    title = spec["title"]
    return {
        **wrap_legend_labels(spec, legend_limit),
        # Measured here; the site's script, which cannot measure, estimates (`title_char_px`).
        "title": {
            **title,
            "text": wrap_words(title["text"], width - TITLE_SPARE_PX, TITLE_FONT_PX, bold=True),
        },
        "width": width,
        "padding": {"left": 5, "top": 5, "bottom": 5, "right": NARROW["right_px"]},
        "config": {
            **config,
            "axis": {
                **config.get("axis", {}),
                "labelLimit": axis_limit,
            },
            "legend": {
                **config.get("legend", {}),
                "columns": 1,
                "labelLimit": legend_limit,
            },
        },
    }


def theme_config(colors: dict = COLORS) -> dict:
    """The Vega-Lite config every chart carries; `colors`: the theme's `[chart]` section."""
    label = {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 10, "titleFontSize": 10}
    lines = {"gridColor": colors["grid"], "domainColor": colors["axis"]}
    return {
        "config": {
            "font": FONT,
            # Vega's own descriptions of axes and marks are English whatever the page's
            # language; each chart carries its own description (alt text) instead.
            "aria": False,
            "title": {
                "aria": False,
                "font": FONT,
                "fontSize": TITLE_FONT_PX,
                "anchor": "start",
                "subtitleFontSize": 10,
            },
            "axis": {**label, **lines, "labelLimit": AXIS_LABEL_PX},
            # A value axis's numbers never touch: every other one is left out where two
            # would come closer than this (a narrow layout, a long axis of wide numbers).
            "axisQuantitative": {"labelOverlap": "parity", "labelSeparation": 6},
            "legend": {
                **label,
                "orient": "bottom",
                "direction": "vertical",
                "columns": LEGEND_COLUMNS,
                "labelLimit": legend_label_limit(DOUBLE_COLUMN_PX, AXIS_LABEL_PX, LEGEND_COLUMNS),
            },
            "header": {**label},
            "text": {"font": FONT, "fontSize": 10},
            # Marks out of the accessibility tree (`aria-hidden` on each mark's group): with
            # Vega's descriptions off above, each would still be an unnamed "graphics-symbol"
            # (axe: svg-img-alt). The drawn chart is named by its description (vega-embed's
            # `aria-label`), and its figure has the caption and the data table.
            "mark": {"font": FONT, "aria": False},
            "range": {"category": colors["category"]},
            "view": {"stroke": None},
            # The width is the whole chart's (labels, legend and padding included). Heights
            # are numbers, never steps: with a step height and any "fit" Vega-Lite logs a
            # warning ('Dropping "fit-y"…'), in the browser's console too.
            "autosize": {"type": "fit-x", "contains": "padding"},
        }
    }


_ready = False


def setup() -> None:
    """Register the shipped font with vl-convert and enable the project theme (once)."""
    global _ready
    if _ready:
        return
    vlc.register_font_directory(str(FONT_DIR))
    alt.theme.register("observatory", enable=True)(lambda: alt.theme.ThemeConfig(theme_config()))
    _ready = True


def embed_options(lang: str) -> dict:
    return {"formatLocale": D3_LOCALE[lang], "actions": False, "renderer": "svg"}


def finish(chart: alt.TopLevelMixin, title: str, description: str, lang: str) -> alt.TopLevelMixin:
    """A chart as published: its title, text description and the page's number locale."""
    # The title's own ARIA text would be Vega's English ("Title text '…'"): the figure's
    # caption and description name the chart instead.
    # A layout the chart asked for (`chart_parts.labels_above_when_narrow`) stays with it.
    asked = chart.usermeta if isinstance(chart.usermeta, dict) else {}
    return chart.properties(
        title=alt.Title(title, aria=False),
        description=description,
        usermeta={**asked, "embedOptions": embed_options(lang)},
    )


_font_shown = False


def use_shipped_font_in_jupyterlab() -> None:
    """Give JupyterLab the shipped font, once per kernel, so charts draw in Noto Sans
    wherever the notebook is opened (published pages load it from the site's CSS)."""
    global _font_shown
    if _font_shown:
        return
    faces = []
    for path, weight in ((FONT_DIR / "NotoSans-Regular.ttf", 400),
                         (FONT_DIR / "NotoSans-Bold.ttf", 700)):  # fmt: skip
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        faces.append(f'@font-face{{font-family:"Noto Sans";font-weight:{weight};'
                     f'src:url(data:font/ttf;base64,{data}) format("truetype")}}')  # fmt: skip
    display(HTML(f"<style>{''.join(faces)}</style>"))
    _font_shown = True
