"""What a notebook run read from the data product, and a digest of exactly that.

A run records its reads as it goes: whole tables (`table`), one indicator's observations
(`indicator`), or the observations' outline (`outline`: which indicators, periods and
sources exist, not their values). The build keys each run on the digest of those reads,
so a corrected figure re-runs only the notebooks that show it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl

OUTLINE_COLUMNS = ["indicator_id", "geo", "period", "obs_type", "source_id"]


class Reads:
    """The reads of one run; written to `path` (when given) as they happen."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else None
        self.items: set[tuple[str, str]] = set()

    def add(self, kind: str, name: str = "") -> None:
        if (kind, name) in self.items:
            return
        self.items.add((kind, name))
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(sorted(self.items)), encoding="utf-8")


def load_reads(path: Path) -> list[tuple[str, str]] | None:
    if not path.is_file():
        return None
    return [tuple(item) for item in json.loads(path.read_text(encoding="utf-8"))]


def _frame_digest(frame: pl.DataFrame) -> str:
    # CSV of a sorted frame: a stable text form (Parquet bytes may carry writer details).
    data = frame.sort(frame.columns).write_csv() if frame.height else ",".join(frame.columns)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def digest(reads: list[tuple[str, str]], folder: Path) -> str:
    """One hash of everything `reads` names, taken from the published tables in `folder`."""
    tables: dict[str, pl.DataFrame] = {}

    def table(name: str) -> pl.DataFrame:
        if name not in tables:
            tables[name] = pl.read_parquet(folder / f"{name}.parquet")
        return tables[name]

    parts = []
    for kind, name in sorted(reads):
        if kind == "table":
            part = _frame_digest(table(name))
        elif kind == "indicator":
            obs = table("observations")
            part = _frame_digest(obs.filter(pl.col("indicator_id") == name))
        elif kind == "outline":
            part = _frame_digest(table("observations").select(OUTLINE_COLUMNS))
        else:
            raise ValueError(f"unknown read kind {kind!r}")
        parts.append(f"{kind}:{name}:{part}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def files_digest(paths: list[Path]) -> str:
    """A hash of files' names and bytes (code, lock file, fonts, templates)."""
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.name).encode("utf-8"))
        h.update(path.read_bytes())
    return h.hexdigest()
