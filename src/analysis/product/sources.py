"""The source texts: normalisation, integrity (SHA-256) and lookup."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import polars as pl

from analysis.product.errors import DataError, DataErrors


def normalise_text(text: str) -> str:
    """NFC, and every run of whitespace as one space: the form quotes are compared in."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_texts(sources: pl.DataFrame, folder: Path, registry: Path) -> dict[str, str]:
    """Read every registered source text and check it is the registered version."""
    texts, errors = {}, []
    for row in sources.iter_rows(named=True):
        path = folder / f"{row['source_id']}.txt"
        if not path.is_file():
            errors.append(DataError(registry, row["_line"], "source_id", f"no text at {path}"))
            continue
        digest = _sha256_of(path)
        if digest != row["sha256"]:
            errors.append(
                DataError(
                    registry,
                    row["_line"],
                    "sha256",
                    f"{path} has SHA-256 {digest}, not the registered one: the text changed",
                )
            )
            continue
        texts[row["source_id"]] = normalise_text(path.read_text(encoding="utf-8"))
    if errors:
        raise DataErrors(errors)
    return texts
