"""Command line: `sti data`, `sti extract-plan`. The Make targets call these."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import paths
from analysis.build import build_tables, data_date, extract_plan46
from analysis.errors import DataError, DataErrors
from analysis.plan46 import PLAN_SOURCE_ID
from analysis.publish import publish


def _sources_dir() -> Path | None:
    folder = paths.sources_dir()
    if folder is None:
        print(
            f"sources: ${paths.SOURCES_ENV} is not set; quotes and text hashes are not "
            "checked against the source texts"
        )
    else:
        print(f"sources: checking quotes and hashes against {folder}", flush=True)
    return folder


def cmd_data(args: argparse.Namespace) -> int:
    tables = build_tables(args.data_dir, _sources_dir())
    out = args.data_dir / "processed"
    publish(tables, out, data_date(tables["sources"]))
    for name, frame in tables.items():
        print(f"  {name:<13} {frame.height:>4} rows")
    print(f"data: wrote {out} (Parquet, CSV, XLSX, datapackage.json)")
    return 0


def cmd_extract_plan(args: argparse.Namespace) -> int:
    folder = paths.sources_dir()
    if folder is None:
        print(f"extract-plan needs the plan's text: set ${paths.SOURCES_ENV}", file=sys.stderr)
        return 2
    text = (folder / f"{PLAN_SOURCE_ID}.txt").read_text(encoding="utf-8")
    targets, tasks = extract_plan46(args.data_dir, text)
    out = args.data_dir / "extracted"
    out.mkdir(exist_ok=True)
    targets.write_csv(out / "plan46_targets.csv")
    tasks.write_csv(out / "plan46_tasks.csv")
    print(f"extract-plan: {targets.height} targets, {tasks.height} tasks -> {out}")
    return 0


def cmd_notebooks(args: argparse.Namespace) -> int:
    from analysis import run_notebooks
    from analysis.metrics import editions, load_dataset

    data = args.data_dir / "processed"
    edition = args.edition or editions(load_dataset(data).observations)[-1]
    try:
        out = run_notebooks.run_all(edition, tuple(args.lang), data_dir=data)
    except (run_notebooks.NotebookFailed, run_notebooks.NotebookFailures) as err:
        print(f"error: nothing was published.\n{err}", file=sys.stderr)
        return 1
    print(f"notebooks: edition {edition}, {', '.join(args.lang)} -> {out}")
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from analysis import site
    from analysis.metrics import editions, load_dataset
    from analysis.run_notebooks import BUILD

    data = args.data_dir / "processed"
    edition = args.edition or editions(load_dataset(data).observations)[-1]
    renderer = site.build_site(edition, BUILD, data_dir=data, renderer=args.renderer)
    print(f"site: rendered with {renderer}" + ("" if renderer == "quarto" else
          " (Quarto is not installed; pandoc rendered the same _quarto.yml and pages)"))  # fmt: skip
    print(f"site: edition {edition}, vi and en, PDF reports, search index -> {site.SITE}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sti", description=__doc__)
    parser.add_argument(
        "--data-dir", type=Path, default=paths.DATA, help="the project's data folder"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("data", help="build and publish the data product").set_defaults(func=cmd_data)
    sub.add_parser("extract-plan", help="re-extract Plan 46's appendices").set_defaults(
        func=cmd_extract_plan
    )
    nb = sub.add_parser("notebooks", help="execute every notebook for every language")
    nb.add_argument("--edition", type=int, default=None, help="report year (default: latest)")
    nb.add_argument("--lang", nargs="+", choices=["vi", "en"], default=["vi", "en"])
    nb.set_defaults(func=cmd_notebooks)
    st = sub.add_parser("site", help="render the report site and PDF from the executed notebooks")
    st.add_argument("--edition", type=int, default=None, help="report year (default: latest)")
    st.add_argument("--renderer", choices=["quarto", "pandoc"], default=None,
                    help="default: quarto where installed, else pandoc")  # fmt: skip
    st.set_defaults(func=cmd_site)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (DataError, DataErrors) as err:
        print(f"error: the build stopped; nothing was published.\n{err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
