"""Editions on the site: the banner and the edition switch a page gets where it is
published, and the list of editions with their errata (`editions/<lang>.html`).

Every edition is published at addresses of its own, `editions/<year>/` (its pages, charts,
PDFs, data, citation files, assets and search index: the tree its site step built), and the
latest also at the site's current addresses. A page is rendered once, with two marks
(`BANNER_MARK`, `SWITCH_MARK`) where its banner and switch go; `place_tree` places a tree
where it is published (its files linked) and fills the marks in its own copy of each page, so
the same rendered page serves both addresses, and a frozen edition keeps its filled pages as
they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markupsafe import Markup

from analysis.base.steps import link_tree
from analysis.report.i18n import LANGS, LANGUAGES, fmt_period, label, t
from analysis.site.config import PAGES, other_langs, render

BANNER_MARK = Markup("<!-- edition-banner -->")
SWITCH_MARK = Markup("<!-- edition-switch -->")
EDITIONS = "editions"  # _site/editions/<year>/: each edition's own addresses
HOME = "index"  # a page's slug in an edition that lacks it: that edition's home page


@dataclass(frozen=True)
class Listed:
    """An edition as the site lists it."""

    edition: int
    status: str  # data/vocabularies.csv `edition_status`: draft, published, frozen
    published: date | None  # None for a draft
    slugs: frozenset[str]  # the pages it has


def _root(at_edition_address: bool) -> str:
    """The site's root seen from a page: `pages/<lang>/` or `editions/<year>/pages/<lang>/`."""
    return "../../../../" if at_edition_address else "../../"


def _page(root: str, listed: Listed, lang: str, slug: str) -> str:
    shown = slug if slug in listed.slugs else HOME
    return f"{root}{EDITIONS}/{listed.edition}/{PAGES}/{lang}/{shown}.html"


def editions_href(root: str, lang: str) -> str:
    return f"{root}{EDITIONS}/{lang}.html"


def chrome(lang: str, slug: str, here: Listed, at_edition_address: bool, listed: list[Listed],
           latest: Listed) -> tuple[str, str]:  # fmt: skip
    """A page's banner (empty on the latest edition) and edition switch. `listed`: the
    published editions; `latest`: the one at the site's current addresses."""
    root = _root(at_edition_address)
    all_href, all_label = editions_href(root, lang), t("editions.all", lang)
    banner = ""
    if here.edition != latest.edition:
        if here.status == "draft":
            text = t("edition_banner.draft", lang, edition=here.edition)
        else:
            text = t("edition_banner.older", lang, edition=here.edition,
                     date=fmt_period(here.published.isoformat(), lang))  # fmt: skip
        shown = slug if slug in latest.slugs else HOME
        banner = render("edition_banner.html", text=text, all_href=all_href, all_label=all_label,
                        latest_href=f"{root}{PAGES}/{lang}/{shown}.html",
                        latest_label=t("edition_banner.latest", lang)).strip()  # fmt: skip
    shown = sorted({*listed, here}, key=lambda e: e.edition, reverse=True)
    # "latest" only on the latest's own pages: an older edition's pages are frozen one day,
    # and the edition it would name may not stay the latest.
    items = [{"href": f"{slug}.html" if e.edition == here.edition else _page(root, e, lang, slug),
              "current": e.edition == here.edition,
              "text": t("editions.latest_item", lang, edition=e.edition)
              if e.edition == latest.edition == here.edition else str(e.edition)} for e in shown]  # fmt: skip
    switch = render("edition_switch.html", label=t("edition_switch", lang, edition=here.edition),
                    items=items, all_href=all_href, all_label=all_label).strip()  # fmt: skip
    return banner, switch


def tree_slugs(tree: Path) -> frozenset[str]:
    """The pages an edition's tree has (those of the default language)."""
    return frozenset(p.stem for p in (tree / PAGES / LANGS[0]).glob("*.html"))


def fill_page(text: str, banner: str, switch: str, name: str) -> str:
    """A rendered page with its banner and switch in place of the marks."""
    for mark in (BANNER_MARK, SWITCH_MARK):
        if text.count(mark) != 1:
            raise ValueError(f"{name}: {text.count(mark)} marks {mark} (a page has one of each)")
    return text.replace(BANNER_MARK, banner).replace(SWITCH_MARK, switch)


def place_tree(tree: Path, dest: Path, here: Listed, at_edition_address: bool,
               listed: list[Listed], latest: Listed) -> None:  # fmt: skip
    """Place an edition's tree at `dest` (the site's root, or `editions/<year>/`), its files
    linked, each page a copy with the banner and switch of that place."""
    link_tree(tree, dest)
    for page in sorted((dest / PAGES).glob("*/*.html")):
        lang, slug = page.parent.name, page.stem
        banner, switch = chrome(lang, slug, here, at_edition_address, listed, latest)
        text = page.read_text(encoding="utf-8")
        page.unlink()  # a link to the tree's page: the filled page is a file of its own
        page.write_text(fill_page(text, banner, switch, str(page.relative_to(dest))),
                        encoding="utf-8")  # fmt: skip


def write_editions_pages(site: Path, listed: list[Listed], latest: Listed,
                         errata: list[dict]) -> list[Path]:  # fmt: skip
    """`editions/<lang>.html` for every language (and `editions/index.html`, which opens the
    default language's): each published edition, newest first, with its links and errata.
    `errata`: rows of data/errata.csv (edition, page, date, text_<lang>)."""
    folder = site / EDITIONS
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in LANGS:
        entries = []
        for e in sorted(listed, key=lambda e: e.edition, reverse=True):
            base = f"{e.edition}/"
            state = t("editions.state", lang, status=label("edition_status", e.status, lang),
                      date=fmt_period(e.published.isoformat(), lang))  # fmt: skip
            current = None  # the latest is also at the site's current addresses
            if e.edition == latest.edition:
                current = (t("editions.current", lang), f"../{PAGES}/{lang}/{HOME}.html")
            links = [(t("nav.index", lang), f"{base}{PAGES}/{lang}/{HOME}.html"),
                     (t("editions.report", lang), f"{base}reports/report-{e.edition}-{lang}.pdf"),
                     (t("editions.data", lang), f"{base}data/datapackage.json"),
                     (t("editions.cite", lang), f"{base}cite/CITATION.cff")]  # fmt: skip
            found = [{"date": fmt_period(r["date"], lang), "text": r[f"text_{lang}"],
                      "page": t(f"nav.{r['page']}", lang) if r["page"] else "",
                      "href": f"{base}{PAGES}/{lang}/{r['page']}.html" if r["page"] else ""}
                     for r in errata if r["edition"] == e.edition]  # fmt: skip
            entries.append({"edition": e.edition, "links": links, "errata": found, "state": state,
                            "current": current,
                            "heading": t("edition_switch", lang, edition=e.edition)})  # fmt: skip
        twins = [{"lang": other, "href": f"{other}.html", "name": LANGUAGES[other].name}
                 for other in other_langs(lang)]  # fmt: skip
        text = render("editions.html", lang=lang, title=t("editions.title", lang),
                      site_title=t("site.title", lang), intro=t("editions.intro", lang),
                      editions=entries, twins=twins, errata_label=t("editions.errata", lang),
                      no_errata=t("editions.no_errata", lang))  # fmt: skip
        written.append(folder / f"{lang}.html")
        written[-1].write_text(text, encoding="utf-8")
    redirect = render("editions_root.html", default=LANGS[0], title=t("editions.title", LANGS[0]),
                      languages=[LANGUAGES[lang] for lang in LANGS])  # fmt: skip
    (folder / "index.html").write_text(redirect, encoding="utf-8")
    return written
