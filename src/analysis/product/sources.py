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


# What a document says of itself, each value with the verbatim snippet it was read from:
# its official number (`46/KH-UBND` from "Số: 46/KH-UBND") and its address. The date and the
# publisher have a snippet only: the catalog's `date` and `publisher_*` hold their values.
# An empty snippet means the document does not give it.
VALUE_SNIPPETS = {"identifier": "identifier_quote", "url": "url_quote"}
SNIPPETS = ("identifier_quote", "date_quote", "publisher_quote", "url_quote")


def _numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\d+", text)}


def detail_errors(sources: pl.DataFrame, registry: Path) -> list[DataError]:
    """Each identifier and address stands verbatim in its snippet, and has one; a date
    snippet holds the catalog's date (its year, month and day as numbers: `25 Tháng 8 năm
    2025` for 2025-08-25). Needs no source text."""
    errors = []
    for row in sources.iter_rows(named=True):
        line = row["_line"]
        for field, snippet_field in VALUE_SNIPPETS.items():
            value, snippet = row[field], row[snippet_field]
            if value and not snippet:
                errors.append(DataError(registry, line, snippet_field,
                                        f"{field} {value!r} needs the snippet it was read from"))  # fmt: skip
            elif snippet and not value:
                errors.append(DataError(registry, line, field,
                                        f"empty, but {snippet_field} is given"))  # fmt: skip
            elif value and normalise_text(value) not in normalise_text(snippet):
                errors.append(DataError(registry, line, field,
                                        f"{value!r} is not in its snippet {snippet!r}"))  # fmt: skip
        if row["date_quote"] and not _numbers(row["date"]) <= _numbers(row["date_quote"]):
            errors.append(DataError(registry, line, "date_quote",
                                    f"does not give the date {row['date']}"))  # fmt: skip
    return errors


def detail_text_errors(
    sources: pl.DataFrame, texts: dict[str, str], registry: Path
) -> list[DataError]:
    """Each snippet is found verbatim (whitespace- and NFC-normalised) in its source's text:
    an identifier or address not in the document stops the build."""
    return [
        DataError(registry, row["_line"], field, f"not found verbatim in source {row['source_id']}")
        for row in sources.iter_rows(named=True)
        for field in SNIPPETS
        if row[field]
        and row["source_id"] in texts
        and normalise_text(row[field]) not in texts[row["source_id"]]
    ]
