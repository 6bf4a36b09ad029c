"""Editions: which are published (`data/editions.csv`), each one's data product, the
editions kept frozen as built (`editions/<year>/`, checked against their manifests), and the
site that publishes them all, each at `editions/<year>/`, the latest also at the site's
current addresses.

An edition's status (data/vocabularies.csv `edition_status`):

    draft      being prepared: built only when asked (`sti edition check`), at its own
               address with a banner saying it is a draft, listed nowhere
    published  built from the current data and code; the newest published edition is the
               latest, at the site's current addresses and at its own
    frozen     published, then kept as it was built: its files are committed in
               `editions/<year>/`, listed with their SHA-256 in `editions/<year>.sha256`
               (whose own hash `data/editions.csv` records), copied into the site and never
               rebuilt. A changed, missing or extra file stops the build, naming it.

Publishing the next edition (`sti edition publish`) makes it the latest and freezes the one
it supersedes, as the site shows it then (its pages saying it is an older edition).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import time
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

import polars as pl

from analysis.base.steps import StepCache, code_digest, file_parts, staged
from analysis.paths import ROOT
from analysis.product.errors import DataError, DataErrors
from analysis.product.tables import LINE, read_table
from analysis.product.vocabularies import codes, languages
from analysis.site import editions as site_editions
from analysis.site.editions import EDITIONS, Listed

EDITIONS_FILE = "editions.csv"  # in data/
ERRATA_FILE = "errata.csv"  # in data/
FROZEN_DIR = ROOT / EDITIONS  # the frozen editions, committed: editions/<year>/
COLUMNS = ["edition", "status", "published", "manifest"]
DRAFT, PUBLISHED, FROZEN = "draft", "published", "frozen"


class EditionError(Exception):
    """An edition asked for that the procedure does not allow (unknown, frozen, not a draft)."""


@dataclass(frozen=True)
class Entry:
    """One row of data/editions.csv."""

    edition: int
    status: str
    published: date | None  # the day it was published; None for a draft
    manifest: str | None  # a frozen edition's manifest's SHA-256


def registry(data_dir: Path) -> list[Entry]:
    """The editions, oldest first. Stops, naming file, row and field, on an edition listed
    twice or not a year, an unknown status, a published edition without its date (or a draft
    with one), a frozen edition without its manifest's hash (or another with one), a draft
    older than a published edition, and a newest published edition that is frozen (the
    latest is built from the current data and code)."""
    path = data_dir / EDITIONS_FILE
    entries: list[Entry] = []
    for row in read_table(path, COLUMNS).iter_rows(named=True):
        line = row[LINE]

        def fail(field: str, message: str, line=line):
            return DataError(path, line, field, message)

        if not row["edition"].isdigit() or len(row["edition"]) != 4:
            raise fail("edition", f"{row['edition']!r} is not a year")
        edition = int(row["edition"])
        if any(e.edition == edition for e in entries):
            raise fail("edition", f"{edition} is listed twice")
        status = row["status"]
        if status not in codes("edition_status"):
            raise fail("status", f"{status!r} is not one of {codes('edition_status')}")
        published = None
        if status == DRAFT and row["published"]:
            raise fail("published", "a draft has no publication date")
        if status != DRAFT:
            try:
                published = date.fromisoformat(row["published"])
            except ValueError:
                raise fail(
                    "published", f"{row['published']!r} is not a date (YYYY-MM-DD)"
                ) from None
        manifest = row["manifest"] or None
        if (status == FROZEN) != (manifest is not None):
            raise fail("manifest", "a frozen edition, and only one, names its manifest's SHA-256")
        if manifest is not None and (len(manifest) != 64 or manifest.strip("0123456789abcdef")):
            raise fail("manifest", f"{manifest!r} is not a SHA-256 (64 hexadecimal digits)")
        entries.append(Entry(edition, status, published, manifest))
    entries.sort(key=lambda e: e.edition)
    done = [e for e in entries if e.status != DRAFT]
    if not done:
        raise DataError(path, None, "status", "no edition is published")
    if any(e.status == DRAFT and e.edition < done[-1].edition for e in entries):
        raise DataError(path, None, "status", "a draft is older than a published edition")
    if done[-1].status == FROZEN:
        raise DataError(path, None, "status", f"the latest edition, {done[-1].edition}, is frozen: "
                        "the latest is published from the current data and code")  # fmt: skip
    return entries


def latest(entries: list[Entry]) -> Entry:
    """The edition at the site's current addresses: the newest published."""
    return [e for e in entries if e.status != DRAFT][-1]


def find(entries: list[Entry], edition: int) -> Entry:
    for entry in entries:
        if entry.edition == edition:
            return entry
    raise EditionError(f"edition {edition} is not in data/{EDITIONS_FILE} (editions: "
                   f"{', '.join(str(e.edition) for e in entries)})")  # fmt: skip


def live(entries: list[Entry], drafts: bool = False) -> list[Entry]:
    """The editions a build makes from the data and code, oldest first (the rest are frozen)."""
    return [e for e in entries if e.status == PUBLISHED or (drafts and e.status == DRAFT)]


def previous(entries: list[Entry], edition: int) -> Entry | None:
    """The newest published edition before `edition` (None for the first)."""
    earlier = [e for e in entries if e.status != DRAFT and e.edition < edition]
    return earlier[-1] if earlier else None


def errata(data_dir: Path, entries: list[Entry]) -> list[dict]:
    """data/errata.csv: each correction to a published edition (edition, the page it
    concerns or empty, date, its text in every language), in the file's order."""
    path = data_dir / ERRATA_FILE
    columns = ["edition", "page", "date", *(f"text_{lang}" for lang in languages())]
    published = {e.edition for e in entries if e.status != DRAFT}
    rows: list[dict] = []
    if len(path.read_text(encoding="utf-8-sig").strip().splitlines()) == 1:
        return rows  # its header alone: no erratum yet (read_table refuses a file without rows)
    for row in read_table(path, columns).iter_rows(named=True):
        line = row[LINE]
        if not row["edition"].isdigit() or int(row["edition"]) not in published:
            raise DataError(path, line, "edition", f"{row['edition']!r} is no published edition")
        try:
            date.fromisoformat(row["date"])
        except ValueError:
            raise DataError(path, line, "date", f"{row['date']!r} is not a date") from None
        for lang in languages():
            if not row[f"text_{lang}"].strip():
                raise DataError(path, line, f"text_{lang}", "an erratum says what it corrects")
        rows.append({**row, "edition": int(row["edition"])})
    return rows


def write_status(data_dir: Path, entry: Entry) -> None:
    """Write `entry` into data/editions.csv: its row replaced, or added at the end."""
    path = data_dir / EDITIONS_FILE
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    row = {"edition": str(entry.edition), "status": entry.status,
           "published": entry.published.isoformat() if entry.published else "",
           "manifest": entry.manifest or ""}  # fmt: skip
    found = [i for i, r in enumerate(rows) if r["edition"] == row["edition"]]
    if found:
        rows[found[0]] = row
    else:
        rows.append(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


# Each edition's data product -----------------------------------------------------------------


def product_dir(build_root: Path, edition: int) -> Path:
    """Where the build writes the data product of a live edition."""
    return build_root / "products" / str(edition)


def frozen_tree(editions_dir: Path, edition: int) -> Path:
    return editions_dir / str(edition)


def _tables(folder: Path) -> dict[str, pl.DataFrame]:
    names = [
        r["name"]
        for r in json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    ]
    return {name: pl.read_parquet(folder / f"{name}.parquet") for name in names}


def published_data(entry: Entry, build_root: Path, editions_dir: Path) -> Path:
    """An edition's data product as published: a frozen edition's own, or the build's."""
    if entry.status == FROZEN:
        return frozen_tree(editions_dir, entry.edition) / "data"
    return product_dir(build_root, entry.edition)


def build_product(data_dir: Path, build_root: Path, entry: Entry, entries: list[Entry],
                  editions_dir: Path, use_cache: bool = True) -> tuple[Path, bool]:  # fmt: skip
    """The data product of a live edition (`analysis.report.editions.edition_product`) from
    the whole product in `data_dir/processed`, with its changes since the previous edition
    as that edition was published. Returns its folder and whether it was reused."""
    full = data_dir / "processed"
    before = previous(entries, entry.edition)
    before_dir = published_data(before, build_root, editions_dir) if before else None
    target = product_dir(build_root, entry.edition)
    parts = [entry.edition, entry.published, *file_parts(full.glob("*.parquet"), full),
             *(file_parts(before_dir.glob("*.parquet"), before_dir) if before_dir else ["first"]),
             data_dir / "fields.csv", data_dir / "tables.csv", code_digest()]  # fmt: skip

    def produce() -> None:
        from analysis.product.dataset import data_date, table_catalog
        from analysis.product.publish import field_descriptions, publish
        from analysis.report.editions import edition_product

        earlier = _tables(before_dir) if before_dir else None
        tables = edition_product(
            _tables(full),
            entry.edition,
            entry.published,
            earlier,
            before.edition if before else None,
        )
        # The whole product's catalog lists its own tables; this product adds `changes`.
        tables["tables"] = table_catalog(data_dir)
        publish(tables, target, data_date(tables["sources"]), field_descriptions(data_dir, tables))

    cache = StepCache(build_root / "cache" / "products", reuse=use_cache)
    return target, cache.refresh(parts, target, produce)


# Frozen editions ----------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_path(editions_dir: Path, edition: int) -> Path:
    return editions_dir / f"{edition}.sha256"


def manifest_text(tree: Path) -> str:
    """Every file of `tree` with its SHA-256, as `sha256sum` writes them (`sha256sum -c`
    checks them from inside the tree)."""
    files = sorted(p for p in tree.rglob("*") if p.is_file())
    return "".join(f"{_sha256(p.read_bytes())}  {p.relative_to(tree).as_posix()}\n" for p in files)


def verify(editions_dir: Path, entry: Entry) -> Path:
    """Check a frozen edition's files against its manifest, and the manifest against its
    hash in data/editions.csv; return its tree. Stops on any difference, naming each file."""
    tree, manifest = (
        frozen_tree(editions_dir, entry.edition),
        manifest_path(editions_dir, entry.edition),
    )
    if not manifest.is_file() or not tree.is_dir():
        raise DataError(manifest if tree.is_dir() else tree, None, None,
                        f"edition {entry.edition} is frozen but its files are missing")  # fmt: skip
    if _sha256(manifest.read_bytes()) != entry.manifest:
        raise DataError(manifest, None, None, f"changed since edition {entry.edition} was frozen "
                        f"(its SHA-256 is not the one data/{EDITIONS_FILE} records)")  # fmt: skip
    listed = dict(
        line.split("  ", 1)[::-1] for line in manifest.read_text(encoding="utf-8").splitlines()
    )
    found = {p.relative_to(tree).as_posix(): p for p in tree.rglob("*") if p.is_file()}
    frozen = f"edition {entry.edition} is frozen"
    errors = [DataError(tree / name, None, None, f"missing: {frozen}, its files stay as built")
              for name in sorted(listed.keys() - found.keys())]  # fmt: skip
    errors += [DataError(found[name], None, None, f"not in the manifest: {frozen}; nothing is added")
               for name in sorted(found.keys() - listed.keys())]  # fmt: skip
    errors += [DataError(found[name], None, None, f"changed since {frozen.replace('is frozen', 'was frozen')} "
                         "(its SHA-256 is not the manifest's): publish a correction as an erratum")
               for name in sorted(found.keys() & listed.keys())
               if _sha256(found[name].read_bytes()) != listed[name]]  # fmt: skip
    if errors:
        raise errors[0] if len(errors) == 1 else DataErrors(errors)
    return tree


def freeze(site: Path, editions_dir: Path, edition: int) -> str:
    """Keep an edition as the site publishes it (`site/editions/<year>/`) in
    `editions/<year>/` with its manifest; returns the manifest's SHA-256."""
    source, tree = site / EDITIONS / str(edition), frozen_tree(editions_dir, edition)
    if not source.is_dir():
        raise FileNotFoundError(f"{source} does not exist: build the site first")
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(source, tree)
    text = manifest_text(tree)
    manifest_path(editions_dir, edition).write_text(text, encoding="utf-8")
    return _sha256(text.encode("utf-8"))


# The site of every edition --------------------------------------------------------------------


def _stats(folder: Path) -> list[str]:
    """A cheap fingerprint of a folder's files (path, size, modification time): a tree the
    build republished, or a frozen file touched, changes it."""
    return [f"{p.relative_to(folder).as_posix()}:{s.st_size}:{s.st_mtime_ns}"
            for p in sorted(folder.rglob("*")) if p.is_file() for s in (p.stat(),)]  # fmt: skip


def listing(entries: list[Entry], trees: dict[int, Path], editions_dir: Path) -> list[Listed]:
    """Every edition the site publishes (drafts built for checking included), with its pages."""
    found = []
    for e in entries:
        tree = trees.get(e.edition) or (
            frozen_tree(editions_dir, e.edition) if e.status == FROZEN else None
        )
        if tree is not None:
            found.append(Listed(e.edition, e.status, e.published, site_editions.tree_slugs(tree)))
    return found


def assemble(target: Path, trees: dict[int, Path], entries: list[Entry], data_dir: Path,
             editions_dir: Path, cache: StepCache) -> tuple[bool, dict[str, float]]:  # fmt: skip
    """Publish the site in place of `target`: every live edition's tree (`trees`, by edition)
    at `editions/<year>/`, the latest's also at the site's root, every frozen edition copied
    from `editions_dir` once its files are checked, and the list of editions with their
    errata. Reused as it is when none of that changed. Returns whether it was, and the
    seconds of the parts that ran."""
    corrections = errata(data_dir, entries)
    newest = latest(entries)
    frozen = [e for e in entries if e.status == FROZEN]
    parts = [*((e.edition, e.status, e.published, e.manifest) for e in entries), *corrections,
             *(f"{e}:{s}" for e, tree in sorted(trees.items()) for s in _stats(tree)),
             *(f"{e.edition}:{s}" for e in frozen for s in _stats(frozen_tree(editions_dir, e.edition))),
             *(manifest_path(editions_dir, e.edition).read_bytes() for e in frozen
               if manifest_path(editions_dir, e.edition).is_file()),
             code_digest()]  # fmt: skip
    seconds: dict[str, float] = {}

    def publish() -> None:
        listed = listing(entries, trees, editions_dir)
        shown = [e for e in listed if e.status != DRAFT]
        by_edition = {e.edition: e for e in listed}
        with staged(target) as staging:
            start = time.perf_counter()
            site_editions.place_tree(trees[newest.edition], staging, by_edition[newest.edition],
                                     False, shown, by_edition[newest.edition])  # fmt: skip
            for edition, tree in sorted(trees.items()):
                site_editions.place_tree(tree, staging / EDITIONS / str(edition), by_edition[edition],
                                         True, shown, by_edition[newest.edition])  # fmt: skip
            seconds["live editions placed"] = time.perf_counter() - start
            start = time.perf_counter()
            # Checked, then published from the build's own copy (never linked to
            # `editions_dir`): a frozen file edited in place must not change the published
            # site, which stays as it was when the check stops the build. The copy is made
            # once and kept, under the manifest that fixes every file of it.
            for entry in frozen:
                tree = verify(editions_dir, entry)
                cache.output(f"frozen edition {entry.edition}",
                             [entry.edition, manifest_path(editions_dir, entry.edition).read_bytes()],
                             staging / EDITIONS / str(entry.edition),
                             partial(shutil.copytree, tree), link=True)  # fmt: skip
            seconds["frozen editions copied"] = time.perf_counter() - start
            site_editions.write_editions_pages(
                staging, shown, by_edition[newest.edition], corrections
            )

    return cache.refresh(parts, target, publish), seconds
