"""The site's pages: each executed notebook staged as `pages/<lang>/<slug>.md`.

Both renderers read these same files: Quarto (its `pre-render` step stages them, its render
list in `_quarto-<lang>.yml` names them) and pandoc (`make site` without Quarto). A page is
the notebook's displayed outputs, HTML passed through as raw HTML and Markdown as Markdown,
under a front matter with the page's title and language. Markdown rather than `.ipynb`
because a notebook's HTML outputs make Quarto load require.js and jQuery from a CDN, and
Quarto takes a page's title from its metadata, not from an output.

The page also carries its own tools, the same on both renderers: the language switch to the
twin page and the search box (site.js moves them into the header or the navbar), and on a
page with charts the numbers of their phone layout (read by site/charts.js). Their HTML is
in site/templates/.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from analysis.report.display import CHART_CLASS, HTML_MIME
from analysis.report.i18n import LANGUAGES, t
from analysis.site.config import other_langs, page_dir, render
from analysis.site.editions import BANNER_MARK, SWITCH_MARK
from analysis.site.spec import PAGES_FILE, notebook_pages

CHART_LAYOUT_ID = "chart-layout"  # the element holding the phone layout's numbers (site/charts.js)
# A page's front matter holds its tables' styles: libyaml's reader and writer (PyYAML's
# wheels have them) take a hundredth of the pure-Python ones' time on those long strings.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def raw_html(fragment: str) -> str:
    return f"```{{=html}}\n{fragment}\n```"


@lru_cache(maxsize=128)
def _parsed_notebook(path: Path, mtime_ns: int, size: int) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def read_notebook(path: Path) -> dict:
    """An executed notebook, parsed once however many of the site's steps read it (its page,
    its charts' pages, their embeddable views), again once the file changed. Shared: read it,
    never change it."""
    stat = path.stat()
    return _parsed_notebook(path, stat.st_mtime_ns, stat.st_size)


def notebook_markdown(path: Path) -> str:
    """The notebook's outputs as one Markdown document.

    HTML outputs pass through as raw HTML, unchanged; Markdown outputs as Markdown (pandoc
    reads a traced figure's span).
    """
    nb = read_notebook(path)
    blocks = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if HTML_MIME in data:
                blocks.append(raw_html(_text(data[HTML_MIME])))
            elif "text/markdown" in data:
                blocks.append(_text(data["text/markdown"]))
    return "\n\n".join(blocks) + "\n"


# Great Tables gives each table its own <style> (scoped by the table's id) inside the table's
# <div>, which HTML allows only in the <head>: the staged page carries them in its head.
STYLE = re.compile(r"<style>.*?</style>\n?", re.DOTALL)

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
HEADING = re.compile(r"^# (.+)\n", re.MULTILINE)


@dataclass(frozen=True)
class StagedPage:
    title: str
    lang: str
    # what the page adds to <head>: its twins as <link rel="alternate">, its tables' styles
    head: str
    body: str  # Markdown with raw HTML blocks, without the title

    @property
    def charts(self) -> bool:
        return f'class="{CHART_CLASS}"' in self.body


def twins(lang: str, slug: str) -> list[dict[str, str]]:
    """The page's twins in every other language, each named in its own (data/languages.csv).
    `slug`: the page's path below `pages/<lang>/` (`charts/ip_filings` for a chart's page)."""
    up = "../" * (slug.count("/") + 1)  # to pages/
    return [{"lang": other, "href": f"{up}{other}/{slug}.html", "name": LANGUAGES[other].name}
            for other in other_langs(lang)]  # fmt: skip


def language_links(lang: str, slug: str) -> tuple[str, str]:
    """The page's twins as `<link rel="alternate">`s for the head, and the language switch."""
    found = twins(lang, slug)
    return (render("alternates.html", twins=found).strip(),
            render("language_switch.html", twins=found).strip())  # fmt: skip


def page_tools(lang: str, slug: str) -> str:
    """The language switch and the search box, kept out of the search index."""
    return raw_html(render("page_tools.html", twins=twins(lang, slug), search=t("search", lang),
                           banner_mark=BANNER_MARK, switch_mark=SWITCH_MARK).strip())  # fmt: skip


def chart_layout_numbers() -> dict:
    """The numbers the site's chart script (site/charts.js) lays charts out by, from where
    they are defined: the narrow layout's (`analysis.report.charts.NARROW`), the narrowest
    layout the exports check (the 85 mm column), the theme's smallest text and the smallest
    a screen shows (`display.SCREEN_TEXT_PX`): charts are scaled up to it."""
    # Here: only staging a page with charts needs the chart modules.
    from analysis.report.charts import NARROW, WIDTHS_MM, mm_to_css_px, theme_config
    from analysis.report.display import SCREEN_TEXT_PX

    def sizes(node) -> list[float]:
        if isinstance(node, dict):
            return [v for k, v in node.items() if k.lower().endswith("fontsize")] + [
                size for v in node.values() for size in sizes(v)]  # fmt: skip
        return []

    return {**NARROW, "narrowest_px": mm_to_css_px(WIDTHS_MM["85mm"]),
            "text_px": min(sizes(theme_config())), "screen_text_px": SCREEN_TEXT_PX}  # fmt: skip


def chart_layout() -> str:
    """The chart layout's numbers (`chart_layout_numbers`) as the page carries them."""
    layout = chart_layout_numbers()
    return raw_html(render("chart_layout.html", id=CHART_LAYOUT_ID, layout=layout).strip())


def front_matter(meta: dict) -> str:
    """A staged page's front matter (YAML), without its `---` lines."""
    return yaml.dump(meta, Dumper=_YAML_DUMPER, allow_unicode=True, sort_keys=False, width=1000)


def page_text(notebook: Path, lang: str, slug: str) -> str:
    """One page's file: front matter, tools, the notebook's outputs less their title."""
    markdown = notebook_markdown(notebook)
    found = HEADING.search(markdown)
    if found is None:
        raise ValueError(f"{notebook}: no output shows the page's title (a `# ` heading)")
    title = html.unescape(re.sub(r"<[^>]+>", "", found[1])).strip()
    body = markdown[: found.start()] + markdown[found.end() :]
    styles = STYLE.findall(body)
    body = STYLE.sub("", body)
    alternates, _ = language_links(lang, slug)
    meta = {"title": title, "lang": lang,
            # Quarto writes these into the page's <head>; pandoc's template gets them directly.
            "include-in-header": [{"text": part.strip()} for part in (alternates, *styles)]}  # fmt: skip
    front = front_matter(meta)
    tools = page_tools(lang, slug)
    if f'class="{CHART_CLASS}"' in body:
        tools += "\n\n" + chart_layout()
    return f"---\n{front}---\n\n{tools}\n\n{body.strip()}\n"


def stage_pages(notebook_dir: Path, lang: str, root: Path) -> list[Path]:
    """The executed notebooks of one language as `root/pages/<lang>/<slug>.md`, each under
    the slug data/pages.csv gives its notebook (a notebook missing from the folder, as in a
    build of some pages only, is left out)."""
    pages = notebook_pages()
    found = sorted(notebook_dir.glob("*.ipynb"))
    unknown = [nb.name for nb in found if nb.stem not in pages]
    if unknown:
        raise ValueError(f"{notebook_dir}: {unknown} make no page of {PAGES_FILE.name}")
    target = page_dir(root, lang)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    staged = []
    for notebook in found:
        slug = pages[notebook.stem]
        staged.append(target / f"{slug}.md")
        staged[-1].write_text(page_text(notebook, lang, slug), encoding="utf-8")
    return staged


def read_page(path: Path) -> StagedPage:
    text = path.read_text(encoding="utf-8")
    found = FRONT_MATTER.match(text)
    if found is None:
        raise ValueError(f"{path}: a staged page starts with its front matter")
    meta = yaml.load(found[1], Loader=_YAML_LOADER)
    head = "\n".join(part["text"] for part in meta.get("include-in-header", []))
    return StagedPage(meta["title"], meta["lang"], head, text[found.end() :])
