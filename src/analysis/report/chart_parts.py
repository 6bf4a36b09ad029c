"""The project's tested chart rules, as small parts a notebook composes altair charts with.

A notebook writes its chart in sight (`alt.Chart(frame).mark_bar().encode(...)`) and uses
these where a rule matters:

- `wrapped_labels(frame)`: category labels wrapped between words into lines the 85 mm
  column shows whole (measured in the shipped font), centred on their bands; returns the
  frame with its `axis_label`, the y encoding and the plot's height;
- `value_labels(base, frame)`: the value written after each bar as the page writes it,
  the source's hedge and range included (`hơn 50`, `about 10–12`: the `figure` column);
  `total_labels(base)`: the total after a stacked bar;
- `room_for_labels(values)`: an x scale with room right of the longest bar for its label;
- `tooltip(titles)`: label, value, unit, period and source, titled in the page's language.
"""

from __future__ import annotations

import textwrap

import altair as alt
import polars as pl

from analysis.paths import FONT_DIR
from analysis.report.chart_theme import AXIS_WRAP_PX, LABEL_FONT_PX, NUMBER_FORMAT
from analysis.report.svgtext import text_width

LINE_PX = 13  # one line of a 10 px label
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


def shorten(text: str, width: int = 80) -> str:
    """A long label cut at a word, marked as cut."""
    return textwrap.shorten(text, width, placeholder=" …")


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


def wrapped_labels(frame: pl.DataFrame) -> tuple[pl.DataFrame, alt.Y, int]:
    """The frame's `label`s wrapped to fit the narrowest layout, each band fitting its lines.
    Returns the frame with its `axis_label`, the y encoding, and the plot's height."""
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


def room_for_labels(values: pl.Series) -> alt.Scale:
    """An x scale from zero with room right of the longest bar for its value label."""
    top = values.max() or 1
    return alt.Scale(domain=[0, top * VALUE_ROOM], nice=False)
