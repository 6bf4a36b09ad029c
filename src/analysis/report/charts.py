"""One chart look for the whole project, and the journal exports of every chart.

The font is Noto Sans, shipped in `assets/fonts/` and registered with vl-convert, so that
exports never depend on (or fall back to) the machine's fonts. Colours come from the
project's theme, `assets/theme.toml` (categories: the Okabe-Ito palette, colour-blind safe).
Widths are set for journal columns: 85 mm single, 170 mm double; PNG exports are rendered
at 300 dpi for exactly those widths.
"""

from __future__ import annotations

import json
import math
import textwrap
import zipfile
from datetime import date
from pathlib import Path

import altair as alt
import polars as pl
import typst
import vl_convert as vlc

from analysis.paths import FONT_DIR
from analysis.report import theme
from analysis.report.i18n import D3_LOCALE
from analysis.report.svgtext import described, outline_text, text_width

FONT = "Noto Sans"
COLORS = theme.load()["chart"]
OKABE_ITO = COLORS["category"]
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
AXIS_WRAP_PX = AXIS_LABEL_PX - 4
LABEL_FONT_PX = 10
LEGEND_COLUMNS = 2  # side by side at the width a chart is drawn; one in a narrow layout


def legend_label_limit(width: int, axis_px: int, columns: int) -> int:
    """How wide a legend label may be: a legend sits under the plot, from the plot's left
    edge (right of axis labels at most `axis_px` wide), its `columns` side by side, each
    a symbol and a label."""
    return math.floor((width - axis_px) / columns) - NARROW["legend_symbol_px"]


def narrow(spec: dict, width: int) -> dict:
    """`spec` laid out `width` CSS pixels wide, narrower than it was drawn."""
    config = spec.get("config", {})
    axis_limit = math.floor(width * NARROW["axis_labels"])
    title = spec["title"]
    return {
        **spec,
        "title": {**title, "text": textwrap.wrap(title["text"], width // NARROW["title_char_px"])},
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
                "labelLimit": legend_label_limit(width, axis_limit, 1),
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
                "fontSize": 12,
                "anchor": "start",
                "subtitleFontSize": 10,
            },
            "axis": {**label, **lines, "labelLimit": AXIS_LABEL_PX},
            "legend": {
                **label,
                "orient": "bottom",
                "direction": "vertical",
                "columns": LEGEND_COLUMNS,
                "labelLimit": legend_label_limit(DOUBLE_COLUMN_PX, AXIS_LABEL_PX, LEGEND_COLUMNS),
            },
            "header": {**label},
            "text": {"font": FONT, "fontSize": 10},
            "mark": {"font": FONT},
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


# Chart builders ------------------------------------------------------------------
# Each takes the exact frame it plots, the language, the labels it needs, and a width in
# CSS pixels; tooltips give value, unit, period and source.


def value_text(frame: pl.DataFrame) -> alt.Text:
    """The value as the page writes it: the source's hedge and range travel with it
    (`hơn 50`, `about 10–12`) where the frame has them (`figure`)."""
    if "figure" in frame.columns:
        return alt.Text("figure:N")
    return alt.Text("value:Q", format=NUMBER_FORMAT)


def tooltip(labels: dict[str, str], extra: list | None = None, hedged: bool = False) -> list:
    value = (alt.Tooltip("figure:N", title=labels["value"]) if hedged
             else alt.Tooltip("value:Q", title=labels["value"], format=NUMBER_FORMAT))  # fmt: skip
    return [
        alt.Tooltip("label:N", title=labels["indicator"]),
        value,
        alt.Tooltip("unit:N", title=labels["unit"]),
        alt.Tooltip("period:N", title=labels["period"]),
        alt.Tooltip("source:N", title=labels["source"]),
        # Extra fields: a number, or a figure as its source writes it (text, `11,0`).
        *[
            alt.Tooltip(f"{f}:Q", title=title, format=NUMBER_FORMAT)
            if not as_written
            else alt.Tooltip(f"{f}:N", title=title)
            for f, title, *as_written in labels.get("extra", [])
        ],
        *(extra or []),
    ]


def shorten(text: str, width: int = 80) -> str:
    """A long label cut at a word, marked as cut."""
    return textwrap.shorten(text, width, placeholder=" …")


LINE_PX = 13  # one line of a 10 px label


def wrap_px(text: str, px: float = AXIS_WRAP_PX) -> list[str]:
    """`text` in lines at most `px` wide in the shipped font (10 px), broken between words;
    a word wider than that alone stays whole on its line."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and text_width(f"{lines[-1]} {word}", LABEL_FONT_PX, FONT_DIR) <= px:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def wrapped_axis(frame: pl.DataFrame) -> tuple[pl.DataFrame, alt.Y, int]:
    """Category labels wrapped to fit the narrowest layout; each band fits its lines.
    Returns the frame with its `axis_label`, the axis, and the plot's height."""
    # One wrap for every layout, so the 85 mm and 170 mm charts and a phone's read the same.
    wrapped = [wrap_px(label) for label in frame["label"]]
    lines = "split(datum.value, ' | ')"
    # Vega sets a label's first line at its tick: raised by half its other lines, a label
    # is centred on its band.
    raised = {"expr": f"-(length({lines}) - 1) * {LINE_PX / 2:g}"}
    axis = alt.Axis(labelExpr=lines, labelLineHeight=LINE_PX, labelOffset=raised)
    y = alt.Y("axis_label:N", sort=None, title=None, axis=axis)
    band = max(20, LINE_PX * max(len(w) for w in wrapped) + 8)
    labels = pl.Series("axis_label", [" | ".join(w) for w in wrapped])
    return frame.with_columns(labels), y, band * labels.n_unique()


def value_scale(values: pl.Series) -> alt.Scale:
    """Room to the right of the longest bar for its value label."""
    top = values.max() or 1
    return alt.Scale(domain=[0, top * 1.22], nice=False)


def bar_chart(
    frame: pl.DataFrame, labels: dict, width: int = DOUBLE_COLUMN_PX, color: str | None = None
) -> alt.Chart:
    """Horizontal bars with the value written at the end of each bar."""
    frame, y, height = wrapped_axis(frame)
    x = alt.X(
        "value:Q",
        title=labels.get("x", labels["value"]),
        scale=value_scale(frame["value"]),
        axis=alt.Axis(format=NUMBER_FORMAT),
        stack=None,  # values of different sources are alternatives, never parts of a sum
    )
    hedged = "figure" in frame.columns
    base = alt.Chart(frame).encode(y=y, x=x, tooltip=tooltip(labels, hedged=hedged))
    if color is None:
        bars = base.mark_bar(color=OKABE_ITO[0])
    else:
        scale = alt.Scale(range=OKABE_ITO)
        # The legend lists its entries in the bars' order (the first takes the first colour).
        bars = base.mark_bar().encode(
            color=alt.Color(f"{color}:N", title=labels.get("color"), scale=scale, sort=None)
        )
    text = base.mark_text(align="left", dx=3).encode(text=value_text(frame))
    return (bars + text).properties(width=width, height=height)


def pillar_chart(frame: pl.DataFrame, labels: dict, width: int = DOUBLE_COLUMN_PX) -> alt.Chart:
    """PII pillars: reported scores as bars, unreported pillars named as such (never zero)."""
    frame, y, height = wrapped_axis(frame)
    base = alt.Chart(frame).encode(y=y)
    bars = base.mark_bar().encode(
        x=alt.X("value:Q", title=labels["x"], scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("sub_index:N", title=labels["color"], scale=alt.Scale(range=OKABE_ITO)),
        tooltip=tooltip(labels),
    )
    scores = base.mark_text(align="left", dx=3).encode(
        x="value:Q", text=alt.Text("value:Q", format=NUMBER_FORMAT)
    )
    unknown = (
        base.transform_filter("datum.value == null")
        .mark_text(align="left", fontStyle="italic", color=COLORS["note"])
        .encode(x=alt.datum(0), text="status:N")
    )
    return (bars + scores + unknown).properties(width=width, height=height)


def timeline_chart(frame: pl.DataFrame, labels: dict, width: int = DOUBLE_COLUMN_PX) -> alt.Chart:
    """Dated deadlines on a time axis; past-due ones in a second colour and shape."""
    frame, y, height = wrapped_axis(frame)
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=70)
        .encode(
            x=alt.X("deadline_end:T", title=labels["x"], axis=alt.Axis(format="%m/%Y")),
            y=y,
            color=alt.Color(
                "state:N",
                title=labels["color"],
                scale=alt.Scale(domain=labels["states"], range=DEADLINE_COLORS),
            ),
            # The same domain as the colour's: one legend for both, not two.
            shape=alt.Shape(
                "state:N", title=labels["color"], scale=alt.Scale(domain=labels["states"])
            ),
            tooltip=[
                alt.Tooltip("label:N", title=labels["task"]),
                alt.Tooltip("deadline:N", title=labels["deadline"]),
                alt.Tooltip("lead:N", title=labels["lead_agency"]),
                alt.Tooltip("state:N", title=labels["color"]),
                alt.Tooltip("source:N", title=labels["source"]),
            ],
        )
    )
    rule = alt.Chart(frame).mark_rule(strokeDash=[4, 3], color=COLORS["note"]).encode(x="as_of:T")
    return (points + rule).properties(width=width, height=height)


def stacked_chart(frame: pl.DataFrame, labels: dict, width: int = DOUBLE_COLUMN_PX) -> alt.Chart:
    """Counts by a row category, stacked by `category` (a legend and the totals as text)."""
    frame, y, height = wrapped_axis(frame)
    totals = frame.group_by("axis_label").agg(pl.col("value").sum())["value"]
    base = alt.Chart(frame).encode(y=y)
    bars = base.mark_bar().encode(
        x=alt.X("value:Q", title=labels["x"], stack="zero", scale=value_scale(totals)),
        color=alt.Color(
            "category:N",
            title=labels["color"],
            # Categories with a meaning of their own (a target's status) bring their colours.
            scale=alt.Scale(domain=labels["order"], range=labels["colors"])
            if "colors" in labels
            else alt.Scale(range=OKABE_ITO),
            sort=labels.get("order"),
        ),
        order=alt.Order("order:Q"),
        tooltip=[
            alt.Tooltip("label:N", title=labels["indicator"]),
            alt.Tooltip("category:N", title=labels["color"]),
            alt.Tooltip("value:Q", title=labels["value"], format=NUMBER_FORMAT),
            alt.Tooltip("source:N", title=labels["source"]),
        ],
    )
    text = (
        base.transform_aggregate(total="sum(value)", groupby=["axis_label"])
        .mark_text(align="left", dx=3)
        .encode(x="total:Q", text=alt.Text("total:Q", format=NUMBER_FORMAT))
    )
    return (bars + text).properties(width=width, height=height)


def finish(chart: alt.TopLevelMixin, title: str, description: str, lang: str) -> alt.TopLevelMixin:
    """A chart as published: its title, text description and the page's number locale."""
    # The title's own ARIA text would be Vega's English ("Title text '…'"): the figure's
    # caption and description name the chart instead.
    return chart.properties(
        title=alt.Title(title, aria=False),
        description=description,
        usermeta={"embedOptions": embed_options(lang)},
    )


def svg_to_pdf(svg: Path) -> bytes:
    """A vector PDF of an SVG at its own size, set by typst with the shipped fonts.

    (vl-convert's own PDF writer orders its resources differently on every run; typst's
    output is the same for the same input, so builds stay byte-identical.)
    """
    source = svg.with_suffix(".typ")
    source.write_text(
        f'#set document(date: none)\n#set page(width: auto, height: auto, margin: 0pt)\n#image("{svg.name}")\n',
        encoding="utf-8",
    )
    try:
        return typst.compile(
            str(source), root=str(svg.parent), font_paths=[str(FONT_DIR)], ignore_system_fonts=True
        )
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
    width (`narrow` where that is narrower than it was drawn)."""
    layouts = {}
    for name, mm in WIDTHS_MM.items():
        width = mm_to_css_px(mm)
        layouts[name] = narrow(spec, width) if width < spec["width"] else {**spec, "width": width}
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
    files[".svg"].write_text(described(svg, spec["title"]["text"], spec["description"], lang),
                             encoding="utf-8")  # fmt: skip
    files[".pdf"].write_bytes(svg_to_pdf(files[".svg"]))
    for name, sized in print_layouts(spec).items():
        # vl-convert multiplies `scale` by ppi/72: this gives PRINT_DPI/CSS_DPI overall.
        png = vlc.vegalite_to_png(sized, scale=72 / CSS_DPI, ppi=PRINT_DPI, format_locale=locale)
        files[f"-{name}.png"].write_bytes(png)
    # The edition's data date, not the build's time: the bundle is byte-identical across builds.
    dated = date.fromisoformat(data_date).timetuple()[:6]
    with zipfile.ZipFile(files[".zip"], "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for suffix in BUNDLE_ORDER:
            info = zipfile.ZipInfo(files[suffix].name, date_time=dated)
            zf.writestr(info, files[suffix].read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    return files
