"""The colour theme: `assets/theme.toml`, the one file the charts, the site and the PDF read.

`load()` reads and checks it; `css()` writes its page colours as CSS custom properties
(`--text`, `--accent`, …) for the site's `assets/theme.css`, which `site/site.css` uses;
`typst()` writes its print colours as a Typst dictionary that `site/report.typ` imports.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from analysis.paths import THEME_FILE

HEX = re.compile(r"#[0-9a-fA-F]{6}")
# What the code reads, so that a theme lacking a colour fails here and not inside a chart.
_REQUIRED = {
    "chart": {"category", "grid", "axis", "note", "past_due", "not_yet_due", "status"},
    "page": {"text", "muted", "accent", "focus", "rule", "background"},
    "print": {"text", "link", "rule"},
}
_GENERATED = "Generated from assets/theme.toml by analysis.report.theme: edit that file."


def _colours(value, where: str) -> None:
    """Every leaf of the theme is a #rrggbb colour (lists and tables of them allowed)."""
    if isinstance(value, dict):
        for key, item in value.items():
            _colours(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _colours(item, f"{where}[{i}]")
    elif not (isinstance(value, str) and HEX.fullmatch(value)):
        raise ValueError(f"{where} is {value!r}, not a #rrggbb colour")


def load(path: Path = THEME_FILE) -> dict:
    """The theme's sections (`chart`, `page`, `print`), checked."""
    with path.open("rb") as f:
        theme = tomllib.load(f)
    for section, keys in _REQUIRED.items():
        missing = keys - set(theme.get(section, {}))
        if missing:
            raise ValueError(f"{path.name}: [{section}] lacks {', '.join(sorted(missing))}")
    _colours(theme, path.name)
    if not theme["chart"]["category"]:
        raise ValueError(f"{path.name}: [chart] category holds no colour")
    return theme


def css(theme: dict) -> str:
    """The page colours as CSS custom properties (`--text`, `--accent`, …) of `:root`."""
    lines = [f"  --{name.replace('_', '-')}: {value};" for name, value in theme["page"].items()]
    return f"/* {_GENERATED} */\n:root {{\n" + "\n".join(lines) + "\n}\n"


def typst(theme: dict) -> str:
    """The print colours as a Typst dictionary, `theme` (`theme.text`, `theme.link`, …)."""
    items = "".join(f'  {name}: rgb("{value}"),\n' for name, value in theme["print"].items())
    return f"// {_GENERATED}\n#let theme = (\n{items})\n"
