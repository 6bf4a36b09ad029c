"""`sti bench`: time the build on this machine and print the figures beside their aims.

Everything runs in a temporary folder (a copy of the data files and the frozen editions, its
own caches and site):
the cold full build, the rebuild with no change (in a new Python process, as `make site`
runs it), the rebuild after a synthetic correction of one figure in
`data/curated/observations.csv` and after a synthetic edit of one English task title (both
made here, labelled as such, never published), and a naive build (every notebook in sequence
with papermill, then a full render, no cache) in the same invocation. The source texts are
not used: the synthetic correction is not in them.
"""

from __future__ import annotations

import gzip
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.paths import SOURCES_ENV
from analysis.pipeline.build import build_all, frozen_dir

# The synthetic edit: one English task title gets a suffix (the benchmark's own data change).
_EDITED_FILE = "curated/plan46_tasks_en.csv"
_SYNTHETIC_SUFFIX = " [synthetic benchmark edit]"


_EDITED_TASK = "31"  # a month deadline, so the tasks page shows its (short) title on the timeline

# The synthetic correction: one figure (94 patent applications accepted) becomes 95, in its
# value, its text and its quote; only the pages that show it should run again.
_CORRECTED_FILE = "curated/observations.csv"
_CORRECTED = ("ip_patent_applications_accepted,", ",94,,exact,count,94,", "có 94 đơn")
_CORRECTION = (",95,,exact,count,95,", "có 95 đơn")


def synthetic_correction(csv_text: str) -> str:
    """Change the figure _CORRECTED names to its synthetic correction (one row, exactly)."""
    indicator, fields, quote = _CORRECTED
    lines = csv_text.split("\n")
    (i,) = [n for n, line in enumerate(lines) if line.startswith(indicator) and fields in line]
    lines[i] = lines[i].replace(fields, _CORRECTION[0]).replace(quote, _CORRECTION[1])
    return "\n".join(lines)


def synthetic_edit(csv_text: str) -> str:
    """Append the synthetic suffix to the English title of `_EDITED_TASK` (inside its quotes, if any)."""
    lines = csv_text.split("\n")
    (i,) = [n for n, line in enumerate(lines) if line.startswith(f"{_EDITED_TASK},")]
    row = lines[i]
    lines[i] = row[:-1] + _SYNTHETIC_SUFFIX + '"' if row.endswith('"') else row + _SYNTHETIC_SUFFIX
    return "\n".join(lines)


def build_in(
    root: Path, use_cache: bool = True, workers: int | None = None
) -> tuple[bool, list, list]:
    """The whole build (data, notebooks, site) of the project copy in `root`: whether the
    data step was reused, and (step, reused) for each notebook run and each site step."""
    reports = _build_steps(root, use_cache, workers)
    return reports[0].reused, reports[1].outcomes, reports[2].outcomes


def _build_steps(
    root: Path, use_cache: bool = True, workers: int | None = None, naive: bool = False
) -> list:
    return build_all(root / "data", root / "_build", root / "_site", renderer="pandoc", pages_root=root,
                     use_cache=use_cache, workers=workers, progress=False, warm_kernels=not naive)  # fmt: skip


def _build(root: Path, use_cache: bool, workers: int | None = None, naive: bool = False) -> dict:
    start = time.perf_counter()
    data, notebooks, site = _build_steps(root, use_cache, workers, naive)
    return {
        "seconds": time.perf_counter() - start,
        "data": "reused" if data.reused else "ran",
        "notebooks_ran": notebooks.ran,
        "notebooks_reused": len(notebooks.outcomes) - len(notebooks.ran),
        "site_ran": sorted(site.ran),
        "site_reused": len(site.outcomes) - len(site.ran),
        "notebook_seconds": notebooks.seconds,
        "site_seconds": site.seconds,
    }


def _build_in_new_process(root: Path) -> float:
    """A rebuild end to end as `make site` runs one: interpreter start and imports included."""
    start = time.perf_counter()
    code = "import sys; from pathlib import Path; from analysis.pipeline.bench import build_in; build_in(Path(sys.argv[1]))"
    subprocess.run([sys.executable, "-c", code, str(root)], check=True)
    return time.perf_counter() - start


# What a browser fetches to show a page: stylesheets, scripts, images (not <link rel=alternate>).
_ASSET = re.compile(r'<(?:link rel="stylesheet"[^>]*href|script[^>]*src|img[^>]*src)="([^"#?]+)"')
_CSS_URL = re.compile(r'url\("([^"]+)"\)')


def _first_load(page: Path) -> tuple[int, int]:
    """What a first visit to `page` fetches, less the Vega bundle (shared, chart pages only),
    counting its charts' static images although scripts replace them before they load: the
    files' own bytes, and the bytes a server that gzips text sends (as static hosts do; the
    fonts are WOFF2, compressed already)."""
    html = page.read_bytes()
    loaded = {(page.parent / ref).resolve() for ref in _ASSET.findall(html.decode("utf-8"))}
    for sheet in [p for p in loaded if p.suffix == ".css" and p.is_file()]:  # the fonts CSS loads
        css = sheet.read_text(encoding="utf-8")
        loaded |= {(sheet.parent / ref).resolve() for ref in _CSS_URL.findall(css)}
    files = [html, *(p.read_bytes() for p in sorted(loaded) if p.is_file() and p.name != "vega.js")]
    sent = [len(b) if b[:4] == b"wOF2" else len(gzip.compress(b, mtime=0)) for b in files]
    return sum(len(b) for b in files), sum(sent)


def _mb(kilobytes: int) -> str:
    return f"{kilobytes / 1024:.0f} MB"


def _sum(seconds: dict[str, float], prefix: str) -> float:
    return sum(value for step, value in seconds.items() if step.startswith(prefix))


def _aim(value: float, limit: float, unit: str) -> str:
    return f"{value:.1f} {unit} | ≤ {limit:g} {unit} | {'met' if value <= limit else 'not met'}"


def _copy_project(data_dir: Path, root: Path) -> None:
    """The data files and the frozen editions (which the build publishes, not rebuilds)."""
    shutil.copytree(data_dir, root / "data", ignore=shutil.ignore_patterns("processed*"))
    frozen = frozen_dir(data_dir)
    if frozen.is_dir():
        shutil.copytree(frozen, frozen_dir(root / "data"))


def _frozen_size(root: Path) -> tuple[int, int]:
    """How many frozen editions the project keeps, and their bytes."""
    trees = [p for p in frozen_dir(root / "data").glob("*") if p.is_dir()]
    return len(trees), sum(f.stat().st_size for t in trees for f in t.rglob("*") if f.is_file())


def main(data_dir: Path) -> None:
    sources = os.environ.pop(SOURCES_ENV, None)  # see the module's docstring
    try:
        results = _run(data_dir)
    finally:
        if sources is not None:
            os.environ[SOURCES_ENV] = sources
    _print(*results)


def _run(data_dir: Path) -> tuple:
    with tempfile.TemporaryDirectory(prefix="sti-bench-") as tmp:
        root = Path(tmp)
        data = root / "data"
        _copy_project(data_dir, root)
        print(
            "bench: cold full build (data, all notebooks in every language, site, PDFs) ...",
            flush=True,
        )
        cold = _build(root, use_cache=True)
        print("bench: rebuild, nothing changed, in a new process ...", flush=True)
        same = _build_in_new_process(root)
        corrected = data / _CORRECTED_FILE
        corrected.write_text(
            synthetic_correction(corrected.read_text(encoding="utf-8")), encoding="utf-8"
        )
        print(
            f"bench: rebuild after a synthetic correction of one figure in data/{_CORRECTED_FILE} ...",
            flush=True,
        )
        fix = _build(root, use_cache=True)
        edited = data / _EDITED_FILE
        edited.write_text(synthetic_edit(edited.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"bench: rebuild after a synthetic edit of data/{_EDITED_FILE} ...", flush=True)
        one = _build(root, use_cache=True)
        pages = sorted((root / "_site").rglob("*.html"))
        heaviest = max(pages, key=lambda page: _first_load(page)[0])
        weight = (
            heaviest.relative_to(root / "_site"),
            heaviest.stat().st_size,
            *_first_load(heaviest),
        )
        naive_root = root / "naive"
        naive_root.mkdir()
        _copy_project(data_dir, naive_root)
        print(
            "bench: naive build (papermill every notebook in sequence, then a full render) ...",
            flush=True,
        )
        naive = _build(naive_root, use_cache=False, workers=1, naive=True)
        cold["frozen"] = _frozen_size(root)
        memory = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)  # fmt: skip
    return cold, same, fix, one, naive, weight, memory


def _print(
    cold: dict, same: float, fix: dict, one: dict, naive: dict, weight: tuple, memory: tuple
) -> None:
    page, html_size, size, transfer = weight
    speedup = naive["seconds"] / cold["seconds"]
    print()
    print(f"{os.cpu_count()} cores; synthetic edits only in the benchmark's own copy of the data")
    print()
    print("| measure | figure | aim | |")
    print("|---|--:|--:|---|")
    print(f"| cold full build | {_aim(cold['seconds'], 30, 's')} |")
    print(f"| naive build, same run | {naive['seconds']:.1f} s | | |")
    print(
        f"| cold build's speed-up on the naive build | {speedup:.1f}× | ≥ 7× | {'met' if speedup >= 7 else 'not met'} |"
    )
    print(f"| rebuild, no change, end to end (new process) | {_aim(same, 1.5, 's')} |")
    print(f"| rebuild after correcting one figure | {_aim(fix['seconds'], 6, 's')} |")
    print(f"| rebuild after editing one English task title | {one['seconds']:.1f} s | | |")
    print(f"| heaviest first load ({page}) without the Vega bundle, as sent (gzip) | "
          f"{_aim(transfer / 1024, 400, 'KB')} |")  # fmt: skip
    print(f"| the same, the files' own size | {size / 1024:.0f} KB | | |")
    print(f"| that page's HTML | {html_size / 1024:.0f} KB | | |")
    frozen, size = cold["frozen"]
    print(f"| editions: copying and checking the {frozen} frozen edition(s), {size / 2**20:.0f} MB, in the cold build "
          f"| {cold['site_seconds'].get('frozen editions copied', 0):.1f} s | | |")  # fmt: skip
    print(f"| editions: placing the live editions' trees (the latest at two addresses) "
          f"| {cold['site_seconds'].get('live editions placed', 0):.1f} s | | |")  # fmt: skip
    print(f"| peak memory (this process / largest child) | {_mb(memory[0])} / {_mb(memory[1])} | ≤ 1 GB | "
          f"{'met' if max(memory) <= 1024 * 1024 else 'not met'} |")  # fmt: skip
    print()
    nb, site = cold["notebook_seconds"], cold["site_seconds"]
    runs = {k: v for k, v in nb.items() if k not in ("kernel starts", "chart exports")}
    print(
        "where the cold build's time goes (seconds; parts run in parallel, so they add up to more than the wall time):"
    )
    print(
        f"  kernel starts (the fork server once, then each kernel's own imports), summed over {len(runs)} kernels: {nb.get('kernel starts', 0):.1f}"
    )
    print(
        f"  notebook runs (execution, waiting for a kernel included), summed: {sum(runs.values()):.1f}"
    )
    print(
        f"  chart exports (SVG, PDF, PNG, ZIP), one chart at a time beside the runs, summed: {nb.get('chart exports', 0):.1f}"
    )
    print(f"  pages rendered: {_sum(site, 'page '):.1f}; PDFs: {_sum(site, 'pdf '):.1f}; search index: "
          f"{_sum(site, 'search index'):.1f}; web fonts and Vega bundle: {_sum(site, 'web font') + _sum(site, 'vega'):.1f}")  # fmt: skip
    print()
    for name, result in (
        ("cold", cold),
        ("one figure corrected", fix),
        (f"edit of {_EDITED_FILE}", one),
    ):
        print(f"{name}: data {result['data']}; notebooks {len(result['notebooks_ran'])} ran, "
              f"{result['notebooks_reused']} reused; site {len(result['site_ran'])} steps ran, "
              f"{result['site_reused']} reused")  # fmt: skip
    for name, result in (("the correction", fix), ("the title edit", one)):
        print(f"re-ran after {name}: {', '.join(result['notebooks_ran']) or 'no notebook'}; "
              f"{', '.join(result['site_ran']) or 'no site step'}")  # fmt: skip
