"""Execute every notebook for every language of an edition with papermill.

Runs go into a staging folder; `_build/<edition>/` is replaced only when every run
succeeded, so a failing notebook publishes nothing and leaves the last good build.
"""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import papermill as pm
from tqdm import tqdm

from analysis.i18n import LANGS
from analysis.paths import PROCESSED, ROOT

NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "_build"
KERNEL = "python3"


@dataclass(frozen=True)
class Run:
    notebook: Path
    lang: str

    @property
    def name(self) -> str:
        return f"{self.notebook.name} ({self.lang})"


class NotebookFailed(Exception):
    """A notebook raised: which notebook, which cell, which error."""

    def __init__(self, run: Run, cell: int | None, error: str, source: str = ""):
        self.run, self.cell, self.error = run, cell, error
        where = f"cell {cell} (`{source}`)" if cell is not None else "before any cell ran"
        super().__init__(f"notebook {run.name} failed in {where}: {error}")


def _source_cell(notebook: Path, executed_index: int) -> tuple[int, str]:
    """The failing cell as the notebook's author counts it (1-based, without papermill's
    injected-parameters cell), and its first line."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    params = next(
        (i for i, c in enumerate(cells) if "parameters" in c["metadata"].get("tags", [])), None
    )
    index = executed_index - 1 if params is not None and executed_index > params else executed_index
    source = "".join(cells[index]["source"]).strip().splitlines() or [""]
    return index + 1, source[0][:80]


def notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("_"))


def execute(run: Run, edition: int, out_dir: Path, data_dir: Path) -> Path:
    output = out_dir / "notebooks" / run.lang / run.notebook.name
    output.parent.mkdir(parents=True, exist_ok=True)
    parameters = {
        "edition": edition,
        "lang": run.lang,
        "data_dir": str(data_dir),
        "chart_dir": str(out_dir / "charts"),
    }
    try:
        pm.execute_notebook(
            run.notebook, output, parameters=parameters, kernel_name=KERNEL,
            progress_bar=False, cwd=str(run.notebook.parent), log_output=False,
        )  # fmt: skip
    except pm.PapermillExecutionError as err:
        cell, source = _source_cell(run.notebook, err.cell_index)
        raise NotebookFailed(run, cell, f"{err.ename}: {err.evalue}", source) from None
    except Exception as err:  # the kernel died or never started
        raise NotebookFailed(run, None, f"{type(err).__name__}: {err}") from None
    return output


def run_all(
    edition: int,
    langs: tuple[str, ...] = LANGS,
    data_dir: Path = PROCESSED,
    build_dir: Path = BUILD,
    folder: Path = NOTEBOOKS,
    workers: int | None = None,
) -> Path:
    """Execute all notebooks × languages; publish `build_dir/<edition>` only if all succeed."""
    os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")  # the project's kernel, never a user's
    target = build_dir / str(edition)
    staging = build_dir / f".staging-{edition}"
    shutil.rmtree(staging, ignore_errors=True)
    runs = [Run(nb, lang) for nb in notebooks(folder) for lang in langs]
    workers = workers or max(1, os.cpu_count() or 1)
    failures: list[NotebookFailed] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(execute, r, edition, staging, data_dir.resolve()): r for r in runs}
        for future in tqdm(as_completed(futures), total=len(runs), desc="notebooks", unit="run"):
            try:
                future.result()
            except NotebookFailed as err:
                failures.append(err)
    if failures:
        shutil.rmtree(staging, ignore_errors=True)
        raise failures[0] if len(failures) == 1 else NotebookFailures(failures)
    previous = build_dir / f".previous-{edition}"
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
    return target


class NotebookFailures(Exception):
    def __init__(self, failures: list[NotebookFailed]):
        self.failures = failures
        super().__init__("\n".join(str(f) for f in failures))
