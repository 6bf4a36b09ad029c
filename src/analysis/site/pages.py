"""The HTML pages pandoc renders from the staged pages, for machines without Quarto."""

from __future__ import annotations

import re
from functools import cache

from markupsafe import Markup

from analysis.paths import ROOT
from analysis.report.i18n import t
from analysis.site.config import PAGES, ROOT_FROM_PAGE, markdown_html, pandoc, render
from analysis.site.spec import navigation
from analysis.site.stage import StagedPage


@cache
def footer_html(text: str, up: str = "") -> str:
    """The footer's Markdown as HTML. Its links name pages from the project's root, as
    Quarto writes them (`/pages/en/cite.md`); on a page they go to the page (`../en/cite.html`,
    from a page `up` more folders down)."""
    text = re.sub(rf"\]\(/{PAGES}/([^)]+)\.md\)", rf"]({up}../\1.html)", text)
    html_text = pandoc(text, "html5").strip()
    return html_text.removeprefix("<p>").removesuffix("</p>")


# A link from the site's root (`/assets/site.css`), as the includes write them for Quarto,
# which makes each relative to its page.
_FROM_ROOT = re.compile(r'(\b(?:href|src)=")/(?!/)')


@cache
def _include(name: str, up: str = "") -> str:
    """An include of `_quarto.yml`, its links from the site's root made relative to a page
    `up` more folders below `pages/<lang>/`."""
    text = (ROOT / name).read_text(encoding="utf-8").strip()
    return _FROM_ROOT.sub(rf"\g<1>{ROOT_FROM_PAGE}{up}", text)


def render_page(page: StagedPage, slug: str, config: dict) -> str:
    """A staged page as HTML in `site/templates/page.html`: the same title, head, body,
    styles and scripts (`format.html` in `_quarto.yml`) Quarto renders, in pandoc's own
    chrome; its navigation lists the pages of data/pages.csv in order, under their menus.
    `slug`: the page's path below `pages/<lang>/` (a chart's page: `charts/<chart_id>`)."""
    website, html_format = config["website"], config["format"]["html"]
    up = "../" * slug.count("/")  # from the page's folder to pages/<lang>/
    body = markdown_html(page.body).strip()
    # The site's stylesheets first: a page's own styles (its tables') come after them and win
    # where they meet, as they did inside the body.
    head = [
        part for part in (_include(html_format["include-in-header"], up), page.head.strip()) if part
    ]
    return render(
        "page.html",
        lang=page.lang,
        title=page.title,
        site_title=website["title"],
        brand=website["navbar"]["title"],
        head=[Markup(part) for part in head],
        skip_label="↓",
        menu_label=t("menu", page.lang),
        items=navigation(page.lang),
        current=slug,
        up=up,
        body=Markup(body),
        footer=Markup(footer_html(website["page-footer"]["center"], up)),
        after_body=Markup(_include(html_format["include-after-body"], up)),
    )
