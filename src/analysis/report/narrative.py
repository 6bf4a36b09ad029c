"""Narrative sentences and the data checks, as the notebooks used them before the catalogs.

Transitional: read-only views over the message catalogs (keys `sentence.<key>` and
`check.<id>`, see `analysis.report.i18n`), in the shapes edition.py still reads
(`SENTENCES[key][lang]`, `CHECKS[lang]`). They go once it calls `i18n.t` directly.
"""

from __future__ import annotations

from types import MappingProxyType

from analysis.report.i18n import CHECK_IDS, LANGS, catalog, t

PREFIX = "sentence."
SENTENCES = MappingProxyType(
    {
        key.removeprefix(PREFIX): MappingProxyType({lang: t(key, lang) for lang in LANGS})
        for key in catalog(LANGS[0])
        if key.startswith(PREFIX)
    }
)
CHECKS = MappingProxyType(
    {lang: tuple(t(f"check.{check}", lang) for check in CHECK_IDS) for lang in LANGS}
)
