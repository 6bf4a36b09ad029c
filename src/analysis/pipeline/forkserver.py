"""Kernels forked from a process that has already imported the libraries every run needs.

Starting a kernel and importing IPython, altair, great_tables and vl_convert costs most of
a second of CPU; thirty runs paid it thirty times. A fork server pays it once: it imports
them (and the report's modules that do not load polars, with the fonts chart labels are
measured in), then forks a fresh process for each kernel. Every run still has a process of its
own that no other run touched, so nothing passes between notebooks. (Linux only, see
`FORKS`; elsewhere each kernel starts on its own as before.)

Only libraries that start no threads are imported before forking (a forked child has
none of its parent's threads, and a library that counts on them hangs): polars starts
its thread pools on import, so each kernel imports polars itself. `serve()` checks this.

How a kernel starts: `ForkingKernelManager` (a jupyter_client `KernelManager`) launches
`analysis.pipeline.launcher` (`kernel SOCKET -f CONNECTION_FILE`) instead of
`ipykernel_launcher`. That small process hands its arguments, working folder, environment
and standard streams to the server, which forks the kernel; it then stands for the kernel:
it passes on signals and exits with the kernel's status. If it is killed, the server sees
its connection close and kills the kernel.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

from analysis.pipeline import launcher

# Imported once, before forking; each must start no thread (checked by `serve`): the
# kernel's and the notebooks' libraries, and the report's modules that do not load polars.
_PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger",
           "IPython", "IPython.core.debugger", "IPython.core.completerlib",
           "IPython.extensions.storemagic", "tornado.platform.asyncio", "zmq", "sqlite3",
           "altair", "great_tables", "vl_convert", "babel.dates", "babel.numbers",
           "babel.messages.pofile", "babel.messages.mofile", "difflib", "jinja2", "yaml", "typst",
           "uharfbuzz", "fontTools.ttLib", "analysis.quarto", "analysis.report.display",
           "analysis.report.svgtext", "analysis.report.theme", "analysis.report.typeset")  # fmt: skip
# Linux: fork, file descriptors passed over UNIX sockets, and /proc to count threads.
FORKS = sys.platform == "linux"
MODULE = "analysis.pipeline.forkserver"  # run as `python -m` for the server
_LAUNCHER = ["-m", "ipykernel_launcher"]  # how a kernel spec starts an IPython kernel


def _threads() -> int:
    return len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else 1


def _warm_up() -> None:
    """Make what each kernel would otherwise make for itself on first use (a tenth of a
    second or more each time): the shipped fonts chart labels are measured in, the locale
    data and site configuration of the site's languages, the report's compiled templates,
    and altair's parser of field shorthands (its regular expressions). Caches keyed by what
    they read (a file's text, its time): a kernel still sees a change."""
    import csv

    import altair as alt
    import babel.localedata

    from analysis.paths import FONT_DIR, LANGUAGES_FILE
    from analysis.quarto import load_config
    from analysis.report import display, svgtext

    svgtext.load_fonts(FONT_DIR)
    with LANGUAGES_FILE.open(encoding="utf-8", newline="") as f:
        for language in csv.DictReader(f):
            babel.localedata.load(language["babel_locale"])
            # A profile missing or broken: the runs that read it say so, where it is read.
            with contextlib.suppress(Exception):
                load_config(language["lang"])
    for template in display.template_names():
        display.compiled(template)
    values = alt.Data(values=[{"n": "a", "v": 1}])
    alt.Chart(values).mark_bar().encode(x="v:Q", y="n:N", tooltip=["n:N"]).to_dict(validate=False)


def serve(path: str, preload: tuple[str, ...] = _PRELOAD, warm: bool = True) -> None:
    """Import `preload` (and `_warm_up`), listen on the UNIX socket `path`, fork a kernel
    per request; stop when the process that started the server is gone, or on SIGTERM,
    after ending (and reaping) the processes it forked."""
    import compileall
    import gc
    import importlib

    import analysis

    # No collection while the libraries load (none of what they make is garbage), and none of
    # it ever collected in a kernel (`gc.freeze` below): a kernel's collections would walk
    # every object it inherited, a tenth of its time, and by writing to each copy the pages
    # that hold them (copy-on-write).
    gc.disable()
    parent = os.getppid()
    # The package's bytecode written where it is missing or stale (a few milliseconds when
    # it is current): kernels import its modules, and where PYTHONDONTWRITEBYTECODE is set
    # (as in many containers) each compiled them again, a twentieth of a second per kernel.
    compileall.compile_dir(Path(analysis.__file__).parent, quiet=2)
    for module in preload:
        importlib.import_module(module)
        if _threads() != 1:
            raise SystemExit(f"fork server: importing {module} started a thread; "
                             "a forked kernel would lack it")  # fmt: skip
    if warm:
        _warm_up()
        if _threads() != 1:
            raise SystemExit(
                "fork server: the warm-up started a thread; a forked kernel would lack it"
            )
    gc.freeze()
    gc.enable()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    # From now on SIGTERM ends the loop below (before, it ends the server as it is).
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
    print("ready", flush=True)  # the parent waits for this line
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    kernels: dict[socket.socket, int] = {}  # a launcher's connection -> its kernel's pid
    while os.getppid() == parent and not stopping:
        for key, _ in selector.select(timeout=0.05):
            if key.fileobj is listener:
                conn, _ = listener.accept()
                try:
                    kernels[conn] = _fork_kernel(conn, listener)
                except (OSError, ValueError):  # that launcher gave up: the others go on
                    conn.close()
                    continue
                selector.register(conn, selectors.EVENT_READ)
            else:  # the launcher went away: its kernel goes too
                conn = key.fileobj
                selector.unregister(conn)
                pid = kernels.pop(conn)
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)  # reaped at once: no kernel lingers as a zombie
                conn.close()
        for conn, pid in list(kernels.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                with contextlib.suppress(OSError):  # the launcher may be gone already
                    conn.sendall(f"exit {code}\n".encode())
                selector.unregister(conn)
                del kernels[conn]
                conn.close()
    for pid in kernels.values():  # what still runs goes with the server, reaped: its time counts
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _fork_kernel(conn: socket.socket, listener: socket.socket) -> int:
    """Fork a kernel (or the module the request names, run as `python -m` would) as the
    launcher on `conn` asks; tell the launcher its pid."""
    _, fds, _, _ = socket.recv_fds(conn, 1, 3)  # the launcher's standard streams
    message = b""
    while not message.endswith(b"\n"):  # then its request, one line of JSON
        part = conn.recv(1 << 16)
        if not part:
            raise OSError("a kernel launcher hung up before its request")
        message += part
    request = json.loads(message)
    pid = os.fork()
    if pid == 0:  # the kernel
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the server's handler
            listener.close()
            conn.close()
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
                os.close(fd)
            os.setsid()
            os.chdir(request["cwd"])
            os.environ.clear()
            os.environ.update(request["env"])
            if request.get("module"):
                import runpy

                sys.argv = [request["module"], *request["args"]]
                runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
            else:
                sys.argv = ["ipykernel_launcher", *request["args"]]
                from ipykernel import kernelapp

                kernelapp.launch_new_instance()
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except BaseException:  # the kernel's own error, on its stderr
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    for fd in fds:
        os.close(fd)
    conn.sendall(f"pid {pid}\n".encode())
    return pid


class ForkServer:
    """A running fork server (a child process) and its socket; `close()` stops it.
    `wait=False`: started, not yet waited for (`ready()` waits)."""

    def __init__(self, wait: bool = True) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="sti-kernels-")
        self.socket = str(Path(self.folder.name) / "server")
        self._kernels = itertools.count(1)  # each kernel's sockets: kernel-<n>-<port>
        self._started = time.perf_counter()
        self.seconds: float | None = None  # from its start until it was ready
        self.process = subprocess.Popen(
            [sys.executable, "-m", MODULE, "serve", self.socket],
            stdout=subprocess.PIPE, text=True,
            # as jupyter_client sets it for kernels: the preloaded debugger stays quiet
            env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
        )  # fmt: skip
        if wait:
            self.ready()

    def ready(self) -> None:
        """Wait until the server has imported its libraries and listens."""
        if self.seconds is not None:
            return
        if self.process.stdout.readline().strip() != "ready":
            self.process.wait()
            raise RuntimeError(
                f"the kernel fork server did not start (exit {self.process.returncode})"
            )
        self.seconds = time.perf_counter() - self._started

    def manager(self, kernel_name: str):
        """A `KernelManager` whose kernel is forked by this server, reached through UNIX
        sockets in the server's folder: over TCP, a port chosen for a kernel could be taken
        before the kernel bound it (by another connection's ephemeral port), and the kernel
        died at its start ("Address already in use")."""
        sockets = Path(self.folder.name) / f"kernel-{next(self._kernels)}"
        return _manager_class()(kernel_name=kernel_name, fork_socket=self.socket,
                                transport="ipc", ip=str(sockets))  # fmt: skip

    def command(self, module: str) -> list[str]:
        """The command that runs `module` (as `python -m` would) in a process this server
        forks, with the command's standard streams."""
        return launcher.command(self.socket, "run", module)

    def close(self) -> None:
        """Stop the server, once it has ended the processes it forked (SIGTERM)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.folder.cleanup()


@cache
def _manager_class():
    from queue import Empty

    import zmq
    from jupyter_client import KernelManager
    from jupyter_client.blocking import BlockingKernelClient
    from traitlets import Unicode, default

    class ReadyClient(BlockingKernelClient):
        def start_channels(self, shell=True, iopub=True, stdin=True, hb=False, control=True):
            """No heartbeat: a client its manager made asks the manager whether the kernel
            lives (is_alive), and a heartbeat's thread pings on until it is stopped."""
            super().start_channels(shell, iopub, stdin, hb, control)

        def wait_for_ready(self, timeout: float | None = None) -> None:
            """As jupyter_client waits: until the kernel answers on its shell channel and its
            iopub messages reach this client; but then not for 0.2 s of iopub silence too,
            which every run's client paid (a run reads only the replies to its requests)."""
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    reply = self.get_shell_msg(timeout=1)
                    if reply["msg_type"] == "kernel_info_reply":
                        self.get_iopub_msg(timeout=0.2)  # its status: iopub is connected
                        self._handle_kernel_info_reply(reply)
                        return
                except Empty:
                    pass
                if not self.is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    class ForkingKernelManager(KernelManager):
        fork_socket = Unicode()

        @default("client_factory")
        def _ready_client(self):
            return ReadyClient

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._clients: list[ReadyClient] = []

        def client(self, **kwargs):
            made = super().client(**kwargs)
            # A client made as the kernel starts connects before the kernel has bound its
            # sockets; ZeroMQ then tries again only after its reconnect interval (a tenth of
            # a second by default, which every kernel's start waited out).
            made.context.setsockopt(zmq.RECONNECT_IVL, 10)
            self._clients.append(made)
            return made

        def shutdown_kernel(self, now=False, restart=False):
            # A run's client (nbclient leaves open the clients of kernels it did not start)
            # would keep its sockets connecting to the kernel's ports, which a later
            # kernel may be given: closed with the kernel.
            while self._clients:
                self._clients.pop().stop_channels()
            launcher = getattr(self.provisioner, "process", None)
            if now and launcher is not None:
                # Killed and reaped at once (the server then kills the kernel it stands for):
                # jupyter_client would interrupt it, kill it, then look every tenth of a second
                # whether it is gone.
                launcher.kill()
                launcher.wait()
            super().shutdown_kernel(now=now, restart=restart)

        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            if cmd[1:3] != _LAUNCHER:  # not an IPython kernel: start it as the spec says
                return cmd
            return launcher.command(self.fork_socket, "kernel", *cmd[3:])

    return ForkingKernelManager


if __name__ == "__main__":
    command, path, *rest = sys.argv[1:]
    if command != "serve":
        raise SystemExit(f"usage: python -m {MODULE} serve SOCKET [MODULE ...]")
    # serve SOCKET [MODULE ...]: the modules instead of _PRELOAD, no warm-up
    serve(path, tuple(rest) or _PRELOAD, warm=not rest)
    # Ended: what it forked is gone and its socket's folder is its parent's to remove.
    # Python's own exit would tear down every library it loaded (a quarter of a second,
    # which the build waited for).
    sys.stdout.flush()
    os._exit(0)
