"""The HTML pages pandoc renders from the staged pages, for machines without Quarto."""

from __future__ import annotations

import html
import re
from functools import cache

import pypandoc

from analysis.paths import ROOT
from analysis.report.i18n import t
from analysis.site.config import PAGES, TEMPLATES, Page, nav_pages
from analysis.site.stage import StagedPage


def nav_html(pages: list[Page], current: str) -> str:
    items = []
    for page in pages:
        here = ' aria-current="page"' if page.slug == current else ""
        items.append(f'<li><a href="{page.slug}.html"{here}>{html.escape(page.text)}</a></li>')
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


@cache
def footer_html(text: str) -> str:
    """The footer's Markdown as HTML. Its links name pages from the project's root, as
    Quarto writes them (`/pages/en/cite.md`); on a page they go to the page (`../en/cite.html`)."""
    text = re.sub(rf"\]\(/{PAGES}/([^)]+)\.md\)", r"](../\1.html)", text)
    html_text = pypandoc.convert_text(text, "html5", format="markdown").strip()
    return html_text.removeprefix("<p>").removesuffix("</p>")


def render_page(page: StagedPage, slug: str, config: dict) -> str:
    """A staged page as HTML in `site/page.html`: the same title, head, body, styles and
    scripts (`format.html` in `_quarto.yml`) Quarto renders, in pandoc's own chrome."""
    website, html_format = config["website"], config["format"]["html"]
    variables = {
        "lang": page.lang, "pagetitle": page.title, "site-title": website["title"],
        "nav": nav_html(nav_pages(config), slug), "nav-label": website["title"],
        "header-includes": page.head, "skip-label": "↓",
        "footer": footer_html(website["page-footer"]["center"]), "menu-label": t("menu", page.lang),
    }  # fmt: skip
    args = ["--standalone", f"--template={TEMPLATES / 'page.html'}",
            f"--include-in-header={ROOT / html_format['include-in-header']}",
            f"--include-after-body={ROOT / html_format['include-after-body']}"]  # fmt: skip
    args += [f"--variable={k}:{v}" for k, v in variables.items()]
    return pypandoc.convert_text(page.body, "html5", format="markdown", extra_args=args)
