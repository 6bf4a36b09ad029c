"""What a notebook run read from the data product, and a digest of exactly that.

A run records its reads as it goes: whole tables (`table`), one indicator's observations
(`indicator`), the observations' outline (`outline`: which indicators, periods and
sources exist, not their values), or only how many rows a table has (`rows`). The build keys each run on the digest of those reads,
so a corrected figure re-runs only the notebooks that show it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import polars as pl

OUTLINE_COLUMNS = ["indicator_id", "geo", "period", "obs_type", "source_id"]


class Reads:
    """The reads of one run; written to `path` (when given) as they happen."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else None
        self.items: set[tuple[str, str]] = set()
        # Polars may call a notebook's Python functions (map_elements) from several threads.
        self._lock = threading.Lock()

    def add(self, kind: str, name: str = "") -> None:
        with self._lock:
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


class Digests:
    """Digests of reads from the published tables in `folder`, each computed once."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._tables: dict[str, pl.DataFrame] = {}
        self._parts: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def _table(self, name: str) -> pl.DataFrame:
        if name not in self._tables:
            self._tables[name] = pl.read_parquet(self.folder / f"{name}.parquet")
        return self._tables[name]

    def part(self, kind: str, name: str) -> str:
        with self._lock:
            if (kind, name) not in self._parts:
                if kind == "table":
                    frame = self._table(name)
                elif kind == "indicator":
                    frame = self._table("observations").filter(pl.col("indicator_id") == name)
                elif kind == "outline":
                    frame = self._table("observations").select(OUTLINE_COLUMNS)
                elif kind == "rows":
                    frame = pl.DataFrame({"rows": [self._table(name).height]})
                else:
                    raise ValueError(f"unknown read kind {kind!r}")
                self._parts[(kind, name)] = _frame_digest(frame)
            return self._parts[(kind, name)]

    def __call__(self, reads: list[tuple[str, str]]) -> str:
        """One hash of everything `reads` names."""
        parts = [f"{kind}:{name}:{self.part(kind, name)}" for kind, name in sorted(reads)]
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
