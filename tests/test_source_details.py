"""What a source document says of itself (its official number, date, publisher, address),
each read from a verbatim snippet the build finds in the document; and the table catalog
(data/tables.csv) that names and describes every published table."""

from __future__ import annotations

import polars as pl

from analysis.product.dataset import EDITION_TABLES, build_tables
from analysis.product.sources import SNIPPETS, VALUE_SNIPPETS, normalise_text
from tests.conftest import edit_row, line_of
from tests.test_data_rules import assert_reported, build_errors

PLAN = "003_46c1bc078081cbe5"  # Plan 46/KH-UBND: the one source with an official number


def test_every_detail_published_is_verbatim_in_its_source(sources_dir):
    sources = build_tables(sources_dir=sources_dir)["sources"]
    plan = sources.filter(pl.col("source_id") == PLAN).row(0, named=True)
    assert plan["identifier"] == "46/KH-UBND" and plan["date"] == "2025-08-25"
    checked = 0
    for row in sources.iter_rows(named=True):
        text = normalise_text((sources_dir / f"{row['source_id']}.txt").read_text(encoding="utf-8"))
        for field in SNIPPETS:
            if row[field]:
                assert normalise_text(row[field]) in text, (row["source_id"], field)
                checked += 1
        for value, snippet in VALUE_SNIPPETS.items():
            if row[value]:
                assert row[value] in row[snippet] and row[value] in text, (row["source_id"], value)
    assert checked >= 4


def test_an_invented_identifier_stops_the_build(data_dir, sources_dir):
    """An official number written into the catalog, with a snippet that holds it, but which
    the document never gives."""
    path = data_dir / "sources.csv"
    line = edit_row(path, "002_", ",,,,Kinhtedothi,,", ",12/KH-UBND,Số: 12/KH-UBND,,Kinhtedothi,,")
    assert build_tables(data_dir)  # without the texts nothing shows the number is invented
    errors = build_errors(data_dir, sources_dir)
    assert_reported(errors, path, line, "identifier_quote", "not found verbatim in source 002_")


def test_an_invented_address_stops_the_build(data_dir, sources_dir):
    path = data_dir / "sources.csv"
    url = "https://kinhtedothi.vn/can-tho-chuyen-doi-so.html"
    line = edit_row(path, "002_", ",Kinhtedothi,,", f",Kinhtedothi,{url},{url}")
    assert_reported(
        build_errors(data_dir, sources_dir), path, line, "url_quote", "not found verbatim"
    )


def test_an_identifier_must_stand_in_its_snippet(data_dir):
    path = data_dir / "sources.csv"
    line = edit_row(path, PLAN, ",46/KH-UBND,Số: 46/KH-UBND,", ",47/KH-UBND,Số: 46/KH-UBND,")
    assert_reported(build_errors(data_dir), path, line, "identifier", "not in its snippet")
    edit_row(path, PLAN, ",47/KH-UBND,Số: 46/KH-UBND,", ",46/KH-UBND,,")
    assert_reported(build_errors(data_dir), path, line, "identifier_quote", "needs the snippet")


def test_a_date_snippet_must_give_the_catalogued_date(data_dir):
    path = data_dir / "sources.csv"
    line = edit_row(path, PLAN, ",2025-08-25,legal_document,", ",2025-08-26,legal_document,")
    assert_reported(
        build_errors(data_dir), path, line, "date_quote", "does not give the date 2025-08-26"
    )


def test_an_address_must_be_a_web_address(data_dir):
    path = data_dir / "sources.csv"
    line = edit_row(path, "002_", ",Kinhtedothi,,", ",Kinhtedothi,kinhtedothi,Kinhtedothi")
    assert_reported(build_errors(data_dir), path, line, "url", "")


def test_every_published_table_is_named_and_described_in_every_language(data_dir):
    tables = build_tables(data_dir)
    catalog = tables["tables"]
    # The catalog also names the tables only an edition's own product holds (`changes`);
    # publishing a product keeps the rows of the tables it holds (tests/test_publish.py).
    assert catalog["table"].to_list() == [*tables, *EDITION_TABLES]
    for lang in ("vi", "en"):
        for row in catalog.iter_rows(named=True):
            name, description = row[f"name_{lang}"], row[f"description_{lang}"]
            assert name and description and name != row["table"] and "_" not in name, row


def test_a_table_without_a_description_stops_the_build(data_dir):
    path = data_dir / "tables.csv"
    line = line_of(path, "checks,")
    lines = path.read_text(encoding="utf-8").split("\n")
    del lines[line - 1]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_reported(build_errors(data_dir), path, None, "table", "'checks' has no row")
    with path.open("a", encoding="utf-8") as f:
        f.write("checks,a,b,c,d\nspare,a,b,c,d\n")
    assert_reported(build_errors(data_dir), path, line_of(path, "spare,"), "table",
                    "'spare' is not a published table")  # fmt: skip
