"""Chart exports: every format, exact print sizes, the shipped font, page-language notation."""

from __future__ import annotations

import re
import struct
import zipfile

import polars as pl
import pytest
import vl_convert as vlc

from analysis.report import charts

# Synthetic data for the tests: made-up values with Vietnamese labels.
FRAME = pl.DataFrame({
    "label": ["Tiến sĩ (dữ liệu thử)", "Thạc sĩ (dữ liệu thử)"], "value": [1286.0, 3054.5],
    "unit": ["người", "người"], "period": ["2024", "2024"], "source": ["thử", "thử"],
})  # fmt: skip
LABELS = {k: k for k in ("indicator", "value", "unit", "period", "source")}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("charts")
    exports = {}
    charts.setup()
    for lang in ("vi", "en"):
        chart = charts.finish(charts.bar_chart(FRAME, LABELS), "Biểu đồ thử nghiệm", "mô tả", lang)
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
    spec = charts.finish(charts.bar_chart(FRAME, LABELS), "Biểu đồ thử nghiệm", "", "vi").to_dict()
    shipped = vlc.vegalite_to_png(spec, scale=1)
    spec["config"]["font"] = "A Font That Does Not Exist"
    for part in ("title", "axis", "legend", "text", "mark", "header"):
        spec["config"].get(part, {}).update({k: "A Font That Does Not Exist" for k in
                                             ("font", "labelFont", "titleFont") if k in spec["config"].get(part, {})})  # fmt: skip
    fallback = vlc.vegalite_to_png(spec, scale=1)
    assert shipped != fallback, "the chart rendered the same without Noto Sans: it fell back"


def test_embed_options_travel_in_the_spec():
    spec = charts.finish(charts.bar_chart(FRAME, LABELS), "t", "", "vi").to_dict()
    assert spec["usermeta"]["embedOptions"]["formatLocale"]["decimal"] == ","
