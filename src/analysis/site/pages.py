"""Notebook outputs as Markdown, and the HTML pages pandoc renders from them."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pypandoc

from analysis.report.charts import FIGURE_MIME, VEGALITE_MIME
from analysis.report.i18n import t
from analysis.site.config import OTHER, TEMPLATES, Page, nav_pages


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
