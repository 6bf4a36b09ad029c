"""`sti bench`: time the build on this machine and print the figures.

Everything runs in a temporary folder (a copy of the data files, its own caches and site):
the cold full build, the rebuild with no change, the rebuild after one curated data file
changes (a synthetic edit, made here and labelled as such), and a naive build (every
notebook in sequence with papermill, then a full render, no cache) in the same invocation.
"""

from __future__ import annotations

import re
import resource
import shutil
import tempfile
import time
from pathlib import Path

from analysis.pipeline.build import build_all

# The synthetic edit: one English task title gets a suffix (the benchmark's own data change).
EDITED_FILE = "curated/plan46_tasks_en.csv"
SYNTHETIC_SUFFIX = " [synthetic benchmark edit]"


EDITED_TASK = "31"  # a month deadline, so the tasks page shows its (short) title on the timeline


def synthetic_edit(csv_text: str) -> str:
    """Append the synthetic suffix to the English title of `EDITED_TASK` (inside its quotes, if any)."""
    lines = csv_text.split("\n")
    (i,) = [n for n, line in enumerate(lines) if line.startswith(f"{EDITED_TASK},")]
    row = lines[i]
    lines[i] = row[:-1] + SYNTHETIC_SUFFIX + '"' if row.endswith('"') else row + SYNTHETIC_SUFFIX
    return "\n".join(lines)


def build_in(
    root: Path, use_cache: bool = True, workers: int | None = None
) -> tuple[bool, list, list]:
    """The whole build (data, notebooks, site) of the project copy in `root`: whether the
    data step was reused, and (step, reused) for each notebook run and each site step."""
    data, notebooks, site = build_all(root / "data", root / "_build", root / "_site", renderer="pandoc",
                                      pages_root=root, use_cache=use_cache, workers=workers,
                                      progress=False)  # fmt: skip
    return data.reused, notebooks.outcomes, site.outcomes


def _build(root: Path, use_cache: bool, workers: int | None = None) -> dict:
    start = time.perf_counter()
    data_reused, outcomes, site_steps = build_in(root, use_cache, workers)
    return {
        "seconds": time.perf_counter() - start,
        "data": "reused" if data_reused else "ran",
        "notebooks_ran": [name for name, reused in outcomes if not reused],
        "notebooks_reused": sum(reused for _, reused in outcomes),
        "site_ran": sorted(step for step, reused in site_steps if not reused),
        "site_reused": sum(reused for _, reused in site_steps),
    }


ASSET = re.compile(r'<(?:link|script|img)[^>]+(?:href|src)="([^"#?]+)"')
CSS_URL = re.compile(r'url\("([^"]+)"\)')


def page_weights(site_dir: Path) -> tuple[Path, int, int]:
    """The largest page: its HTML size and what loading it transfers, less the Vega bundle."""
    largest = max((p for p in site_dir.rglob("*.html")), key=lambda p: p.stat().st_size)
    html = largest.read_text(encoding="utf-8")
    total = len(html.encode("utf-8"))
    loaded = {(largest.parent / ref).resolve() for ref in ASSET.findall(html)}
    for sheet in [p for p in loaded if p.suffix == ".css" and p.is_file()]:  # the fonts CSS loads
        loaded |= {
            (sheet.parent / ref).resolve()
            for ref in CSS_URL.findall(sheet.read_text(encoding="utf-8"))
        }
    total += sum(p.stat().st_size for p in loaded if p.is_file() and p.name != "vega.js")
    return largest.relative_to(site_dir), largest.stat().st_size, total


def _mb(kilobytes: int) -> str:
    return f"{kilobytes / 1024:.0f} MB"


def main(data_dir: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="sti-bench-") as tmp:
        root = Path(tmp)
        data = root / "data"
        shutil.copytree(data_dir, data, ignore=shutil.ignore_patterns("processed*"))
        print(
            "bench: cold full build (data, all notebooks in every language, site, PDFs) ...",
            flush=True,
        )
        cold = _build(root, use_cache=True)
        print("bench: rebuild, nothing changed ...", flush=True)
        same = _build(root, use_cache=True)
        edited = data / EDITED_FILE
        edited.write_text(synthetic_edit(edited.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"bench: rebuild after a synthetic edit of data/{EDITED_FILE} ...", flush=True)
        one = _build(root, use_cache=True)
        page, html_size, transfer = page_weights(root / "_site")
        naive_root = root / "naive"
        naive_root.mkdir()
        naive_data = naive_root / "data"
        shutil.copytree(data_dir, naive_data, ignore=shutil.ignore_patterns("processed*"))
        print(
            "bench: naive build (papermill every notebook in sequence, then a full render) ...",
            flush=True,
        )
        naive = _build(naive_root, use_cache=False, workers=1)
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

    print()
    print("| measure | incremental build | naive build |")
    print("|---|--:|--:|")
    print(f"| cold full build | {cold['seconds']:.1f} s | {naive['seconds']:.1f} s |")
    print(
        f"| rebuild, no change | {same['seconds']:.1f} s | {naive['seconds']:.1f} s (always full) |"
    )
    print(
        f"| rebuild, one data file changed | {one['seconds']:.1f} s | {naive['seconds']:.1f} s (always full) |"
    )
    print(
        f"| peak memory (this process / largest child) | {_mb(own)} / {_mb(children)} | same run |"
    )
    print(f"| largest page ({page}) HTML | {html_size / 1024:.0f} KB | |")
    print(f"| that page's transfer without the shared Vega bundle | {transfer / 1024:.0f} KB | |")
    print()
    for name, result in (("cold", cold), ("no change", same), (f"edit of {EDITED_FILE}", one)):
        print(f"{name}: data {result['data']}; notebooks {len(result['notebooks_ran'])} ran, "
              f"{result['notebooks_reused']} reused; site {len(result['site_ran'])} steps ran, "
              f"{result['site_reused']} reused")  # fmt: skip
    print(f"re-ran after the edit: {', '.join(one['notebooks_ran']) or 'no notebook'}; "
          f"{', '.join(one['site_ran']) or 'no site step'}")  # fmt: skip
