"""The notebooks: executed by papermill in both languages; thin; no hand-typed figures."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from analysis.pipeline import notebooks as run_notebooks
from analysis.report.i18n import fmt
from analysis.report.narrative import SENTENCES

NOTEBOOKS = run_notebooks.notebooks()
# Digits may appear in prose only as part of a document's name.
DOCUMENT_NAME = re.compile(
    r"(Nghị quyết|Resolution|Kế hoạch|Plan|Phụ lục|Appendix|Plan's)\s+\d+|\d+-NQ/TW|SHA-256|UTF-8"
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
    from analysis.report.edition import PAGES
    from analysis.site.config import page_slug

    assert sorted(page_slug(p) for p in NOTEBOOKS) == sorted(PAGES)


def test_every_notebook_runs_in_both_languages(executed):
    for lang in ("vi", "en"):
        ran = sorted(p.name for p in (executed / "notebooks" / lang).glob("*.ipynb"))
        assert ran == [p.name for p in NOTEBOOKS]
        for path in (executed / "notebooks" / lang).glob("*.ipynb"):
            assert not [o for o in outputs(path) if o["output_type"] == "error"], path
            text = markdown_text(path)
            assert text.startswith("# ") and "{" not in text, path


def test_narrative_takes_its_numbers_from_the_data(executed):
    vi = markdown_text(executed / "notebooks/vi/03_rd_workforce.ipynb")
    en = markdown_text(executed / "notebooks/en/03_rd_workforce.ipynb")
    assert fmt(8947, "vi") in vi and fmt(1286, "vi") in vi and "14,4%" in vi
    assert fmt(8947, "en") in en and "8.947" not in en


def test_every_chart_is_exported_per_language(executed):
    sources = "".join(p.read_text(encoding="utf-8") for p in NOTEBOOKS)
    shown = set(re.findall(r'bar_figure\(\\"(\w+)\\"', sources))
    shown |= {
        "targets_status",
        "pii_pillars",
        "rd_qualifications",
        "tasks_by_group",
        "tasks_timeline",
    }
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


def test_no_hand_typed_figures_in_narrative():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells[2:]:
            if cell.cell_type == "markdown":
                assert not numbers_outside_document_names(cell.source), (path, cell.source)
            else:  # calls may name indicators and charts, never pass a number
                numbers = [n for n in ast.walk(ast.parse(cell.source))
                           if isinstance(n, ast.Constant) and type(n.value) in (int, float)]  # fmt: skip
                assert not numbers, (path, cell.source)
    for key, texts in SENTENCES.items():
        for lang, text in texts.items():
            assert not numbers_outside_document_names(text), (key, lang, text)


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
