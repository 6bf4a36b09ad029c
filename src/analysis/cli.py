"""Command line (`sti`, or `python -m analysis`): what the Make targets call.

sti data            build and publish the data product (reused when its inputs are unchanged)
sti notebooks       execute every notebook in every language (each run reused when unchanged)
sti site            render the report site and PDFs from the executed notebooks
sti build           all three, printing which steps ran and which were reused
sti extract-plan    re-extract Plan 46's appendices from the plan's text
sti bench           the build benchmark (cold, no change, one data file changed, naive)
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from analysis import paths
from analysis.pipeline.deps import files_digest
from analysis.product.dataset import build_tables, data_date, extract_plan46
from analysis.product.errors import DataError, DataErrors
from analysis.product.plan46 import PLAN_SOURCE_ID
from analysis.product.publish import publish
from analysis.product.vocabularies import languages

DATA_KEY = ".processed.key"  # beside processed/: the hash of what the last data build read


def _sources_dir(quiet: bool = False) -> Path | None:
    folder = paths.sources_dir()
    if folder is None:
        print(f"sources: ${paths.SOURCES_ENV} is not set; quotes and text hashes are not "
              "checked against the source texts")  # fmt: skip
    elif not quiet:
        print(f"sources: checking quotes and hashes against {folder}", flush=True)
    return folder


def data_inputs(data_dir: Path, sources: Path | None) -> str:
    """A hash of everything the data step reads."""
    from analysis.pipeline.notebooks import code_files

    files = [
        p
        for p in data_dir.rglob("*")
        if p.is_file() and "processed" not in p.parts and p.name != DATA_KEY
    ]
    h = hashlib.sha256(files_digest(files).encode() + files_digest(code_files()).encode())
    h.update(files_digest(sorted(sources.glob("*.txt"))).encode() if sources else b"no sources")
    return h.hexdigest()


def step_data(data_dir: Path, force: bool = False) -> bool:
    """Build the data product unless its inputs are unchanged; True when it was reused."""
    sources = _sources_dir()
    key_file = data_dir / DATA_KEY
    key = data_inputs(data_dir, sources)
    out = data_dir / "processed"
    if not force and out.is_dir() and key_file.is_file() and key_file.read_text() == key:
        print("data: reused (inputs unchanged)")
        return True
    tables = build_tables(data_dir, sources)
    publish(tables, out, data_date(tables["sources"]))
    key_file.write_text(key)
    for name, frame in tables.items():
        print(f"  {name:<13} {frame.height:>4} rows")
    print(f"data: wrote {out} (Parquet, CSV, XLSX, datapackage.json)")
    return False


def _edition(args: argparse.Namespace) -> int:
    from analysis.report.metrics import editions, load_dataset

    return args.edition or editions(load_dataset(args.data_dir / "processed").observations)[-1]


def step_notebooks(args: argparse.Namespace) -> list:
    from analysis.pipeline import notebooks as run_notebooks

    edition = _edition(args)
    out, outcomes = run_notebooks.run_steps(
        edition, tuple(args.lang), data_dir=args.data_dir / "processed"
    )
    ran = [o.run.name for o in outcomes if not o.reused]
    print(
        f"notebooks: edition {edition}: {len(ran)} ran, {len(outcomes) - len(ran)} reused -> {out}"
    )
    for name in ran:
        print(f"  ran {name}")
    return outcomes


def step_site(args: argparse.Namespace) -> None:
    from analysis import site
    from analysis.pipeline.notebooks import BUILD

    edition = _edition(args)
    renderer, outcomes = site.build_site(edition, BUILD, data_dir=args.data_dir / "processed",
                                         renderer=args.renderer)  # fmt: skip
    print(f"site: rendered with {renderer}" + ("" if renderer == "quarto" else
          " (Quarto is not installed; pandoc rendered the same _quarto.yml and pages)"))  # fmt: skip
    ran = sorted(step for step, reused in outcomes if not reused)
    print(f"site: {len(ran)} steps ran, {len(outcomes) - len(ran)} reused -> {site.SITE}")
    for step in ran:
        print(f"  ran {step}")


def cmd_data(args: argparse.Namespace) -> int:
    step_data(args.data_dir, force=args.force)
    return 0


def cmd_notebooks(args: argparse.Namespace) -> int:
    step_notebooks(args)
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    step_site(args)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    step_data(args.data_dir)
    step_notebooks(args)
    step_site(args)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from analysis.pipeline import bench

    bench.main(args.data_dir)
    return 0


def cmd_extract_plan(args: argparse.Namespace) -> int:
    folder = paths.sources_dir()
    if folder is None:
        print(f"extract-plan needs the plan's text: set ${paths.SOURCES_ENV}", file=sys.stderr)
        return 2
    text = (folder / f"{PLAN_SOURCE_ID}.txt").read_text(encoding="utf-8")
    targets, tasks = extract_plan46(text)
    out = args.data_dir / "extracted"
    out.mkdir(exist_ok=True)
    targets.write_csv(out / "plan46_targets.csv")
    tasks.write_csv(out / "plan46_tasks.csv")
    print(f"extract-plan: {targets.height} targets, {tasks.height} tasks -> {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sti", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument(
        "--data-dir", type=Path, default=paths.DATA, help="the project's data folder"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    data = sub.add_parser("data", help="build and publish the data product")
    data.add_argument(
        "--force", action="store_true", help="rebuild even when the inputs are unchanged"
    )
    data.set_defaults(func=cmd_data)
    sub.add_parser("extract-plan", help="re-extract Plan 46's appendices").set_defaults(
        func=cmd_extract_plan
    )
    for name, func, text in (
        ("notebooks", cmd_notebooks, "execute every notebook for every language"),
        ("site", cmd_site, "render the report site and PDF from the executed notebooks"),
        ("build", cmd_build, "data, notebooks and site, reusing every unchanged step"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--edition", type=int, default=None, help="report year (default: latest)")
        langs = list(languages())  # data/languages.csv, in site order
        cmd.add_argument("--lang", nargs="+", choices=langs, default=langs)
        cmd.add_argument("--renderer", choices=["quarto", "pandoc"], default=None,
                         help="site renderer (default: quarto where installed, else pandoc)")  # fmt: skip
        cmd.set_defaults(func=func)
    sub.add_parser("bench", help="measure the build (prints figures)").set_defaults(func=cmd_bench)
    args = parser.parse_args(argv)
    from analysis.pipeline.notebooks import NotebookFailed, NotebookFailures

    try:
        return args.func(args)
    except (DataError, DataErrors) as err:
        print(f"error: the build stopped; nothing was published.\n{err}", file=sys.stderr)
        return 1
    except (NotebookFailed, NotebookFailures) as err:
        print(f"error: a notebook failed; nothing was published.\n{err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
