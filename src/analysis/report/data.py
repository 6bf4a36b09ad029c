"""The published data product as polars frames, for one edition; every read is recorded.

This is the notebooks' one door to the data. Reading a whole table records `table`;
reading observations records each indicator read (and the inputs of derived ones), so
the build re-runs a notebook only when what it read changed (see `analysis.base.reads`).
"""

from __future__ import annotations

import json
from datetime import date
from functools import cached_property
from pathlib import Path

import polars as pl

from analysis.base.reads import OUTLINE_COLUMNS, Reads
from analysis.paths import PROCESSED
from analysis.report import metrics


def _table_names(folder: Path) -> list[str]:
    """The tables the data product publishes, as its datapackage.json lists them."""
    descriptor = folder / "datapackage.json"
    if not descriptor.is_file():
        raise FileNotFoundError(f"{folder} has no datapackage.json: run `make data` first")
    return [r["name"] for r in json.loads(descriptor.read_text(encoding="utf-8"))["resources"]]


def data_date(folder: Path = PROCESSED) -> str:
    """The data product's version, the edition's data date: the newest source's date
    (`analysis.product.dataset.data_date`, written into datapackage.json)."""
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["version"]


def latest_edition(folder: Path = PROCESSED) -> int:
    """The newest report year the published observations support."""
    return metrics.editions(pl.read_parquet(folder / "observations.parquet"))[-1]


class EditionData:
    """The tables of `folder`, with observations restricted to what `edition` knew."""

    def __init__(self, folder: Path | None, edition: int | None, reads: Reads | None = None):
        self.folder = Path(folder) if folder else PROCESSED
        self.names = _table_names(self.folder)
        self.reads = reads or Reads()
        self._frames: dict[str, pl.DataFrame] = {}
        supported = metrics.editions(self.outline())
        self.edition = int(edition) if edition else supported[-1]
        if self.edition not in supported:
            raise ValueError(f"edition {self.edition} is not supported by the data ({supported})")
        self.as_of: date = metrics.edition_date(self.edition)

    @property
    def data_date(self) -> str:
        """The edition's data date (ISO), read from the data product's version."""
        self.reads.add("table", "sources")  # the version is the newest source's date
        return data_date(self.folder)

    def _read(self, name: str) -> pl.DataFrame:
        if name not in self.names:
            raise KeyError(f"the data product has no table {name!r} (it has {self.names})")
        if name not in self._frames:
            self._frames[name] = pl.read_parquet(self.folder / f"{name}.parquet")
        return self._frames[name]

    def table(self, name: str) -> pl.DataFrame:
        """A whole published table."""
        self.reads.add("table", name)
        return self._read(name)

    def rows(self, name: str) -> int:
        """How many rows a published table has (its values are not read)."""
        self.reads.add("rows", name)
        return self._read(name).height

    def outline(self) -> pl.DataFrame:
        """Which indicators, periods and sources have observations, without their values."""
        self.reads.add("outline")
        return self._read("observations").select(OUTLINE_COLUMNS)

    @cached_property
    def _observations(self) -> pl.DataFrame:
        """Observations of the edition, plus the figures derived from them."""
        known = metrics.for_edition(self._read("observations"), self.edition)
        return metrics.with_derived(known, self._read("indicators"))

    @cached_property
    def _ratio_inputs(self) -> dict[str, tuple[str, str]]:
        ratios = metrics.ratio_definitions(self._read("indicators"))
        return {derived: (num, den) for derived, num, den, _ in ratios}

    def observations(self, indicator_ids: list[str] | None = None) -> pl.DataFrame:
        """The edition's observations of these indicators (all of them when None)."""
        if indicator_ids is None:
            self.reads.add("table", "observations")
            return self._observations
        for ind in indicator_ids:
            self.reads.add("indicator", ind)
            for source in self._ratio_inputs.get(ind, ()):
                self.reads.add("indicator", source)
        return self._observations.filter(pl.col("indicator_id").is_in(indicator_ids))

    def by_id(self, indicator_ids: list[str]) -> dict[str, dict]:
        """The edition's observations of these indicators, each by its `obs_id`."""
        return {r["obs_id"]: r for r in self.observations(indicator_ids).iter_rows(named=True)}

    def changes(self) -> pl.DataFrame:
        """What changed since the previous edition (`analysis.report.editions.changes`): the
        edition's data product has it, computed by the build against the previous edition as
        that was published; on the whole data product (JupyterLab), it is computed here
        against the previous edition as of the same data."""
        from analysis.report import editions  # here: only the what-changed page needs it

        if "changes" in self.names:
            return self.table("changes")
        for name in ("observations", "indicators", "targets", "sources", "charts"):
            self.reads.add("table", name)
        whole = {name: self._read(name) for name in self.names}
        earlier = [e for e in metrics.editions(whole["observations"]) if e < self.edition]
        previous = editions.as_of(whole, earlier[-1], None) if earlier else None
        return editions.changes(
            previous, editions.as_of(whole, self.edition, None), earlier[-1] if earlier else None
        )

    def latest(self, indicator_id: str, obs_type: str = "actual") -> dict | None:
        """The most recent observation of an indicator, or None."""
        return metrics.latest(self.observations([indicator_id]), indicator_id, obs_type)
