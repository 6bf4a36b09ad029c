"""Shared fixtures. Tests that read the source texts need $STI_SOURCES_DIR (CI sets it).

Slow tests (marker `slow`) are those that run notebook kernels, build the whole site or
drive a browser; `pytest -m "not slow"` (`make test-fast`) leaves them out. A test is marked
slow here by the fixtures it uses (`SLOW_FIXTURES`, directly or through another fixture);
a module whose own fixture builds a project marks itself (`pytestmark`), and a test that
starts kernels without those fixtures carries the mark itself: in the fast loop, starting a
kernel fails the test that does it unmarked.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis import paths
from tests.site_audit import CHROMIUM, chromium, serve

# A full build (data, every notebook in vi and en, site), and what is served or driven on it.
SLOW_FIXTURES = {"built", "server", "chrome"}


def pytest_report_header(config):
    folder = paths.sources_dir()
    if folder is None:
        return f"sources: ${paths.SOURCES_ENV} is not set; tests reading the source texts skip"
    return f"sources: {folder}"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _kernels_only_in_slow_tests(request, monkeypatch):
    """In a test not marked slow, starting a notebook kernel (papermill, the build's runs, the
    fork server's kernels) fails: the fast loop stays fast, and the missing mark is named."""
    if request.node.get_closest_marker("slow"):
        return
    from jupyter_client.manager import AsyncKernelManager, KernelManager

    def refuse(*args, **kwargs):
        pytest.fail(f"{request.node.nodeid} starts a notebook kernel: mark it @pytest.mark.slow")

    monkeypatch.setattr(KernelManager, "start_kernel", refuse)
    monkeypatch.setattr(AsyncKernelManager, "start_kernel", refuse)


# Tests that drive Debian's chromium, or read the PDF with poppler as readers' tools do, say
# so and skip where the tool is missing (.ci/run installs both).
browser = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="chromium is not installed (apt-get install chromium): browser tests skipped",
)
poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdfinfo", "pdftotext", "pdftoppm")),
    reason="poppler-utils is not installed (apt-get install poppler-utils): PDF checks skipped",
)


@pytest.fixture(scope="module")
def server(built):
    """The built site, served over HTTP on the loopback."""
    with serve(built.site) as address:
        yield address


@pytest.fixture(scope="module")
def chrome():
    """Debian's chromium, headless."""
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    folder = paths.sources_dir()
    if folder is None:
        pytest.skip(f"${paths.SOURCES_ENV} is not set: no source texts to check against")
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the project's data files, for tests that break them."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target, ignore=shutil.ignore_patterns("processed*"))
    return target


def edit_csv(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in a data file; the text must occur `count` times."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_row(path: Path, row_start: str, old: str, new: str) -> int:
    """Replace `old` by `new` in the one line that starts with `row_start`; return its line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    (number,) = [i for i, line in enumerate(lines) if line.startswith(row_start)]
    assert old in lines[number], f"{old!r} not in line {number + 1} of {path}"
    lines[number] = lines[number].replace(old, new)
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line that contains `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@dataclass(frozen=True)
class Built:
    """One full build (data, notebooks in vi and en, site) in a temporary folder."""

    data: Path
    notebooks: Path
    site: Path
    renderer: str


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    """`make site` in a copy of the project's data and frozen editions: the latest edition
    at the site's current addresses, every edition at `editions/<year>/`."""
    from analysis.pipeline.build import build_all

    root = tmp_path_factory.mktemp("built")
    data = root / "data"
    shutil.copytree(paths.DATA, data, ignore=shutil.ignore_patterns("processed*"))
    shutil.copytree(paths.ROOT / "editions", root / "editions")  # as a clone has them
    _, notebooks, site = build_all(data, root / "_build", root / "_site", renderer="pandoc",
                                   pages_root=root, progress=False)  # fmt: skip
    return Built(data, notebooks.output, site.output, site.renderer)
