"""Where things live. The source texts are outside the project; their folder is configured."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
PROCESSED = DATA / "processed"
BUILD = ROOT / "_build"  # executed notebooks, chart exports, step caches
FONT_DIR = ROOT / "assets" / "fonts"  # the shipped fonts: charts, exports, PDF, web fonts
THEME_FILE = ROOT / "assets" / "theme.toml"  # the colours of charts, pages and PDF
VOCABULARIES_FILE = DATA / "vocabularies.csv"  # every code list the validators accept
LANGUAGES_FILE = DATA / "languages.csv"  # the site's languages, default first
SOURCES_ENV = "STI_SOURCES_DIR"


def sources_dir() -> Path | None:
    """The folder holding the source texts (`<source_id>.txt`), from $STI_SOURCES_DIR."""
    value = os.environ.get(SOURCES_ENV, "").strip()
    if not value:
        return None
    path = Path(value).expanduser().resolve()
    if not path.is_dir():
        raise FileNotFoundError(f"{SOURCES_ENV}={value} is not a folder")
    return path
