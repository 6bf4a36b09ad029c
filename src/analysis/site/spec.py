"""The site's pages, listed once: `data/pages.csv`.

One row per page, in the site's order: the navigation of both renderers (Quarto's navbar,
from the generated `_quarto-<lang>.yml` profiles, and pandoc's header), the staged pages and
the PDF's chapters all follow it. Its columns:

    page      the page's slug: `pages/<lang>/<page>.html`
    notebook  the notebook that makes it (`notebooks/<notebook>.ipynb`); its name, number
              prefix included, has no say in the order
    menu      the navbar menu the page is listed in (its label: `nav_menu.<menu>` in the
              message catalogs); empty: the navbar itself. A menu's pages are consecutive.
    in_pdf    whether the annual report (PDF) holds the page

A page's label in the navigation is `nav.<page>` in the catalogs (its title, `page.<page>`,
is longer). The data build publishes the same table (`pages`) and checks it with the rest
of the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analysis.paths import DATA
from analysis.product.errors import DataError
from analysis.product.tables import LINE, read_table
from analysis.report.i18n import t

PAGES_FILE = DATA / "pages.csv"
COLUMNS = ["page", "notebook", "menu", "in_pdf"]
BOOLEANS = {"true": True, "false": False}


@dataclass(frozen=True)
class SitePage:
    slug: str
    notebook: str  # the notebook's name without `.ipynb`
    menu: str | None
    in_pdf: bool


@dataclass(frozen=True)
class NavLink:
    slug: str
    text: str


@dataclass(frozen=True)
class NavMenu:
    text: str
    links: tuple[NavLink, ...]


@cache
def site_pages(path: Path = PAGES_FILE) -> tuple[SitePage, ...]:
    """The pages in site order. Stops, naming file, row and field, on a page or notebook
    listed twice, an `in_pdf` other than true/false, or a menu whose pages are apart."""
    frame = read_table(path, COLUMNS)
    pages: list[SitePage] = []
    seen: dict[str, set[str]] = {"page": set(), "notebook": set()}
    menus_done: set[str] = set()
    for row in frame.iter_rows(named=True):
        line = row[LINE]
        for field, values in seen.items():
            value = row[field].strip()
            if not value or value in values:
                raise DataError(path, line, field, f"{value!r} is empty or listed twice")
            values.add(value)
        in_pdf = BOOLEANS.get(row["in_pdf"].strip())
        if in_pdf is None:
            raise DataError(path, line, "in_pdf", "must be true or false")
        menu = row["menu"].strip() or None
        previous = pages[-1].menu if pages else None
        if menu != previous and previous is not None:
            menus_done.add(previous)
        if menu in menus_done:
            raise DataError(path, line, "menu", f"the pages of menu {menu!r} must be consecutive")
        pages.append(SitePage(row["page"].strip(), row["notebook"].strip(), menu, in_pdf))
    return tuple(pages)


def slugs(path: Path = PAGES_FILE) -> list[str]:
    return [page.slug for page in site_pages(path)]


def notebook_pages(path: Path = PAGES_FILE) -> dict[str, str]:
    """Notebook name (`02_pii`) -> the page it makes (`pii`)."""
    return {page.notebook: page.slug for page in site_pages(path)}


def navigation(lang: str, path: Path = PAGES_FILE) -> list[NavLink | NavMenu]:
    """The navigation in `lang`: links in site order, each menu's pages gathered under its
    label at the place of its first page."""
    items: list[NavLink | NavMenu] = []
    menu, links = None, []  # the menu being gathered
    for page in (*site_pages(path), None):
        if menu is not None and (page is None or page.menu != menu):
            items.append(NavMenu(t(f"nav_menu.{menu}", lang), tuple(links)))
            menu, links = None, []
        if page is None:
            break
        link = NavLink(page.slug, t(f"nav.{page.slug}", lang))
        if page.menu is None:
            items.append(link)
        else:
            menu = page.menu
            links.append(link)
    return items


def nav_links(lang: str, path: Path = PAGES_FILE) -> list[NavLink]:
    """Every page's link in site order, menus flattened."""
    return [
        link
        for item in navigation(lang, path)
        for link in (item.links if isinstance(item, NavMenu) else (item,))
    ]
