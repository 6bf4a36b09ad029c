"""Charts: the parts notebooks compose them with (wrapped labels, value labels as the source
wrote them, tooltips), and their exports: every format, exact print sizes, the shipped font,
page-language notation."""

from __future__ import annotations

import json
import re
import struct
import xml.etree.ElementTree as ET
import zipfile

import altair as alt
import jsonschema
import polars as pl
import pytest
import vl_convert as vlc

from analysis.paths import DATA, FONT_DIR
from analysis.report import chart_theme, charts
from analysis.report.i18n import D3_LOCALE, LANGUAGES, t
from analysis.report.svgtext import text_width
from tests.conftest import poppler
from tests.test_print import pdf_alt_texts, pdf_lang, pdf_title, poppler_stderr

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


@poppler
def test_chart_pdf_is_titled_in_its_language_and_poppler_reads_it_silently(exported, tmp_path):
    for lang in ("vi", "en"):
        pdf = exported[lang][".pdf"]
        assert pdf_title(pdf) == "Biểu đồ thử nghiệm"
        assert pdf_lang(pdf.read_bytes()) == lang
        assert poppler_stderr(pdf, tmp_path) == {"pdfinfo": "", "pdffonts": "", "pdftoppm": ""}
        # The chart is a tagged figure whose alternative text is its description.
        assert pdf_alt_texts(pdf.read_bytes()) == ["mô tả"]


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


def test_png_exports_are_rasterised_from_text_outlined_in_the_shipped_fonts(tmp_path, monkeypatch):
    drawn = []
    rasterise = vlc.svg_to_png
    monkeypatch.setattr(vlc, "svg_to_png", lambda svg, **options: drawn.append(svg) or rasterise(svg, **options))  # fmt: skip
    charts.setup()
    chart = charts.finish(bar_chart(FRAME), "Biểu đồ thử nghiệm", "mô tả", "vi")
    charts.write_inputs(chart.to_dict(), FRAME, "test_chart-vi", "cite vi", tmp_path)
    files = charts.export("test_chart-vi", "vi", tmp_path, "2026-01-11")
    assert len(drawn) == len(charts.WIDTHS_MM)  # one SVG per PNG
    for svg in drawn:  # glyph outlines only: no text a rasteriser could set in another font
        assert "<text" not in svg and "<path" in svg
    assert {png_info(files[f"-{name}.png"].read_bytes())[2] for name in charts.WIDTHS_MM} == {300}


def test_embed_options_travel_in_the_spec():
    spec = charts.finish(bar_chart(FRAME), "t", "", "vi").to_dict()
    assert spec["usermeta"]["embedOptions"]["formatLocale"]["decimal"] == ","


# The parts notebooks compose charts with --------------------------------------------------


def test_labels_wrap_between_words_into_lines_the_narrowest_column_shows_whole():
    long = "Số đơn đăng ký sở hữu công nghiệp được tiếp nhận (dữ liệu thử)"
    frame = pl.DataFrame({"label": [long, "Ngắn"], "value": [1.0, 2.0]})
    plotted, y, height = charts.wrapped_labels(frame)
    lines = plotted["axis_label"][0].split(" | ")
    assert len(lines) > 1 and " ".join(lines) == long  # broken between words, nothing lost
    assert all(text_width(line, chart_theme.LABEL_FONT_PX, FONT_DIR) <= chart_theme.AXIS_WRAP_PX
               for line in lines)  # fmt: skip
    # Balanced: no line is left with a lone word where the words allow better.
    assert min(len(line.split()) for line in lines) > 1
    assert plotted["axis_label"][1] == "Ngắn"
    # Each band holds its longest label's lines; the label is centred on its band.
    assert height == 2 * max(20, 13 * len(lines) + 8)
    axis = y.to_dict()["axis"]
    assert axis["labelExpr"] == "split(datum.value, ' | ')" and "expr" in axis["labelOffset"]


# A label too long for the 85 mm column in three lines (synthetic).
TOO_LONG = ("Số đơn đăng ký sở hữu công nghiệp được tiếp nhận và xử lý trong toàn bộ giai đoạn thử "
            "nghiệm kéo dài nhiều năm liền (dữ liệu thử)")  # fmt: skip


def test_a_label_too_long_for_the_column_gives_way_to_its_short_name_never_to_a_cut():
    assert len(charts.wrap_px(TOO_LONG)) > charts.MAX_LABEL_LINES
    frame = pl.DataFrame({"label": [TOO_LONG, "Ngắn"], "short_label": ["Đơn thử", None],
                          "value": [1.0, 2.0]})  # fmt: skip
    plotted, _, _ = charts.wrapped_labels(frame)
    assert plotted["axis_label"].to_list() == ["Đơn thử", "Ngắn"]
    # Without a short name (or with one as long), the chart stops and names the label.
    for short in (None, TOO_LONG):
        with pytest.raises(ValueError, match="does not fit the 85 mm column"):
            charts.wrapped_labels(frame.with_columns(pl.Series("short_label", [short, None])))


def svg_texts(svg: str) -> dict[str, list[str]]:
    """The texts of a Vega SVG (vl-convert's, text not outlined) by the role of their mark
    (`axis-label`, `legend-label`, `mark`, `title-text`, …), each text's lines joined by a space."""
    ns = {"svg": "http://www.w3.org/2000/svg"}
    texts: dict[str, list[str]] = {}
    for group in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}g"):
        role = re.search(r"\bmark-text role-([\w-]+)", group.get("class", ""))
        if role:
            for text in group.findall("svg:text", ns):
                lines = [span.text or "" for span in text.findall("svg:tspan", ns)] or [
                    text.text or ""
                ]
                texts.setdefault(role[1], []).append(" ".join(lines))
    return texts


def test_narrow_legend_labels_wrap_between_words_instead_of_ending_in_an_ellipsis():
    status = "Đang ở mức chỉ tiêu, chưa đến hạn (thử nghiệm)"  # wider than a narrow legend's labels
    frame = FRAME.with_columns(pl.Series("category", [status, "Đạt"]))
    plotted, y, height = charts.wrapped_labels(frame)
    chart = alt.Chart(plotted).mark_bar().encode(y=y, x="value:Q", color="category:N")
    spec = charts.finish(
        chart.properties(width=charts.DOUBLE_COLUMN_PX, height=height), "t", "", "vi"
    )
    svg = vlc.vegalite_to_svg(charts.print_layouts(spec.to_dict())["85mm"])
    assert "…" not in svg
    assert sorted(svg_texts(svg)["legend-label"]) == sorted([status, "Đạt"])


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


# The catalog's names, as charts label them ------------------------------------------------


def fits(text: str | None, lines: int) -> bool:
    wrapped = charts.wrap_px(text or "")
    return (
        bool(text)
        and len(wrapped) <= lines
        and all(
            text_width(line, chart_theme.LABEL_FONT_PX, FONT_DIR) <= chart_theme.AXIS_WRAP_PX
            for line in wrapped
        )
    )


def curated(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA / name, infer_schema=False)


def test_every_indicator_name_fits_the_85mm_column_or_has_a_short_name_that_does():
    """A chart's label is the name and often the period or source after it: the name (or
    its short name) leaves one of the label's lines for that."""
    most = charts.MAX_LABEL_LINES - 1
    indicators = curated("indicators.csv")
    for lang in LANGUAGES:
        for ind, name, short in indicators.select(
            "indicator_id", f"name_{lang}", f"short_name_{lang}"
        ).iter_rows():
            assert fits(name, most) or fits(short, most), (lang, ind, name, short)


def test_plan46_groups_and_dated_tasks_fit_the_85mm_column_or_have_short_names_that_do():
    """The groups (tasks by group) and the tasks with a month deadline (the timeline), each
    labelled `<number>. <title>` in every language."""
    tasks = curated("extracted/plan46_tasks.csv").join(
        curated("curated/plan46_tasks_en.csv"), on="task_no"
    )
    tasks = tasks.join(curated("curated/plan46_tasks_short.csv"), on="task_no", how="left")
    groups = curated("curated/plan46_groups_short.csv").join(
        curated("curated/plan46_groups_en.csv"), on="group"
    )
    groups = groups.join(tasks.select("group", "group_title_vi").unique(), on="group")
    titles = {"vi": ("group_title_vi", "task_vi"), "en": ("group_title_en", "task_title_en")}
    for lang, (group_title, task_title) in titles.items():
        for number, title, short in groups.select(
            "group", group_title, f"group_short_{lang}"
        ).iter_rows():
            assert fits(f"{number}. {title}", 3) or fits(f"{number}. {short}", 3), (lang, number)
        dated = tasks.filter(pl.col("deadline_kind") == "dated")
        assert dated.height > 0
        for number, title, short in dated.select(
            "task_no", task_title, f"task_short_{lang}"
        ).iter_rows():
            assert fits(f"{number}. {title}", 3) or (short and fits(f"{number}. {short}", 3)), (
                lang,
                number,
            )


def words(text: str) -> list[str]:
    return re.findall(r"[\w/.-]+", text.lower())


def test_vietnamese_short_names_are_the_plans_own_words_shortened():
    """Each Vietnamese short name of a group or task is made of the plan's words, in the
    plan's order, with words left out: nothing added, nothing reworded."""
    tasks = curated("extracted/plan46_tasks.csv")
    plan = {
        **{
            ("group", g): t for g, t in tasks.select("group", "group_title_vi").unique().iter_rows()
        },
        **{("task", n): t for n, t in tasks.select("task_no", "task_vi").iter_rows()},
    }
    shorts = [
        ("group", g, s)
        for g, s in curated("curated/plan46_groups_short.csv")
        .select("group", "group_short_vi")
        .iter_rows()
    ]
    shorts += [
        ("task", n, s)
        for n, s in curated("curated/plan46_tasks_short.csv")
        .select("task_no", "task_short_vi")
        .iter_rows()
        if s
    ]
    assert len(shorts) > 7
    for kind, key, short in shorts:
        remaining = iter(words(plan[(kind, key)]))
        assert all(word in remaining for word in words(short)), (kind, key, short)


# Every chart of a build, as its exports lay it out -----------------------------------------


def built_specs(built) -> dict[str, dict]:
    """Every chart's spec in a full build, by stem (`<chart>-<lang>`)."""
    folder = built.site / "charts" / "2025"
    specs = {p.name.removesuffix(".vl.json"): json.loads(p.read_text(encoding="utf-8"))
             for p in sorted(folder.glob("*.vl.json"))}  # fmt: skip
    assert len(specs) == 2 * pl.read_csv(DATA / "charts.csv").height
    return specs


def test_every_chart_layout_writes_every_label_whole(built):
    """In every layout the exports are made from (the chart as drawn, the 85 mm and 170 mm
    columns), no text is cut (Vega marks a cut with an ellipsis), and each category is
    labelled by its whole label or its whole short name, each legend entry by one of the
    texts its legend shows, whole, the title by the whole title."""
    charts.setup()
    for stem, spec in built_specs(built).items():
        lang = stem.rsplit("-", 1)[1]
        rows = spec["datasets"][spec["data"]["name"]]
        for name, layout in {"drawn": spec, **charts.print_layouts(spec)}.items():
            svg = vlc.vegalite_to_svg(layout, format_locale=D3_LOCALE[lang])
            assert "…" not in svg, (stem, name)
            texts = svg_texts(svg)
            shown = set(texts.get("axis-label", []) + texts.get("mark", []))
            for row in rows:
                assert {row["label"], row.get("short_label")} & shown, (stem, name, row["label"])
            legend = texts.get("legend-label", [])
            assert legend or not chart_theme.legend_labels(spec), (stem, name)
            assert set(legend) <= chart_theme.legend_labels(spec), (stem, name, legend)
            assert texts["title-text"] == [spec["title"]["text"]], (stem, name)


def test_tasks_timeline_fills_the_85mm_column(built):
    """The timeline's 85 mm figure: the plot has the column's width and most of the
    figure, and the figure is a sensible height for a journal column."""
    charts.setup()
    for lang in ("vi", "en"):
        spec = built_specs(built)[f"tasks_timeline-{lang}"]
        scene = vlc.vegalite_to_scenegraph(charts.print_layouts(spec)["85mm"])
        plot = scene["scenegraph"]["items"][0]
        assert plot["width"] >= 0.85 * scene["width"], (lang, plot["width"], scene["width"])
        assert plot["width"] * plot["height"] >= 0.6 * scene["width"] * scene["height"], lang
        assert scene["height"] / chart_theme.CSS_DPI * 25.4 <= 120, lang


@poppler
def test_every_chart_pdf_is_titled_in_its_language_and_poppler_reads_it_silently(built, tmp_path):
    for stem, spec in built_specs(built).items():
        chart, lang = stem.rsplit("-", 1)
        pdf = built.site / "charts" / "2025" / f"{stem}.pdf"
        assert pdf_title(pdf) == t(f"chart.{chart}", lang) == spec["title"]["text"], stem
        assert pdf_lang(pdf.read_bytes()) == lang, stem
        assert pdf_alt_texts(pdf.read_bytes()) == [spec["description"]], stem
        assert poppler_stderr(pdf, tmp_path) == {"pdfinfo": "", "pdffonts": "", "pdftoppm": ""}, (
            stem
        )


def vega_lite_errors(spec: dict) -> list[str]:
    """What the Vega-Lite JSON schema (the version the spec names, as altair ships it) finds
    wrong with `spec`, by jsonschema."""
    from altair.vegalite.v6.schema import SCHEMA_URL, load_schema

    assert spec["$schema"] == SCHEMA_URL
    validator = jsonschema.validators.validator_for(load_schema())(load_schema())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in validator.iter_errors(spec)]  # fmt: skip


def test_every_chart_the_site_publishes_is_valid_vega_lite(built):
    specs = sorted((built.site / "charts").glob("*/*.vl.json"))
    assert len(specs) >= 2 * len(pl.read_csv(DATA / "charts.csv"))  # both languages, every edition
    problems = {spec.relative_to(built.site).as_posix(): errors for spec in specs
                if (errors := vega_lite_errors(json.loads(spec.read_text(encoding="utf-8"))))}  # fmt: skip
    assert not problems
    # The check sees a mistake the build would not (it skips altair's own check).
    broken = json.loads(specs[0].read_text(encoding="utf-8"))
    broken["config"]["axis"]["labelFontSise"] = 10
    assert vega_lite_errors(broken)
