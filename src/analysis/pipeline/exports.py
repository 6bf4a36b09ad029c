"""Every chart's journal exports (SVG, PDF, PNG, ZIP), made by the build beside the runs.

A run writes each chart's spec, data and citation (`charts.write_inputs`); the exports are
a function of those files, the edition's data date (the ZIP's dates), the code and the
fonts, so each is a step of the build cache:
a chart whose files did not change is not exported again. A run's charts are exported as
soon as the run ends, while the other runs go on, one chart at a time: vl-convert converts
one chart at a time anyway, and the glyph outlines `svgtext` reads (fontTools, loaded once
per process) are not safe to read from two threads at once.

They are made in a process of their own, which the kernels' fork server forks (it has most
of the libraries loaded; `python -m analysis.pipeline.exports` where kernels are not
forked), started with the notebook step when it has runs to execute (`start`: it gets ready
while the first kernels start) and ended with it: vl-convert and typst hold Python's global
lock while they convert (a quarter of a second a chart), which in the build's process
stalled the threads that run the notebooks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.base.steps import StepCache, link_tree

if TYPE_CHECKING:
    from analysis.pipeline.forkserver import ForkServer

MODULE = "analysis.pipeline.exports"  # run as `python -m` for the exporting process


class _Exporter:
    """The exporting process: one chart at a time, a line of JSON each way. Run by
    `command` (`python -m analysis.pipeline.exports`, or that forked by the kernels' server,
    which has loaded most of its libraries)."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, encoding="utf-8")  # fmt: skip

    def export(self, stem: str, lang: str, dest: Path, data_date: str) -> None:
        try:
            self.process.stdin.write(json.dumps([stem, lang, str(dest), data_date]) + "\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline()
        except OSError:  # it ended
            reply = ""
        if reply != "ok\n":
            error = json.loads(reply) if reply else "the exporting process ended"
            raise RuntimeError(f"chart {stem}: {error}")

    def close(self) -> None:
        """End it: called once no export is under way (it would end when its input does, but
        its libraries' teardown takes a tenth of a second for nothing)."""
        self.process.stdin.close()
        self.process.kill()
        self.process.wait()


def _serve() -> None:
    """The exporting process: each request (stem, language, folder, data date) exported
    with `charts.export`; "ok", or the error, in reply. Anything else written to standard
    output goes to standard error, so that replies stay one line each."""
    import vl_convert as vlc

    from analysis.paths import FONT_DIR
    from analysis.report import charts, svgtext

    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    # Ready before the first request: vl-convert's JavaScript engine starts on its first
    # conversion (half a second), the fonts load on their first use.
    charts.setup()
    vlc.vegalite_to_svg({"mark": "point"})
    svgtext.load_fonts(FONT_DIR)
    for line in sys.stdin:
        stem, lang, dest, data_date = json.loads(line)
        try:
            charts.export(stem, lang, Path(dest), data_date)
            replies.write("ok\n")
        except Exception as err:
            traceback.print_exc()
            replies.write(json.dumps(f"{type(err).__name__}: {err}") + "\n")
        replies.flush()


class ChartExports:
    """`add(lang, folder)` exports the charts a run wrote in `folder`; `place_into(folder)`
    waits for all and puts them there; `close()` ends the work (call it in any case)."""

    def __init__(self, cache_dir: Path, code: str, data_dir: Path, reuse: bool = True):
        self.cache = StepCache(cache_dir, reuse=reuse)
        self.code = code
        self.data_dir = data_dir  # the data product the runs read: its date dates the ZIPs
        self._made = Path(tempfile.mkdtemp(prefix="exports-", dir=cache_dir.parent))
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._charts: dict[str, Future] = {}
        self._exporter: _Exporter | None = None  # started on the pool's thread

    def start(self, server: Callable[[], ForkServer | None] | None = None) -> None:
        """Start the exporting process now (else the first export starts it), forked by the
        kernels' fork server that `server` gives, if any; on the exports' thread, so that
        nothing waits for the server."""
        self._pool.submit(self._start, server)

    def _start(self, server: Callable[[], ForkServer | None] | None = None) -> None:
        if self._exporter is None:
            forks = server() if server else None
            self._exporter = _Exporter(
                forks.command(MODULE) if forks else [sys.executable, "-m", MODULE]
            )

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
            self._start()
            self._exporter.export(stem, lang, dest, self.data_date)

        parts = [self.code, stem, lang, self.data_date, *sources]
        self.cache.output(f"export {stem}", parts, self._made / stem, produce, link=True)

    @cached_property
    def data_date(self) -> str:
        from analysis.report.data import data_date

        return data_date(self.data_dir)

    def place_into(self, charts_dir: Path) -> None:
        """Every chart added, exported, in `charts_dir`; the cache keeps only these."""
        for future in self._charts.values():
            future.result()  # an export's error ends the build here
        for stem in self._charts:  # linked: the product is published as it is (`link_tree`)
            link_tree(self._made / stem, charts_dir)
        self.cache.prune()

    @property
    def seconds(self) -> float:
        return sum(self.cache.seconds.values())

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._exporter is not None:
            self._exporter.close()
            self._exporter = None
        shutil.rmtree(self._made, ignore_errors=True)


if __name__ == "__main__":
    _serve()
