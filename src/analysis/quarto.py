"""The Quarto project's configuration as Quarto reads it: `_quarto.yml` merged with a
language's profile. A base module (paths and YAML only): the report layer reads the site's
address from it for citations, the site layer everything else."""

from __future__ import annotations

import copy
from functools import lru_cache

import yaml

from analysis.paths import ROOT

CONFIG = ROOT / "_quarto.yml"


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = (
            _merge(merged[key], value)
            if isinstance(value, dict) and isinstance(merged.get(key), dict)
            else value
        )
    return merged


@lru_cache(maxsize=8)
def _parsed(text: str) -> dict:
    # A build reads the configuration once per notebook run (its citation's address): parsing
    # YAML thirty times was half of a rebuild with nothing to do. Keyed by the text, so an
    # edited file is read anew.
    return yaml.safe_load(text)


def load_config(lang: str) -> dict:
    """`_quarto.yml` merged with the language's profile, as Quarto merges them (a copy the
    caller may change)."""
    base = _parsed(CONFIG.read_text(encoding="utf-8"))
    profile = _parsed((ROOT / f"_quarto-{lang}.yml").read_text(encoding="utf-8"))
    return copy.deepcopy(_merge(base, profile))
