"""Render the report site and the PDF annual report from `_quarto.yml` and the executed notebooks.

With Quarto on the PATH, Quarto renders the project. Without it, pandoc renders the same
configuration (`_quarto.yml` and its language profiles) and the same pages to the same
paths: the executed notebooks' outputs become Markdown, pandoc turns them into HTML with
`site/page.html`, pagefind indexes the result, and pandoc + typst make the PDF. Everything
is built in a staging folder that replaces `_site/` only when every step succeeded.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pypandoc
import typst
import vl_convert as vlc
import yaml

from analysis.charts import FIGURE_MIME, FONT_DIR, VEGALITE_MIME
from analysis.deps import files_digest
from analysis.i18n import LANGS, t
from analysis.paths import PROCESSED, ROOT

CONFIG = ROOT / "_quarto.yml"
SITE = ROOT / "_site"
TEMPLATES = ROOT / "site"
PDF_PAGES = [
    "overview", "pii", "rd_workforce", "intellectual_property", "digital_government",
    "innovation_ecosystem", "economy", "plan46_targets", "plan46_tasks", "sources",
]  # fmt: skip
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
OTHER = {"vi": "en", "en": "vi"}


class StepCache:
    """Reuse a step's output when a hash of everything it reads is unchanged.

    `outcomes` lists (step, reused) in the order the steps were asked for.
    """

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.outcomes: list[tuple[str, bool]] = []

    def output(self, step: str, parts: list, dest: Path, produce) -> None:
        """Copy the cached output of `step` to `dest`, or `produce(dest)` and cache it."""
        h = hashlib.sha256()
        for part in parts:
            h.update(
                hashlib.sha256(
                    part if isinstance(part, bytes) else str(part).encode("utf-8")
                ).digest()
            )
        cached = self.folder / h.hexdigest()[:32] if self.folder is not None else None
        if cached is not None and cached.exists():
            _copy(cached, dest)
            self.outcomes.append((step, True))
            return
        produce(dest)
        if cached is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(cached.name + ".tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            _copy(dest, tmp)
            tmp.rename(cached)
        self.outcomes.append((step, False))


def _copy(source: Path, dest: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, dest, dirs_exist_ok=True)
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)


@dataclass(frozen=True)
class Page:
    slug: str
    text: str


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = (
            _merge(merged[key], value)
            if isinstance(value, dict) and isinstance(merged.get(key), dict)
            else value
        )
    return merged


def load_config(lang: str) -> dict:
    """`_quarto.yml` merged with the language's profile, as Quarto merges them."""
    base = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    profile = yaml.safe_load((ROOT / f"_quarto-{lang}.yml").read_text(encoding="utf-8"))
    return _merge(base, profile)


def nav_pages(config: dict) -> list[Page]:
    """The navbar's pages in order, menus flattened."""
    pages = []
    for item in config["website"]["navbar"]["left"]:
        for entry in item.get("menu", [item]):
            pages.append(Page(Path(entry["href"]).stem, entry["text"]))
    return pages


def page_slug(notebook: Path) -> str:
    """`03_rd_workforce.ipynb` -> `rd_workforce`; `00_index.ipynb` -> `index`."""
    return re.sub(r"^\d+_", "", notebook.stem)


def stage_pages(notebook_dir: Path, lang: str, target: Path) -> list[Path]:
    """The executed notebooks as the project's pages: `<lang>/<slug>.ipynb`."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    staged = []
    for notebook in sorted(notebook_dir.glob("*.ipynb")):
        staged.append(target / f"{page_slug(notebook)}.ipynb")
        shutil.copyfile(notebook, staged[-1])
    return staged


# Notebook outputs -> Markdown ---------------------------------------------------------


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def _raw_html(fragment: str) -> str:
    return f"```{{=html}}\n{fragment}\n```"


def chart_html(meta: dict, spec: dict, chart_root: str) -> str:
    """A chart: the SVG export (drawn over by Vega when scripts run), its text description,
    its downloads and a table alternative. Every data string is escaped."""
    cid = html.escape(meta["chart_id"])
    lang = meta["lang"]
    stem = f"{chart_root}{meta['chart_id']}-{lang}"
    desc = html.escape(meta["description"], quote=True)
    # No "<" inside the script element: JSON's \u003c keeps data from closing or opening tags.
    spec_json = json.dumps(spec, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    links = " ".join(
        f'<a href="{html.escape(chart_root + name, quote=True)}" download>{html.escape(label)}</a>'
        for label, name in _download_links(meta)
    )
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in meta["table"]["columns"])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
        for row in meta["table"]["rows"]
    )
    return (
        f'<figure class="chart" id="chart-{cid}">\n'
        f'<div class="vega-chart" data-spec="spec-{cid}"><img src="{html.escape(stem)}.svg" alt="{desc}"></div>\n'
        f'<script type="application/json" id="spec-{cid}">{spec_json}</script>\n'
        f"<figcaption><strong>{html.escape(meta['title'])}</strong>. {desc}<br>\n"
        f'<span class="downloads">{html.escape(t("downloads", lang))}: {links}</span></figcaption>\n'
        f"<details><summary>{html.escape(t('data_table', lang))}</summary>\n"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>\n"
        f"</figure>"
    )


def _download_links(meta: dict) -> list[tuple[str, str]]:
    labels = {".svg": "SVG", ".pdf": "PDF", "-85mm.png": "PNG 85 mm", "-170mm.png": "PNG 170 mm",
              ".vl.json": "Vega-Lite", ".csv": "CSV", ".cite.txt": "Citation", ".zip": "ZIP"}  # fmt: skip
    return [(labels[suffix], name) for suffix, name in meta["files"].items() if suffix in labels]


TRACED = re.compile(r'<span class="fig"[^>]*>(.*?)</span>')
TABLE = re.compile(r"<table.*?</table>", re.DOTALL)


def notebook_markdown(path: Path, mode: str, chart_root: str) -> tuple[str, int]:
    """The notebook's outputs as one Markdown document, and how many charts it has.

    `mode` is "html" (charts interactive, tables as HTML) or "pdf" (charts as vector images,
    tables as Markdown, traced figures as plain text).
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    blocks, charts = [], 0
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if FIGURE_MIME in data:
                charts += 1
                meta = data[FIGURE_MIME]
                if mode == "html":
                    blocks.append(_raw_html(chart_html(meta, data[VEGALITE_MIME], chart_root)))
                else:
                    svg = chart_root + meta["files"][".svg"]
                    blocks.append(f"![{meta['title']}]({svg})\n\n*{meta['description']}*")
            elif "text/markdown" in data:
                text = _text(data["text/markdown"])
                blocks.append(text if mode == "html" else html.unescape(TRACED.sub(r"\1", text)))
            elif "text/html" in data:
                fragment = _text(data["text/html"])
                if mode == "html":
                    blocks.append(_raw_html(fragment))
                else:
                    blocks += [
                        pypandoc.convert_text(tbl, "markdown", format="html")
                        for tbl in TABLE.findall(fragment)
                    ]
    return "\n\n".join(blocks) + "\n", charts


# HTML pages ------------------------------------------------------------------------------


def nav_html(pages: list[Page], current: str) -> str:
    items = []
    for page in pages:
        here = ' aria-current="page"' if page.slug == current else ""
        items.append(f'<li><a href="{page.slug}.html"{here}>{html.escape(page.text)}</a></li>')
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def render_page(markdown: str, charts: int, page: Page, title: str, lang: str, config: dict) -> str:
    website = config["website"]
    other = OTHER[lang]
    variables = {
        "lang": lang, "pagetitle": title, "site-title": website["title"], "root": "../",
        "nav": nav_html(nav_pages(config), page.slug), "nav-label": website["title"],
        "other-lang": other, "other-href": f"../{other}/{page.slug}.html",
        "other-label": t("other_lang", lang), "search-label": t("search", lang),
        "skip-label": "↓", "footer": html.escape(website["page-footer"]["center"]),
    }  # fmt: skip
    args = ["--standalone", f"--template={TEMPLATES / 'page.html'}"]
    args += [f"--variable={k}:{v}" for k, v in variables.items()]
    if charts:
        args.append("--variable=charts:true")
    return pypandoc.convert_text(markdown, "html5", format="markdown", extra_args=args)


def page_title(markdown: str, fallback: str) -> str:
    m = re.search(r"^# (.+)$", markdown, re.MULTILINE)
    return html.unescape(re.sub(r"<[^>]+>", "", m[1])) if m else fallback


# PDF annual report ------------------------------------------------------------------------


def build_pdf(pages: dict[str, Path], lang: str, edition: int, folder: Path, data_date: str,
              cache: StepCache) -> Path:  # fmt: skip
    """Pandoc writes Typst from the pages' Markdown; typst sets it with the shipped fonts."""
    markdown = "\n\n".join(
        notebook_markdown(pages[slug], "pdf", f"charts/{edition}/")[0] for slug in PDF_PAGES
    )
    title = load_config(lang)["website"]["title"]
    out = folder / "reports" / f"report-{edition}-{lang}.pdf"
    svgs = [
        p.read_bytes() for p in sorted((folder / "charts" / str(edition)).glob(f"*-{lang}.svg"))
    ]
    fonts = [p.read_bytes() for p in sorted(FONT_DIR.glob("*.ttf"))]
    parts = [markdown, title, lang, edition, data_date, (TEMPLATES / "report.typ").read_bytes(), *svgs, *fonts,
             pypandoc.get_pandoc_version(), typst.__version__]  # fmt: skip

    def produce(dest: Path) -> None:
        design = folder / ".report-design.typ"
        shutil.copyfile(TEMPLATES / "report.typ", design)
        meta = [
            f"--metadata=title:{title}",
            f"--metadata=subtitle:{t('edition', lang)} {edition}",
            f"--metadata=lang:{lang}",
            f"--variable=template:{design.name}",
            "--toc",
        ]
        source = pypandoc.convert_text(
            markdown, "typst", format="markdown", extra_args=["--standalone", *meta]
        )
        typ = folder / f".report-{edition}-{lang}.typ"
        typ.write_text(source, encoding="utf-8")
        dest.parent.mkdir(exist_ok=True)
        # The PDF's date is the edition's data date, not the build's: builds are reproducible.
        stamp = int(datetime.fromisoformat(data_date).timestamp())
        try:
            typst.compile(str(typ), output=str(dest), root=str(folder), font_paths=[str(FONT_DIR)],
                          ignore_system_fonts=True, timestamp=stamp)  # fmt: skip
        finally:
            typ.unlink()
            design.unlink()

    cache.output(f"pdf {lang}", parts, out, produce)
    return out


# The whole site -------------------------------------------------------------------------


def copy_assets(folder: Path, cache: StepCache) -> None:
    assets = folder / "assets"
    (assets / "fonts").mkdir(parents=True)
    shutil.copyfile(TEMPLATES / "site.css", assets / "site.css")
    shutil.copyfile(TEMPLATES / "site.js", assets / "site.js")
    for font in FONT_DIR.iterdir():
        shutil.copyfile(font, assets / "fonts" / font.name)

    def bundle(dest: Path) -> None:
        # Vega, Vega-Lite and vega-embed, once for the whole site, from vl-convert (no CDN).
        dest.write_text(vlc.javascript_bundle(EMBED), encoding="utf-8")

    cache.output("vega bundle", [vlc.get_vega_embed_version(), vlc.get_vegalite_versions(), EMBED],
                 assets / "vega.js", bundle)  # fmt: skip


def root_index(folder: Path) -> None:
    (folder / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        '<meta http-equiv="refresh" content="0; url=vi/index.html"><title>Can Tho STI Observatory</title>'
        '</head><body><p><a href="vi/index.html">Tiếng Việt</a> · <a href="en/index.html" lang="en">English</a>'
        "</p></body></html>\n",
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
    fixed = [json.dumps(config, sort_keys=True), (TEMPLATES / "page.html").read_bytes(),
             Path(__file__).read_bytes(), pypandoc.get_pandoc_version()]  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)

    def one(slug: str, path: Path) -> None:
        markdown, charts = notebook_markdown(path, "html", f"../charts/{edition}/")
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
                       cache: StepCache, workers: int) -> None:  # fmt: skip
    copy_assets(staging, cache)
    root_index(staging)
    for lang in LANGS:
        staged = stage_pages(build / "notebooks" / lang, lang, pages_root / lang)
        pages = {p.stem: p for p in staged}
        render_pages(lang, pages, edition, staging / lang, cache, workers)
        build_pdf(pages, lang, edition, staging, data_date, cache)


def render_with_quarto(edition: int, build: Path, staging: Path, data_date: str, pages_root: Path,
                       cache: StepCache, workers: int) -> None:  # fmt: skip
    # Quarto renders the pages where `_quarto.yml` names them, vi/ and en/ in the project,
    # whatever `pages_root` says.
    for lang in LANGS:
        stage_pages(build / "notebooks" / lang, lang, ROOT / lang)
        subprocess.run(["quarto", "render", "--profile", lang, "--output-dir", str(staging)], cwd=ROOT,
                       check=True)  # fmt: skip
        pages = {p.stem: p for p in (ROOT / lang).glob("*.ipynb")}
        build_pdf(pages, lang, edition, staging, data_date, cache)
    copy_assets(staging, cache)
    root_index(staging)


def build_site(
    edition: int,
    build_root: Path,
    data_dir: Path = PROCESSED,
    target: Path = SITE,
    renderer: str | None = None,
    pages_root: Path = ROOT,
    use_cache: bool = True,
    workers: int | None = None,
) -> tuple[str, list[tuple[str, bool]]]:
    """Build the whole site into a staging folder, then swap it in place of `target`.

    Returns the renderer used and, per step, whether its output was reused.
    """
    renderer = renderer or ("quarto" if shutil.which("quarto") else "pandoc")
    build = build_root / str(edition)
    if not build.is_dir():
        raise FileNotFoundError(f"{build} does not exist: run `make notebooks` first")
    cache = StepCache(build_root / "cache" / "site" if use_cache else None)
    # The whole site is reused when the published one was built from exactly these inputs.
    key_file = build_root / "cache" / f"site-{target.name}.key"
    key = site_key(renderer, edition, build, data_dir)
    if use_cache and target.is_dir() and key_file.is_file() and key_file.read_text() == key:
        return renderer, [("site", True)]
    staging = target.with_name(target.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        shutil.copytree(data_dir, staging / "data")
        shutil.copytree(build / "charts", staging / "charts" / str(edition))
        data_date = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))[
            "version"
        ]
        render = render_with_quarto if renderer == "quarto" else render_with_pandoc
        render(
            edition, build, staging, data_date, pages_root, cache, workers or os.cpu_count() or 1
        )
        run_pagefind(staging, cache)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = target.with_name(target.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
    if use_cache:
        key_file.write_text(key)
    return renderer, cache.outcomes


def site_key(renderer: str, edition: int, build: Path, data_dir: Path) -> str:
    """A hash of every input of the site: pages, charts, data, templates, config, code."""
    from analysis.run_notebooks import code_files

    files = [
        *build.rglob("*"),
        *data_dir.glob("*"),
        *TEMPLATES.glob("*"),
        *ROOT.glob("_quarto*.yml"),
    ]
    h = hashlib.sha256(f"{renderer}:{edition}".encode())
    for path in sorted(p for p in files if p.is_file()):
        h.update(str(path.relative_to(path.anchor)).encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    h.update(files_digest(code_files()).encode())
    return h.hexdigest()
