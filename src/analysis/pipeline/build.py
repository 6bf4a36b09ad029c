"""The build: data product, notebook runs, site; each step reused when its inputs are unchanged.

Each function returns a `StepReport` (what ran, what was reused, where it published) and
prints nothing: `analysis.cli` and `analysis.pipeline.bench` decide what to show.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from analysis import paths
from analysis.base.steps import StepCache, code_digest, file_parts
from analysis.paths import DATA, ROOT
from analysis.pipeline import editions, kernels, notebooks
from analysis.report.i18n import LANGS
from analysis.site import build as site
from analysis.site.config import SITE


@dataclass(frozen=True)
class StepReport:
    """One step of the build: (sub-step, reused) for each of its parts, and its output."""

    step: str
    outcomes: list[tuple[str, bool]]
    output: Path
    edition: int | None = None
    renderer: str | None = None
    langs: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # the data step: rows per table written
    seconds: dict[str, float] = field(default_factory=dict)  # each part that ran: its time

    @property
    def ran(self) -> list[str]:
        return [name for name, reused in self.outcomes if not reused]

    @property
    def reused(self) -> bool:
        return not self.ran


def cache_dir(data_dir: Path) -> Path:
    """The build cache of the project whose data folder is `data_dir`."""
    return data_dir.parent / "_build" / "cache"


def _data_inputs(data_dir: Path, sources: Path | None) -> list:
    """Everything the data step reads: the data files, the code, the source texts."""
    files = [
        path
        for path in data_dir.rglob("*")
        # processed/ and its staging folder are what this step writes
        if not path.relative_to(data_dir).parts[0].startswith("processed")
    ]
    texts = file_parts(sources.glob("*.txt"), sources) if sources else ["no source texts"]
    return [*file_parts(files, data_dir), code_digest(), *texts]


def build_data(
    data_dir: Path = DATA, force: bool = False, on_build: Callable[[], None] | None = None
) -> StepReport:
    """Check and publish the data product into `data_dir/processed` unless its inputs are
    unchanged (`force`: build anyway); `on_build` is called first when it is built."""
    sources = paths.sources_dir()
    target = data_dir / "processed"
    cache = StepCache(cache_dir(data_dir) / "data", reuse=not force)
    rows: dict[str, int] = {}

    def build() -> None:
        if on_build is not None:
            on_build()
        # Here, not at the top: a rebuild with unchanged data does not load the checks.
        from analysis.product.dataset import build_tables, data_date
        from analysis.product.publish import field_descriptions, publish

        tables = build_tables(data_dir, sources)
        publish(tables, target, data_date(tables["sources"]), field_descriptions(data_dir, tables))
        rows.update({name: frame.height for name, frame in tables.items()})

    reused = cache.refresh(_data_inputs(data_dir, sources), target, build)
    return StepReport("data", [("data", reused)], target, rows=rows)


def latest_edition(data_dir: Path) -> int:
    """The edition at the site's current addresses: the newest published in data/editions.csv."""
    return editions.latest(editions.registry(data_dir)).edition


def frozen_dir(data_dir: Path) -> Path:
    """Where the project whose data folder is `data_dir` keeps its frozen editions."""
    return data_dir.parent / editions.FROZEN_DIR.name


def _live(entries: list[editions.Entry], edition: int | None, drafts: bool) -> list[editions.Entry]:
    """The editions this build makes: `edition` alone, or every published one (and the
    drafts when asked); the frozen ones are copied, never made."""
    if edition is not None:
        entry = editions.find(entries, edition)
        if entry.status == editions.FROZEN:
            raise editions.EditionError(
                f"edition {edition} is frozen: it is published as it was built, never rebuilt"
            )
        return [entry]
    return editions.live(entries, drafts)


def _named(edition: int, latest: int, outcomes: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """A step's outcomes, each named with its edition unless it is the latest's."""
    return outcomes if edition == latest else [(f"{edition}: {name}", r) for name, r in outcomes]


def build_notebooks(
    data_dir: Path = DATA,
    build_root: Path = notebooks.BUILD,
    edition: int | None = None,
    langs: tuple[str, ...] = LANGS,
    use_cache: bool = True,
    workers: int | None = None,
    progress: bool = True,
    warm_kernels: bool = True,
    drafts: bool = False,
) -> StepReport:
    """Each live edition's data product (`pipeline.editions.build_product`), then every
    notebook in `langs` executed (or reused) into `build_root/<edition>` for each
    (`warm_kernels=False`: a kernel started for each run when it starts, as naively). The
    report is the latest's, with the other editions' runs named by their edition."""
    entries = editions.registry(data_dir)
    latest = editions.latest(entries).edition
    outcomes, seconds, out = [], {}, None
    for entry in _live(entries, edition, drafts):
        product, _ = editions.build_product(data_dir, build_root, entry, entries,
                                            frozen_dir(data_dir), use_cache)  # fmt: skip
        folder, ran, took = notebooks.run_all(entry.edition, tuple(langs), data_dir=product,
                                      build_dir=build_root, workers=workers, use_cache=use_cache,
                                      progress=progress, warm_kernels=warm_kernels)  # fmt: skip
        outcomes += _named(entry.edition, latest, ran)
        seconds |= dict(_named(entry.edition, latest, list(took.items())))
        out = folder if out is None or entry.edition == latest else out
    return StepReport("notebooks", outcomes, out, edition=edition or latest, langs=list(langs),
                      seconds=seconds)  # fmt: skip


def build_site_step(
    data_dir: Path = DATA,
    build_root: Path = notebooks.BUILD,
    target: Path = SITE,
    edition: int | None = None,
    langs: tuple[str, ...] = LANGS,
    renderer: str | None = None,
    pages_root: Path = ROOT,
    use_cache: bool = True,
    workers: int | None = None,
    drafts: bool = False,
) -> StepReport:
    """Each live edition's site (its pages and PDFs in those of `langs` whose notebooks were
    executed), then the site of every edition in place of `target`
    (`pipeline.editions.assemble`): the latest at the site's current addresses, every edition
    at `editions/<year>/`, the frozen ones copied as they were built."""
    started = time.time()  # what the site's cache holds that this build did not use goes
    entries = editions.registry(data_dir)
    latest = editions.latest(entries).edition
    if edition is not None:  # a draft asked for by name is built with the others
        drafts = drafts or editions.find(entries, edition).status == editions.DRAFT
    built = editions.live(entries, drafts)
    trees, outcomes, seconds, used, per_edition = {}, [], {}, None, []
    for entry in built:
        trees[entry.edition] = build_root / "trees" / str(entry.edition)
        used, ran, took = site.build_site(entry.edition, build_root,
                                          data_dir=editions.product_dir(build_root, entry.edition),
                                          target=trees[entry.edition], renderer=renderer,
                                          pages_root=pages_root, use_cache=use_cache, workers=workers,
                                          langs=tuple(langs))  # fmt: skip
        per_edition.append(ran)
        outcomes += _named(entry.edition, latest, ran)
        seconds |= dict(_named(entry.edition, latest, list(took.items())))
    cache = StepCache(build_root / "cache" / "site", reuse=use_cache)
    reused, took = editions.assemble(target, trees, entries, data_dir, frozen_dir(data_dir), cache)
    seconds |= took
    if all(was for _, was in outcomes) and reused:
        outcomes = [("site", True)]
    else:
        outcomes.append(("editions", reused))
    if not any(ran == [("site", True)] for ran in per_edition):
        # Every edition's site was built again, each step using or making its entry: the
        # others are outputs of inputs that are gone (each correction left a PDF and an index).
        cache.prune_untouched(started)
    rendered = site.built_langs(build_root / str(latest), tuple(langs))
    return StepReport("site", outcomes, target, edition=latest, renderer=used, langs=rendered,
                      seconds=seconds)  # fmt: skip


def build_all(
    data_dir: Path = DATA,
    build_root: Path = notebooks.BUILD,
    target: Path = SITE,
    edition: int | None = None,
    langs: tuple[str, ...] = LANGS,
    renderer: str | None = None,
    pages_root: Path = ROOT,
    use_cache: bool = True,
    workers: int | None = None,
    progress: bool = True,
    on_step: Callable[[StepReport], None] | None = None,
    warm_kernels: bool = True,
    drafts: bool = False,
) -> list[StepReport]:
    """Data, notebooks and site, each reused when unchanged; `on_step` sees each report as
    soon as its step is done. `drafts`: the draft editions too (`sti edition check`)."""
    reports: list[StepReport] = []

    def done(report: StepReport) -> None:
        reports.append(report)
        if on_step is not None:
            on_step(report)

    try:  # runs follow a change of the data: the kernels' server starts beside its step
        done(build_data(data_dir, force=not use_cache,
                        on_build=kernels.start_server if warm_kernels else None))  # fmt: skip
        done(build_notebooks(data_dir, build_root, edition, langs, use_cache, workers, progress,
                             warm_kernels, drafts))  # fmt: skip
    finally:
        kernels.stop_server()  # one started for runs that were all reused
    done(build_site_step(data_dir, build_root, target, edition, langs, renderer, pages_root,
                         use_cache, workers, drafts))  # fmt: skip
    return reports


# The staff procedure: start, check and publish the next edition --------------------------------


def new_edition(data_dir: Path, year: int) -> editions.Entry:
    """Start the next edition: a draft row in data/editions.csv (nothing else changes)."""
    entries = editions.registry(data_dir)
    newest = entries[-1].edition
    if year <= newest:
        raise editions.EditionError(f"edition {year} is not after the newest edition, {newest}")
    entry = editions.Entry(year, editions.DRAFT, None, None)
    editions.write_status(data_dir, entry)
    editions.registry(data_dir)  # the file as written passes its own checks
    return entry


def draft_edition(data_dir: Path, year: int | None) -> editions.Entry:
    """The draft named, or the newest draft."""
    entries = editions.registry(data_dir)
    drafts = [e for e in entries if e.status == editions.DRAFT]
    entry = editions.find(entries, year) if year is not None else (drafts[-1] if drafts else None)
    if entry is None or entry.status != editions.DRAFT:
        raise editions.EditionError(
            f"no draft edition {year or ''} to check or publish: `sti edition new <year>` starts one"
        )
    return entry


def check_edition(data_dir: Path = DATA, year: int | None = None, build_root: Path = notebooks.BUILD,
                  target: Path = SITE, **build) -> tuple[editions.Entry, dict[str, int], list[StepReport]]:  # fmt: skip
    """Build the site with the draft edition (every data check runs first) at
    `editions/<year>/`; return the draft, its changes by kind and the build's reports."""
    from analysis.report.editions import counts

    entry = draft_edition(data_dir, year)
    reports = build_all(data_dir, build_root, target, drafts=True, **build)
    product = editions.product_dir(build_root, entry.edition)
    return entry, counts(pl.read_parquet(product / "changes.parquet")), reports


def publish_edition(data_dir: Path, year: int, published: date, build_root: Path = notebooks.BUILD,
                    target: Path = SITE, **build) -> list[editions.Entry]:  # fmt: skip
    """Publish the draft `year` on `published`: it becomes the latest, and every edition it
    supersedes is frozen as the site then shows it (its pages saying it is an older
    edition). The site is built, the superseded editions frozen, and built again from the
    frozen files (which checks them). Returns the editions frozen. A failed build leaves
    data/editions.csv as it was."""
    entry = draft_edition(data_dir, year)
    entries = editions.registry(data_dir)
    if entry.edition != entries[-1].edition:
        raise editions.EditionError(f"edition {year} is not the newest draft")
    superseded = [e for e in entries if e.status == editions.PUBLISHED]
    editions.write_status(data_dir, editions.Entry(year, editions.PUBLISHED, published, None))
    try:
        build_all(data_dir, build_root, target, **build)
    except BaseException:
        editions.write_status(data_dir, entry)
        raise
    return _freeze(data_dir, superseded, build_root, target, build)


def _freeze(data_dir: Path, older: list[editions.Entry], build_root: Path, target: Path,
            build: dict) -> list[editions.Entry]:  # fmt: skip
    """Freeze each of `older` as the site just built shows it, then build again from the
    frozen files (which checks them)."""
    frozen = []
    for old in older:
        manifest = editions.freeze(target, frozen_dir(data_dir), old.edition)
        frozen.append(editions.Entry(old.edition, editions.FROZEN, old.published, manifest))
        editions.write_status(data_dir, frozen[-1])
    build_all(data_dir, build_root, target, **build)
    return frozen


def freeze_edition(data_dir: Path, year: int, build_root: Path = notebooks.BUILD,
                   target: Path = SITE, **build) -> editions.Entry:  # fmt: skip
    """Freeze a published edition older than the latest (publishing the next edition does
    it for the one it supersedes): the site is built, the edition kept as it shows it."""
    entries = editions.registry(data_dir)
    entry = editions.find(entries, year)
    if entry.status != editions.PUBLISHED or entry == editions.latest(entries):
        raise editions.EditionError(f"edition {year} is not a published edition older than the "
                                    "latest: only those are frozen")  # fmt: skip
    build_all(data_dir, build_root, target, **build)
    return _freeze(data_dir, [entry], build_root, target, build)[0]
