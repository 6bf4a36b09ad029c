"""Charts: the parts notebooks compose them with (wrapped labels, value labels as the source
wrote them, tooltips), and their exports: every format, exact print sizes, the shipped font,
page-language notation."""

from __future__ import annotations

import re
import struct
import zipfile

import altair as alt
import polars as pl
import pytest
import vl_convert as vlc

from analysis.paths import FONT_DIR
from analysis.report import chart_theme, charts
from analysis.report.svgtext import text_width

# Synthetic data for the tests: made-up values with Vietnamese labels.
FRAME = pl.DataFrame({
    "label": ["Tiến sĩ (dữ liệu thử)", "Thạc sĩ (dữ liệu thử)"], "value": [1286.0, 3054.5],
    "unit": ["người", "người"], "period": ["2024", "2024"], "source": ["thử", "thử"],
})  # fmt: skip
LABELS = {k: k for k in ("indicator", "value", "unit", "period", "source")}


def bar_chart(frame: pl.DataFrame) -> alt.LayerChart:
    """A bar chart as a notebook composes one (notebooks/04_intellectual_property.ipynb)."""
    plotted, y, height = charts.wrapped_labels(frame)
    base = alt.Chart(plotted).encode(
        y=y,
        x=alt.X("value:Q", title="value", scale=charts.room_for_labels(plotted["value"]),
                axis=alt.Axis(format=charts.NUMBER_FORMAT), stack=None),
        tooltip=charts.tooltip(LABELS, hedged="figure" in frame.columns),
    )  # fmt: skip
    chart = base.mark_bar(color=charts.SERIES_COLOR) + charts.value_labels(base, plotted)
    return chart.properties(width=charts.DOUBLE_COLUMN_PX, height=height)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("charts")
    exports = {}
    charts.setup()
    for lang in ("vi", "en"):
        chart = charts.finish(bar_chart(FRAME), "Biểu đồ thử nghiệm", "mô tả", lang)
        charts.write_inputs(chart.to_dict(), FRAME, f"test_chart-{lang}", f"cite {lang}", out)
        exports[lang] = charts.export(f"test_chart-{lang}", lang, out, "2026-01-11")
    return exports


def png_info(data: bytes) -> tuple[int, int, int]:
    width, height = struct.unpack(">II", data[16:24])
    phys = data.index(b"pHYs")
    ppm = struct.unpack(">I", data[phys + 4 : phys + 8])[0]
    return width, height, round(ppm * 0.0254)


def test_every_export_is_written_with_a_guessable_name(exported):
    files = exported["vi"]
    names = sorted(p.name for p in files.values())
    assert names == sorted(f"test_chart-vi{s}" for s in
                           (".vl.json", ".svg", ".pdf", "-85mm.png", "-170mm.png", ".csv", ".cite.txt", ".zip"))  # fmt: skip
    with zipfile.ZipFile(files[".zip"]) as bundle:
        assert len(bundle.namelist()) == 7


def test_png_exports_are_300_dpi_at_journal_widths(exported):
    for suffix, mm in (("-85mm.png", 85), ("-170mm.png", 170)):
        width, _, dpi = png_info(exported["vi"][suffix].read_bytes())
        assert dpi == 300
        assert abs(width - mm / 25.4 * 300) <= 3, (suffix, width)


def test_csv_is_exactly_the_plotted_data(exported):
    written = pl.read_csv(exported["vi"][".csv"], schema_overrides=FRAME.schema)
    assert written.select(FRAME.columns).equals(FRAME)


def test_numbers_follow_the_page_language(exported):
    vi = exported["vi"][".svg"].read_text(encoding="utf-8")
    en = exported["en"][".svg"].read_text(encoding="utf-8")
    assert "3.054,5" in vi and "1.286" in vi and "3,054.5" not in vi
    assert "3,054.5" in en and "1,286" in en


def test_pdf_embeds_only_the_shipped_font(exported):
    pdf = exported["vi"][".pdf"].read_bytes()
    fonts = set(re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([A-Za-z0-9-]+)", pdf))
    assert fonts <= {b"NotoSans-Regular", b"NotoSans-Bold"}, fonts  # none: text is outlined


def test_svg_text_is_outlined_so_it_needs_no_installed_font(exported):
    svg = exported["vi"][".svg"].read_text(encoding="utf-8")
    assert "<text" not in svg and "font-family" not in svg
    glyphs = re.findall(r'<path id="(g\d+)"', svg)
    uses = re.findall(r'href="#(g\d+)"', svg)
    assert glyphs and set(uses) == set(glyphs)  # every glyph drawn is defined, once
    assert 'aria-label="Biểu đồ thử nghiệm"' in svg  # the words stay for screen readers


def test_vietnamese_png_uses_the_shipped_font_not_a_fallback(exported):
    spec = charts.finish(bar_chart(FRAME), "Biểu đồ thử nghiệm", "", "vi").to_dict()
    shipped = vlc.vegalite_to_png(spec, scale=1)
    spec["config"]["font"] = "A Font That Does Not Exist"
    for part in ("title", "axis", "legend", "text", "mark", "header"):
        spec["config"].get(part, {}).update({k: "A Font That Does Not Exist" for k in
                                             ("font", "labelFont", "titleFont") if k in spec["config"].get(part, {})})  # fmt: skip
    fallback = vlc.vegalite_to_png(spec, scale=1)
    assert shipped != fallback, "the chart rendered the same without Noto Sans: it fell back"


def test_embed_options_travel_in_the_spec():
    spec = charts.finish(bar_chart(FRAME), "t", "", "vi").to_dict()
    assert spec["usermeta"]["embedOptions"]["formatLocale"]["decimal"] == ","


# The parts notebooks compose charts with --------------------------------------------------


def test_labels_wrap_between_words_into_lines_the_narrowest_column_shows_whole():
    long = (
        "Số đơn đăng ký sở hữu công nghiệp được tiếp nhận trong giai đoạn thử nghiệm (dữ liệu thử)"
    )
    frame = pl.DataFrame({"label": [long, "Ngắn"], "value": [1.0, 2.0]})
    plotted, y, height = charts.wrapped_labels(frame)
    lines = plotted["axis_label"][0].split(" | ")
    assert len(lines) > 1 and " ".join(lines) == long  # broken between words, nothing lost
    assert all(text_width(line, chart_theme.LABEL_FONT_PX, FONT_DIR) <= chart_theme.AXIS_WRAP_PX
               for line in lines)  # fmt: skip
    assert plotted["axis_label"][1] == "Ngắn"
    # Each band holds its longest label's lines; the label is centred on its band.
    assert height == 2 * max(20, 13 * len(lines) + 8)
    axis = y.to_dict()["axis"]
    assert axis["labelExpr"] == "split(datum.value, ' | ')" and "expr" in axis["labelOffset"]


def test_value_labels_write_the_value_as_the_source_wrote_it():
    hedged = FRAME.with_columns(pl.Series("figure", ["hơn 1.286", "khoảng 3.054,5"]))
    base = alt.Chart(hedged).encode(x="value:Q", y="label:N")
    assert charts.value_labels(base, hedged).to_dict()["encoding"]["text"] == {"field": "figure", "type": "nominal"}  # fmt: skip
    bare = charts.value_labels(alt.Chart(FRAME).encode(x="value:Q"), FRAME).to_dict()
    assert bare["encoding"]["text"] == {"field": "value", "type": "quantitative", "format": charts.NUMBER_FORMAT}  # fmt: skip
    assert bare["mark"] == {"type": "text", "align": "left", "dx": 3}
    tips = [t.to_dict() for t in charts.tooltip(LABELS, hedged=True)]
    assert [t["field"] for t in tips] == ["label", "figure", "unit", "period", "source"]


def test_room_for_labels_extends_the_scale_past_the_longest_bar():
    scale = charts.room_for_labels(FRAME["value"]).to_dict()
    assert (
        scale["domain"][0] == 0
        and scale["domain"][1] > FRAME["value"].max()
        and scale["nice"] is False
    )


def test_the_package_has_parts_and_a_theme_not_chart_makers():
    assert not [name for name in charts.__all__ if name.endswith("_chart")]
    assert {"wrapped_labels", "value_labels", "total_labels", "tooltip", "room_for_labels"} <= set(
        charts.__all__
    )
