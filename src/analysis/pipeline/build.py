"""The build: data product, notebook runs, site; each step reused when its inputs are unchanged.

Each function returns a `StepReport` (what ran, what was reused, where it published) and
prints nothing: `analysis.cli` and `analysis.pipeline.bench` decide what to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths
from analysis.base.steps import StepCache, code_digest, file_parts
from analysis.paths import DATA, ROOT
from analysis.pipeline import kernels, notebooks
from analysis.report import data as report_data
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
    """The latest report year the published data supports."""
    return report_data.latest_edition(data_dir / "processed")


def build_notebooks(
    data_dir: Path = DATA,
    build_root: Path = notebooks.BUILD,
    edition: int | None = None,
    langs: tuple[str, ...] = LANGS,
    use_cache: bool = True,
    workers: int | None = None,
    progress: bool = True,
    warm_kernels: bool = True,
) -> StepReport:
    """Execute (or reuse) every notebook in `langs` into `build_root/<edition>`
    (`warm_kernels=False`: a kernel started for each run when it starts, as naively)."""
    edition = edition or latest_edition(data_dir)
    out, outcomes, seconds = notebooks.run_all(edition, tuple(langs), data_dir=data_dir / "processed",
                                      build_dir=build_root, workers=workers, use_cache=use_cache,
                                      progress=progress, warm_kernels=warm_kernels)  # fmt: skip
    return StepReport(
        "notebooks", outcomes, out, edition=edition, langs=list(langs), seconds=seconds
    )


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
) -> StepReport:
    """Render the site and PDFs of those of `langs` whose notebooks were executed."""
    edition = edition or latest_edition(data_dir)
    used, outcomes, seconds = site.build_site(edition, build_root, data_dir=data_dir / "processed",
                                     target=target, renderer=renderer, pages_root=pages_root,
                                     use_cache=use_cache, workers=workers, langs=tuple(langs))  # fmt: skip
    rendered = site.built_langs(build_root / str(edition), tuple(langs))
    return StepReport("site", outcomes, target, edition=edition, renderer=used, langs=rendered,
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
) -> list[StepReport]:
    """Data, notebooks and site, each reused when unchanged; `on_step` sees each report as
    soon as its step is done."""
    reports: list[StepReport] = []

    def done(report: StepReport) -> None:
        reports.append(report)
        if on_step is not None:
            on_step(report)

    try:  # runs follow a change of the data: the kernels' server starts beside its step
        done(build_data(data_dir, force=not use_cache,
                        on_build=kernels.start_server if warm_kernels else None))  # fmt: skip
        done(
            build_notebooks(
                data_dir, build_root, edition, langs, use_cache, workers, progress, warm_kernels
            )
        )
    finally:
        kernels.stop_server()  # one started for runs that were all reused
    done(build_site_step(data_dir, build_root, target, edition, langs, renderer, pages_root,
                         use_cache, workers))  # fmt: skip
    return reports
