"""How to cite an edition, from one place: the edition and its data date, the observatory's
name and title in each language (the message catalogs: `site.title`, `cite.title`), the
licence (`CITATION.cff`) and the site's address (`website.site-url` in `_quarto.yml`; empty
until the site has one, and citations then say so).

The cite page and the PDF's cover give `reference(lang)`; each chart's citation (its
`.cite.txt`, and under the chart) is `chart_reference`; the site publishes the citation as
`cite/CITATION.cff`, BibTeX and RIS, in English (`_FILES_LANG`). The year is the data date's
year everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

import yaml
from babel.dates import format_date

from analysis.paths import ROOT
from analysis.quarto import setting
from analysis.report.i18n import LANGUAGES, t

CFF = ROOT / "CITATION.cff"
FOLDER = "cite"  # in the site: _site/cite/
_FILES_LANG = "en"  # the language of the citation files (one file each, for reference managers)


def site_url(lang: str) -> str:
    """The site's public address, or "" while it has none."""
    return (setting(lang, "website", "site-url") or "").rstrip("/")


def key_parts(lang: str) -> list:
    """What a citation in `lang` reads besides the code and the data: for build keys."""
    return [CFF, site_url(lang)]


@dataclass(frozen=True)
class Citation:
    edition: int
    data_date: str  # ISO date: the newest source's date

    @cached_property
    def cff(self) -> dict:
        return yaml.safe_load(CFF.read_text(encoding="utf-8"))

    @property
    def licence(self) -> str:
        """The licence as readers write it (`CC BY 4.0`, as the site's footer), from the
        SPDX id in `CITATION.cff` (`CC-BY-4.0`)."""
        return self.cff["license"].replace("-", " ")

    @property
    def stem(self) -> str:
        return f"cantho-sti-observatory-{self.edition}"

    @property
    def year(self) -> str:
        return self.data_date[:4]

    def author(self, lang: str) -> str:
        return t("site.title", lang)

    def title(self, lang: str) -> str:
        return t("cite.title", lang, observatory=self.author(lang))

    @staticmethod
    def address(lang: str) -> str:
        return site_url(lang) or t("cite.no_address", lang)

    def date_text(self, lang: str) -> str:
        return format_date(
            date.fromisoformat(self.data_date), "long", locale=LANGUAGES[lang].babel_locale
        )

    def reference(self, lang: str) -> str:
        """The edition's citation line, in the reader's language."""
        text = t("cite.reference", lang, author=self.author(lang), year=self.year,
                 title=self.title(lang), edition=self.edition, date=self.date_text(lang),
                 licence=self.licence, address=self.address(lang))  # fmt: skip
        # An access date only where there is an address to access.
        return f"{text} {t('cite.accessed', lang)}" if site_url(lang) else text

    def chart_reference(self, lang: str, title: str, sources: str) -> str:
        """A chart's citation line: the chart, the edition, the year, the licence, the
        address and the chart's sources."""
        return t("chart_citation", lang, observatory=self.author(lang), year=self.year,
                 title=title, edition=self.edition, licence=self.licence,
                 address=self.address(lang), sources=sources)  # fmt: skip

    def files(self) -> dict[str, str]:
        """Each citation file's name and text."""
        # Here, not at the top: notebook kernels use this module for the lines only.
        import bibtexparser
        import rispy
        from bibtexparser.model import Entry, Field

        class Ris(rispy.RisWriter):
            # rispy numbers each record ("1."), which is not RIS: a blank line separates records.
            def set_header(self, count: int) -> str:
                return ""

        lang = _FILES_LANG
        url, author, title = site_url(lang), self.author(lang), self.title(lang)
        cff = {**self.cff, "title": title, "authors": [{"name": author}],
               "version": str(self.edition), "date-released": self.data_date}  # fmt: skip
        # BibTeX styles lower-case a title's words ("Can tho sti observatory"): braces keep them.
        fields = {"author": f"{{{author}}}", "title": f"{{{title}}}", "year": self.year,
                  "date": self.data_date, "edition": str(self.edition), "version": str(self.edition),
                  "publisher": author, "note": f"License: {self.licence}"}  # fmt: skip
        ris = {"type_of_reference": "DATA", "authors": [author], "title": title, "year": self.year,
               "date": self.data_date.replace("-", "/"), "edition": str(self.edition),
               "publisher": author, "notes": [fields["note"]]}  # fmt: skip
        if url:
            # A file cannot know when its reader accessed the site: the access date it
            # carries is the edition's data date (the day its content is as of).
            cff["url"] = fields["url"] = url
            fields["urldate"] = self.data_date
            ris["urls"], ris["access_date"] = [url], ris["date"]
        else:
            fields["howpublished"] = t("cite.no_address", lang)
        entry = Entry("misc", self.stem, [Field(k, v) for k, v in fields.items()])
        texts = (yaml.safe_dump(cff, sort_keys=False, allow_unicode=True, width=1000),
                 bibtexparser.write_string(bibtexparser.Library([entry])),
                 rispy.dumps([ris], implementation=Ris).lstrip("\n"))  # fmt: skip
        return dict(zip(self.names(), texts, strict=True))

    def write(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in self.files().items():
            written.append(folder / name)
            written[-1].write_text(text, encoding="utf-8")
        return written

    def names(self) -> list[str]:
        return ["CITATION.cff", f"{self.stem}.bib", f"{self.stem}.ris"]

    def paths(self) -> dict[str, str]:
        """Each citation file's name and path in the site (from its root)."""
        return {name: f"{FOLDER}/{name}" for name in self.names()}
