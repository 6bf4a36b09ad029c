"""The Quarto project's configuration as Quarto reads it: `_quarto.yml` merged with a
language's profile. A base module (paths and YAML only): the report layer reads the site's
address from it for citations, the site layer everything else."""

from __future__ import annotations

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


def load_config(lang: str) -> dict:
    """`_quarto.yml` merged with the language's profile, as Quarto merges them."""
    base = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    profile = yaml.safe_load((ROOT / f"_quarto-{lang}.yml").read_text(encoding="utf-8"))
    return _merge(base, profile)
