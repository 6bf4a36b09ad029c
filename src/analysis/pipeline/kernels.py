"""Kernels started ahead of the notebook runs that take them.

A kernel's start and the import of the report's libraries took about two seconds, most of a
short notebook's run. Kernels are forked from a server that has imported most of them once
(`analysis.pipeline.forkserver`), and the rest is paid while other notebooks execute: the
pool keeps `ahead` kernels starting, each with the libraries imported. Every run still gets
a kernel process of its own, shut down when the run ends, so nothing a notebook does
reaches another one.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.pipeline.forkserver import FORKS, ForkServer

if TYPE_CHECKING:
    from jupyter_client import KernelManager

KERNEL = "python3"  # the project environment's own kernel (JUPYTER_PREFER_ENV_PATH=1)
# The kernels' own notices (transport warnings, the interrupt at shutdown) would drown the
# progress bar and read like failures; real errors come back through papermill. IPython's
# history in memory: a build's cells are not the user's typing (each build added them to
# ~/.ipython's history database, and writing it cost each kernel a tenth of a second).
# (Not `HistoryManager.enabled=False`: a kernel so started takes 2.6 s to shut down.)
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.hist_file=:memory:"]
# What every notebook imports first (its setup cell); a warm kernel has them loaded.
_WARM_UP = "import polars, altair, great_tables, vl_convert\nfrom analysis.report import Edition"


# A server started ahead (`start_server`) for the next pool of kernels to take.
_early: ForkServer | None = None
_early_lock = threading.Lock()


def start_server() -> None:
    """Start the fork server now, without waiting for it: the build starts it while its data
    step runs (runs follow a change of the data), and the next `WarmKernels` takes it."""
    global _early
    with _early_lock:
        if FORKS and _early is None:
            _early = ForkServer(wait=False)


def stop_server() -> None:
    """Stop a server `start_server` started that no pool took."""
    global _early
    with _early_lock:
        server, _early = _early, None
    if server is not None:
        server.close()


def _take_server() -> ForkServer:
    """The server started ahead, or a new one; ready."""
    global _early
    with _early_lock:
        server, _early = _early, None
    server = server or ForkServer(wait=False)
    try:
        server.ready()
    except BaseException:
        server.close()
        raise
    return server


def start_kernel(cwd: Path, server: ForkServer | None) -> tuple[KernelManager, float]:
    """A kernel forked by `server` (or started on its own without one), with the report's
    libraries imported, and the seconds it took."""
    from jupyter_client import KernelManager

    start = time.perf_counter()
    km = server.manager(KERNEL) if server else KernelManager(kernel_name=KERNEL)
    km.start_kernel(cwd=str(cwd), extra_arguments=KERNEL_ARGS)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        reply = kc.execute_interactive(_WARM_UP, timeout=120, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(
                f"the kernel could not import the report's libraries: {reply['content']}"
            )
    except BaseException:
        km.shutdown_kernel(now=True)
        raise
    finally:
        kc.stop_channels()
    return km, time.perf_counter() - start


class WarmKernels:
    """`take()` hands out a started kernel and starts the next one, `total` kernels at most
    (the runs to execute: a kernel started for nobody costs a run its CPU); `retire(km)`
    shuts a run's kernel down once the run ended; `close()` waits for those and shuts down
    the kernels never taken. `seconds` sums the time spent starting the kernels taken."""

    def __init__(self, cwd: Path, ahead: int, total: int):
        self.cwd, self.ahead, self.left = cwd, ahead, total
        self.seconds = 0.0
        # Threads named the same in every build: jupyter_client's calls keep an event loop
        # and a thread for each thread name they are made from (jupyter_core's run_sync),
        # which new names in each build of one process (the bench, the tests) piled up.
        self._pool = ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="sti-kernel-start")
        self._starting: deque[Future] = deque()
        # Shutting a kernel down waits a tenth of a second for its process to go: beside the
        # next runs, not before them.
        self._stopping = ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="sti-kernel-stop")
        self._stopped: list[Future] = []
        self._lock = threading.Lock()
        self._server: ForkServer | None = None

    def server(self) -> ForkServer | None:
        """The fork server the kernels come from, ready (None where kernels are not forked);
        started on first use: a build whose runs are all reused starts none."""
        with self._lock:
            if self._server is None and FORKS:
                self._server = _take_server()
                self.seconds += self._server.seconds
            return self._server

    def take(self) -> KernelManager:
        server = self.server()
        with self._lock:
            while len(self._starting) < self.ahead + 1 and self.left > 0:
                self._starting.append(self._pool.submit(start_kernel, self.cwd, server))
                self.left -= 1
            future = self._starting.popleft()
        km, seconds = future.result()
        self.seconds += seconds
        return km

    def retire(self, km: KernelManager) -> None:
        """Shut down the kernel of a run that ended."""
        with self._lock:
            self._stopped.append(self._stopping.submit(km.shutdown_kernel, now=True))

    def close(self) -> None:
        with self._lock:
            for future in self._starting:
                future.cancel()
            self._pool.shutdown(wait=True)
            for future in self._starting:
                if not future.cancelled() and future.exception() is None:
                    future.result()[0].shutdown_kernel(now=True)
            self._starting.clear()
            self._stopping.shutdown(wait=True)  # every kernel gone before its server goes
            try:
                for future in self._stopped:
                    future.result()
            finally:
                self._stopped.clear()
                if self._server is not None:
                    self._server.close()
                    self._server = None
