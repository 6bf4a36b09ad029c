"""The notebooks: executed by papermill in both languages; each reads as an analysis (its
sentences written in place as messages, its charts composed with altair in sight, no branch
on the language); no hand-typed figures."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from analysis.pipeline import notebooks as run_notebooks
from analysis.report.i18n import LANGS, catalog, fmt

NOTEBOOKS = run_notebooks.notebooks()
# Digits may appear in prose only as part of a document's name.
DOCUMENT_NAME = re.compile(
    r"(Nghị quyết|Resolution|Kế hoạch|Plan|Phụ lục|Appendix|Plan's)\s+\d+|\d+-NQ/TW|SHA-256|UTF-8"
    r"|CC BY \d\.\d"  # the licence's name
)


@pytest.fixture(scope="module")
def executed(built):
    return built.notebooks


@pytest.fixture(scope="module")
def data_dir_module(built):
    return built.data


def outputs(path: Path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [o for c in nb["cells"] for o in c.get("outputs", [])]


def markdown_text(path: Path) -> str:
    """The narrative as a reader sees it (traced figures' markup removed)."""
    text = "\n".join("".join(o["data"]["text/markdown"]) for o in outputs(path)
                     if "text/markdown" in o.get("data", {}))  # fmt: skip
    return re.sub(r"<[^>]+>", "", text)


def test_there_is_a_notebook_per_theme_and_per_site_page():
    import polars as pl

    from analysis.paths import DATA

    assert sorted(p.stem for p in NOTEBOOKS) == sorted(pl.read_csv(DATA / "pages.csv")["notebook"])


def test_every_notebook_runs_in_both_languages(executed):
    for lang in ("vi", "en"):
        ran = sorted(p.name for p in (executed / "notebooks" / lang).glob("*.ipynb"))
        assert ran == [p.name for p in NOTEBOOKS]
        for path in (executed / "notebooks" / lang).glob("*.ipynb"):
            assert not [o for o in outputs(path) if o["output_type"] == "error"], path
            # No placeholder left unfilled (a heading's anchor, `## Title {#src-…}`, is Markdown).
            text = re.sub(r" \{#[\w-]+\}$", "", markdown_text(path), flags=re.MULTILINE)
            assert text.startswith("# ") and "{" not in text, path


def test_narrative_takes_its_numbers_from_the_data(executed):
    vi = markdown_text(executed / "notebooks/vi/03_rd_workforce.ipynb")
    en = markdown_text(executed / "notebooks/en/03_rd_workforce.ipynb")
    assert fmt(8947, "vi") in vi and fmt(1286, "vi") in vi and "14,4%" in vi
    assert fmt(8947, "en") in en and "8.947" not in en


def test_every_chart_is_exported_per_language(executed):
    import polars as pl

    from analysis.paths import DATA

    sources = "".join(p.read_text(encoding="utf-8") for p in NOTEBOOKS)
    shown = set(re.findall(r'show_chart\(\\"(\w+)\\"', sources))
    assert shown == set(pl.read_csv(DATA / "charts.csv")["chart_id"])  # the catalog, all shown
    for lang in ("vi", "en"):
        zips = sorted((executed / "charts").glob(f"*-{lang}.zip"))
        assert {z.name.removesuffix(f"-{lang}.zip") for z in zips} == shown
        for bundle in zips:
            stem = bundle.name.removesuffix(".zip")
            for suffix in (
                ".svg",
                ".pdf",
                "-85mm.png",
                "-170mm.png",
                ".vl.json",
                ".csv",
                ".cite.txt",
            ):
                assert (executed / "charts" / f"{stem}{suffix}").is_file()


def test_notebooks_are_committed_without_outputs_and_with_parameters():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert "parameters" in nb.cells[1].metadata.get("tags", []), path
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path


def numbers_outside_document_names(text: str) -> list[str]:
    """Digits in prose, leaving out document names and `{placeholders}` (filled from data)."""
    return re.findall(r"\d+", DOCUMENT_NAME.sub("", re.sub(r"\{\w+\}", "", text)))


# Where notebook code may type a number: how many decimals a figure shows, how many rows a
# table keeps, and a chart's drawing (a mark's offset or size, a dash pattern, a scale's
# fixed range: arguments of `alt.…(…)` and `.mark_…(…)`). Any other number in code would be
# a figure typed by hand.
PRESENTATION_CALLS = {"fig": 1, "number": 1, "round": 0, "head": 0}


def is_drawing(call: ast.Call) -> bool:
    """`alt.Scale(…)`, `alt.datum(…)`, `base.mark_text(…)`: how a chart draws, not a figure."""
    func = call.func
    return isinstance(func, ast.Attribute) and (
        func.attr.startswith("mark_")
        or (isinstance(func.value, ast.Name) and func.value.id == "alt")
    )


def typed_numbers(source: str) -> list[object]:
    """Numeric literals in code, except decimals, row counts and a chart's drawing (see
    PRESENTATION_CALLS)."""
    tree = ast.parse(source)
    allowed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            position = PRESENTATION_CALLS.get(node.func.attr)
            if position is not None and len(node.args) > position:
                allowed.add(id(node.args[position]))
            for kw in node.keywords:
                if kw.arg == "decimals":  # a mapping of columns to decimal places, or one number
                    allowed |= {id(n) for n in ast.walk(kw.value)}
            if is_drawing(node):
                allowed |= {id(n) for arg in [*node.args, *(k.value for k in node.keywords)]
                            for n in ast.walk(arg)}  # fmt: skip
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and type(n.value) in (int, float) and id(n) not in allowed]  # fmt: skip


def test_no_hand_typed_figures_in_narrative():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                assert not numbers_outside_document_names(cell.source), (path, cell.source)
            elif "parameters" not in cell.metadata.get("tags", []):
                assert not typed_numbers(cell.source), (path, cell.source)
    for lang in LANGS:
        for key, text in catalog(lang).items():
            for form in [text] if isinstance(text, str) else text:
                assert not numbers_outside_document_names(form), (key, lang, form)


def test_typed_number_check_catches_a_figure_and_allows_decimals_and_drawing():
    assert typed_numbers("ed.say('x', total=8947, share=ed.fig('s', 1))") == [8947]
    assert typed_numbers("ed.show_table(t, ['a'], decimals={'a': 2}).head(10)") == []
    assert (
        typed_numbers("base.mark_text(dx=3).encode(x=alt.X('v', scale=alt.Scale(domain=[0, 100])))")
        == []
    )
    assert typed_numbers(
        "alt.Chart(f).mark_rule().encode(x=alt.datum(8947)) + f.filter(v > 8947)"
    ) == [8947]


def test_hand_typed_figure_check_catches_one():
    assert numbers_outside_document_names("Thành phố có 8.947 cán bộ theo Kế hoạch 46") == [
        "8",
        "947",
    ]


FAILING = """{"cells": [
 {"cell_type": "code", "id": "c0", "metadata": {"tags": ["parameters"]}, "source": "edition = None\\nlang = 'vi'\\ndata_dir = None\\nchart_dir = None", "outputs": [], "execution_count": null},
 {"cell_type": "code", "id": "c1", "metadata": {}, "source": "x = 1", "outputs": [], "execution_count": null},
 {"cell_type": "code", "id": "c2", "metadata": {}, "source": "raise ValueError('synthetic failure for the test')", "outputs": [], "execution_count": null}],
 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
 "nbformat": 4, "nbformat_minor": 5}"""


def test_a_failing_notebook_publishes_nothing(tmp_path, data_dir_module):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "99_fails.ipynb").write_text(FAILING, encoding="utf-8")
    build = tmp_path / "build"
    (build / "2025").mkdir(parents=True)
    (build / "2025" / "last-good").write_text("kept", encoding="utf-8")
    with pytest.raises(run_notebooks.NotebookFailed) as caught:
        run_notebooks.run_all(2025, ("vi",), data_dir=data_dir_module / "processed", build_dir=build,
                              folder=folder)  # fmt: skip
    message = str(caught.value)
    assert "99_fails.ipynb (vi)" in message and "cell 3" in message and "ValueError" in message
    assert "raise ValueError('synthetic failure" in message
    assert (build / "2025" / "last-good").read_text(encoding="utf-8") == "kept"
    assert not (build / "2025.staging").exists()


# JupyterLab draws each output with the first of these MIME types the output holds
# (its renderers' ranks: HTML 50, Vega-Lite 57, Markdown 60, … plain text 120).
JUPYTERLAB_ORDER = ["text/html", "application/vnd.vegalite.v5+json", "text/markdown",
                    "image/svg+xml", "image/png", "text/plain"]  # fmt: skip


def test_in_jupyterlab_charts_are_interactive_and_no_object_prints_a_repr(tmp_path, built):
    """A researcher's run (no `site_root`): every chart is a Vega-Lite spec JupyterLab
    draws, in the shipped font, and nothing falls back to an object's plain-text repr."""
    import papermill as pm

    out = tmp_path / "ip.ipynb"
    pm.execute_notebook(NOTEBOOKS[4], out, kernel_name="python3", progress_bar=False,
                        parameters={"lang": "en", "data_dir": str(built.data / "processed"),
                                    "chart_dir": str(tmp_path / "charts")})  # fmt: skip
    shown = [next(m for m in JUPYTERLAB_ORDER if m in o["data"])
             for o in outputs(out) if o["output_type"] == "display_data"]  # fmt: skip
    import polars as pl

    from analysis.paths import DATA

    on_page = pl.read_csv(DATA / "charts.csv").filter(pl.col("page") == "intellectual_property")
    assert shown.count("application/vnd.vegalite.v5+json") == on_page.height, shown
    assert "text/plain" not in shown, shown
    specs = [o["data"]["application/vnd.vegalite.v5+json"] for o in outputs(out)
             if "application/vnd.vegalite.v5+json" in o.get("data", {})]  # fmt: skip
    assert all(s["config"]["font"] == "Noto Sans" for s in specs)
    font_face = [
        o for o in outputs(out) if "@font-face" in "".join(o.get("data", {}).get("text/html", ""))
    ]
    assert font_face, "the shipped font is not given to JupyterLab"


def code_cells(path: Path) -> list[ast.Module]:
    nb = nbformat.read(path, as_version=4)
    return [ast.parse(c.source) for c in nb.cells
            if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]  # fmt: skip


def names_lang(node: ast.AST) -> bool:
    """`lang` or `ed.lang`."""
    return (isinstance(node, ast.Name) and node.id == "lang") or (
        isinstance(node, ast.Attribute) and node.attr == "lang"
    )


def test_notebooks_never_branch_on_the_language():
    """Words come from the catalog, data columns by name (`name_{lang}`,
    `ed.translated_column`): no notebook compares the language to pick them."""
    for path in NOTEBOOKS:
        for tree in code_cells(path):
            compared = [node for node in ast.walk(tree) if isinstance(node, ast.Compare)
                        and any(names_lang(n) for n in [node.left, *node.comparators])]  # fmt: skip
            assert not compared, (path.name, [ast.unparse(n) for n in compared])
            matched = [
                n for n in ast.walk(tree) if isinstance(n, ast.Match) and names_lang(n.subject)
            ]
            assert not matched, path.name


def test_every_sentence_is_a_message_written_where_it_is_said():
    """`ed.say(_("…"), …)`: the sentence is in the notebook, in English, marked for the
    catalog; no sentence is looked up by a key."""
    said = 0
    for path in NOTEBOOKS:
        for tree in code_cells(path):
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                if node.func.attr == "say":
                    said += 1
                    (message, *_rest) = node.args
                    assert isinstance(message, ast.Call) and isinstance(message.func, ast.Name), (
                        path.name,
                        ast.unparse(node),
                    )
                    assert message.func.id in ("_", "ngettext"), (path.name, ast.unparse(node))
                    assert all(isinstance(a, ast.Constant) for a in message.args[:1]), path.name
                if node.func.attr == "t" and node.args and isinstance(node.args[0], ast.Constant):
                    assert not str(node.args[0].value).startswith("sentence."), path.name
    assert said > 30


def test_charts_are_composed_with_altair_in_the_notebook():
    """Every chart a notebook shows is written there with altair (`alt.Chart(…)`); the
    package has parts and a theme, no chart makers."""
    from analysis.report import charts

    assert not [name for name in charts.__all__ if name.endswith("_chart")]
    for path in NOTEBOOKS:
        source = "\n".join(ast.unparse(tree) for tree in code_cells(path))
        if "show_chart(" in source:
            assert "alt.Chart(" in source, path.name
            assert not re.search(r"charts\.\w+_chart\(", source), path.name


THEME_NOTEBOOKS = [p for p in NOTEBOOKS if p.stem[3:] in {
    "pii", "rd_workforce", "intellectual_property", "digital_government", "innovation_ecosystem",
    "plan46_targets", "plan46_tasks", "economy"}]  # fmt: skip


def test_every_theme_notebook_explains_itself_to_its_reader():
    """A theme notebook reads as an analysis in JupyterLab: besides its introduction, notes
    for its reader between the cells (never shown on the site), and its data as polars
    frames read through the edition's data door."""
    assert len(THEME_NOTEBOOKS) == 8
    for path in THEME_NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        notes = [c for c in nb.cells[2:] if c.cell_type == "markdown"]
        assert notes, path.name
        assert all(
            "remove-cell" in c.metadata.get("tags", [])
            for c in nb.cells
            if c.cell_type == "markdown"
        )
        source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "import polars as pl" in source and "ed.data." in source, path.name
