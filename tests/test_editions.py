"""Editions: the registry, an edition's data product, what changed between two editions,
the frozen editions' manifests and the banner and switch a page gets where it is published.

Units on the project's own tables (built here from data/, no kernel) with synthetic edits,
each made in the test and labelled synthetic; the full procedure is in
tests/test_editions_build.py.
"""

from __future__ import annotations

import posixpath
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analysis.pipeline import editions as registry
from analysis.pipeline.build import new_edition
from analysis.product.errors import DataError, DataErrors
from analysis.report import editions, metrics
from analysis.site import editions as site_editions
from analysis.site.editions import BANNER_MARK, SWITCH_MARK, Listed

PUBLISHED = date(2026, 11, 30)


@pytest.fixture(scope="module")
def whole():
    """The whole data product as the data step builds it (no source texts needed)."""
    from analysis.product.dataset import build_tables

    return build_tables()


def with_rows(tables: dict, rows: list[dict]) -> dict:
    """`tables` with these observations added (synthetic), their disputes recomputed."""
    from analysis.product.disputes import with_disputes

    obs = tables["observations"]
    added = pl.DataFrame(rows, schema={c: t for c, t in obs.schema.items() if c in rows[0]})
    both = pl.concat([obs.drop("disputed_by"), added], how="diagonal_relaxed")
    return {**tables, "observations": with_disputes(both)}


def synthetic(row: dict, **changes) -> dict:
    """A copy of an observation with `changes` (a synthetic figure for these tests)."""
    out = {k: v for k, v in row.items() if k != "disputed_by"} | changes
    out["obs_id"] = (
        f"{out['indicator_id']}|{out['period']}|{out['obs_type']}|{out['source_id'][:3]}"
    )
    return out


def obs_row(tables: dict, indicator_id: str, period: str | None = None) -> dict:
    found = tables["observations"].filter(pl.col("indicator_id") == indicator_id)
    if period is not None:
        found = found.filter(pl.col("period") == period)
    return found.row(0, named=True)


# An edition's data product ---------------------------------------------------------------------


def test_an_edition_holds_figures_of_its_periods_from_sources_published_by_then(whole):
    e2024 = editions.as_of(whole, 2024, PUBLISHED)
    ends = [
        metrics.period_end(p).year
        for p in e2024["observations"].filter(pl.col("obs_type") == "actual")["period"]
    ]
    assert ends and max(ends) == 2024
    assert e2024["observations"].height < whole["observations"].height
    # Stated targets are kept whatever their year.
    assert set(whole["observations"].filter(pl.col("obs_type") == "target")["obs_id"]) <= set(
        e2024["observations"]["obs_id"]
    )
    # Its sources are those its figures cite (and Plan 46), counted there.
    cited = set(e2024["observations"]["source_id"]) | {metrics.PLAN_SOURCE_ID}
    assert set(e2024["sources"]["source_id"]) == cited
    counted = e2024["observations"].group_by("source_id").len()
    assert dict(e2024["sources"].select("source_id", "figures").iter_rows()) == dict(
        counted.iter_rows()
    )
    # A source dated after the day an edition was published reaches only later editions.
    newest = max(whole["sources"]["date"])
    day_before = date.fromisoformat(newest) if len(newest) == 10 else None
    if day_before is not None:
        early = editions.as_of(whole, 2025, date.fromordinal(day_before.toordinal() - 1))
        late = whole["sources"].filter(pl.col("date") == newest)["source_id"]
        assert not set(late) & set(early["observations"]["source_id"])


def test_an_edition_draws_only_the_charts_it_has_figures_for(whole):
    e2024 = editions.as_of(whole, 2024, PUBLISHED)
    reported = set(e2024["observations"].filter(pl.col("obs_type") == "actual")["indicator_id"])
    for chart in whole["charts"].iter_rows(named=True):
        ids = set((chart["indicators"] or "").split())
        drawn = chart["chart_id"] in set(e2024["charts"]["chart_id"])
        assert drawn == (not ids or bool(ids & reported)), chart["chart_id"]
    assert e2024["charts"].height < whole["charts"].height  # 2024 has no IP figure, say


def test_the_latest_edition_holds_the_whole_product(whole):
    latest = editions.as_of(whole, max(metrics.editions(whole["observations"])), PUBLISHED)
    for name in ("observations", "conflicts", "sources", "charts"):
        assert latest[name].equals(whole[name]), name


def test_source_day_is_the_first_day_a_date_can_mean():
    assert editions.source_day("2025") == date(2025, 1, 1)
    assert editions.source_day("2026-01") == date(2026, 1, 1)
    assert editions.source_day("2025-08-25") == date(2025, 8, 25)


# What changed ----------------------------------------------------------------------------------


def test_nothing_changed_between_an_edition_and_itself(whole):
    e2025 = editions.as_of(whole, 2025, PUBLISHED)
    assert editions.changes(e2025, e2025, 2025).is_empty()
    first = editions.changes(None, e2025)
    assert first.is_empty() and first.schema == pl.Schema(editions.CHANGES_SCHEMA)


def test_figures_of_a_later_period_are_new_and_nothing_else_changes(whole):
    before, after = editions.as_of(whole, 2024, PUBLISHED), editions.as_of(whole, 2025, PUBLISHED)
    table = editions.changes(before, after, 2024)
    new = table.filter(pl.col("change") == editions.NEW)
    old_keys = set(before["observations"].select(editions.KEY).iter_rows())
    assert new.height and not set(new.select(editions.KEY).iter_rows()) & old_keys
    # Every figure of the later edition for a measure the earlier did not give is listed once.
    fresh = after["observations"].filter(
        ~pl.struct(editions.KEY).is_in(
            before["observations"].select(pl.struct(editions.KEY)).to_series().implode()
        )
    )
    assert sorted(new["obs_id"]) == sorted(fresh["obs_id"])
    assert set(table["previous_edition"]) == {2024}
    assert table.filter(pl.col("change").is_in([editions.REVISED, editions.DROPPED])).is_empty()
    # The one disagreement of 2025 (two sources on procedures served regardless of residence).
    disputed = table.filter(pl.col("change") == editions.DISPUTED)
    assert set(disputed["indicator_id"]) == set(after["conflicts"]["indicator_id"])
    assert (
        editions.counts(table)[editions.DISPUTED]
        == after["conflicts"].select(editions.KEY).n_unique()
    )


def test_a_corrected_figure_is_revised_with_both_values_sources_and_quotes(whole):
    e2025 = editions.as_of(whole, 2025, PUBLISHED)
    old = obs_row(e2025, "rd_staff_total")
    corrected = dict(
        old, value=old["value"] + 1, value_text="synthetic", quote="synthetic correction"
    )
    obs = e2025["observations"].filter(pl.col("obs_id") != old["obs_id"])
    after = with_rows({**e2025, "observations": obs.drop("disputed_by").with_columns(disputed_by=None)},
                      [synthetic(corrected)])  # fmt: skip
    (row,) = editions.changes(e2025, after, 2025).iter_rows(named=True)
    assert row["change"] == editions.REVISED and row["indicator_id"] == "rd_staff_total"
    assert (row["previous_value"], row["previous_quote"], row["previous_source_id"]) == (
        old["value"],
        old["quote"],
        old["source_id"],
    )
    assert (row["value"], row["quote"], row["source_id"]) == (
        old["value"] + 1,
        "synthetic correction",
        old["source_id"],
    )
    assert editions.figure(row, "previous")["quote"] == old["quote"]
    assert editions.figure(row)["value"] == old["value"] + 1


def test_another_source_with_another_value_is_a_revision_and_a_new_disagreement(whole):
    e2025 = editions.as_of(whole, 2025, PUBLISHED)
    old = obs_row(e2025, "st_organisations")
    other = next(s for s in e2025["sources"]["source_id"] if s != old["source_id"])
    after = with_rows(
        e2025, [synthetic(old, source_id=other, value=old["value"] + 5, quote="synthetic")]
    )
    table = editions.changes(e2025, after, 2025)
    assert sorted(table["change"]) == [editions.DISPUTED, editions.DISPUTED, editions.REVISED]
    revised = table.filter(pl.col("change") == editions.REVISED).row(0, named=True)
    assert revised["previous_source_id"] == old["source_id"] and revised["source_id"] == other
    # The same value from another source changes nothing: the sources agree.
    agreeing = with_rows(e2025, [synthetic(old, source_id=other, quote="synthetic")])
    assert editions.changes(e2025, agreeing, 2025).is_empty()


def test_a_figure_no_longer_given_is_dropped(whole):
    e2025 = editions.as_of(whole, 2025, PUBLISHED)
    gone = obs_row(e2025, "dost_staff")
    after = {
        **e2025,
        "observations": e2025["observations"].filter(pl.col("obs_id") != gone["obs_id"]),
    }
    (row,) = editions.changes(e2025, after, 2025).iter_rows(named=True)
    assert row["change"] == editions.DROPPED and row["previous_obs_id"] == gone["obs_id"]
    assert row["obs_id"] is None and editions.figure(row) is None


def test_a_value_meeting_a_target_changes_its_status(whole):
    e2025 = editions.as_of(whole, 2025, PUBLISHED)
    before = editions.target_statuses(e2025)
    # Plan 46's PII target (a rank of 10 or better by 2045): a synthetic rank 3 in 2045.
    (target,) = before.filter(pl.col("indicator_id") == "pii_rank").iter_rows(named=True)
    rank = obs_row(e2025, "pii_rank")
    after = with_rows(e2025, [synthetic(rank, period=str(target["horizon"]), value=3.0, value_text="3",
                                        qualifier="exact", quote="synthetic rank")])  # fmt: skip
    table = editions.changes(e2025, after, 2025)
    (row,) = table.filter(pl.col("change") == editions.TARGET_STATUS).iter_rows(named=True)
    assert (row["previous_status"], row["status"]) == (target["status"], metrics.MET)
    assert row["target_row"] == target["row"] and row["horizon"] == target["horizon"]
    assert row["value"] == 3.0 and row["previous_value"] == rank["value"]
    assert editions.counts(table)[editions.NEW] == 1  # the synthetic rank itself


def test_the_product_of_an_edition_cites_the_sources_of_its_changes(whole):
    e2025 = editions.as_of(whole, 2025, PUBLISHED)
    product = editions.edition_product(whole, 2025, PUBLISHED, e2025, 2025)
    assert product["changes"].is_empty() and set(product) == set(whole) | {"changes"}
    e2024 = editions.edition_product(whole, 2024, PUBLISHED, None)
    assert e2024["changes"].is_empty()


# The registry, errata and frozen editions -------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("2024,published,2026-11-30,\n2024,published,2026-11-30,\n", "listed twice"),
        ("24,published,2026-11-30,\n", "not a year"),
        ("2024,gone,2026-11-30,\n", "not one of"),
        ("2024,published,,\n", "not a date"),
        ("2024,frozen,2026-11-30,\n2025,published,2026-11-30,\n", "names its manifest"),
        ("2024,published,2026-11-30," + "a" * 64 + "\n", "names its manifest"),
        ("2024,draft,,\n2025,published,2026-11-30,\n", "a draft is older"),
        ("2024,published,2026-11-30,\n2025,frozen,2026-11-30," + "a" * 64 + "\n", "is frozen"),
        ("2024,draft,2026-11-30,\n", "no publication date"),
    ],
)
def test_the_registry_stops_on_a_bad_row_naming_it(tmp_path, rows, message):
    write(tmp_path / registry.EDITIONS_FILE, "edition,status,published,manifest\n" + rows)
    with pytest.raises(DataError, match=message) as caught:
        registry.registry(tmp_path)
    assert registry.EDITIONS_FILE in str(caught.value)


def test_the_projects_registry_publishes_2024_frozen_and_2025_as_the_latest():
    from analysis.paths import DATA

    entries = registry.registry(DATA)
    assert [(e.edition, e.status) for e in entries] == [(2024, "frozen"), (2025, "published")]
    assert registry.latest(entries).edition == 2025
    assert (
        registry.previous(entries, 2025).edition == 2024
        and registry.previous(entries, 2024) is None
    )


def test_a_new_edition_is_a_draft_after_the_newest(data_dir):
    entry = new_edition(data_dir, 2026)
    entries = registry.registry(data_dir)
    assert entries[-1] == entry and entry.status == registry.DRAFT and entry.published is None
    assert registry.latest(entries).edition == 2025  # a draft is not published
    with pytest.raises(registry.EditionError, match="not after"):
        new_edition(data_dir, 2025)


def test_errata_name_a_published_edition_and_say_what_they_correct(data_dir):
    path = data_dir / registry.ERRATA_FILE
    entries = registry.registry(data_dir)
    assert registry.errata(data_dir, entries) == []
    header = "edition,page,date,text_vi,text_en\n"
    write(
        path, header + "2024,pii,2026-12-01,Đính chính tổng hợp (synthetic),A synthetic erratum\n"
    )
    (row,) = registry.errata(data_dir, entries)
    assert row["edition"] == 2024 and row["text_en"] == "A synthetic erratum"
    write(path, header + "2031,pii,2026-12-01,x,y\n")
    with pytest.raises(DataError, match="no published edition"):
        registry.errata(data_dir, entries)
    write(path, header + "2024,,2026-12-01,x,\n")
    with pytest.raises(DataError, match="text_en"):
        registry.errata(data_dir, entries)


def frozen_site(tmp_path: Path) -> tuple[Path, Path, registry.Entry]:
    """A synthetic edition's files in a site, frozen."""
    site, kept = tmp_path / "_site", tmp_path / "editions"
    tree = site / "editions" / "2024"
    (tree / "pages/vi").mkdir(parents=True)
    write(tree / "pages/vi/index.html", "<p>synthetic page</p>")
    (tree / "charts").mkdir()
    (tree / "charts/a.png").write_bytes(bytes(range(256)))
    kept.mkdir()
    manifest = registry.freeze(site, kept, 2024)
    return site, kept, registry.Entry(2024, registry.FROZEN, PUBLISHED, manifest)


def test_a_frozen_edition_is_kept_byte_for_byte_with_its_manifest(tmp_path):
    site, kept, entry = frozen_site(tmp_path)
    tree = registry.verify(kept, entry)
    for path in (site / "editions/2024").rglob("*"):
        if path.is_file():
            assert (
                tree / path.relative_to(site / "editions/2024")
            ).read_bytes() == path.read_bytes()
    lines = registry.manifest_path(kept, 2024).read_text(encoding="utf-8").splitlines()
    assert [line.split("  ")[1] for line in lines] == ["charts/a.png", "pages/vi/index.html"]


@pytest.mark.parametrize(
    ("edit", "message", "named"),
    [
        (lambda tree: write(tree / "pages/vi/index.html", "<p>rewritten</p>"), "changed since", "pages/vi/index.html"),
        (lambda tree: (tree / "charts/a.png").unlink(), "missing", "charts/a.png"),
        (lambda tree: write(tree / "pages/vi/extra.html", "x"), "not in the manifest", "pages/vi/extra.html"),
    ],
)  # fmt: skip
def test_a_changed_frozen_file_stops_the_build_naming_it(tmp_path, edit, message, named):
    _, kept, entry = frozen_site(tmp_path)
    edit(kept / "2024")
    with pytest.raises((DataError, DataErrors), match=message) as caught:
        registry.verify(kept, entry)
    assert named in str(caught.value)


def test_a_changed_manifest_stops_the_build(tmp_path):
    _, kept, entry = frozen_site(tmp_path)
    manifest = registry.manifest_path(kept, 2024)
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("a.png", "b.png"), encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"data/editions\.csv"):
        registry.verify(kept, entry)
    shutil.rmtree(kept / "2024")
    with pytest.raises(DataError, match="files are missing"):
        registry.verify(kept, entry)


def test_write_status_replaces_the_row_and_keeps_the_others(data_dir):
    before = registry.registry(data_dir)
    later = registry.Entry(2026, registry.PUBLISHED, date(2027, 2, 1), None)  # synthetic
    frozen = registry.Entry(2025, registry.FROZEN, before[1].published, "b" * 64)  # synthetic
    registry.write_status(data_dir, later)
    registry.write_status(data_dir, frozen)
    text = (data_dir / registry.EDITIONS_FILE).read_text(encoding="utf-8").splitlines()
    assert text == [",".join(registry.COLUMNS), f"2024,frozen,{before[0].published},{before[0].manifest}",
                    f"2025,frozen,{before[1].published},{'b' * 64}", "2026,published,2027-02-01,"]  # fmt: skip
    assert registry.registry(data_dir) == [before[0], frozen, later]


# The banner and the switch ----------------------------------------------------------------------


LISTED = [Listed(2025, "published", PUBLISHED, frozenset({"index", "pii", "changes"})),
          Listed(2024, "frozen", PUBLISHED, frozenset({"index", "pii"}))]  # fmt: skip


def resolve(page: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


def links(html: str) -> list[str]:
    import re

    return re.findall(r'href="([^"]+)"', html)


def test_an_older_editions_page_says_so_and_links_the_same_page_in_the_latest():
    page = "editions/2024/pages/en/pii.html"
    banner, switch = site_editions.chrome("en", "pii", LISTED[1], True, LISTED, LISTED[0])
    assert "2024" in banner and "older edition" in banner and "data-pagefind-ignore" in banner
    assert [resolve(page, h) for h in links(banner)] == ["pages/en/pii.html", "editions/en.html"]
    assert [resolve(page, h) for h in links(switch)] == [
        "editions/2025/pages/en/pii.html",
        "editions/2024/pages/en/pii.html",
        "editions/en.html",
    ]
    assert "(latest)" not in switch  # frozen one day: it names no edition as the latest
    vi_banner, _ = site_editions.chrome("vi", "pii", LISTED[1], True, LISTED, LISTED[0])
    assert "ấn bản cũ" in vi_banner and "30/11/2026" in vi_banner


def test_the_latest_has_no_banner_and_its_switch_works_at_both_addresses():
    for at_edition, page in (
        (False, "pages/vi/changes.html"),
        (True, "editions/2025/pages/vi/changes.html"),
    ):
        banner, switch = site_editions.chrome(
            "vi", "changes", LISTED[0], at_edition, LISTED, LISTED[0]
        )
        assert banner == ""
        hrefs = [resolve(page, h) for h in links(switch)]
        # itself, then 2024's home page (2024 has no such page), then the list of editions
        assert hrefs == [page, "editions/2024/pages/vi/index.html", "editions/vi.html"]
        assert 'aria-current="page">2025 (mới nhất)' in switch


def test_a_draft_says_it_is_one_and_is_listed_only_on_its_own_pages():
    draft = Listed(2026, "draft", None, frozenset({"index", "pii"}))
    banner, switch = site_editions.chrome("en", "pii", draft, True, LISTED, LISTED[0])
    assert "draft" in banner and "2026" in switch
    _, latest_switch = site_editions.chrome("en", "pii", LISTED[0], False, LISTED, LISTED[0])
    assert "2026" not in latest_switch


def test_a_page_has_one_mark_of_each_and_they_are_filled():
    page = f"<main>{BANNER_MARK}<div>{SWITCH_MARK}</div></main>"
    assert (
        site_editions.fill_page(page, "<b>B</b>", "<s>S</s>", "p")
        == "<main><b>B</b><div><s>S</s></div></main>"
    )
    with pytest.raises(ValueError, match="0 marks"):
        site_editions.fill_page("<main></main>", "", "", "pages/vi/x.html")


def test_a_placed_tree_shares_its_files_and_fills_its_own_copies_of_the_pages(tmp_path):
    """The live tree is placed at both addresses by hard links; each address's pages are
    files of their own, so filling one never writes into the tree or the other address."""
    tree = tmp_path / "tree"
    (tree / "pages/en").mkdir(parents=True)
    page = f"<main>{BANNER_MARK}<nav>{SWITCH_MARK}</nav></main>"
    (tree / "pages/en/pii.html").write_text(page, encoding="utf-8")
    (tree / "data.csv").write_text("a,b\n", encoding="utf-8")
    for dest, at_edition in ((tmp_path / "site", False), (tmp_path / "site/editions/2024", True)):
        site_editions.place_tree(tree, dest, LISTED[1], at_edition, LISTED, LISTED[0])
    root, older = tmp_path / "site", tmp_path / "site/editions/2024"
    assert (tree / "pages/en/pii.html").read_text(encoding="utf-8") == page  # the tree as built
    assert "older edition" in (older / "pages/en/pii.html").read_text(encoding="utf-8")
    assert BANNER_MARK not in (root / "pages/en/pii.html").read_text(encoding="utf-8")
    assert (root / "data.csv").stat().st_ino == (tree / "data.csv").stat().st_ino  # linked
    assert (older / "pages/en/pii.html").stat().st_ino != (tree / "pages/en/pii.html").stat().st_ino


def test_the_staged_page_carries_the_marks():
    from analysis.site.stage import page_tools

    tools = page_tools("vi", "pii")
    assert tools.count(BANNER_MARK) == 1 and tools.count(SWITCH_MARK) == 1


def test_on_the_whole_product_the_page_computes_what_changed_the_same_way(
    whole, tmp_path, data_dir
):
    """JupyterLab reads the whole data product, which has no `changes` table: the page then
    compares with the previous edition as of the same data, by the same rule."""
    from analysis.product.dataset import data_date
    from analysis.product.publish import field_descriptions, publish
    from analysis.report.data import EditionData

    publish(
        whole, tmp_path / "whole", data_date(whole["sources"]), field_descriptions(data_dir, whole)
    )
    read = EditionData(tmp_path / "whole", 2025)
    expected = editions.changes(
        editions.as_of(whole, 2024, None), editions.as_of(whole, 2025, None), 2024
    )
    assert "changes" not in read.names and read.changes().equals(expected)
    assert not expected.is_empty()


def test_the_list_of_editions_shows_each_with_its_links_and_errata(tmp_path):
    erratum = {"edition": 2024, "page": "pii", "date": "2026-12-01",
               "text_vi": "Đính chính tổng hợp (synthetic)", "text_en": "A synthetic erratum"}  # fmt: skip
    written = site_editions.write_editions_pages(tmp_path, LISTED, LISTED[0], [erratum])
    assert [p.name for p in written] == ["vi.html", "en.html"]
    en = (tmp_path / "editions/en.html").read_text(encoding="utf-8")
    assert en.index('id="edition-2025"') < en.index('id="edition-2024"')  # newest first
    section = en[en.index('id="edition-2024"') :]
    assert "A synthetic erratum" in section and 'href="2024/pages/en/pii.html"' in section
    assert "No erratum" in en[: en.index('id="edition-2024"')]  # 2025 has none
    for href in links(en):
        if not href.startswith(("#", "http")):
            target = resolve("editions/en.html", href)
            assert target.startswith(("editions/", "pages/", "assets/")), href
    assert "Đính chính tổng hợp (synthetic)" in (tmp_path / "editions/vi.html").read_text(
        encoding="utf-8"
    )
    assert "url=vi.html" in (tmp_path / "editions/index.html").read_text(encoding="utf-8")
