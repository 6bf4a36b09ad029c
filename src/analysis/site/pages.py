"""Notebook outputs as Markdown, and the HTML pages pandoc renders from them."""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path

import pypandoc

from analysis.report.display import CHART_CLASS, HTML_MIME
from analysis.report.i18n import LANGUAGES, t
from analysis.site.config import TEMPLATES, Page, nav_pages, other_langs


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def _raw_html(fragment: str) -> str:
    return f"```{{=html}}\n{fragment}\n```"


def notebook_markdown(path: Path) -> tuple[str, bool]:
    """The notebook's outputs as one Markdown document, and whether it draws charts.

    HTML outputs pass through as raw HTML, unchanged; Markdown outputs as Markdown (pandoc
    reads a traced figure's span).
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    blocks, charts = [], False
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if HTML_MIME in data:
                fragment = _text(data[HTML_MIME])
                charts = charts or f'class="{CHART_CLASS}"' in fragment
                blocks.append(_raw_html(fragment))
            elif "text/markdown" in data:
                blocks.append(_text(data["text/markdown"]))
    return "\n\n".join(blocks) + "\n", charts


# HTML pages ------------------------------------------------------------------------------


def nav_html(pages: list[Page], current: str) -> str:
    items = []
    for page in pages:
        here = ' aria-current="page"' if page.slug == current else ""
        items.append(f'<li><a href="{page.slug}.html"{here}>{html.escape(page.text)}</a></li>')
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


@cache
def footer_html(text: str) -> str:
    """The footer's Markdown as HTML. Its links name notebooks from the project's root, as
    Quarto writes them (`/en/cite.ipynb`); on a page they go to the page (`../en/cite.html`)."""
    text = re.sub(r"\]\(/([^)]+)\.ipynb\)", r"](../\1.html)", text)
    html_text = pypandoc.convert_text(text, "html5", format="markdown").strip()
    return html_text.removeprefix("<p>").removesuffix("</p>")


def language_links(lang: str, slug: str) -> tuple[str, str]:
    """The page's twins in every other language: `<link rel="alternate">`s for the head, and
    the language switch, each link named in its own language (data/languages.csv)."""
    twins = [(other, html.escape(f"../{other}/{slug}.html")) for other in other_langs(lang)]
    head = "\n".join(f'<link rel="alternate" hreflang="{o}" href="{href}">' for o, href in twins)
    switch = "\n  ".join(
        f'<a class="lang-switch" href="{href}" hreflang="{o}" lang="{o}">'
        f"{html.escape(LANGUAGES[o].name)}</a>"
        for o, href in twins
    )
    return head, switch


def render_page(markdown: str, charts: int, page: Page, title: str, lang: str, config: dict) -> str:
    website = config["website"]
    alternates, switch = language_links(lang, page.slug)
    variables = {
        "lang": lang, "pagetitle": title, "site-title": website["title"], "root": "../",
        "nav": nav_html(nav_pages(config), page.slug), "nav-label": website["title"],
        "lang-switch": switch, "alternates": alternates, "search-label": t("search", lang),
        "skip-label": "↓", "footer": footer_html(website["page-footer"]["center"]),
        "menu-label": t("menu", lang),
    }  # fmt: skip
    args = ["--standalone", f"--template={TEMPLATES / 'page.html'}"]
    args += [f"--variable={k}:{v}" for k, v in variables.items()]
    if charts:
        args.append("--variable=charts:true")
    return pypandoc.convert_text(markdown, "html5", format="markdown", extra_args=args)


def page_title(markdown: str, fallback: str) -> str:
    m = re.search(r"^# (.+)$", markdown, re.MULTILINE)
    return html.unescape(re.sub(r"<[^>]+>", "", m[1])) if m else fallback
