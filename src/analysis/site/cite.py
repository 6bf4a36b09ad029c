"""How to cite an edition, from one place: `CITATION.cff`, the edition and its data date,
and the site's address (`website.site-url` in `_quarto.yml`; empty until the site has one).

The site publishes the edition's citation as `cite/CITATION.cff`, BibTeX and RIS; the cite
page lists them with the citation line, and the PDF's cover uses the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

import bibtexparser
import rispy
import yaml
from babel.dates import format_date
from bibtexparser.model import Entry, Field

from analysis.paths import ROOT
from analysis.report.i18n import LANGUAGES, t
from analysis.site.config import load_config

CFF = ROOT / "CITATION.cff"
FOLDER = "cite"  # in the site: _site/cite/
CITE_PAGE = "cite"


class _Ris(rispy.RisWriter):
    # rispy numbers each record ("1."), which is not RIS: a blank line separates records.
    def set_header(self, count: int) -> str:
        return ""


def site_url(lang: str) -> str:
    """The site's public address, or "" while it has none."""
    return (load_config(lang)["website"].get("site-url") or "").rstrip("/")


@dataclass(frozen=True)
class Citation:
    edition: int
    data_date: str  # ISO date: the newest source's date

    @cached_property
    def cff(self) -> dict:
        return yaml.safe_load(CFF.read_text(encoding="utf-8"))

    @property
    def author(self) -> str:
        return self.cff["authors"][0]["name"]

    @property
    def stem(self) -> str:
        return f"cantho-sti-observatory-{self.edition}"

    @property
    def year(self) -> str:
        return self.data_date[:4]

    def address(self, lang: str) -> str:
        return site_url(lang) or t("cite.no_address", lang)

    def date_text(self, lang: str) -> str:
        return format_date(
            date.fromisoformat(self.data_date), "long", locale=LANGUAGES[lang].babel_locale
        )

    def reference(self, lang: str) -> str:
        """The citation line, in the reader's language."""
        return t("cite.reference", lang, author=self.author, year=self.year, title=self.cff["title"],
                 edition=self.edition, date=self.date_text(lang), address=self.address(lang),
                 licence=self.cff["license"])  # fmt: skip

    def files(self) -> dict[str, str]:
        """Each citation file's name and text."""
        url = site_url(next(iter(LANGUAGES)))
        cff = {**self.cff, "version": str(self.edition), "date-released": self.data_date}
        if url:
            cff["url"] = url
        fields = {"author": f"{{{self.author}}}", "title": self.cff["title"], "year": self.year,
                  "date": self.data_date, "edition": str(self.edition), "version": str(self.edition),
                  "publisher": self.author, "note": f"License: {self.cff['license']}"}  # fmt: skip
        ris = {"type_of_reference": "DATA", "authors": [self.author], "title": self.cff["title"],
               "year": self.year, "date": self.data_date.replace("-", "/"), "edition": str(self.edition),
               "publisher": self.author, "notes": [fields["note"]]}  # fmt: skip
        if url:
            fields["url"], ris["urls"] = url, [url]
        else:
            fields["howpublished"] = t("cite.no_address", "en")
        entry = Entry("misc", self.stem, [Field(k, v) for k, v in fields.items()])
        return {
            "CITATION.cff": yaml.safe_dump(cff, sort_keys=False, allow_unicode=True, width=1000),
            f"{self.stem}.bib": bibtexparser.write_string(bibtexparser.Library([entry])),
            f"{self.stem}.ris": rispy.dumps([ris], implementation=_Ris).lstrip("\n"),
        }

    def write(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in self.files().items():
            written.append(folder / name)
            written[-1].write_text(text, encoding="utf-8")
        return written

    def page_markdown(self, lang: str, root: str) -> str:
        """What the cite page adds: the citation line and the citation files (`root`: the
        site's root seen from the page)."""
        links = " · ".join(f"[{name}]({root}{FOLDER}/{name})" for name in self.files())
        return f"{t('cite.reference_label', lang)} {self.reference(lang)}\n\n{t('cite.files', lang)} {links}\n"
