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
def _merged(base_text: str, profile_text: str) -> dict:
    # A build reads the configuration once per notebook run and per chart page (its
    # citation's address): parsing YAML each time was half of a rebuild with nothing to do.
    # Keyed by the texts, so an edited file is read anew. Shared: never changed in place.
    return _merge(yaml.safe_load(base_text), yaml.safe_load(profile_text))


def _config(lang: str) -> dict:
    profile = (ROOT / f"_quarto-{lang}.yml").read_text(encoding="utf-8")
    return _merged(CONFIG.read_text(encoding="utf-8"), profile)


def load_config(lang: str) -> dict:
    """`_quarto.yml` merged with the language's profile, as Quarto merges them (a copy the
    caller may change)."""
    return copy.deepcopy(_config(lang))


def setting(lang: str, *keys: str) -> object:
    """One value of the language's configuration (`setting("en", "website", "site-url")`),
    None where it is not set; without copying the whole of it."""
    value = _config(lang)
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return copy.deepcopy(value)
