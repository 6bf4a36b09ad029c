"""Every chart's journal exports (SVG, PDF, PNG, ZIP), made by the build beside the runs.

A run writes each chart's spec, data and citation (`charts.write_inputs`); the exports are
a function of those files, the edition's data date (the ZIP's dates), the code and the
fonts, so each is a step of the build cache:
a chart whose files did not change is not exported again. A run's charts are exported as
soon as the run ends, while the other runs go on, one chart at a time: vl-convert converts
one chart at a time anyway, and the glyph outlines `svgtext` reads (fontTools, loaded once
per process) are not safe to read from two threads at once.
"""

from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property
from pathlib import Path

from analysis.base.steps import StepCache


class ChartExports:
    """`add(lang, folder)` exports the charts a run wrote in `folder`; `copy_into(folder)`
    waits for all and puts them there; `close()` ends the work (call it in any case)."""

    def __init__(self, cache_dir: Path, code: str, data_dir: Path, reuse: bool = True):
        self.cache = StepCache(cache_dir, reuse=reuse)
        self.code = code
        self.data_dir = data_dir  # the data product the runs read: its date dates the ZIPs
        self._made = Path(tempfile.mkdtemp(prefix="exports-", dir=cache_dir.parent))
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._charts: dict[str, Future] = {}

    def add(self, lang: str, inputs: Path) -> None:
        from analysis.report import charts  # here: a build that exports nothing does not load it

        for stem in charts.written(inputs):
            if stem not in self._charts:  # a chart two pages show (targets' status): once
                self._charts[stem] = self._pool.submit(self._export, stem, lang, inputs)

    def _export(self, stem: str, lang: str, inputs: Path) -> None:
        from analysis.report import charts

        sources = [inputs / f"{stem}{suffix}" for suffix in charts.INPUTS]

        def produce(dest: Path) -> None:
            dest.mkdir(parents=True)
            for path in sources:
                shutil.copyfile(path, dest / path.name)
            charts.export(stem, lang, dest, self.data_date)

        parts = [self.code, stem, lang, self.data_date, *sources]
        self.cache.output(f"export {stem}", parts, self._made / stem, produce)

    @cached_property
    def data_date(self) -> str:
        from analysis.report.data import data_date

        return data_date(self.data_dir)

    def copy_into(self, charts_dir: Path) -> None:
        """Every chart added, exported, in `charts_dir`; the cache keeps only these."""
        for future in self._charts.values():
            future.result()  # an export's error ends the build here
        for stem in self._charts:
            shutil.copytree(self._made / stem, charts_dir, dirs_exist_ok=True)
        self.cache.prune()

    @property
    def seconds(self) -> float:
        return sum(self.cache.seconds.values())

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._made, ignore_errors=True)
