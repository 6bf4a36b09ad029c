"""Execute every notebook for every language of an edition with papermill.

Each run is a step of the build cache (`analysis.base.steps`), keyed by what it reads:
the notebook, its parameters, the package's code, the lock file, the fonts, what its
citation lines hold besides data (`CITATION.cff`, the site's address) and the data it read
last time (recorded by the run itself, see `analysis.base.reads`). A run whose key
is unchanged is reused. `_build/<edition>/` is assembled from the runs in a staging folder
and replaced only when every run succeeded: a failing notebook publishes nothing.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from analysis.base.reads import Digests, load_reads
from analysis.base.steps import StepCache, code_digest, link_file, staged
from analysis.paths import BUILD, PROCESSED, ROOT
from analysis.pipeline.exports import ChartExports
from analysis.pipeline.kernels import KERNEL, KERNEL_ARGS
from analysis.report import cite
from analysis.report.i18n import LANGS
from analysis.site.config import ROOT_FROM_PAGE

if TYPE_CHECKING:
    from jupyter_client import KernelManager

NOTEBOOKS = ROOT / "notebooks"


@dataclass(frozen=True)
class Run:
    notebook: Path
    lang: str

    @property
    def name(self) -> str:
        return f"{self.notebook.name} ({self.lang})"

    @property
    def stem(self) -> str:
        return f"{self.notebook.stem}-{self.lang}"


class NotebookFailed(Exception):
    """A notebook raised: which notebook, which cell, which error."""

    def __init__(self, run: Run, cell: int | None, error: str, source: str = ""):
        self.run, self.cell, self.error = run, cell, error
        where = f"cell {cell} (`{source}`)" if cell is not None else "before any cell ran"
        super().__init__(f"notebook {run.name} failed in {where}: {error}")


class NotebookFailures(Exception):
    def __init__(self, failures: list[NotebookFailed]):
        self.failures = failures
        super().__init__("\n".join(str(f) for f in failures))


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


def execute(
    run: Run, edition: int, out: Path, data_dir: Path, km: KernelManager | None = None
) -> Path:
    """Run one notebook into `out/` (notebook.ipynb, charts/, reads.json), in `km` (a warm
    kernel of its own, which the caller shuts down) or else a kernel started for it."""
    import papermill as pm  # here: a rebuild with nothing to run does not load it

    out.mkdir(parents=True, exist_ok=True)
    parameters = {
        "edition": edition,
        "lang": run.lang,
        "data_dir": str(data_dir),
        "chart_dir": str(out / "charts"),
        "deps_file": str(out / "reads.json"),
        "site_root": ROOT_FROM_PAGE,  # pages sit two folders below the site's root (pages/<lang>/)
    }
    started = (
        {"km": km}
        if km is not None
        else {"cwd": str(run.notebook.parent), "extra_arguments": KERNEL_ARGS}
    )
    try:
        # Written once, when the run ends: papermill would otherwise write (and validate) the
        # whole notebook before and after every cell.
        pm.execute_notebook(run.notebook, out / "notebook.ipynb", parameters=parameters, kernel_name=KERNEL,
                            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                            **started)  # fmt: skip
    except pm.PapermillExecutionError as err:
        cell, source = _source_cell(run.notebook, err.cell_index)
        raise NotebookFailed(run, cell, f"{err.ename}: {err.evalue}", source) from None
    except Exception as err:  # the kernel died or never started
        raise NotebookFailed(run, None, f"{type(err).__name__}: {err}") from None
    return out


def run_all(
    edition: int,
    langs: tuple[str, ...] = LANGS,
    data_dir: Path = PROCESSED,
    build_dir: Path = BUILD,
    folder: Path = NOTEBOOKS,
    workers: int | None = None,
    use_cache: bool = True,
    progress: bool = True,
    warm_kernels: bool = True,
) -> tuple[Path, list[tuple[str, bool]], dict[str, float]]:
    """Execute (or reuse) every notebook × language; publish `build_dir/<edition>` only when
    all succeeded. Returns it, per run in order (run, reused), and the seconds each run that
    ran took (with "kernel starts": the time spent starting their kernels, in parallel)."""
    os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")  # the project's kernel, never a user's
    data_dir = data_dir.resolve()
    # One cache per edition: building one edition never prunes another's runs.
    cache = StepCache(build_dir / "cache" / f"notebooks-{edition}", reuse=use_cache)
    code = code_digest()
    digest_reads = Digests(data_dir)
    runs = [Run(nb, lang) for nb in notebooks(folder) for lang in langs]

    def run_parts(run: Run) -> list:  # what a run's key is made of, besides what it reads
        # The citation's licence and address: each chart's citation line holds them.
        return [run.notebook, run.lang, edition, code, *cite.key_parts(run.lang)]

    from analysis.pipeline.kernels import WarmKernels

    workers = workers or max(1, os.cpu_count() or 1)
    to_run = sum(cache.stored(run_parts(run), digest_reads) is None for run in runs)
    kernels = WarmKernels(folder, ahead=workers, total=to_run) if warm_kernels else None

    exports = ChartExports(
        build_dir / "cache" / f"exports-{edition}", code, data_dir, reuse=use_cache
    )
    if to_run:  # most runs write charts: the exporting process gets ready while kernels start
        exports.start(kernels.server if kernels else None)

    def run_cached(run: Run) -> Path:
        ran = False

        def produce(out: Path) -> list:
            nonlocal ran
            ran = True
            km = kernels.take() if kernels else None
            try:
                execute(run, edition, out, data_dir, km)
            finally:
                if km is not None:  # beside the next runs
                    kernels.retire(km)
            return load_reads(out / "reads.json") or []

        entry = cache.recorded(run.name, run_parts(run), digest_reads, produce)
        if ran:  # its charts are exported while the other runs go on
            exports.add(run.lang, entry / "charts")
        return entry

    entries: dict[Run, Path] = {}
    failures: list[NotebookFailed] = []
    try:
        # Named as in every build, as the kernels' threads are (`WarmKernels`).
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sti-run") as pool:
            futures = {pool.submit(run_cached, run): run for run in runs}
            done = as_completed(futures)
            if progress:
                done = tqdm(done, total=len(runs), desc="notebooks", unit="run")
            for future in done:
                try:
                    entries[futures[future]] = future.result()
                except NotebookFailed as err:
                    failures.append(err)
        if kernels:
            cache.seconds["kernel starts"] = kernels.seconds
        if failures:
            raise failures[0] if len(failures) == 1 else NotebookFailures(failures)
        target = build_dir / str(edition)
        published = [f"{run.lang}/{run.notebook.name}:{entries[run].name}" for run in runs]
        cache.refresh(published, target, lambda: _publish(runs, entries, target, exports))
        cache.seconds["chart exports"] = exports.seconds
    finally:
        exports.close()  # before the fork server, which may have forked it
        if kernels:  # the last runs' kernels went while the runs were published
            kernels.close()
    cache.prune()
    reused = dict(cache.outcomes)
    return target, [(run.name, reused[run.name]) for run in runs], cache.seconds


def _publish(
    runs: list[Run], entries: dict[Run, Path], target: Path, exports: ChartExports
) -> None:
    """The runs' notebooks and charts, with every chart's exports, in place of `target`."""
    with staged(target) as staging:
        (staging / "charts").mkdir()
        for run in runs:
            notebook = staging / "notebooks" / run.lang / run.notebook.name
            notebook.parent.mkdir(parents=True, exist_ok=True)
            link_file(entries[run] / "notebook.ipynb", notebook)  # published as it is
            exports.add(run.lang, entries[run] / "charts")  # those of reused runs: from the cache
        exports.place_into(staging / "charts")
