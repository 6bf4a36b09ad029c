"""One colour theme, assets/theme.toml, feeds the charts, the site's CSS and the PDF."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import altair as alt
import polars as pl
import pytest
import typst

from analysis.base import steps
from analysis.paths import FONT_DIR, ROOT, THEME_FILE
from analysis.report import charts, theme
from analysis.site.config import TEMPLATES

NEW = "#123456"  # a colour the theme does not use


def edited(tmp_path: Path, section: str, key: str, old: str) -> dict:
    """The theme, loaded from a copy where `old` is replaced by NEW in the line of `key` in
    `[section]`."""
    lines = THEME_FILE.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"[{section}]")
    i = next(i for i in range(start, len(lines)) if lines[i].startswith(f"{key} = "))
    assert old in lines[i]
    lines[i] = lines[i].replace(old, NEW)
    copy = tmp_path / "theme.toml"
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return theme.load(copy)


def test_a_chart_carries_the_theme():
    charts.setup()
    frame = pl.DataFrame({"label": ["a (synthetic)"], "value": [1.0], "unit": ["u"],
                          "period": ["2024"], "source": ["s"]})  # fmt: skip
    labels = {k: k for k in ("indicator", "value", "unit", "period", "source")}
    spec = alt.Chart(frame).mark_bar().encode(x="value:Q", tooltip=charts.tooltip(labels)).to_dict()
    colors = theme.load()["chart"]
    assert spec["config"]["range"]["category"] == colors["category"]
    assert spec["config"]["axis"]["gridColor"] == colors["grid"]
    assert colors["status"] == charts.STATUS_COLORS


@pytest.mark.parametrize(
    ("key", "old", "where"),
    [("category", "#E69F00", ("range", "category")), ("grid", "#e5e5e5", ("axis", "gridColor")),
     ("axis", "#888888", ("axis", "domainColor"))],
)  # fmt: skip
def test_changing_a_chart_colour_changes_the_chart_spec(tmp_path, key, old, where):
    before = charts.theme_config()["config"]
    after = charts.theme_config(edited(tmp_path, "chart", key, old)["chart"])["config"]
    section, key = where
    assert old in str(before[section][key]) and NEW not in str(before[section][key])
    assert NEW in str(after[section][key]) and old not in str(after[section][key])


def test_changing_a_page_colour_changes_the_css(tmp_path):
    assert "--rule: #dddddd;" in theme.css(theme.load())
    css = theme.css(edited(tmp_path, "page", "rule", "#dddddd"))
    assert f"--rule: {NEW};" in css and "#dddddd" not in css


def test_every_custom_property_site_css_uses_is_in_the_theme():
    used = set(re.findall(r"var\(--([a-z-]+)\)", (TEMPLATES / "site.css").read_text("utf-8")))
    defined = set(re.findall(r"--([a-z-]+):", theme.css(theme.load())))
    assert used and used <= defined, used - defined


def typst_colours(tmp_path: Path, palette: dict) -> set[str]:
    """The colours report.typ paints a link, text and a table with, given a theme."""
    shutil.copyfile(TEMPLATES / "report.typ", tmp_path / ".report-design.typ")
    (tmp_path / ".report-theme.typ").write_text(theme.typst(palette), encoding="utf-8")
    doc = tmp_path / "doc.typ"
    doc.write_text('#import ".report-design.typ": report\n#show: report\n'
                   'Text #link("https://example.org")[a link]\n#table(columns: 2, [a], [b], [c], [d])\n',
                   encoding="utf-8")  # fmt: skip
    # The cover's texts come from the build as sys.inputs (site/pdf.py `cover`).
    inputs = {"title": "t", "subtitle": "s", "lang": "en"} | {
        f"{kind}{i}": "x" for kind in ("label", "value") for i in range(6)
    }
    svg = typst.compile(str(doc), format="svg", font_paths=[str(FONT_DIR)],
                        ignore_system_fonts=True, sys_inputs=inputs)  # fmt: skip
    pages = svg if isinstance(svg, list) else [svg]  # one SVG a page: the cover, then the text
    text = b"".join(pages).decode()
    return {c.lower() for c in re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"', text)}


def test_changing_a_print_colour_changes_the_typst_output_and_the_pdf(tmp_path):
    current = theme.load()
    assert {c.lower() for c in current["print"].values()} <= typst_colours(tmp_path, current)
    changed = edited(tmp_path, "print", "link", "#0072B2")
    assert f'link: rgb("{NEW}")' in theme.typst(changed)
    assert NEW in typst_colours(tmp_path, changed) and "#0072b2" not in typst_colours(
        tmp_path, changed
    )


def test_a_theme_lacking_a_colour_or_with_a_bad_one_is_refused(tmp_path):
    copy = tmp_path / "theme.toml"
    text = THEME_FILE.read_text(encoding="utf-8")
    copy.write_text(text.replace('accent = "#0072B2"\n', ""), encoding="utf-8")
    with pytest.raises(ValueError, match=r"\[page\] lacks accent"):
        theme.load(copy)
    copy.write_text(text.replace('muted = "#555555"', 'muted = "grey"'), encoding="utf-8")
    with pytest.raises(ValueError, match=r"page\.muted is 'grey'"):
        theme.load(copy)


# A colour written anywhere but the theme: #rgb/#rrggbb, a colour function, a colour name.
HEX = re.compile(r"(?<![\w&])#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![\w-])")
FUNCTION = re.compile(r"\b(?:rgba?|hsla?|luma|cmyk|oklab|oklch)\(")
NAMED = re.compile(r"(?:color|background|fill|stroke|outline|border)[\w-]*\s*:[^;\n]*\b"
                   r"(?:white|black|gr[ae]y|silver|red|green|blue|navy|yellow|orange|purple)\b")  # fmt: skip


def test_no_colour_is_written_outside_the_theme():
    # analysis.report.theme writes the theme's colours into CSS and Typst: it is the exception.
    code = [p for p in (ROOT / "src").rglob("*.py") if p.name != "theme.py"]
    files = [*code, *(ROOT / "notebooks").glob("*.ipynb"),
             *(p for p in TEMPLATES.iterdir() if p.is_file())]  # fmt: skip
    assert TEMPLATES / "site.css" in files and TEMPLATES / "report.typ" in files
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern in (HEX, FUNCTION, NAMED):
            found += [f"{path.relative_to(ROOT)}: {m[0]}" for m in pattern.finditer(text)]
    assert not found, found


def test_every_step_is_keyed_by_the_theme():
    # The code digest keys notebook runs (the charts), the site (pages, theme.css) and the PDF.
    assert THEME_FILE in steps.code_files()


def test_the_built_site_loads_the_theme_before_its_stylesheet(built):
    assert (built.site / "assets/theme.css").read_text("utf-8") == theme.css(theme.load())
    page = (built.site / "pages/vi/pii.html").read_text("utf-8")
    assert 0 < page.index("assets/theme.css") < page.index("assets/site.css")
