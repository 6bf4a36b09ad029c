"""Render the report site and the PDF annual report from `_quarto.yml` and the executed notebooks.

Three steps, the same on both renderers: the executed notebooks are staged as pages
(`pages/<lang>/<slug>.md`, and each chart's own page, `pages/<lang>/charts/<chart_id>.md`:
Quarto's `pre-render`); the pages are rendered, by Quarto where it
is on the PATH, else by pandoc with `site/templates/page.html` from the same `_quarto.yml`, profiles
and pages; then `finish_site` adds what is not a page (Quarto's `post-render`): data, chart
exports, citation files, shared assets, the charts' embeddable views, each language's PDF,
the root page and the search index. Everything is built in a staging folder that replaces `_site/` only when every step
succeeded. The HTML this writes is in site/templates/, the script in site/*.js.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path

import fontTools
import pypandoc
import vl_convert as vlc

from analysis.base.steps import StepCache, code_digest, file_parts, link_tree, staged
from analysis.paths import BUILD, FONT_DIR, PROCESSED, ROOT
from analysis.quarto import load_config
from analysis.report import theme
from analysis.report.cite import CFF as CITE_FILE
from analysis.report.cite import FOLDER as CITE_FOLDER
from analysis.report.cite import Citation
from analysis.report.data import data_date as read_data_date
from analysis.report.display import CHART_PAGES, FILE_SIZE_CLASS
from analysis.report.i18n import LANGS, LANGUAGES, catalog, fmt, t
from analysis.site.chart_pages import stage_chart_pages, write_embeds
from analysis.site.config import PAGES, SITE, TEMPLATES, page_dir, render
from analysis.site.fonts import UNICODE_RANGES, WEB_FONTS, web_font
from analysis.site.pages import render_page
from analysis.site.pdf import build_pdf
from analysis.site.spec import PAGES_FILE
from analysis.site.stage import read_page, stage_pages

# The Vega bundle, made in a process of its own (`_copy_assets`).
_BUNDLE = ("import sys, vl_convert\n"
           "with open(sys.argv[1], 'w', encoding='utf-8') as out:\n"
           "    out.write(vl_convert.javascript_bundle(sys.stdin.read()))")  # fmt: skip


def _copy_assets(folder: Path, cache: StepCache) -> None:
    assets = folder / "assets"
    (assets / "fonts").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(TEMPLATES / "site.css", assets / "site.css")
    # The colours site.css uses, from the theme (the pages load this file first).
    (assets / "theme.css").write_text(theme.css(theme.load()), encoding="utf-8")
    shutil.copyfile(TEMPLATES / "site.js", assets / "site.js")
    shutil.copyfile(TEMPLATES / "tasks.js", assets / "tasks.js")  # the task explorer's filters
    shutil.copyfile(FONT_DIR / "OFL.txt", assets / "fonts" / "OFL.txt")
    for name in WEB_FONTS:
        ttf = FONT_DIR / f"{name}.ttf"
        cache.output(f"web font {name}", [ttf.read_bytes(), repr(UNICODE_RANGES), fontTools.version],
                     assets / "fonts" / f"{name}.woff2", partial(web_font, ttf), link=True)  # fmt: skip

    # The site's chart script (it reads the phone layout's numbers from the page).
    script = (TEMPLATES / "charts.js").read_text(encoding="utf-8")

    def bundle(dest: Path) -> None:
        # Vega, Vega-Lite and vega-embed, once for the whole site, from vl-convert (no CDN); in
        # a process of its own: vl-convert holds Python's lock while it bundles (two seconds),
        # which would stall the pages rendered meanwhile.
        subprocess.run([sys.executable, "-c", _BUNDLE, str(dest)], input=script, text=True,
                       encoding="utf-8", check=True)  # fmt: skip

    cache.output("vega bundle", [vlc.get_vega_embed_version(), vlc.get_vegalite_versions(), script],
                 assets / "vega.js", bundle, link=True)  # fmt: skip


def _root_index(folder: Path) -> None:
    """The site's root: a redirect to the default language, and a link to every language."""
    text = render("root.html", default=LANGS[0], pages=PAGES, title=t("site.title", LANGS[0]),
                  languages=[LANGUAGES[lang] for lang in LANGS])  # fmt: skip
    (folder / "index.html").write_text(text, encoding="utf-8")


# Where a page shows a file's size (analysis.report.display.FILE_SIZE_CLASS): filled in here,
# once every file exists (a PDF, a chart's ZIP are made after the page's notebook ran).
_FILE_SIZE = re.compile(
    rf'(<span\s+class="{FILE_SIZE_CLASS}"\s+data-file="([^"]+)">)[^<]*(</span>)'
)


def size_text(size: int, lang: str) -> str:
    """A file's size as a download link gives it, in the page's notation, the number and its
    unit kept on one line: `(840 KB)`, `(1.2 MB)`."""
    if size < 1024 * 1024:
        return f"({fmt(max(1, round(size / 1024)), lang)}\u00a0KB)"
    return f"({fmt(size / 1024 / 1024, lang, 1)}\u00a0MB)"


def _file_sizes(folder: Path) -> None:
    """Write each file's size into the pages of every language that show it (Quarto renders
    one language at a time: the other's PDF comes with its render); a file that is not there
    (yet) is left without one (the site's audit reports a link to a missing file)."""

    def size(found: re.Match, lang: str) -> str:
        path = folder / html.unescape(found[2])
        text = size_text(path.stat().st_size, lang) if path.is_file() else ""
        return f"{found[1]}{text}{found[3]}"

    for lang in LANGS:
        for page in page_dir(folder, lang).glob("*.html"):
            text = page.read_text(encoding="utf-8")
            filled = _FILE_SIZE.sub(partial(size, lang=lang), text)
            if filled != text:
                page.write_text(filled, encoding="utf-8")


def _run_pagefind(folder: Path, cache: StepCache) -> None:
    pages = [p.read_bytes() for p in sorted(folder.rglob("*.html"))]

    def index(dest: Path) -> None:
        # Only a page's <main> is indexed, whichever renderer drew the page around it. The
        # binary `pagefind[bin]` ships, run as it is (`python -m pagefind` only starts it).
        from pagefind_bin import get_executable

        subprocess.run([str(get_executable()), "--site", str(folder), "--root-selector", "main", "--quiet"],
                       check=True, capture_output=True)  # fmt: skip
        # Pagefind writes its language map in hash-map order; sorted keys keep builds identical.
        entry = dest / "pagefind-entry.json"
        data = json.loads(entry.read_text(encoding="utf-8"))
        entry.write_text(
            json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
            encoding="utf-8",
        )

    cache.output("search index", pages, folder / "pagefind", index, link=True)


def page_renders(lang: str, pages: list[Path], out: Path, cache: StepCache,
                 folder: str = "") -> list[Callable[[], None]]:  # fmt: skip
    """The render of each staged page of one language, to run in any order and in parallel
    (pandoc runs as its own process); `folder`: theirs below `pages/<lang>/` (`charts` for
    the charts' own pages)."""
    config = load_config(lang)
    # The configuration, the page spec, the templates and includes, the site's code, pandoc
    # and the texts.
    fixed = [json.dumps(config, sort_keys=True), PAGES_FILE.read_bytes(),
             *file_parts(TEMPLATES.rglob("*"), TEMPLATES), *file_parts(Path(__file__).parent.glob("*.py"), ROOT),
             pypandoc.get_pandoc_version(), json.dumps(catalog(lang), sort_keys=True)]  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)

    def one(path: Path) -> None:
        text = path.read_bytes()
        slug = f"{folder}/{path.stem}" if folder else path.stem

        def produce(dest: Path) -> None:
            dest.write_text(render_page(read_page(path), slug, config), encoding="utf-8")

        cache.output(f"page {lang}/{slug}", [*fixed, text], out / f"{path.stem}.html", produce)

    return [partial(one, path) for path in sorted(pages)]


def render_pages(lang: str, pages: list[Path], out: Path, cache: StepCache, workers: int,
                 folder: str = "") -> None:  # fmt: skip
    """Every staged page of one language (`page_renders`), `workers` at a time."""
    _run_all(page_renders(lang, pages, out, cache, folder), workers)


def _run_all(renders: list[Callable[[], None]], workers: int) -> None:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done in [pool.submit(render) for render in renders]:
            done.result()


def stage_all(build: Path, pages_root: Path, langs: list[str]) -> None:
    """Quarto's `pre-render`: every language's executed notebooks as pages, and a page for
    each chart they show."""
    for lang in langs:
        stage_pages(build / "notebooks" / lang, lang, pages_root)
        stage_chart_pages(build, lang, pages_root)


def finish_site(folder: Path, edition: int, build: Path, data_dir: Path, pages_root: Path,
                langs: list[str], cache: StepCache, assets: Future | None = None) -> None:  # fmt: skip
    """Quarto's `post-render`, and the pandoc path's last step: everything in the site that
    is not a page. Safe to run again on the same folder (Quarto runs it once per language).
    `assets`: the shared assets' making (`_copy_assets`), if the caller started it."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The shared assets depend on nothing here: made beside the rest (the PDFs above all).
        assets = assets or pool.submit(_copy_assets, folder, cache)
        for source, dest in (
            (data_dir, folder / "data"),
            (build / "charts", folder / "charts" / str(edition)),
        ):
            shutil.rmtree(dest, ignore_errors=True)
            link_tree(source, dest)  # published as they are: nothing writes them in place
        data_date = read_data_date(data_dir)
        Citation(edition, data_date).write(folder / CITE_FOLDER)
        _root_index(folder)
        for lang in langs:
            write_embeds(folder, build, lang)
        # The languages' PDFs side by side: most of a PDF's time is pandoc, a process of its own.
        with ThreadPoolExecutor(max_workers=max(1, len(langs))) as pdfs:
            list(pdfs.map(lambda lang: build_pdf({p.stem: p for p in page_dir(pages_root, lang).glob("*.md")},
                                                 lang, edition, folder, data_date, cache), langs))  # fmt: skip
        assets.result()
    _file_sizes(folder)
    _run_pagefind(folder, cache)


def _render_with_pandoc(edition: int, build: Path, staging: Path, data_dir: Path, pages_root: Path,
                       cache: StepCache, workers: int, langs: list[str]) -> None:  # fmt: skip
    with ThreadPoolExecutor(max_workers=1) as pool:
        assets = pool.submit(_copy_assets, staging, cache)  # no page needs them to render
        stage_all(build, pages_root, langs)
        renders = []  # every language's pages and charts' pages, in one queue
        for lang in langs:
            staged, out = page_dir(pages_root, lang), page_dir(staging, lang)
            renders += page_renders(lang, sorted(staged.glob("*.md")), out, cache)
            charts = sorted((staged / CHART_PAGES).glob("*.md"))
            renders += page_renders(lang, charts, out / CHART_PAGES, cache, folder=CHART_PAGES)
        _run_all(renders, workers)
        finish_site(staging, edition, build, data_dir, pages_root, langs, cache, assets)


def _render_with_quarto(edition: int, build: Path, staging: Path, data_dir: Path, pages_root: Path,
                       cache: StepCache, workers: int, langs: list[str]) -> None:  # fmt: skip
    """`quarto render --profile <lang>` for each language into the staging folder: its
    pre-render and post-render steps (`sti pre-render`, `sti post-render`, named in
    `_quarto.yml`) stage the pages and finish the site. Only the first render cleans."""
    if pages_root != ROOT or not data_dir.is_relative_to(ROOT) or build.parent != BUILD:
        raise ValueError("Quarto renders the project's own pages, data and _build/ only")
    # `sti pre-render` and `sti post-render` read which edition, and the data product it has.
    env = os.environ | {"STI_EDITION": str(edition), "STI_EDITION_DATA": str(data_dir)}
    for i, lang in enumerate(langs):
        clean = [] if i == 0 else ["--no-clean"]
        subprocess.run(["quarto", "render", "--profile", lang, "--output-dir", str(staging), *clean],
                       cwd=ROOT, env=env, check=True)  # fmt: skip


def built_langs(build: Path, langs: tuple[str, ...] = LANGS) -> list[str]:
    """Those of `langs` whose notebooks were executed into `build` (`_build/<edition>`)."""
    return [lang for lang in langs if any((build / "notebooks" / lang).glob("*.ipynb"))]


def build_site(
    edition: int,
    build_root: Path,
    data_dir: Path = PROCESSED,
    target: Path = SITE,
    renderer: str | None = None,
    pages_root: Path = ROOT,
    use_cache: bool = True,
    workers: int | None = None,
    langs: tuple[str, ...] = LANGS,
) -> tuple[str, list[tuple[str, bool]], dict[str, float]]:
    """Build the site in a staging folder, then swap it in place of `target`: the pages and
    PDF of each of `langs` whose notebooks were executed.

    Returns the renderer used, per step whether its output was reused (the single step
    ("site", True) when the whole published site was current), and the seconds of each step
    that ran.
    """
    renderer = renderer or ("quarto" if shutil.which("quarto") else "pandoc")
    build = build_root / str(edition)
    rendered = built_langs(build, langs)
    if not rendered:
        raise FileNotFoundError(f"{build} holds no executed notebooks in {', '.join(langs)}: "
                                f"run `sti notebooks --lang {' '.join(langs)}` first")  # fmt: skip
    cache = StepCache(build_root / "cache" / "site", reuse=use_cache)
    render = _render_with_quarto if renderer == "quarto" else _render_with_pandoc

    def publish() -> None:
        with staged(target) as staging:
            render(edition, build, staging, data_dir, pages_root, cache,
                   workers or os.cpu_count() or 1, rendered)  # fmt: skip

    if cache.refresh(_site_inputs(renderer, edition, rendered, build, data_dir), target, publish):
        return renderer, [("site", True)], {}
    return renderer, cache.outcomes, cache.seconds


def _site_inputs(
    renderer: str, edition: int, langs: list[str], build: Path, data_dir: Path
) -> list:
    """Every input of the site: pages, charts, data, templates, config, code."""
    return [
        renderer,
        edition,
        ",".join(langs),
        *file_parts(build.rglob("*"), build),
        *file_parts(data_dir.glob("*"), data_dir),
        *file_parts(TEMPLATES.rglob("*"), TEMPLATES),
        *file_parts([*ROOT.glob("_quarto*.yml"), PAGES_FILE, CITE_FILE], ROOT),
        code_digest(),
    ]
