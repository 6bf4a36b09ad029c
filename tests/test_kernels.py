"""Kernels forked from the build's fork server: each run in a process of its own."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from jupyter_client.channels import HBChannel

from analysis.pipeline import forkserver, kernels
from analysis.pipeline import notebooks as run_notebooks
from analysis.pipeline.kernels import KERNEL, KERNEL_ARGS

# A notebook that fails if anything an earlier run did is still there, then leaves its marks:
# a global, a module attribute, an environment variable. Its output names its process.
MARKS = """{"cells": [
 {"cell_type": "code", "id": "c0", "metadata": {"tags": ["parameters"]}, "source": "edition = None\\nlang = 'vi'", "outputs": [], "execution_count": null},
 {"cell_type": "code", "id": "c1", "metadata": {}, "source": "import os, json, analysis\\nassert 'left_behind' not in globals()\\nassert not hasattr(analysis, 'left_behind')\\nassert 'STI_LEFT_BEHIND' not in os.environ\\nleft_behind = analysis.left_behind = 1\\nos.environ['STI_LEFT_BEHIND'] = '1'\\nprint(json.dumps({'pid': os.getpid()}))", "outputs": [], "execution_count": null}],
 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
 "nbformat": 4, "nbformat_minor": 5}"""


@pytest.mark.slow  # six notebook runs in kernels
def test_runs_share_no_state_and_each_has_its_own_process(tmp_path, monkeypatch):
    ipython = tmp_path / "ipython"  # the user's IPython folder, as the kernels see it
    monkeypatch.setenv("IPYTHONDIR", str(ipython))
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in ("91_marks", "92_marks", "93_marks"):
        # Each its own bytes (a cell id), or the cache would rightly reuse one run for all three.
        (folder / f"{name}.ipynb").write_text(MARKS.replace('"c1"', f'"{name}"'), encoding="utf-8")
    out, outcomes, _ = run_notebooks.run_all(2025, ("vi", "en"), data_dir=tmp_path,
                                             build_dir=tmp_path / "build", folder=folder, progress=False)  # fmt: skip
    assert [reused for _, reused in outcomes] == [False] * 6
    # No client of a run outlives it in the build's process: a heartbeat would go on knocking
    # at its kernel's ports, which a later kernel may be given.
    assert not [t for t in threading.enumerate() if isinstance(t, HBChannel)]
    pids = set()
    for notebook in (out / "notebooks").rglob("*.ipynb"):
        cell = json.loads(notebook.read_text(encoding="utf-8"))["cells"][-1]
        pids.add(json.loads(cell["outputs"][0]["text"][0])["pid"])
    assert len(pids) == 6
    assert os.getpid() not in pids
    # A build's cells are not the user's typing: none is kept in IPython's history.
    history = ipython / "profile_default" / "history.sqlite"
    if history.exists():
        with sqlite3.connect(history) as db:
            assert db.execute("select count(*) from history").fetchone()[0] == 0


def gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def kernel_prints(km, code: str) -> str:
    """What the running kernel prints when it runs `code`."""
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    said = []
    kc.execute_interactive(code, timeout=60,
                           output_hook=lambda m: said.append(m["content"].get("text", "")))  # fmt: skip
    kc.stop_channels()
    return "".join(said).strip()


def kernel_pid(km) -> int:
    """The process id the running kernel reports (its launcher's differs)."""
    return int(kernel_prints(km, "import os; print(os.getpid())"))


@pytest.mark.slow  # a fork server and a kernel
def test_a_kernel_whose_launcher_is_killed_goes_too(tmp_path):
    server = forkserver.ForkServer()
    try:
        km = server.manager(KERNEL)
        km.start_kernel(cwd=str(tmp_path), extra_arguments=KERNEL_ARGS)
        kernel = kernel_pid(km)
        assert kernel != km.provisioner.process.pid  # the launcher stands for the kernel
        # Reached through UNIX sockets in the server's folder, none in the run's folder: no
        # TCP port to find taken at the kernel's start.
        assert km.get_connection_info()["transport"] == "ipc"
        assert Path(km.ip).parent == Path(server.folder.name)
        assert len(list(Path(server.folder.name).glob(f"{Path(km.ip).name}-*"))) == 5
        assert not list(tmp_path.iterdir())
        # What it inherited from the server is never collected (nor its pages written by a
        # collection); what it makes is.
        frozen = kernel_prints(km, "import gc; print(gc.get_freeze_count(), gc.isenabled())")
        assert int(frozen.split()[0]) > 100_000 and frozen.split()[1] == "True"
        km.shutdown_kernel(now=True)  # kills the launcher, as after every run
        assert gone(kernel)
        assert not list(Path(server.folder.name).glob(f"{Path(km.ip).name}-*"))
    finally:
        server.close()


@pytest.mark.slow  # a fork server and a kernel
def test_a_server_that_closes_ends_the_kernels_it_forked(tmp_path):
    server = forkserver.ForkServer()
    km = server.manager(KERNEL)
    km.start_kernel(cwd=str(tmp_path), extra_arguments=KERNEL_ARGS)
    try:
        kernel = kernel_pid(km)
        server.close()  # while the kernel runs and its launcher waits
        assert gone(kernel)
    finally:
        km.shutdown_kernel(now=True)
        server.close()


def fork_servers() -> list[int]:
    """This process's running fork servers (children running `forkserver serve`)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):  # a process that ended meanwhile
            continue
        if parent == os.getpid() and b"forkserver\x00serve" in command:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow  # a fork server and a kernel
@pytest.mark.skipif(not forkserver.FORKS, reason="no fork server on this platform")
def test_a_server_started_ahead_serves_the_next_kernels_or_is_stopped(tmp_path):
    kernels.start_server()  # as the build does while its data step runs
    (early,) = fork_servers()
    pool = kernels.WarmKernels(tmp_path, ahead=1, total=1)
    try:
        pool.take().shutdown_kernel(now=True)
        assert fork_servers() == [early]  # the kernel came from it: no second server
    finally:
        pool.close()
    assert fork_servers() == []
    kernels.start_server()
    assert len(fork_servers()) == 1
    kernels.stop_server()  # no pool took it (every run reused)
    assert fork_servers() == []


def test_a_preloaded_library_that_starts_a_thread_is_refused(tmp_path):
    # polars starts its threads on import: a kernel forked after it would lack them.
    result = subprocess.run(
        [sys.executable, "-m", forkserver.MODULE, "serve", str(tmp_path / "socket"), "json", "polars"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "importing polars started a thread" in result.stderr
    assert "ready" not in result.stdout


def test_a_chart_is_exported_again_only_when_its_files_changed(tmp_path):
    import altair as alt
    import polars as pl

    from analysis.pipeline.exports import ChartExports
    from analysis.report import charts

    # Synthetic data for the test.
    frame = pl.DataFrame({"label": ["a (synthetic)", "b (synthetic)"], "value": [1.0, 2.0],
                          "unit": ["count", "count"], "period": ["2024", "2024"], "source": ["s", "s"]})  # fmt: skip
    labels = {k: k for k in ("indicator", "value", "unit", "period", "source")}
    run = tmp_path / "run"
    data = tmp_path / "data"  # what the exports read of the data product: its date
    data.mkdir()
    (data / "datapackage.json").write_text('{"version": "2026-01-11"}', encoding="utf-8")
    charts.setup()

    def build(value: float, build_no: int) -> list[tuple[str, bool]]:
        plotted = frame.with_columns(pl.lit(value).alias("value"))
        bars = (
            alt.Chart(plotted)
            .mark_bar()
            .encode(x="value:Q", y="label:N", tooltip=charts.tooltip(labels))
        )
        sized = bars.properties(width=charts.DOUBLE_COLUMN_PX, height=40)
        chart = charts.finish(sized, "synthetic", "synthetic", "en")
        charts.write_inputs(chart.to_dict(), plotted, "synthetic-en", "cite", run)
        exports = ChartExports(tmp_path / "cache" / "exports", "code", data)
        published = tmp_path / f"published-{build_no}"
        published.mkdir()
        try:
            exports.add("en", run)
            exports.place_into(published)
        finally:
            exports.close()
        assert sorted(p.name for p in published.iterdir()) == sorted(
            p.name for p in charts.export_files("synthetic-en", published).values()
        )
        return exports.cache.outcomes

    assert build(1.0, 1) == [("export synthetic-en", False)]
    assert build(1.0, 2) == [("export synthetic-en", True)]
    assert build(3.0, 3) == [("export synthetic-en", False)]
    # Placed as links to the cache's files, not copies: a reused export is the same file.
    for made in (tmp_path / "published-1").iterdir():
        assert made.samefile(tmp_path / "published-2" / made.name)
        assert not made.samefile(tmp_path / "published-3" / made.name)


def test_an_export_that_fails_names_its_chart_and_its_error(tmp_path):
    """The exports are made in a process of their own: its errors still end the build,
    named."""
    from analysis.pipeline.exports import ChartExports

    run = tmp_path / "run"
    run.mkdir()
    # Synthetic inputs whose spec vl-convert cannot draw (a mark that does not exist).
    (run / "broken-en.vl.json").write_text(
        '{"mark": "no-such-mark", "title": {"text": "t"}}', encoding="utf-8"
    )
    (run / "broken-en.csv").write_text("value\n1\n", encoding="utf-8")
    (run / "broken-en.cite.txt").write_text("cite\n", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "datapackage.json").write_text('{"version": "2026-01-11"}', encoding="utf-8")
    exports = ChartExports(tmp_path / "cache" / "exports", "code", data)
    try:
        exports.add("en", run)
        with pytest.raises(
            RuntimeError, match="chart broken-en: ValueError: Vega-Lite to SVG conversion failed"
        ):
            exports.place_into(tmp_path / "published")
    finally:
        exports.close()
