"""The project's tested chart rules, as small parts a notebook composes altair charts with.

A notebook writes its chart in sight (`alt.Chart(frame).mark_bar().encode(...)`) and uses
these where a rule matters:

- `wrapped_labels(frame)`: category labels wrapped between words into lines the 85 mm
  column shows whole (measured in the shipped font), centred on their bands; a label too
  long for that gives way to the catalog's short name (the frame's `short_label`); returns
  the frame with its `axis_label`, the y encoding and the plot's height;
- `labels_above_when_narrow(chart)`: a dot chart whose 85 mm layout writes each row's
  label above its row, so that the plot has the column's whole width (`labels_above`);
- `value_labels(base, frame)`: the value written after each bar as the page writes it,
  the source's hedge and range included (`hơn 50`, `about 10–12`: the `figure` column);
  `total_labels(base)`: the total after a stacked bar;
- `room_for_labels(values)`: an x scale with room right of the longest bar for its label;
- `tooltip(titles)`: label, value, unit, period and source, titled in the page's language.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from analysis.paths import FONT_DIR
from analysis.report.chart_theme import (
    AXIS_WRAP_PX,
    LABEL_FONT_PX,
    NUMBER_FORMAT,
    WRAP_SPARE_PX,
    legend_label_limit,
    wrap_legend_labels,
    wrap_words,
)
from analysis.report.svgtext import text_width

LINE_PX = 13  # one line of a 10 px label
MAX_LABEL_LINES = 3  # a category label's lines at most in the 85 mm column: else its short name
VALUE_ROOM = 1.22  # the x scale runs to the longest bar's value times this


def value_text(frame: pl.DataFrame) -> alt.Text:
    """The value as the page writes it: the source's hedge and range travel with it
    (`hơn 50`, `about 10–12`) where the frame has them (`figure`)."""
    if "figure" in frame.columns:
        return alt.Text("figure:N")
    return alt.Text("value:Q", format=NUMBER_FORMAT)


def value_labels(base: alt.Chart, frame: pl.DataFrame) -> alt.Chart:
    """A text layer writing each bar's value at its end (`value_text`), on `base`'s
    encodings."""
    return base.mark_text(align="left", dx=3).encode(text=value_text(frame))


def total_labels(base: alt.Chart) -> alt.Chart:
    """A text layer writing the total of each stacked bar (rows by `axis_label`) at its end."""
    return (
        base.transform_aggregate(total="sum(value)", groupby=["axis_label"])
        .mark_text(align="left", dx=3)
        .encode(x="total:Q", text=alt.Text("total:Q", format=NUMBER_FORMAT))
    )


def tooltip(titles: dict[str, str], hedged: bool = False) -> list[alt.Tooltip]:
    """A bar's tooltip: its label, value, unit, period and source, under `titles` (the
    page's words, `Edition.axis_titles`). `hedged`: the value as its source writes it (the
    frame's `figure`), not the bare number."""
    value = (alt.Tooltip("figure:N", title=titles["value"]) if hedged
             else alt.Tooltip("value:Q", title=titles["value"], format=NUMBER_FORMAT))  # fmt: skip
    return [
        alt.Tooltip("label:N", title=titles["indicator"]),
        value,
        alt.Tooltip("unit:N", title=titles["unit"]),
        alt.Tooltip("period:N", title=titles["period"]),
        alt.Tooltip("source:N", title=titles["source"]),
    ]


def wrap_px(text: str, px: float = AXIS_WRAP_PX) -> list[str]:
    """`text` in balanced lines at most `px` wide in the shipped font (10 px), broken
    between words (`wrap_words`); a word wider than that alone stays whole on its line."""
    return wrap_words(text, px)


def _width(line: str) -> float:
    return text_width(line, LABEL_FONT_PX, FONT_DIR)


def _fits(lines: list[str], most: int, px: float) -> bool:
    return len(lines) <= most and all(_width(line) <= px for line in lines)


def fitted_label(label: str, short: str | None = None) -> list[str]:
    """A category label's lines in the 85 mm column: the label's own, wrapped whole, where
    they are at most `MAX_LABEL_LINES`, else the catalog's `short` name's. Never cut: a
    label that fits neither way stops the chart, naming it."""
    for text in (label, short):
        if text and _fits(lines := wrap_px(text), MAX_LABEL_LINES, AXIS_WRAP_PX):
            return lines
    shorter = (
        f"nor does its short name {short!r}" if short else "and the catalog gives no short name"
    )
    raise ValueError(
        f"the chart label {label!r} does not fit the 85 mm column in {MAX_LABEL_LINES} lines, {shorter}: "
        "give it one that does (short_name_<lang> in data/indicators.csv, or "
        "data/curated/plan46_*_short.csv)"
    )


def wrapped_labels(frame: pl.DataFrame) -> tuple[pl.DataFrame, alt.Y, int]:
    """The frame's `label`s (or, where one does not fit, its `short_label`) wrapped to fit
    the narrowest layout, each band fitting its lines. Returns the frame with its
    `axis_label`, the y encoding, and the plot's height."""
    # One choice and one wrap for every layout, so the 85 mm and 170 mm charts and a
    # phone's read the same; the full label stays in the tooltip, description and table.
    shorts = frame["short_label"] if "short_label" in frame.columns else [None] * frame.height
    wrapped = [
        fitted_label(label, short) for label, short in zip(frame["label"], shorts, strict=True)
    ]
    lines = "split(datum.value, ' | ')"
    # Vega sets a label's first line at its tick: raised by half its other lines, a label
    # is centred on its band.
    raised = {"expr": f"-(length({lines}) - 1) * {LINE_PX / 2:g}"}
    axis = alt.Axis(labelExpr=lines, labelLineHeight=LINE_PX, labelOffset=raised)
    y = alt.Y("axis_label:N", sort=None, title=None, axis=axis)
    band = max(20, LINE_PX * max(len(w) for w in wrapped) + 8)
    labels = pl.Series("axis_label", [" | ".join(w) for w in wrapped])
    return frame.with_columns(labels), y, band * labels.n_unique()


# A dot chart laid out narrow with its labels above the rows: each row is its label's
# lines, a gap, then the dots; rows ROW_GAP_PX apart.
LABELS_ABOVE = {"narrow": "labels_above"}  # the chart's usermeta that asks for it
DOT_PX = 10
ROW_GAP_PX = 4
ABOVE_RIGHT_PX = 20
LEGEND_TITLE_PX = 80  # room for a legend's title beside its entries


def labels_above_when_narrow(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """`chart` (a layered dot chart on `wrapped_labels`' y) marked so that its 85 mm
    layout writes each row's label above its row (`labels_above`)."""
    return chart.properties(usermeta=LABELS_ABOVE)


def labels_above(spec: dict) -> dict:
    """`spec`, already laid out narrow (`narrow`), with each row's label written above its
    dots across the plot's whole width instead of in a column beside the plot: the label
    (or, where it takes more lines, its short label) in lines of that width."""
    data = spec["datasets"][spec["data"]["name"]]
    # No value is written right of a dot: the right margin holds only half the last date.
    padding = {**spec["padding"], "right": ABOVE_RIGHT_PX}
    plot_px = spec["width"] - padding["left"] - padding["right"]
    texts = {}
    for row in data:
        # The label, or its short label where that takes fewer lines at this width.
        named = [row["label"], row.get("short_label") or row["label"]]
        wrapped = [wrap_px(text, plot_px - WRAP_SPARE_PX) for text in named]
        texts.setdefault(row["axis_label"], min(wrapped, key=len))
    text_px = LINE_PX * max(len(lines) for lines in texts.values())
    block = text_px + 2 + DOT_PX
    y = {"field": "axis_label", "type": "nominal", "sort": None, "axis": None,
         "scale": {"type": "point", "padding": 0.5}}  # fmt: skip

    def moved(layer: dict, offset: float) -> dict:
        mark = layer["mark"] if isinstance(layer["mark"], dict) else {"type": layer["mark"]}
        if "y" not in layer.get("encoding", {}):
            return layer  # a rule across every row (the edition's end)
        return {
            **layer,
            "mark": {**mark, "yOffset": offset},
            "encoding": {**layer["encoding"], "y": y},
        }

    label_layer = {
        "mark": {"type": "text", "align": "left", "baseline": "bottom", "lineBreak": " | ",
                 "lineHeight": LINE_PX, "yOffset": -block / 2 + text_px},
        "encoding": {"y": y, "x": {"value": 0}, "text": {"field": "stacked_label", "type": "nominal"}},
    }  # fmt: skip
    stacked = [{**row, "stacked_label": " | ".join(texts[row["axis_label"]])} for row in data]
    # The legend starts at the plot's left edge (no labels beside the plot now), its title
    # beside its entries rather than above them: a line less in a tall column.
    legend_px = legend_label_limit(spec["width"], 0, 1) - LEGEND_TITLE_PX
    legend = {**spec["config"]["legend"], "titleOrient": "left", "labelLimit": legend_px}
    spec = wrap_legend_labels(spec, legend_px)
    return {
        **spec,
        "config": {**spec["config"], "legend": legend},
        "padding": padding,
        "datasets": {**spec["datasets"], spec["data"]["name"]: stacked},
        "layer": [*(moved(layer, -block / 2 + text_px + 2 + DOT_PX / 2) for layer in spec["layer"]),
                  label_layer],
        "height": len(texts) * (block + ROW_GAP_PX),
    }  # fmt: skip


def room_for_labels(values: pl.Series) -> alt.Scale:
    """An x scale from zero with room right of the longest bar for its value label."""
    top = values.max() or 1
    return alt.Scale(domain=[0, top * VALUE_ROOM], nice=False)
