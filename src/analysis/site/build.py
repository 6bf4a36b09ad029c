"""Render the report site and the PDF annual report from `_quarto.yml` and the executed notebooks.

With Quarto on the PATH, Quarto renders the project. Without it, pandoc renders the same
configuration (`_quarto.yml` and its language profiles) and the same pages to the same
paths: the executed notebooks' outputs become Markdown, pandoc turns them into HTML with
`site/page.html`, pagefind indexes the result, and pandoc + typst make the PDF. Everything
is built in a staging folder that replaces `_site/` only when every step succeeded.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypandoc
import vl_convert as vlc

from analysis.paths import PROCESSED, ROOT
from analysis.pipeline.steps import StepCache, code_digest, file_parts, staged
from analysis.report import theme
from analysis.report.charts import FONT_DIR
from analysis.report.i18n import LANGS, LANGUAGES, catalog
from analysis.site.cite import CFF as CITE_FILE
from analysis.site.cite import FOLDER as CITE_FOLDER
from analysis.site.cite import Citation, add_citation
from analysis.site.config import SITE, TEMPLATES, Page, load_config, nav_pages, stage_pages
from analysis.site.pages import notebook_markdown, page_title, render_page
from analysis.site.pdf import build_pdf

# Runs once per page that has charts: draw each chart from its inline spec (the SVG image
# inside stays for readers without JavaScript).
EMBED = """
window.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".vega-chart").forEach(function (el) {
    var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
    var options = (spec.usermeta && spec.usermeta.embedOptions) || {};
    vegaEmbed(el, spec, options).catch(function (err) { console.error(err); });
  });
});
"""


def copy_assets(folder: Path, cache: StepCache) -> None:
    assets = folder / "assets"
    (assets / "fonts").mkdir(parents=True)
    shutil.copyfile(TEMPLATES / "site.css", assets / "site.css")
    # The colours site.css uses, from the theme (page.html loads this file first).
    (assets / "theme.css").write_text(theme.css(theme.load()), encoding="utf-8")
    shutil.copyfile(TEMPLATES / "site.js", assets / "site.js")
    for font in FONT_DIR.iterdir():
        shutil.copyfile(font, assets / "fonts" / font.name)

    def bundle(dest: Path) -> None:
        # Vega, Vega-Lite and vega-embed, once for the whole site, from vl-convert (no CDN).
        dest.write_text(vlc.javascript_bundle(EMBED), encoding="utf-8")

    cache.output("vega bundle", [vlc.get_vega_embed_version(), vlc.get_vegalite_versions(), EMBED],
                 assets / "vega.js", bundle)  # fmt: skip


def root_index(folder: Path) -> None:
    """The site's root: a redirect to the default language, and a link to every language."""
    default = LANGS[0]
    # The page is in the default language; a link to another one says which language it is.
    tags = {lang: "" if lang == default else f' lang="{lang}"' for lang in LANGS}
    links = " · ".join(
        f'<a href="{lang}/index.html"{tags[lang]}>{html.escape(LANGUAGES[lang].name)}</a>'
        for lang in LANGS
    )
    (folder / "index.html").write_text(
        f'<!DOCTYPE html>\n<html lang="{default}"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        f'<meta http-equiv="refresh" content="0; url={default}/index.html"><title>Can Tho STI Observatory</title>'
        f"</head><body><p>{links}</p></body></html>\n",
        encoding="utf-8",
    )


def run_pagefind(folder: Path, cache: StepCache) -> None:
    pages = [p.read_bytes() for p in sorted(folder.rglob("*.html"))]

    def index(dest: Path) -> None:
        subprocess.run([sys.executable, "-m", "pagefind", "--site", str(folder), "--quiet"], check=True,
                       capture_output=True)  # fmt: skip
        # Pagefind writes its language map in hash-map order; sorted keys keep builds identical.
        entry = dest / "pagefind-entry.json"
        data = json.loads(entry.read_text(encoding="utf-8"))
        entry.write_text(
            json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
            encoding="utf-8",
        )

    cache.output("search index", pages, folder / "pagefind", index)


def render_pages(lang: str, pages: dict[str, Path], edition: int, out: Path, cache: StepCache,
                 workers: int) -> None:  # fmt: skip
    """Every page of one language, in parallel (pandoc runs as its own process)."""
    config = load_config(lang)
    nav = {page.slug: page for page in nav_pages(config)}
    # The page's chrome (language switch, search label) comes from the language's catalog.
    fixed = [json.dumps(config, sort_keys=True), (TEMPLATES / "page.html").read_bytes(),
             Path(__file__).read_bytes(), pypandoc.get_pandoc_version(),
             json.dumps(catalog(lang), sort_keys=True)]  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)

    def one(slug: str, path: Path) -> None:
        markdown, charts = notebook_markdown(path)
        page = nav.get(slug, Page(slug, slug))
        title = page_title(markdown, page.text)

        def produce(dest: Path) -> None:
            dest.write_text(
                render_page(markdown, charts, page, title, lang, config), encoding="utf-8"
            )

        cache.output(
            f"page {lang}/{slug}",
            [*fixed, lang, slug, markdown, charts],
            out / f"{slug}.html",
            produce,
        )

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda item: one(*item), sorted(pages.items())))


def render_with_pandoc(edition: int, build: Path, staging: Path, data_date: str, pages_root: Path,
                       cache: StepCache, workers: int, langs: list[str]) -> None:  # fmt: skip
    copy_assets(staging, cache)
    root_index(staging)
    for lang in langs:
        staged = stage_pages(build / "notebooks" / lang, lang, pages_root / lang)
        pages = {p.stem: p for p in staged}
        add_citation(pages, lang, Citation(edition, data_date))
        render_pages(lang, pages, edition, staging / lang, cache, workers)
        build_pdf(pages, lang, edition, staging, data_date, cache)


def render_with_quarto(edition: int, build: Path, staging: Path, data_date: str, pages_root: Path,
                       cache: StepCache, workers: int, langs: list[str]) -> None:  # fmt: skip
    # Quarto renders the pages where `_quarto.yml` names them, vi/ and en/ in the project,
    # whatever `pages_root` says.
    for lang in langs:
        staged = stage_pages(build / "notebooks" / lang, lang, ROOT / lang)
        add_citation({p.stem: p for p in staged}, lang, Citation(edition, data_date))
        subprocess.run(["quarto", "render", "--profile", lang, "--output-dir", str(staging)], cwd=ROOT,
                       check=True)  # fmt: skip
        pages = {p.stem: p for p in (ROOT / lang).glob("*.ipynb")}
        build_pdf(pages, lang, edition, staging, data_date, cache)
    copy_assets(staging, cache)
    root_index(staging)


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
) -> tuple[str, list[tuple[str, bool]]]:
    """Build the site in a staging folder, then swap it in place of `target`: the pages and
    PDF of each of `langs` whose notebooks were executed.

    Returns the renderer used and, per step, whether its output was reused; the single
    step ("site", True) when the whole published site was current.
    """
    renderer = renderer or ("quarto" if shutil.which("quarto") else "pandoc")
    build = build_root / str(edition)
    rendered = built_langs(build, langs)
    if not rendered:
        raise FileNotFoundError(f"{build} holds no executed notebooks in {', '.join(langs)}: "
                                f"run `sti notebooks --lang {' '.join(langs)}` first")  # fmt: skip
    cache = StepCache(build_root / "cache" / "site", reuse=use_cache)
    render = render_with_quarto if renderer == "quarto" else render_with_pandoc

    def publish() -> None:
        with staged(target) as staging:
            shutil.copytree(data_dir, staging / "data")
            shutil.copytree(build / "charts", staging / "charts" / str(edition))
            datapackage = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
            Citation(edition, datapackage["version"]).write(staging / CITE_FOLDER)
            render(edition, build, staging, datapackage["version"], pages_root, cache,
                   workers or os.cpu_count() or 1, rendered)  # fmt: skip
            run_pagefind(staging, cache)

    if cache.refresh(site_inputs(renderer, edition, rendered, build, data_dir), target, publish):
        return renderer, [("site", True)]
    return renderer, cache.outcomes


def site_inputs(renderer: str, edition: int, langs: list[str], build: Path, data_dir: Path) -> list:
    """Every input of the site: pages, charts, data, templates, config, code."""
    return [
        renderer,
        edition,
        ",".join(langs),
        *file_parts(build.rglob("*"), build),
        *file_parts(data_dir.glob("*"), data_dir),
        *file_parts(TEMPLATES.glob("*"), TEMPLATES),
        *file_parts([*ROOT.glob("_quarto*.yml"), CITE_FILE], ROOT),
        code_digest(),
    ]
