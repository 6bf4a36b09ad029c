"""Build steps: one content-hash cache and one atomic publisher for every step of the build.

A step's key is a hash of everything it reads (bytes, text, files). Its output, a file or a
folder, is stored in the cache under that key, so an unchanged step is reused and not run.
A published folder (`data/processed`, `_build/<edition>`, `_site`) is built beside itself
and swapped in only when the build succeeded (`staged`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.paths import LANGUAGES_FILE, ROOT, THEME_FILE, VOCABULARIES_FILE

_READS = "reads"  # pointers: a recorded step's static key -> what it read when it last ran
_PUBLISHED = "published"  # stamps: a published folder -> the key it was last built from


def code_files() -> list[Path]:
    """What every step's output depends on besides its own inputs."""
    return [
        *(ROOT / "src/analysis").rglob("*.py"),
        # The texts (message catalogs), the languages and the vocabularies the code reads.
        *(ROOT / "src/analysis").rglob("*.po"),
        # The package's HTML templates (a chart's figure): what a notebook run displays.
        *(ROOT / "src/analysis").rglob("*.html"),
        VOCABULARIES_FILE,
        LANGUAGES_FILE,
        THEME_FILE,
        ROOT / "uv.lock",
        *(ROOT / "assets/fonts").glob("*"),
    ]


def file_parts(paths: Iterable[Path], root: Path) -> list:
    """Each file's path (relative to `root`) and its bytes, in path order: inputs of a key."""
    return [part for path in sorted(paths) if path.is_file()
            for part in (path.relative_to(root).as_posix(), path)]  # fmt: skip


def code_digest() -> str:
    return digest(file_parts(code_files(), ROOT))


def digest(parts: Iterable) -> str:
    """A hash of a step's inputs: bytes as they are, a Path as its file's bytes, else as text."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            part = part.read_bytes()
        elif not isinstance(part, bytes):
            part = str(part).encode("utf-8")
        # Each part hashed on its own, so ("ab", "c") and ("a", "bc") differ.
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:32]


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """Build into `<target>.staging`; swap it in place of `target` only when the block succeeds.

    On any failure the staging folder is removed and `target` is left as it was.
    """
    staging = target.with_name(target.name + ".staging")
    previous = target.with_name(target.name + ".previous")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)


def link_tree(source: Path, dest: Path) -> None:
    """`source`'s files at `dest` as hard links where the file system allows (else copies):
    a published tree placed without copying its megabytes. A linked file is never written
    in place afterwards, on either side: it is replaced (`dest` unlinked, a new file
    written), as every step here writes into a staging folder of its own."""
    shutil.copytree(source, dest, dirs_exist_ok=True, copy_function=_link_or_copy)


def link_file(source: Path, dest: Path) -> None:
    """`source` at `dest` as a hard link (else a copy), as `link_tree` places a file."""
    dest.unlink(missing_ok=True)
    _link_or_copy(str(source), str(dest))


def _link_or_copy(source: str, dest: str) -> None:
    try:
        os.link(source, dest)
    except OSError:  # another file system, or one without hard links
        shutil.copy2(source, dest)


class StepCache:
    """Outputs of steps in `folder`, each under the key of its inputs.

    `outcomes` lists (step, reused) as the steps finish, `seconds` how long each step that
    ran took. With `reuse=False` every step runs (the naive build, `sti data --force`); its
    outputs are still stored.
    """

    def __init__(self, folder: Path, reuse: bool = True):
        self.folder = folder
        self.reuse = reuse
        self.outcomes: list[tuple[str, bool]] = []
        self.seconds: dict[str, float] = {}
        self._used: set[str] = set()  # keys of entries and pointers this build used
        folder.mkdir(parents=True, exist_ok=True)

    def _entry(self, key: str) -> Path:
        self._used.add(key)
        return self.folder / key

    def _hit(self, step: str, entry: Path) -> bool:
        if self.reuse and entry.exists():
            os.utime(entry)  # used now: `prune_untouched` keeps it
            self.outcomes.append((step, True))
            return True
        return False

    def output(self, step: str, parts: list, dest: Path, produce: Callable[[Path], None],
               link: bool = False) -> bool:  # fmt: skip
        """Copy the stored output of `step` to `dest`, or `produce(dest)` and store a copy;
        True when it was reused. With `link`, hard links (`link_tree`) in place of copies: for
        an output nothing writes in place afterwards, it saves making (and later deleting) a
        file for each of its files in each build.

        For steps that must run in place (a page inside the site being built)."""
        place = _link if link else _copy
        entry = self._entry(digest(parts))
        if self._hit(step, entry):
            place(entry, dest)
            return True
        start = time.perf_counter()
        produce(dest)
        self.seconds[step] = time.perf_counter() - start
        scratch = self._scratch(entry)
        place(dest, scratch)
        self._keep(scratch, entry)
        self.outcomes.append((step, False))
        return False

    def recorded(
        self,
        step: str,
        parts: list,
        digest_reads: Callable[[list], str],
        produce: Callable[[Path], list],
    ) -> Path:
        """The stored output folder of a step that also depends on what it reads, known only
        once it ran: `produce(folder)` fills `folder` and returns its reads.

        A pointer keyed by the static `parts` holds the reads of the last run; the entry's key
        adds `digest_reads(reads)`, so the step runs again when any of those reads changed."""
        static = digest(parts)
        self._used.add(static)
        stored = self._stored(static, digest_reads)
        if stored is not None and self._hit(step, self._entry(stored.name)):
            return stored
        scratch = self._scratch(self.folder / static)
        scratch.mkdir()
        start = time.perf_counter()
        reads = produce(scratch)
        self.seconds[step] = time.perf_counter() - start
        entry = self._entry(digest([static, digest_reads(reads)]))
        self._keep(scratch, entry)
        pointer = self._pointer(static)
        pointer.parent.mkdir(exist_ok=True)
        pointer.write_text(json.dumps(sorted(reads)), encoding="utf-8")
        self.outcomes.append((step, False))
        return entry

    def stored(self, parts: list, digest_reads: Callable[[list], str]) -> Path | None:
        """The stored output `recorded` would reuse for these `parts`, or None if it would run."""
        entry = self._stored(digest(parts), digest_reads)
        return entry if entry is not None and entry.exists() else None

    def _stored(self, static: str, digest_reads: Callable[[list], str]) -> Path | None:
        """Where the output of the step keyed `static` is stored for what it read last time
        (None: never recorded, or not reusing)."""
        pointer = self._pointer(static)
        if not (self.reuse and pointer.is_file()):
            return None
        reads = json.loads(pointer.read_text(encoding="utf-8"))
        return self.folder / digest([static, digest_reads(reads)])

    def refresh(self, parts: list, target: Path, publish: Callable[[], None]) -> bool:
        """Bring the published folder `target` up to date: `publish()` (which replaces it
        atomically) unless `target` was last published from these same inputs.

        True when `target` was reused as it is."""
        key = digest(parts)
        stamp = self.folder / _PUBLISHED / f"{target.name}-{digest([str(target.resolve())])[:12]}"
        if self.reuse and target.is_dir() and stamp.is_file() and stamp.read_text() == key:
            return True
        # Removed first: were the build to stop after the swap, no stale stamp would vouch for it.
        stamp.unlink(missing_ok=True)
        publish()
        stamp.parent.mkdir(exist_ok=True)
        stamp.write_text(key)
        return False

    def prune(self) -> None:
        """Remove the entries and pointers this build did not use (published stamps stay)."""
        for path in self.folder.iterdir():
            if path.name == _READS:
                for pointer in path.iterdir():
                    if pointer.stem not in self._used:
                        pointer.unlink()
            elif path.name != _PUBLISHED and path.name not in self._used:
                _remove(path)

    def keep(self, parts: list) -> None:
        """Keep the entry of these inputs in the cache though no step asked for it this time
        (a part of a stored output that was reused whole): it is marked used."""
        entry = self._entry(digest(parts))
        if entry.exists():
            os.utime(entry)

    def prune_untouched(self, since: float) -> None:
        """Remove the entries no step used or made since `since` (a `time.time()`): for a
        cache that several steps and processes share in one build (the site's: each edition's
        pages and PDFs, and Quarto's post-render steps), where no one of them knows all it used.
        """
        for path in self.folder.iterdir():
            if path.name not in (_READS, _PUBLISHED) and path.stat().st_mtime < since:
                _remove(path)

    def _pointer(self, static: str) -> Path:
        return self.folder / _READS / f"{static}.json"

    def _scratch(self, entry: Path) -> Path:
        scratch = entry.with_name(entry.name + ".tmp")
        _remove(scratch)
        return scratch

    def _keep(self, scratch: Path, entry: Path) -> None:
        # A finished output enters the cache in one rename: an entry is never half written.
        _remove(entry)
        # Made now (a copied folder has its source's time): `prune_untouched` keeps it.
        os.utime(scratch)
        scratch.rename(entry)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _link(source: Path, dest: Path) -> None:
    if source.is_dir():
        link_tree(source, dest)
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        link_file(source, dest)


def _copy(source: Path, dest: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, dest, dirs_exist_ok=True)
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
