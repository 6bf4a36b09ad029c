"""Build steps: reuse a step's output when a hash of everything it reads is unchanged."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path


class StepCache:
    """Reuse a step's output when a hash of everything it reads is unchanged.

    `outcomes` lists (step, reused) in the order the steps were asked for.
    """

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.outcomes: list[tuple[str, bool]] = []

    def output(self, step: str, parts: list, dest: Path, produce) -> None:
        """Copy the cached output of `step` to `dest`, or `produce(dest)` and cache it."""
        h = hashlib.sha256()
        for part in parts:
            h.update(
                hashlib.sha256(
                    part if isinstance(part, bytes) else str(part).encode("utf-8")
                ).digest()
            )
        cached = self.folder / h.hexdigest()[:32] if self.folder is not None else None
        if cached is not None and cached.exists():
            _copy(cached, dest)
            self.outcomes.append((step, True))
            return
        produce(dest)
        if cached is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(cached.name + ".tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            _copy(dest, tmp)
            tmp.rename(cached)
        self.outcomes.append((step, False))


def _copy(source: Path, dest: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, dest, dirs_exist_ok=True)
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
