"""Charts the project's way: what a notebook needs to compose a chart with altair.

One namespace for a notebook (`from analysis.report import charts`): the theme's colours,
sizes and number format (`analysis.report.chart_theme`, registered once by `setup()`,
which `Edition` calls), the small parts that apply the project's tested rules
(`analysis.report.chart_parts`: wrapped labels, hedge-aware value labels, room for them,
tooltips), and the exports the build makes of every chart (`analysis.report.chart_exports`).
A chart itself is written in the notebook, with altair, in sight:

    plotted, y, height = charts.wrapped_labels(frame)
    base = alt.Chart(plotted).encode(y=y, x=alt.X("value:Q", ...), tooltip=charts.tooltip(titles))
    chart = base.mark_bar(color=charts.SERIES_COLOR) + charts.value_labels(base, plotted)
    ed.show_chart("chart_id", chart.properties(width=charts.DOUBLE_COLUMN_PX, height=height), frame)
"""

from __future__ import annotations

from analysis.report.chart_exports import (
    BUNDLE_ORDER,
    INPUTS,
    export,
    export_files,
    print_layouts,
    write_inputs,
    written,
)
from analysis.report.chart_parts import (
    MAX_LABEL_LINES,
    fitted_label,
    labels_above,
    labels_above_when_narrow,
    room_for_labels,
    tooltip,
    total_labels,
    value_labels,
    value_text,
    wrap_px,
    wrapped_labels,
)
from analysis.report.chart_theme import (
    COLORS,
    DEADLINE_COLORS,
    DOUBLE_COLUMN_PX,
    FONT,
    NARROW,
    NUMBER_FORMAT,
    OKABE_ITO,
    PRINT_DPI,
    SERIES_COLOR,
    STATUS_COLORS,
    WIDTHS_MM,
    embed_options,
    finish,
    mm_to_css_px,
    narrow,
    setup,
    theme_config,
)

# Grouped by the module each comes from: the look, the rules a chart applies, the exports.
__all__ = [  # noqa: RUF022
    "COLORS", "DEADLINE_COLORS", "DOUBLE_COLUMN_PX", "FONT", "NARROW", "NUMBER_FORMAT",
    "OKABE_ITO", "PRINT_DPI", "SERIES_COLOR", "STATUS_COLORS", "WIDTHS_MM", "embed_options",
    "finish", "mm_to_css_px", "narrow", "setup", "theme_config",
    "MAX_LABEL_LINES", "fitted_label", "labels_above", "labels_above_when_narrow",
    "room_for_labels", "tooltip", "total_labels", "value_labels", "value_text", "wrap_px",
    "wrapped_labels",
    "BUNDLE_ORDER", "INPUTS", "export", "export_files", "print_layouts", "write_inputs",
    "written",
]  # fmt: skip
