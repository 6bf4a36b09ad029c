"""One list of pages (data/pages.csv): the Quarto profiles generated from it and current,
the order its own, and the HTML templates escaping what they are given. No site build needed
(pandoc's header from a built site: tests/test_site.py)."""

from __future__ import annotations

import json
import re

import pytest

from analysis.paths import ROOT
from analysis.product.errors import DataError
from analysis.quarto import load_config, setting
from analysis.report.i18n import LANGS, t
from analysis.site import pages as site_pages_module
from analysis.site import stage
from analysis.site.config import render
from analysis.site.profiles import (
    profile_group_problems,
    profile_text,
    stale_profiles,
    write_profiles,
)
from analysis.site.spec import NavLink, NavMenu, nav_links, navigation, site_pages, slugs

SPEC_HEADER = "page,notebook,menu,in_pdf\n"


def test_the_committed_profiles_are_current():
    """`_quarto-<lang>.yml` are what data/pages.csv and the catalogs make: Quarto reads them
    before any pre-render step, so they are committed, and `sti profiles` (run by `make
    site`) rewrites them."""
    stale = [path.name for path in stale_profiles()]
    assert not stale, f"{stale} not current: run `sti profiles` (or `make site`) and commit them"
    assert not profile_group_problems()


def test_a_profile_that_differs_from_the_spec_is_found_and_rewritten(tmp_path):
    for lang in LANGS:
        (tmp_path / f"_quarto-{lang}.yml").write_text(profile_text(lang), encoding="utf-8")
    edited = tmp_path / f"_quarto-{LANGS[-1]}.yml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("cite.md", "x.md"), "utf-8")
    assert stale_profiles(tmp_path) == [edited]
    assert write_profiles(tmp_path) == [edited] and stale_profiles(tmp_path) == []


def test_the_quarto_navbar_follows_the_spec_with_labels_from_the_catalogs():
    spec = slugs()
    for lang in LANGS:
        config = load_config(lang)
        assert config["lang"] == lang
        website = config["website"]
        assert website["title"] == t("site.title", lang)
        # The navbar's brand is the short name; the pages sit under a few menus, so that it
        # fits on one line (checked in chromium: tests/test_reading.py).
        assert website["navbar"]["title"] == t("site.short_title", lang)
        assert len(t("site.short_title", lang)) < len(t("site.title", lang))
        assert f"(/pages/{lang}/cite.md)" in website["page-footer"]["center"]
        flat, menus = [], []
        for item in website["navbar"]["left"]:
            if "menu" in item:
                menus.append(item["text"])
            flat += item.get("menu", [item])
        assert [entry["href"] for entry in flat] == [f"pages/{lang}/{slug}.md" for slug in spec]
        assert [entry["text"] for entry in flat] == [t(f"nav.{slug}", lang) for slug in spec]
        assert menus == [
            t(f"nav_menu.{menu}", lang) for menu in dict.fromkeys(p.menu for p in site_pages() if p.menu)
        ]  # fmt: skip


def test_a_setting_is_the_merged_configurations_and_no_caller_changes_it():
    for lang in LANGS:
        config = load_config(lang)
        assert (
            setting(lang, "website", "title") == config["website"]["title"] == t("site.title", lang)
        )
        assert setting(lang, "website", "no-such-setting") is None
        # Both give copies: the configuration is parsed once per process and shared.
        config["website"]["title"] = "changed"
        setting(lang, "website", "navbar")["title"] = "changed"
        assert load_config(lang)["website"]["title"] == t("site.title", lang)
        assert setting(lang, "website", "navbar")["title"] == t("site.short_title", lang)


def test_the_spec_names_every_notebook_and_no_other_list_does():
    notebooks = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb") if not p.name.startswith("_")}
    assert {page.notebook for page in site_pages()} == notebooks
    assert slugs()[0] == "index"
    # The profiles are generated, not hand-written.
    for lang in LANGS:
        assert (ROOT / f"_quarto-{lang}.yml").read_text(encoding="utf-8").startswith("# Generated")


def write_spec(path, rows: list[str]):
    path.write_text(SPEC_HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    site_pages.cache_clear()
    return path


def test_order_comes_from_the_spec_not_from_the_notebooks_names(tmp_path, monkeypatch):
    """Renumbered notebooks (`cite` made by `00_…`, `index` by `99_…`) keep the spec's order
    in the navigation and stage under the spec's slugs."""
    spec = write_spec(tmp_path / "pages.csv", [
        "index,99_home,,false", "pii,50_pii,themes,true", "economy,a_economy,themes,true",
        "cite,00_cite,,true",
    ])  # fmt: skip
    lang = LANGS[0]
    assert [link.slug for link in nav_links(lang, spec)] == ["index", "pii", "economy", "cite"]
    items = navigation(lang, spec)
    assert [type(item) for item in items] == [NavLink, NavMenu, NavLink]
    assert items[1].text == t("nav_menu.themes", lang)
    assert profile_text(lang, spec).index("cite.md") > profile_text(lang, spec).index("economy.md")

    executed = tmp_path / "executed"
    executed.mkdir()
    for page in site_pages(spec):
        cell = {"outputs": [{"data": {"text/markdown": f"# {page.slug.title()}\n\nText."}}]}
        (executed / f"{page.notebook}.ipynb").write_text(json.dumps({"cells": [cell]}), "utf-8")
    monkeypatch.setattr(
        stage, "notebook_pages", lambda: {p.notebook: p.slug for p in site_pages(spec)}
    )
    staged = stage.stage_pages(executed, lang, tmp_path)
    assert sorted(p.stem for p in staged) == sorted(["index", "pii", "economy", "cite"])
    (executed / "15_stray.ipynb").write_text(json.dumps({"cells": []}), "utf-8")
    with pytest.raises(ValueError, match="15_stray"):
        stage.stage_pages(executed, lang, tmp_path)
    site_pages.cache_clear()


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        (
            [
                "index,00_index,,false",
                "pii,02_pii,themes,true",
                "cite,14_cite,,true",
                "economy,09_economy,themes,true",
            ],
            "menu",
        ),
        (["index,00_index,,false", "index,01_index,,true"], "page"),
        (["index,00_index,,false", "cite,00_index,,true"], "notebook"),
        (["index,00_index,,yes"], "in_pdf"),
    ],
)
def test_a_bad_spec_stops_naming_its_row_and_field(tmp_path, rows, field):
    spec = write_spec(tmp_path / "pages.csv", rows)
    with pytest.raises(DataError, match=f"field '{field}'"):
        site_pages(spec)
    site_pages.cache_clear()


def test_templates_keep_data_as_text(monkeypatch):
    """A label, title or name holding `<`, `&` or `"` stays text in every template."""
    evil, text = '<b class="x">R&D</b>', "&lt;b class=&#34;x&#34;&gt;R&amp;D&lt;/b&gt;"
    twins = [{"lang": "en", "href": '../en/"x".html', "name": evil}]
    assert 'href="../en/&#34;x&#34;.html"' in render("alternates.html", twins=twins)
    for template in ("language_switch.html", "page_tools.html"):
        out = render(template, twins=twins, search=evil)
        assert "<b class" not in out and text in out and 'href="../en/&#34;x&#34;.html"' in out
    root = render("root.html", default="vi", pages="pages", title=evil,
                  languages=[type("L", (), {"code": "vi", "name": evil})()])  # fmt: skip
    assert "<b class" not in root and "&lt;b class=" in root
    layout = render("chart_layout.html", id="chart-layout", layout={"x": "</script><b>"})
    assert "</script><b>" not in layout and json.loads(re.search(r">(.*)</script>", layout)[1]) == {"x": "</script><b>"}  # fmt: skip

    items = [NavLink("pii", evil), NavMenu(evil, (NavLink("cite", evil),))]
    monkeypatch.setattr(site_pages_module, "navigation", lambda lang: items)
    config = load_config(LANGS[0])
    config["website"]["title"] = config["website"]["navbar"]["title"] = evil
    page = stage.StagedPage(title="<i>T</i>", lang=LANGS[0], head="", body="Text.")
    out = site_pages_module.render_page(page, "pii", config)
    assert "<b class" not in out and "<i>T" not in out
    # the site's title (in <title>, the nav's name), the brand, the two links, the menu
    assert out.count(text) == 6
    assert '<a href="pii.html" aria-current="page">&lt;b' in out
