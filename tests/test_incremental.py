"""Incremental, atomic and deterministic builds (the full pipeline, in a temporary folder)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.paths import DATA, SOURCES_ENV
from analysis.pipeline.bench import build_in as build
from analysis.pipeline.bench import synthetic_correction, synthetic_edit
from analysis.pipeline.build import build_notebooks, build_site_step
from analysis.site import build as site_build

pytestmark = pytest.mark.slow  # every test reads the module's full builds


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    shutil.copytree(
        DATA, root / "data", ignore=shutil.ignore_patterns("processed*", ".processed.key")
    )
    shutil.copytree(DATA.parent / "editions", root / "editions")  # the frozen editions
    first = build(root)
    return root, first


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_cold_build_runs_every_step(project):
    _, (reused_data, notebooks, steps) = project
    assert not reused_data
    assert notebooks and not any(reused for _, reused in notebooks)
    assert steps and not any(reused for _, reused in steps)


def test_second_build_reuses_every_step(project):
    root, _ = project
    before = snapshot(root / "_site")
    reused_data, notebooks, steps = build(root)
    assert reused_data
    assert all(reused for _, reused in notebooks)
    assert steps == [("site", True)]
    assert snapshot(root / "_site") == before


def test_one_data_file_change_reruns_only_its_dependants(project):
    root, _ = project
    edited = root / "data/curated/plan46_tasks_en.csv"
    edited.write_text(synthetic_edit(edited.read_text(encoding="utf-8")), encoding="utf-8")
    reused_data, notebooks, steps = build(root)
    assert not reused_data
    ran = sorted(name for name, reused in notebooks if not reused)
    # The English task titles are read by the tasks page (both languages read the table),
    # nothing else: the downloads page reads the tables' row counts, which did not change.
    assert ran == ["08_plan46_tasks.ipynb (en)", "08_plan46_tasks.ipynb (vi)"]
    rendered = {step for step, reused in steps if not reused}
    assert "page en/plan46_tasks" in rendered and "page en/pii" not in rendered
    assert "synthetic benchmark edit" in (root / "_site/pages/en/plan46_tasks.html").read_text(
        encoding="utf-8"
    )


def test_one_figure_corrected_reruns_only_the_pages_that_show_it(project, tmp_path, monkeypatch):
    """The benchmark's synthetic correction: 94 patent applications accepted made 95, a
    figure that is no headline. Built without the source texts (the correction is not in
    them), from a copy of the module's project and cache."""
    root, _ = project
    monkeypatch.delenv(SOURCES_ENV, raising=False)
    shutil.copytree(
        root / "data",
        tmp_path / "data",
        ignore=shutil.ignore_patterns("processed*", ".processed.key"),
    )
    shutil.copytree(root / "editions", tmp_path / "editions")
    shutil.copytree(root / "_build/cache", tmp_path / "_build/cache")
    build(tmp_path)  # current without the source texts (the checks table says which ran)
    site_cache = tmp_path / "_build/cache/site"
    kept = len(list(site_cache.iterdir()))
    corrected = tmp_path / "data/curated/observations.csv"
    corrected.write_text(
        synthetic_correction(corrected.read_text(encoding="utf-8")), encoding="utf-8"
    )
    reused_data, notebooks, steps = build(tmp_path)
    assert not reused_data
    ran = sorted(name for name, reused in notebooks if not reused)
    # The figure is shown by its theme's page, the sources page (each source's figures), the
    # indicators page (every figure) and the what-changed page (it is new since 2024); the
    # home page's cards read the headlines alone, the downloads page the tables' row counts.
    assert ran == [f"{notebook}.ipynb ({lang})" for notebook in
                   ("04_intellectual_property", "10_sources", "15_indicators", "16_changes")
                   for lang in ("en", "vi")]  # fmt: skip
    rendered = {step for step, reused in steps if not reused}
    assert {"page vi/intellectual_property", "page en/indicators", "pdf vi"} <= rendered
    assert not {"page vi/index", "page en/downloads"} & rendered
    # The report converts again only its pages that changed.
    assert "pdf vi/intellectual_property" in rendered and "pdf vi/overview" not in rendered
    page = (tmp_path / "_site/pages/vi/intellectual_property.html").read_text(encoding="utf-8")
    assert "có 95 đơn" in page and "có 94 đơn" not in page
    # Each page, PDF and index made again took the place of the one it replaces in the cache:
    # a correction leaves no stale copy behind (a PDF and a search index each time).
    assert len(list(site_cache.iterdir())) == kept


def test_a_failing_step_leaves_the_last_good_site(project, monkeypatch):
    root, _ = project
    before = snapshot(root / "_site")
    assert "pages/vi/index.html" in before

    def broken(*args, **kwargs):
        raise RuntimeError("synthetic failure of the PDF step")

    monkeypatch.setattr(site_build, "build_pdf", broken)
    shutil.rmtree(root / "_build/cache/site/published")  # force the site to rebuild
    with pytest.raises(RuntimeError, match="synthetic failure"):
        site_build.build_site(2025, root / "_build", data_dir=root / "data/processed",
                              target=root / "_site", renderer="pandoc", pages_root=root)  # fmt: skip
    assert snapshot(root / "_site") == before
    assert not (root / "_site.staging").exists()


def test_two_builds_from_the_same_inputs_are_byte_identical(project, tmp_path):
    root, _ = project
    shutil.copytree(
        root / "data",
        tmp_path / "data",
        ignore=shutil.ignore_patterns("processed*", ".processed.key"),
    )
    shutil.copytree(root / "editions", tmp_path / "editions")
    build(tmp_path, use_cache=False)
    build(root, use_cache=True)  # the module's build, current with the same inputs
    ours, theirs = snapshot(tmp_path / "_site"), snapshot(root / "_site")
    assert "pages/vi/index.html" in ours and "reports/report-2025-en.pdf" in ours
    assert ours.keys() == theirs.keys()
    differ = sorted(name for name in ours if ours[name] != theirs[name])
    assert not differ, differ[:10]


def test_one_language_builds_alone(project, tmp_path):
    """`sti notebooks --lang vi`, then `sti site --lang vi`: the Vietnamese site, no error."""
    root, _ = project
    shutil.copytree(root / "data", tmp_path / "data")
    shutil.copytree(root / "editions", tmp_path / "editions")
    # The project's cache (same data, same code): the runs are reused, so the test stays fast.
    shutil.copytree(root / "_build/cache", tmp_path / "_build/cache")
    notebooks = build_notebooks(
        tmp_path / "data", tmp_path / "_build", langs=("vi",), progress=False
    )
    assert not (notebooks.output / "notebooks/en").exists()
    site = build_site_step(tmp_path / "data", tmp_path / "_build", tmp_path / "_site", langs=("vi",),
                           renderer="pandoc", pages_root=tmp_path)  # fmt: skip
    assert site.langs == ["vi"]
    assert (tmp_path / "_site/pages/vi/index.html").is_file()
    assert (tmp_path / "_site/pages/vi/plan46_tasks.html").is_file()
    assert (tmp_path / f"_site/reports/report-{site.edition}-vi.pdf").is_file()
    assert not (tmp_path / "_site/pages/en").exists()
    assert not (tmp_path / f"_site/reports/report-{site.edition}-en.pdf").exists()
