"""Command line (`sti`, or `python -m analysis`): what the Make targets call.

sti data            build and publish the data product (reused when its inputs are unchanged)
sti notebooks       execute every notebook in every language (each run reused when unchanged)
sti site            render the report site and PDFs from the executed notebooks
sti build           all three, printing which steps ran and which were reused
sti profiles        write the Quarto profiles (_quarto-<lang>.yml) from data/pages.csv and
                    the message catalogs, where they are not current (site and build do it first)
sti extract-plan    re-extract Plan 46's appendices from the plan's text
sti bench           the build benchmark (cold, no change, one data file changed, naive)
sti edition new Y   start the next edition: a draft row in data/editions.csv
sti edition check   build the site with the draft edition and say what changed
sti edition publish Y   publish the draft: it becomes the latest; the edition it supersedes
                    is frozen (kept as built in editions/<year>/, with its manifest)
sti edition freeze Y    freeze a published edition older than the latest
sti pre-render      Quarto's pre-render step: stage the executed notebooks as pages
sti post-render     Quarto's post-render step: data, exports, assets, PDFs, search index
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from datetime import date
from pathlib import Path

from analysis import paths
from analysis.base.steps import StepCache
from analysis.pipeline import build, editions
from analysis.pipeline.build import StepReport
from analysis.pipeline.editions import EditionError
from analysis.pipeline.notebooks import NotebookFailed, NotebookFailures
from analysis.product.errors import DataError, DataErrors
from analysis.product.plan46 import PLAN_SOURCE_ID
from analysis.product.vocabularies import languages
from analysis.site import build as site_build


def _show_sources() -> None:
    folder = paths.sources_dir()
    if folder is None:
        print(f"sources: ${paths.SOURCES_ENV} is not set; quotes and text hashes are not "
              "checked against the source texts")  # fmt: skip
    else:
        print(f"sources: checking quotes and hashes against {folder}", flush=True)


def show(report: StepReport) -> None:
    """What one step did, as the build prints it."""
    ran, reused = report.ran, len(report.outcomes) - len(report.ran)
    if report.step == "data":
        if report.reused:
            print("data: reused (inputs unchanged)")
            return
        for name, rows in report.rows.items():
            print(f"  {name:<13} {rows:>4} rows")
        print(f"data: wrote {report.output} (Parquet, CSV, XLSX, datapackage.json)")
        return
    if report.step == "notebooks":
        print(f"notebooks: edition {report.edition}: {len(ran)} ran, {reused} reused "
              f"-> {report.output}")  # fmt: skip
    else:
        why = "" if report.renderer == "quarto" else (
            " (asked for)" if shutil.which("quarto") else
            " (Quarto is not on the PATH; pandoc rendered the same _quarto.yml and pages)")  # fmt: skip
        print(f"site: rendered with {report.renderer}{why}")
        print(f"site: {', '.join(report.langs)}: {len(ran)} steps ran, {reused} reused "
              f"-> {report.output}")  # fmt: skip
        ran = sorted(ran)
    for name in ran:
        print(f"  ran {name}")


def _cmd_data(args: argparse.Namespace) -> int:
    _show_sources()
    show(build.build_data(args.data_dir, force=args.force))
    return 0


def _cmd_notebooks(args: argparse.Namespace) -> int:
    show(build.build_notebooks(args.data_dir, edition=args.edition, langs=tuple(args.lang)))
    return 0


def _show_skipped(report: StepReport, asked: list[str]) -> None:
    for lang in asked:
        if report.step == "site" and lang not in report.langs:
            print(f"site: {lang} left out: no executed notebooks (`sti notebooks --lang {lang}`)")


class _ProfileError(Exception):
    """The Quarto profiles or `_quarto.yml`'s profile group do not match the page spec."""


def _update_profiles() -> None:
    """The Quarto profiles, current before anything renders (Quarto reads them first)."""
    from analysis.site.profiles import profile_group_problems, write_profiles

    problems = profile_group_problems()
    if problems:
        raise _ProfileError("\n".join(problems))
    for path in write_profiles():
        print(f"profiles: wrote {path.name} (data/pages.csv or the catalogs changed)")


def _cmd_profiles(args: argparse.Namespace) -> int:
    _update_profiles()
    print("profiles: current")
    return 0


def _cmd_site(args: argparse.Namespace) -> int:
    _update_profiles()
    report = build.build_site_step(args.data_dir, edition=args.edition, langs=tuple(args.lang),
                                   renderer=args.renderer)  # fmt: skip
    show(report)
    _show_skipped(report, args.lang)
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    def show_step(report: StepReport) -> None:
        show(report)
        _show_skipped(report, args.lang)

    _show_sources()
    _update_profiles()
    build.build_all(args.data_dir, edition=args.edition, langs=tuple(args.lang),
                    renderer=args.renderer, on_step=show_step)  # fmt: skip
    return 0


def _cmd_edition_new(args: argparse.Namespace) -> int:
    entry = build.new_edition(args.data_dir, args.year)
    print(f"edition {entry.edition}: started as a draft in data/editions.csv. Next: register its "
          "source texts (data/sources.csv, with their SHA-256) and add its figures with their "
          f"quotes (data/curated/observations.csv); then `sti edition check {entry.edition}`.")  # fmt: skip
    return 0


def _cmd_edition_check(args: argparse.Namespace) -> int:
    _show_sources()
    _update_profiles()
    entry, counts, _ = build.check_edition(args.data_dir, args.year, renderer=args.renderer,
                                           on_step=show)  # fmt: skip
    print(
        f"edition {entry.edition} (draft): "
        + ", ".join(f"{n} {kind}" for kind, n in counts.items())
    )
    for lang in languages():
        print(f"  look at: {site_build.SITE}/editions/{entry.edition}/pages/{lang}/changes.html")
    print(f"then `sti edition publish {entry.edition}`")
    return 0


def _cmd_edition_publish(args: argparse.Namespace) -> int:
    _show_sources()
    _update_profiles()
    published = date.fromisoformat(args.date) if args.date else date.today()
    frozen = build.publish_edition(args.data_dir, args.year, published, renderer=args.renderer,
                                   on_step=show)  # fmt: skip
    print(
        f"edition {args.year}: published on {published}, the latest at the site's current addresses"
    )
    for entry in frozen:
        _say_frozen(entry)
    return 0


def _cmd_edition_freeze(args: argparse.Namespace) -> int:
    _show_sources()
    _update_profiles()
    _say_frozen(
        build.freeze_edition(args.data_dir, args.year, renderer=args.renderer, on_step=show)
    )
    return 0


def _say_frozen(entry: editions.Entry) -> None:
    print(f"edition {entry.edition}: frozen in editions/{entry.edition}/ (manifest "
          f"editions/{entry.edition}.sha256, SHA-256 {entry.manifest} in data/editions.csv): commit them")  # fmt: skip


def _cmd_bench(args: argparse.Namespace) -> int:
    from analysis.pipeline import bench

    bench.main(args.data_dir)
    return 0


def _quarto_run(data_dir: Path) -> tuple[int, Path, list[str]]:
    """The edition, its build folder and the languages of the Quarto render that runs this
    step: the profile (`--profile en`) names the languages; `make site` names the edition."""
    edition = int(os.environ.get("STI_EDITION") or build.latest_edition(data_dir))
    folder = paths.BUILD / str(edition)
    profile = os.environ.get("QUARTO_PROFILE", "").split(",")
    langs = [lang for lang in languages() if lang in profile] or list(languages())
    return edition, folder, site_build.built_langs(folder, tuple(langs))


def _cmd_pre_render(args: argparse.Namespace) -> int:
    from analysis.site.profiles import stale_profiles

    # Quarto has read the profiles already: a stale one would render a stale navbar.
    stale = [path.name for path in stale_profiles()]
    if stale:
        raise _ProfileError(
            f"{', '.join(stale)} not current: run `sti profiles`, then render again"
        )
    edition, folder, langs = _quarto_run(args.data_dir)
    if not langs:
        raise FileNotFoundError(f"{folder} holds no executed notebooks: run `make notebooks` first")
    site_build.stage_all(folder, paths.ROOT, langs)
    print(f"pre-render: staged the pages of edition {edition} in {', '.join(langs)}")
    return 0


def _cmd_post_render(args: argparse.Namespace) -> int:
    edition, folder, langs = _quarto_run(args.data_dir)
    out = paths.ROOT / os.environ.get("QUARTO_PROJECT_OUTPUT_DIR", "_site")
    cache = StepCache(paths.BUILD / "cache" / "site")
    # The edition's own data product, which its notebooks read (`make site` names it).
    data = Path(os.environ.get("STI_EDITION_DATA") or editions.product_dir(paths.BUILD, edition))
    site_build.finish_site(out, edition, folder, data, paths.ROOT, langs, cache)
    print(f"post-render: data, exports, assets, PDF ({', '.join(langs)}) and search index -> {out}")
    return 0


def _cmd_extract_plan(args: argparse.Namespace) -> int:
    folder = paths.sources_dir()
    if folder is None:
        print(f"extract-plan needs the plan's text: set ${paths.SOURCES_ENV}", file=sys.stderr)
        return 2
    from analysis.product.dataset import extract_plan46

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
    data.set_defaults(func=_cmd_data)
    sub.add_parser("extract-plan", help="re-extract Plan 46's appendices").set_defaults(
        func=_cmd_extract_plan
    )
    for name, func, text in (
        ("notebooks", _cmd_notebooks, "execute every notebook for every language"),
        ("site", _cmd_site, "render the report site and PDF from the executed notebooks"),
        ("build", _cmd_build, "data, notebooks and site, reusing every unchanged step"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--edition", type=int, default=None, help="report year (default: latest)")
        langs = list(languages())  # data/languages.csv, in site order
        cmd.add_argument("--lang", nargs="+", choices=langs, default=langs,
                         help="languages to build (the site: those of them whose notebooks ran)")  # fmt: skip
        cmd.add_argument("--renderer", choices=["quarto", "pandoc"], default=None,
                         help="site renderer (default: quarto where installed, else pandoc)")  # fmt: skip
        cmd.set_defaults(func=func)
    edition = sub.add_parser("edition", help="start, check and publish the next edition").add_subparsers(
        dest="step", required=True)  # fmt: skip
    new = edition.add_parser("new", help="start the next edition as a draft")
    new.add_argument("year", type=int)
    new.set_defaults(func=_cmd_edition_new)
    check = edition.add_parser("check", help="build the site with the draft, say what changed")
    check.add_argument("year", type=int, nargs="?", default=None, help="default: the newest draft")
    publish = edition.add_parser(
        "publish", help="publish the draft; freeze the edition it supersedes"
    )
    publish.add_argument("year", type=int)
    publish.add_argument("--date", default=None, help="the publication date (default: today)")
    freeze = edition.add_parser("freeze", help="freeze a published edition older than the latest")
    freeze.add_argument("year", type=int)
    for cmd, func in ((check, _cmd_edition_check), (publish, _cmd_edition_publish),
                      (freeze, _cmd_edition_freeze)):  # fmt: skip
        cmd.add_argument("--renderer", choices=["quarto", "pandoc"], default=None)
        cmd.set_defaults(func=func)
    sub.add_parser("bench", help="measure the build (prints figures)").set_defaults(func=_cmd_bench)
    sub.add_parser("profiles", help="write the Quarto profiles from data/pages.csv and the catalogs"
                   ).set_defaults(func=_cmd_profiles)  # fmt: skip
    sub.add_parser("pre-render", help="Quarto's pre-render step: stage the pages").set_defaults(
        func=_cmd_pre_render
    )
    sub.add_parser("post-render", help="Quarto's post-render step: finish the site").set_defaults(
        func=_cmd_post_render
    )
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (DataError, DataErrors) as err:
        print(f"error: the build stopped; nothing was published.\n{err}", file=sys.stderr)
        return 1
    except (NotebookFailed, NotebookFailures) as err:
        print(f"error: a notebook failed; nothing was published.\n{err}", file=sys.stderr)
        return 1
    except FileNotFoundError as err:  # a step's input is missing: an earlier step never ran
        print(f"error: {err}", file=sys.stderr)
        return 1
    except (_ProfileError, EditionError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
