"""The site's configuration: where its files are, its languages, its HTML templates."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from analysis.paths import ROOT
from analysis.report.i18n import LANGS

SITE = ROOT / "_site"
TEMPLATES = ROOT / "site"
HTML_TEMPLATES = TEMPLATES / "templates"  # the HTML the site's code writes (Jinja2)
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


@cache
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(HTML_TEMPLATES),
        autoescape=True,  # every value is text unless it is marked as HTML (Markup)
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **values) -> str:
    """`site/templates/<template>` filled with `values`, each escaped as HTML text."""
    return _templates().get_template(template).render(**values)


def pandoc(text: str, to: str, source: str = "markdown", lua_filter: Path | None = None) -> str:
    """`text` converted by pandoc from `source` to `to` (pandoc's names for its formats).
    Not checked against pandoc's lists of formats: pypandoc would run pandoc twice more for
    that, on every conversion (two of every three pandoc processes of a build)."""
    import pypandoc  # here: what imports this module (a notebook's kernel) may never convert

    filters = [str(lua_filter)] if lua_filter else None
    return pypandoc.convert_text(text, to, format=source, filters=filters, verify_format=False)


@lru_cache(maxsize=128)
def markdown_html(text: str) -> str:
    """Markdown as HTML (`pandoc`), remembered: the PDF converts the bodies of the pages the
    site's render converted just before."""
    return pandoc(text, "html5")
