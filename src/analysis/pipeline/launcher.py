"""The process that stands for a kernel (or a module) the fork server forks
(`analysis.pipeline.forkserver`): it hands its arguments, working folder, environment and
standard streams to the server, passes signals on to what was forked and exits with its
status. If it is killed, the server sees its connection close and kills what it forked.

Run as a script with `python -I -S` (`command`): one starts for every kernel, and without
the site's packages and this package to import it is ready in half the time.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys

FLAGS = ["-I", "-S"]  # isolated, no site: the standard library is all it imports


def command(server_socket: str, *args: str) -> list[str]:
    """The command that runs this launcher: `kernel SOCKET ARGS...` (an IPython kernel) or
    `run SOCKET MODULE` (the module, as `python -m` would run it)."""
    return [sys.executable, *FLAGS, os.path.abspath(__file__), args[0], server_socket, *args[1:]]


def launch(path: str, args: list[str], module: str | None = None) -> int:
    """Stand for a kernel (or `module`) the server forks: pass signals on, return its exit
    status."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
    request = {"args": args, "cwd": os.getcwd(), "env": dict(os.environ), "module": module}
    socket.send_fds(conn, [b"F"], [0, 1, 2])
    conn.sendall(json.dumps(request).encode() + b"\n")
    reply = conn.makefile("r")
    pid = int(reply.readline().split()[1])

    def forward(signum, frame):
        with contextlib.suppress(ProcessLookupError):  # the kernel has just ended
            os.kill(pid, signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, forward)
    line = reply.readline()
    return int(line.split()[1]) if line.startswith("exit") else 1


if __name__ == "__main__":
    what, path, *rest = sys.argv[1:]
    if what == "run":  # run SOCKET MODULE: the module, forked
        sys.exit(launch(path, [], module=rest[0]))
    sys.exit(launch(path, rest))  # kernel SOCKET ARGS...: an IPython kernel, forked
