"""Execute every notebook for every language of an edition with papermill.

Each run is keyed by a hash of what it reads: the notebook, its parameters, the package's
code and texts, the lock file, the fonts and the data it read last time (recorded by the
run itself, see `analysis.deps`). A run whose key is unchanged is reused from the cache.
Runs go into a staging folder; `_build/<edition>/` is replaced only when every run
succeeded, so a failing notebook publishes nothing and leaves the last good build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import papermill as pm
from tqdm import tqdm

from analysis.paths import PROCESSED, ROOT
from analysis.pipeline.deps import Digests, files_digest, load_reads
from analysis.product.vocabularies import LANGUAGES_FILE, VOCABULARIES_FILE
from analysis.report.i18n import LANGS

NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "_build"
KERNEL = "python3"


def code_files() -> list[Path]:
    """What every step's output depends on besides its own inputs."""
    return [
        *(ROOT / "src/analysis").rglob("*.py"),
        # The texts (message catalogs), the languages and the vocabularies the code reads.
        *(ROOT / "src/analysis").rglob("*.po"),
        VOCABULARIES_FILE,
        LANGUAGES_FILE,
        ROOT / "uv.lock",
        *(ROOT / "assets/fonts").glob("*"),
    ]


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


def execute(run: Run, edition: int, out: Path, data_dir: Path) -> Path:
    """Run one notebook into `out/` (notebook.ipynb, charts/, reads.json)."""
    out.mkdir(parents=True, exist_ok=True)
    parameters = {
        "edition": edition,
        "lang": run.lang,
        "data_dir": str(data_dir),
        "chart_dir": str(out / "charts"),
        "deps_file": str(out / "reads.json"),
    }
    try:
        pm.execute_notebook(
            run.notebook, out / "notebook.ipynb", parameters=parameters, kernel_name=KERNEL,
            progress_bar=False, cwd=str(run.notebook.parent), log_output=False,
            # The kernels' own notices (transport warnings, the interrupt at shutdown) would drown
            # the progress bar and read like failures; real errors come back through papermill.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )  # fmt: skip
    except pm.PapermillExecutionError as err:
        cell, source = _source_cell(run.notebook, err.cell_index)
        raise NotebookFailed(run, cell, f"{err.ename}: {err.evalue}", source) from None
    except Exception as err:  # the kernel died or never started
        raise NotebookFailed(run, None, f"{type(err).__name__}: {err}") from None
    return out


def run_key(run: Run, edition: int, code: str, reads_digest: str) -> str:
    h = hashlib.sha256()
    for part in (run.notebook.read_bytes(), run.lang.encode(), str(edition).encode(), code.encode(),
                 reads_digest.encode()):  # fmt: skip
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:32]


@dataclass
class Outcome:
    run: Run
    reused: bool


def _run_cached(
    run: Run, edition: int, data_dir: Path, cache: Path, code: str, digest: Digests
) -> Outcome:
    pointer = cache / "runs" / f"{run.stem}.json"
    reads = load_reads(pointer)
    if reads is not None:
        key = run_key(run, edition, code, digest(reads))
        if (cache / key / "done").is_file():
            return Outcome(run, reused=True)
    scratch = cache / f"tmp-{run.stem}"
    shutil.rmtree(scratch, ignore_errors=True)
    execute(run, edition, scratch, data_dir)
    reads = load_reads(scratch / "reads.json") or []
    key = run_key(run, edition, code, digest(reads))
    (scratch / "done").write_text(run.name, encoding="utf-8")
    shutil.rmtree(cache / key, ignore_errors=True)
    scratch.rename(cache / key)
    pointer.parent.mkdir(parents=True, exist_ok=True)
    pointer.write_text(json.dumps(sorted(reads)), encoding="utf-8")
    return Outcome(run, reused=False)


def _entry(run: Run, edition: int, cache: Path, code: str, digest: Digests) -> Path:
    reads = load_reads(cache / "runs" / f"{run.stem}.json") or []
    return cache / run_key(run, edition, code, digest(reads))


def run_all(
    edition: int,
    langs: tuple[str, ...] = LANGS,
    data_dir: Path = PROCESSED,
    build_dir: Path = BUILD,
    folder: Path = NOTEBOOKS,
    workers: int | None = None,
    use_cache: bool = True,
    progress: bool = True,
) -> Path:
    """Execute (or reuse) all notebooks × languages; publish `build_dir/<edition>` if all succeed."""
    return run_steps(edition, langs, data_dir, build_dir, folder, workers, use_cache, progress)[0]


def run_steps(edition, langs=LANGS, data_dir=PROCESSED, build_dir=BUILD, folder=NOTEBOOKS,
              workers=None, use_cache=True, progress=True) -> tuple[Path, list[Outcome]]:  # fmt: skip
    os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")  # the project's kernel, never a user's
    data_dir = data_dir.resolve()
    cache = build_dir / "cache" / "notebooks"
    if not use_cache:  # a fresh cache each time: every notebook runs
        cache = build_dir / ".nocache"
        shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    code = files_digest(code_files())
    digest = Digests(data_dir)
    runs = [Run(nb, lang) for nb in notebooks(folder) for lang in langs]
    workers = workers or max(1, os.cpu_count() or 1)
    outcomes: list[Outcome] = []
    failures: list[NotebookFailed] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(_run_cached, r, edition, data_dir, cache, code, digest) for r in runs
        ]
        done = as_completed(futures)
        if progress:
            done = tqdm(done, total=len(runs), desc="notebooks", unit="run")
        for future in done:
            try:
                outcomes.append(future.result())
            except NotebookFailed as err:
                failures.append(err)
    if failures:
        raise failures[0] if len(failures) == 1 else NotebookFailures(failures)
    entries = {run: _entry(run, edition, cache, code, digest) for run in runs}
    target = build_dir / str(edition)
    stamp = hashlib.sha256("".join(sorted(e.name for e in entries.values())).encode()).hexdigest()
    if not (target.is_dir() and (build_dir / f".published-{edition}").is_file()
            and (build_dir / f".published-{edition}").read_text() == stamp):  # fmt: skip
        target = _publish(entries, edition, build_dir)
        (build_dir / f".published-{edition}").write_text(stamp)
    if not use_cache:
        shutil.rmtree(cache, ignore_errors=True)
        (build_dir / f".published-{edition}").unlink()
    else:
        _prune(cache, {e.name for e in entries.values()})
    order = {r: i for i, r in enumerate(runs)}
    return target, sorted(outcomes, key=lambda o: order[o.run])


def _publish(entries: dict[Run, Path], edition: int, build_dir: Path) -> Path:
    """Assemble the runs' notebooks and charts in a staging folder, then swap it in."""
    target = build_dir / str(edition)
    staging = build_dir / f".staging-{edition}"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "charts").mkdir(parents=True)
    for run, entry in entries.items():
        notebook = staging / "notebooks" / run.lang / run.notebook.name
        notebook.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry / "notebook.ipynb", notebook)
        if (entry / "charts").is_dir():
            shutil.copytree(entry / "charts", staging / "charts", dirs_exist_ok=True)
    previous = build_dir / f".previous-{edition}"
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
    return target


def _prune(cache: Path, keep: set[str]) -> None:
    for entry in cache.iterdir():
        if entry.is_dir() and entry.name not in keep and entry.name != "runs":
            shutil.rmtree(entry, ignore_errors=True)
