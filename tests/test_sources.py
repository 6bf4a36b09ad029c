"""The full verification of every observation against its source text (CI runs it)."""

from __future__ import annotations

import polars as pl

from analysis.product.dataset import build_tables
from analysis.product.sources import normalise_text


def test_every_observation_is_verified_against_its_source(sources_dir):
    tables = build_tables(sources_dir=sources_dir)
    obs = tables["observations"]
    for row in obs.iter_rows(named=True):
        text = normalise_text((sources_dir / f"{row['source_id']}.txt").read_text(encoding="utf-8"))
        assert normalise_text(row["quote"]) in text, row["obs_id"]
    per_source = dict(tables["sources"].select("source_id", "figures").iter_rows())
    assert sum(per_source.values()) == obs.height
    assert all(count > 0 for count in per_source.values())


def test_disagreeing_sources_are_published_as_conflicts(sources_dir):
    conflicts = build_tables(sources_dir=sources_dir)["conflicts"]
    residence = conflicts.filter(pl.col("indicator_id") == "procedures_residence_independent")
    assert sorted(residence["value"].to_list()) == [1320, 1878]
    assert residence["source_id"].n_unique() == 2


def test_normalise_text_joins_broken_lines():
    assert normalise_text("phát \n\ntriển  kinh\u00a0tế") == "phát triển kinh tế"
    assert normalise_text("Nghi\u0323") == "Nghị"
