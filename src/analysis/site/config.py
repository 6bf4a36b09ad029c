"""The site's configuration: `_quarto.yml` with its language profiles, and its pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from analysis.paths import ROOT
from analysis.report.i18n import LANGS

SITE = ROOT / "_site"
TEMPLATES = ROOT / "site"
# The pages, staged for rendering, and the site they make: pages/<lang>/<slug>.md renders to
# _site/pages/<lang>/<slug>.html. Not vi/ and en/ at the project's root: Quarto would read
# the profile's `lang: vi` as that folder's path.
PAGES = "pages"
ROOT_FROM_PAGE = "../../"  # the site's root, seen from a page


def page_dir(root: Path, lang: str) -> Path:
    """Where one language's pages are, in the project (staged) or in a site (rendered)."""
    return root / PAGES / lang


def other_langs(lang: str) -> tuple[str, ...]:
    """The languages a page's language switch offers: every other one, in site order."""
    if lang not in LANGS:
        raise KeyError(f"no language {lang!r}: the languages are {LANGS}")
    return tuple(other for other in LANGS if other != lang)


@dataclass(frozen=True)
class Page:
    slug: str
    text: str


def nav_pages(config: dict) -> list[Page]:
    """The navbar's pages in order, menus flattened."""
    pages = []
    for item in config["website"]["navbar"]["left"]:
        for entry in item.get("menu", [item]):
            pages.append(Page(Path(entry["href"]).stem, entry["text"]))
    return pages


def page_slug(notebook: Path) -> str:
    """`03_rd_workforce.ipynb` -> `rd_workforce`; `00_index.ipynb` -> `index`."""
    return re.sub(r"^\d+_", "", notebook.stem)
