"""The task explorer on the Plan 46 tasks page: every task of Appendix II in each language,
anchored, filterable and searchable in the browser with the filters in the page's address,
the whole table without scripts."""

from __future__ import annotations

import re

import polars as pl
import pytest
from markupsafe import escape

from analysis.report.display import render
from analysis.report.i18n import t
from tests.conftest import browser

LANGS = ("vi", "en")


def tasks(built) -> pl.DataFrame:
    return pl.read_parquet(built.data / "processed/tasks.parquet")


def page(built, lang: str) -> str:
    return (built.site / f"pages/{lang}/plan46_tasks.html").read_text(encoding="utf-8")


def test_the_explorer_template_escapes_the_data():
    row = {"no": 1, "group": 1, "group_title": "g", "title": "<b>x</b>", "title_lang": None,
           "original": "<i>y</i>", "leads": "a", "lead": "A & B", "co_agencies": "<c>",
           "deadline": "2026", "kind": "year", "status": "not_yet_due",
           "status_label": "Not yet due"}  # fmt: skip
    out = render("task_explorer.html", rows=[row], total=1, intro="<p>", count_text="{shown}/{total}",
                 plan_lang="vi", foreign_plan=True, lead_lang=None, groups=[("1", "1. <g>")],
                 leads=[("a", "A & B")], kinds=[("year", "Y")], statuses=[("not_yet_due", "N")],
                 heading="All 1 tasks", t={k: k for k in ("task_no", "task", "group", "lead_agency",
                 "co_agencies", "deadline", "deadline_kind", "status", "task_search", "task_filters",
                 "all_option", "clear_filters", "plan_words")}, screen_only="screen-only")  # fmt: skip
    assert "<b>x" not in out and "<i>y" not in out and "<c>" not in out and "<g>" not in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "A &amp; B" in out
    assert 'id="task-1"' in out and 'href="#task-1"' in out


@pytest.mark.parametrize("lang", LANGS)
def test_every_task_is_on_the_page_with_its_anchor(built, lang):
    text = page(built, lang)
    published = tasks(built)
    numbers = [int(n) for n in re.findall(r'<tr id="task-(\d+)"', text)]
    assert numbers == published["task_no"].sort().to_list() and len(numbers) == 113
    assert all(f'href="#task-{n}"' in text for n in numbers)
    assert t("tasks_all", lang, n=113) in text
    # Each task's title in the page's language: the English page the curated titles, the
    # Vietnamese page the plan's words.
    row = published.filter(pl.col("task_no") == 57).row(0, named=True)
    title = row["task_title_en"] if lang == "en" else row["task_vi"]
    found = re.search(r'<tr id="task-57".*?</tr>', text, re.DOTALL)[0]
    assert str(escape(title))[:40] in found
    english_lead = row["lead_agency_en"] if lang == "en" else row["lead_agency"]
    assert english_lead in found


def shown(page) -> list[int]:
    return [int(i.removeprefix("task-")) for i in page.eval_on_selector_all(
        "tr.task", "rows => rows.filter(r => r.offsetParent !== null).map(r => r.id)")]  # fmt: skip


@browser
@pytest.mark.parametrize("lang", LANGS)
def test_filters_reduce_the_rows_and_live_in_the_address(built, server, chrome, lang):
    published = metrics_status(built)
    view = chrome.new_page(viewport={"width": 1280, "height": 900})
    view.goto(f"{server}/pages/{lang}/plan46_tasks.html")
    view.wait_for_selector(".task-filters:not([hidden])")
    assert len(shown(view)) == 113
    # By group: the labelled control, as a keyboard or screen-reader user finds it.
    view.get_by_label(t("group", lang), exact=True).select_option("4")
    expected = published.filter(pl.col("group") == 4)["task_no"].to_list()
    assert shown(view) == expected and "group=4" in view.url
    # And by status: both filters at once.
    view.get_by_label(t("status", lang), exact=True).select_option("no_due_date")
    expected = published.filter((pl.col("group") == 4) & (pl.col("status") == "no_due_date"))[
        "task_no"
    ].to_list()
    assert shown(view) == expected and 0 < len(expected) < 113
    assert "status=no_due_date" in view.url
    count = view.locator(".task-count").inner_text()
    assert str(len(expected)) in count and "113" in count
    # The address restores the view.
    linked = view.url
    view.goto(f"{server}/pages/{lang}/plan46_tasks.html")
    assert len(shown(view)) == 113
    view.goto(linked)
    view.wait_for_selector(".task-filters:not([hidden])")
    assert shown(view) == expected
    assert view.get_by_label(t("status", lang), exact=True).input_value() == "no_due_date"
    # By lead agency: every task a lead shares with another agency counts.
    view.get_by_role("button", name=t("clear_filters", lang)).click()
    # The form's reset applies after the browser has reset the fields (tasks.js, a task
    # queued behind the event): wait for it, or the rows are read before it ran.
    view.wait_for_function("() => !location.search", timeout=5000)
    assert len(shown(view)) == 113 and "?" not in view.url
    police = "Công an thành phố"
    view.goto(f"{server}/pages/{lang}/plan46_tasks.html?lead=city-police")
    view.wait_for_selector(".task-filters:not([hidden])")
    expected = published.filter(pl.col("lead_agency").str.contains(police))["task_no"].to_list()
    assert shown(view) == expected and len(expected) == 16
    # Search, with or without diacritics on the Vietnamese page's words.
    view.goto(f"{server}/pages/{lang}/plan46_tasks.html")
    view.wait_for_selector(".task-filters:not([hidden])")
    view.get_by_label(t("task_search", lang), exact=True).fill("57")
    assert 57 in shown(view) and len(shown(view)) < 113 and "q=57" in view.url
    view.close()


def metrics_status(built) -> pl.DataFrame:
    from analysis.report import metrics

    return metrics.task_status(
        metrics.tasks_with_due(tasks(built), metrics.edition_date(2025))
    ).sort("task_no")


@browser
def test_without_scripts_the_table_shows_every_task(server, chrome):
    context = chrome.new_context(java_script_enabled=False)
    view = context.new_page()
    view.goto(f"{server}/pages/en/plan46_tasks.html?group=4")
    assert len(shown(view)) == 113
    assert not view.locator(".task-filters").is_visible()  # no control that would do nothing
    context.close()


@browser
def test_a_linked_task_shows_even_when_the_filters_hide_it(server, chrome):
    view = chrome.new_page()
    view.goto(f"{server}/pages/vi/plan46_tasks.html?group=1#task-57")
    view.wait_for_selector(".task-filters:not([hidden])")
    assert view.locator("#task-57").is_visible()
    view.close()
