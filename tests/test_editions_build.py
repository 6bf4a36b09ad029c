"""Every edition published, frozen editions kept byte for byte, and the staff procedure walked
end to end with a synthetic next edition; then the banner, the edition switch and the
search of each edition in chromium.

The procedure runs in a temporary copy of the project (its data and frozen editions): start
edition 2026, register a synthetic source text, add three synthetic figures (one revising a
figure the 2025 edition gives, one giving a target a status), check, publish. Everything
synthetic is made here and labelled so; nothing reaches the project.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analysis import paths
from analysis.pipeline import editions as registry
from analysis.pipeline.build import (
    build_all,
    build_site_step,
    check_edition,
    new_edition,
    publish_edition,
)
from analysis.product.errors import DataError, DataErrors
from analysis.report import editions
from tests.conftest import browser

pytestmark = pytest.mark.slow  # full builds

SOURCE_ID = "005_5e7e701c00000000"  # a synthetic source's id
SOURCE_TEXT = (
    "Văn bản tổng hợp dùng cho kiểm thử (synthetic test document), không phải nguồn thật.\n"
    "Năm 2026, thành phố có 90 tổ chức khoa học và công nghệ.\n"
    "Rà soát lại số liệu cuối năm 2024, thành phố có 86 tổ chức khoa học và công nghệ.\n"
    "Năm 2026, tỷ lệ chi ngân sách cho khoa học, công nghệ đạt 1,5% tổng chi ngân sách.\n"
)
SOURCE_ROW = (f"{SOURCE_ID},Văn bản tổng hợp (synthetic),A synthetic source (test only),Tổng hợp,"
              "Synthetic,2027-01-20,news,vi,{sha},,,,,,\n")  # fmt: skip
FIGURES = [  # the edition's three synthetic figures
    f"st_organisations,VN-CT,2026,actual,90,,exact,count,90,{SOURCE_ID},"
    '"Năm 2026, thành phố có 90 tổ chức khoa học và công nghệ",Synthetic test figure.,\n',
    f"st_organisations,VN-CT,2024-12-31,actual,86,,exact,count,86,{SOURCE_ID},"
    '"thành phố có 86 tổ chức khoa học và công nghệ",Synthetic revision of a 2025 figure.,\n',
    f'sti_budget_share,VN-CT,2026,actual,1.5,,exact,percent_budget,"1,5",{SOURCE_ID},'
    '"tỷ lệ chi ngân sách cho khoa học, công nghệ đạt 1,5%",Synthetic test figure.,\n',
]
PUBLISHED_2026 = date(2027, 2, 1)


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def manifest(editions_dir: Path, edition: int) -> dict[str, str]:
    lines = registry.manifest_path(editions_dir, edition).read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


@dataclass
class Walked:
    root: Path
    site: Path
    before: dict[str, str]  # _site/editions/2024 after the first build
    before_files: dict[str, int]  # the inode of each of its files then
    checked: dict[str, int]  # the draft's changes by kind, as `sti edition check` says
    draft_site: dict[str, str]  # _site/editions/2026/pages while a draft
    frozen: list[registry.Entry]


@pytest.fixture(scope="module")
def walked(tmp_path_factory) -> Walked:
    root = tmp_path_factory.mktemp("editions")
    data, site, build = root / "data", root / "_site", root / "_build"
    shutil.copytree(paths.DATA, data, ignore=shutil.ignore_patterns("processed*"))
    shutil.copytree(paths.ROOT / "editions", root / "editions")
    options = {"renderer": "pandoc", "pages_root": root, "progress": False}
    saved = os.environ.get(paths.SOURCES_ENV)
    try:
        # The build as `make site` runs it: 2025 the latest, 2024 frozen.
        build_all(data, build, site, **options)
        before = hashes(site / "editions/2024")
        before_files = inodes(site / "editions/2024")
        # 1. start the next edition
        new_edition(data, 2026)
        # 2. its source text (the real texts beside it where they are at hand) and hash
        texts = root / "sources"
        texts.mkdir()
        if saved:
            for text in Path(saved).glob("*.txt"):
                (texts / text.name).symlink_to(text)
            os.environ[paths.SOURCES_ENV] = str(texts)
        (texts / f"{SOURCE_ID}.txt").write_text(SOURCE_TEXT, encoding="utf-8")
        sha = hashlib.sha256(SOURCE_TEXT.encode("utf-8")).hexdigest()
        with (data / "sources.csv").open("a", encoding="utf-8") as f:
            f.write(SOURCE_ROW.format(sha=sha))
        # 3. its figures, with their quotes
        with (data / "curated/observations.csv").open("a", encoding="utf-8") as f:
            f.writelines(FIGURES)
        # 4. build and look at what changed
        _, checked, _ = check_edition(data, 2026, build, site, **options)
        draft_site = hashes(site / "editions/2026/pages")
        # 5. publish: 2026 the latest, 2025 frozen
        frozen = publish_edition(data, 2026, PUBLISHED_2026, build, site, **options)
    finally:
        if saved is None:
            os.environ.pop(paths.SOURCES_ENV, None)
        else:
            os.environ[paths.SOURCES_ENV] = saved
    return Walked(root, site, before, before_files, checked, draft_site, frozen)


def test_make_site_publishes_every_edition_at_its_own_address(built):
    for edition in (2024, 2025):
        tree = built.site / "editions" / str(edition)
        for lang in ("vi", "en"):
            assert (tree / f"pages/{lang}/index.html").is_file()
            assert (tree / f"reports/report-{edition}-{lang}.pdf").is_file()
        assert any((tree / "charts" / str(edition)).glob("*.zip"))
        assert (tree / "data/datapackage.json").is_file() and (tree / "cite/CITATION.cff").is_file()
        assert (tree / "pagefind/pagefind-entry.json").is_file()  # its own search index
    # The latest is also at the site's current addresses: the same files, but its pages'
    # banner and switch, which are written for where the page is.
    root, copy = hashes(built.site), hashes(built.site / "editions/2025")
    differ = {name for name in copy if root.get(name) != copy[name]}
    assert differ and all(name.startswith("pages/") for name in differ)
    assert (built.site / "editions/vi.html").is_file() and (
        built.site / "editions/en.html"
    ).is_file()


def test_each_edition_publishes_its_data_as_of_that_edition(built):
    def observations(folder: Path) -> pl.DataFrame:
        return pl.read_parquet(folder / "data/observations.parquet")

    older, latest = observations(built.site / "editions/2024"), observations(built.site)
    assert older.height < latest.height
    assert set(older["obs_id"]) < set(latest["obs_id"])
    changes = pl.read_parquet(built.site / "data/changes.parquet")
    assert set(changes["previous_edition"]) == {2024}
    assert pl.read_parquet(built.site / "editions/2024/data/changes.parquet").is_empty()


def test_the_frozen_edition_is_published_byte_for_byte(built):
    committed = manifest(paths.ROOT / "editions", 2024)
    assert hashes(built.site / "editions/2024") == committed


def test_a_frozen_edition_is_byte_identical_after_later_editions_are_built(walked):
    committed = manifest(paths.ROOT / "editions", 2024)
    assert walked.before == committed
    assert hashes(walked.site / "editions/2024") == committed


def test_a_frozen_edition_is_published_from_the_builds_own_copy_made_once(walked):
    # Never a link to the files in editions/: one edited there must not change the site.
    # Copied once, then linked by every build (the walk built the site three more times).
    kept = walked.root / "editions/2024"
    published = inodes(walked.site / "editions/2024")
    assert published == walked.before_files
    assert not set(published.values()) & set(inodes(kept).values())


def test_the_procedure_checks_then_publishes_the_next_edition(walked):
    # `check`: the draft built at its own address, and what changed, by kind.
    assert "vi/changes.html" in walked.draft_site and "en/changes.html" in walked.draft_site
    assert walked.checked[editions.REVISED] == 1
    assert walked.checked[editions.NEW] >= 2 and walked.checked[editions.TARGET_STATUS] >= 1
    assert walked.checked[editions.DISPUTED] == 1  # the revision disagrees with the 2025 source
    # `publish`: 2026 the latest, 2025 frozen as the site showed it, its manifest recorded.
    entries = registry.registry(walked.root / "data")
    assert [(e.edition, e.status) for e in entries] == [
        (2024, "frozen"),
        (2025, "frozen"),
        (2026, "published"),
    ]
    assert [e.edition for e in walked.frozen] == [2025]
    kept = walked.root / "editions"
    assert hashes(walked.site / "editions/2025") == manifest(kept, 2025) == hashes(kept / "2025")
    page = (walked.site / "editions/2025/pages/en/pii.html").read_text(encoding="utf-8")
    assert "older edition: the 2025 edition" in page
    assert "Edition 2026" in (walked.site / "pages/en/pii.html").read_text(encoding="utf-8")


def test_the_published_changes_list_the_revision_with_both_sources_and_quotes(walked):
    changes = pl.read_parquet(walked.site / "data/changes.parquet")
    assert set(changes["previous_edition"]) == {2025}
    (revised,) = changes.filter(pl.col("change") == editions.REVISED).iter_rows(named=True)
    assert revised["indicator_id"] == "st_organisations" and revised["period"] == "2024-12-31"
    assert (revised["previous_value"], revised["value"]) == (85, 86)
    assert revised["source_id"] == SOURCE_ID and revised["previous_source_id"] != SOURCE_ID
    assert revised["quote"] in SOURCE_TEXT and revised["previous_quote"]
    status = changes.filter(
        (pl.col("change") == editions.TARGET_STATUS) & (pl.col("target_row") == 21)
    )
    assert status.row(0, named=True)["previous_status"] == "not_measured"
    assert status.row(0, named=True)["status"] == "not_met"
    # The page shows them, in both languages, each figure traced to its quote.
    for lang in ("vi", "en"):
        page = (walked.site / f"pages/{lang}/changes.html").read_text(encoding="utf-8")
        assert "thành phố có 86 tổ chức" in page  # the revision's quote, in its trace
    # The frozen 2025 edition is not rewritten: it still says what it said.
    kept = pl.read_parquet(walked.site / "editions/2025/data/observations.parquet")
    assert SOURCE_ID not in set(kept["source_id"])


def test_a_changed_frozen_file_stops_the_build_naming_it(walked):
    page = walked.root / "editions/2024/pages/vi/pii.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</main>", b"<p>rewritten</p></main>"))
    try:
        with pytest.raises(
            (DataError, DataErrors), match="changed since edition 2024 was frozen"
        ) as caught:
            build_site_step(walked.root / "data", walked.root / "_build", walked.site, renderer="pandoc",
                            pages_root=walked.root)  # fmt: skip
        assert "editions/2024/pages/vi/pii.html" in str(caught.value)
        assert hashes(walked.site / "editions/2024") == manifest(paths.ROOT / "editions", 2024)
    finally:
        page.write_bytes(original)


# In chromium ----------------------------------------------------------------------------------


@browser
def test_an_older_editions_page_says_so_and_links_the_latest(server, chrome):
    page = chrome.new_page()
    page.goto(f"{server}/editions/2024/pages/en/pii.html")
    banner = page.locator(".edition-banner")
    assert banner.is_visible() and "older edition" in banner.inner_text()
    banner.get_by_role("link", name="This page in the latest edition").click()
    page.wait_for_url(f"{server}/pages/en/pii.html")
    assert page.locator(".edition-banner").count() == 0
    page.close()


@browser
def test_the_edition_switch_opens_the_same_page_in_another_edition(server, chrome):
    page = chrome.new_page()
    page.goto(f"{server}/pages/vi/rd_workforce.html")
    switch = page.locator(".page-tools .edition-switch")
    assert switch.is_visible()  # beside the language switch, in the header
    switch.locator("summary").click()
    switch.get_by_role("link", name="2024", exact=True).click()
    page.wait_for_url(f"{server}/editions/2024/pages/vi/rd_workforce.html")
    assert page.locator(".edition-banner").is_visible()
    page.locator(".edition-switch summary").click()
    page.locator(".edition-switch").get_by_role("link", name="Tất cả ấn bản và đính chính").click()
    page.wait_for_url(f"{server}/editions/vi.html")
    assert page.locator("#edition-2024").is_visible() and page.locator("#edition-2025").is_visible()
    page.close()


@browser
def test_search_finds_only_the_pages_of_the_edition_being_read(server, chrome):
    def results(path: str) -> list[str]:
        page = chrome.new_page()
        page.goto(f"{server}/{path}")
        page.fill("#search input", "tiến sĩ")
        page.wait_for_selector(".pagefind-ui__result-link")
        found = page.eval_on_selector_all(
            ".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))"
        )
        page.close()
        return found

    older, latest = (
        results("editions/2024/pages/vi/rd_workforce.html"),
        results("pages/vi/rd_workforce.html"),
    )
    assert older and all(href.startswith("/editions/2024/pages/") for href in older)
    assert latest and not any(href.startswith("/editions/") for href in latest)
