"""The site's web fonts: the shipped Noto Sans, subset to the scripts the site writes, as WOFF2.

A fixed set of Unicode blocks rather than the characters of this edition's pages: the same
files serve every edition, search results and chart tooltips (whose texts are not all on the
page), and any Vietnamese word. The full TrueType files stay for charts, exports and PDF.
"""

from __future__ import annotations

from pathlib import Path

# Latin with Vietnamese (Latin Extended Additional, combining marks) and the punctuation,
# currency and mathematical signs the report uses (≤ ≥ − × ÷ ↓ …).
UNICODE_RANGES = [
    (0x0020, 0x007E), (0x00A0, 0x024F), (0x0300, 0x036F), (0x1E00, 0x1EFF),
    (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2190, 0x21FF), (0x2200, 0x22FF),
]  # fmt: skip
WEB_FONTS = ("NotoSans-Regular", "NotoSans-Bold")  # the faces site.css declares


def _unicodes() -> list[int]:
    return [code for start, end in UNICODE_RANGES for code in range(start, end + 1)]


def web_font(ttf: Path, dest: Path) -> None:
    """`ttf` subset to UNICODE_RANGES, without hinting (browsers do not need it), as WOFF2."""
    from fontTools import subset  # here: only a build that makes the fonts loads it

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # kerning, marks: Vietnamese stacks its diacritics
    options.hinting = False
    options.desubroutinize = True
    font = subset.load_font(str(ttf), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_unicodes())
    subsetter.subset(font)
    subset.save_font(font, str(dest), options)
