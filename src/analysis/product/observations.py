"""Load the hand-curated observations and enforce every rule the data product promises.

Rules (each error names file, row and field):
- types and vocabularies by schema; known indicator, unit and source ids; unique keys;
- `value` is a plain decimal that equals the figure as the source writes it (`value_text`),
  which catches thousands/decimal mix-ups such as `8.947` typed as 8.947;
- `quote` contains `value_text`; the hedge rule holds both ways: each qualifier's hedge word
  stands in the quote, and a hedge word right before the figure (`hơn 309.000`, `ước khoảng
  6,35`) requires its qualifier (`more_than`; `estimated+about`), unless the row names it in
  `not_hedge` (`trên` meaning "on") and its note says why;
- the unit is the indicator's unit; counts and amounts are non-negative, shares within 0–100;
- a breakdown sums to its total, and stated shares agree with shares recomputed from counts;
- each quote is found verbatim in its source text (when the texts are available).

Why one module of some 350 lines: it is the list above, rule by rule, in the order the checks
run on one parsed frame (schema, then each row, then breakdowns, then the source texts).
Where sources disagree is `analysis.product.disputes`. Every rule is a short
function the data rules' tests break one at a time (tests/test_data_rules.py).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandera.polars as pa
import polars as pl

from analysis.product.catalog import Catalog
from analysis.product.checks import schema_errors
from analysis.product.disputes import FIGURE_KEY
from analysis.product.errors import DataError, DataErrors
from analysis.product.numbers import (
    NumberFormatError,
    parse_number,
    parse_plain_decimal,
    parse_range,
    written_decimals,
)
from analysis.product.sources import normalise_text
from analysis.product.tables import LINE, read_table
from analysis.product.vocabularies import QUALIFIER_JOIN, codes, hedges, qualifier_codes

_COLUMNS = [
    "indicator_id",
    "geo",
    "period",
    "obs_type",
    "value",
    "value_high",
    "qualifier",
    "unit",
    "value_text",
    "source_id",
    "quote",
    "note",
    "not_hedge",
]
_KEY = [*FIGURE_KEY, "source_id"]  # one source's figure
_GEOS = ["VN-CT"]  # ISO 3166-2 code of Can Tho city
_OBS_TYPES = ["actual", "target"]
_DAY = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_PERIOD = rf"^{_DAY}(?:/{_DAY})?$"
NON_NEGATIVE_KINDS = {"count", "money", "area", "rate", "score", "share"}
# Words that may stand between a hedge and the figure it governs ("ước đạt 133.064,73",
# "tối thiểu đạt 25%", "ước tính tăng 7,12%").
_HEDGE_LINKS = ("đạt", "tính", "tăng")


# The bounds of the range checks (the data quality page states them from here).
SHARE_MIN, SHARE_MAX = 0, 100
RANK_MIN = 1


def _observations_schema(catalog: Catalog) -> pa.DataFrameSchema:
    def isin(values) -> pa.Column:
        return pa.Column(pl.String, pa.Check.isin(list(values)))

    text = pa.Column(pl.String, pa.Check.str_length(min_value=1))
    qualifiers = set(codes("qualifier"))
    return pa.DataFrameSchema(
        {
            "indicator_id": isin(catalog.indicators["indicator_id"]),
            "geo": isin(_GEOS),
            "period": pa.Column(pl.String, pa.Check.str_matches(_PERIOD)),
            "obs_type": isin(_OBS_TYPES),
            "value": pa.Column(pl.Float64),
            "value_high": pa.Column(pl.Float64, nullable=True),
            "qualifier": pa.Column(
                pl.String,
                pa.Check(
                    lambda q: set(qualifier_codes(q)) <= qualifiers,
                    element_wise=True,
                    name="isin(qualifier)",
                ),
            ),
            "unit": isin(catalog.units["unit_id"]),
            "value_text": text,
            "source_id": isin(catalog.sources["source_id"]),
            "quote": text,
            "note": pa.Column(pl.String, nullable=True),
            "not_hedge": pa.Column(pl.String, nullable=True),
        },
        unique=_KEY,
    )


def _parse_values(raw: pl.DataFrame, path: Path) -> tuple[pl.DataFrame, list[DataError]]:
    errors: list[DataError] = []
    values: list[float | None] = []
    highs: list[float | None] = []
    for row in raw.iter_rows(named=True):
        for field, out in (("value", values), ("value_high", highs)):
            text = row[field].strip()
            if field == "value_high" and not text:
                out.append(None)
                continue
            try:
                out.append(float(parse_plain_decimal(text)))
            except NumberFormatError as err:
                errors.append(DataError(path, row[LINE], field, str(err)))
                out.append(None)
    typed = raw.with_columns(
        pl.Series("value", values, dtype=pl.Float64),
        pl.Series("value_high", highs, dtype=pl.Float64),
        *(pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c)
          for c in ("note", "not_hedge")),
    )  # fmt: skip
    return typed, errors


def _contains_figure(quote: str, figure: str) -> bool:
    """The figure stands in the quote as a whole number, not inside a longer one."""
    pattern = rf"(?<![\d.,]){re.escape(figure)}(?![\d]|[.,]\d)"
    return re.search(pattern, normalise_text(quote), flags=re.IGNORECASE) is not None


def governing_hedges(quote: str, figure: str) -> list[str]:
    """The hedge words written right before the figure in the quote (`ước khoảng 6,35`
    gives [`ước`, `khoảng`]), linking words allowed between them and the figure."""
    words = {w: code for code in codes("qualifier") for w in hedges("qualifier", code)}
    text = normalise_text(quote)
    match = re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d]|[.,]\d)", text, re.IGNORECASE)
    if match is None:
        return []
    before, found = text[: match.start()].rstrip(), []
    while True:
        for word in sorted([*words, *_HEDGE_LINKS], key=len, reverse=True):
            if re.search(rf"(?:^|\s){re.escape(word)}$", before, re.IGNORECASE):
                if word in words:
                    found.insert(0, word)
                before = before[: -len(word)].rstrip()
                break
        else:
            return found


def _hedge_errors(qualifier: str, quote: str, figure: str, not_hedge: str | None,
                 note: str | None) -> list[tuple[str, str]]:  # fmt: skip
    """The hedge rule, both ways: each hedge of the qualifier has one of its words in the
    quote, and each hedge word governing the figure has its code in the qualifier."""
    found: list[tuple[str, str]] = []
    stated = qualifier_codes(qualifier)
    for code in stated:
        words = hedges("qualifier", code)
        if words and not any(w in normalise_text(quote).lower() for w in words):
            found.append(("qualifier", f"{code!r} but the quote has none of {list(words)}"))
    governing = governing_hedges(quote, normalise_text(figure))
    if not_hedge is not None:
        if not_hedge not in governing:
            found.append(("not_hedge", f"{not_hedge!r} is not a hedge word right before the "
                                       f"figure {figure!r} in the quote"))  # fmt: skip
        elif not note:
            found.append(("note", f"empty, but not_hedge {not_hedge!r} needs the reason"))
    for word in governing:
        code = next(c for c in codes("qualifier") if word in hedges("qualifier", c))
        if word != not_hedge and code not in stated:
            found.append(("qualifier",
                          f"{qualifier!r} but the quote writes {word!r} right before {figure!r}: "
                          f"add {code!r} (several hedges join with {QUALIFIER_JOIN!r}), or, if "
                          f"{word!r} is no hedge here, name it in not_hedge and say why in note"))  # fmt: skip
    return found


def _row_rules(obs: pl.DataFrame, catalog: Catalog, path: Path) -> list[DataError]:
    """Rules that look at one row at a time."""
    errors: list[DataError] = []
    indicator_unit = dict(catalog.indicators.select("indicator_id", "unit").iter_rows())
    unit_kind = catalog.unit_kind()
    for row in obs.iter_rows(named=True):
        line, value, high = row[LINE], row["value"], row["value_high"]
        text, quote = row["value_text"], row["quote"]

        def err(field: str, message: str, line=line) -> None:
            errors.append(DataError(path, line, field, message))

        if value is not None:
            try:
                low_t, high_t = parse_range(text) if high is not None else (parse_number(text),) * 2
            except NumberFormatError as e:
                err("value_text", str(e))
            else:
                stated = (Decimal(str(value)), Decimal(str(high if high is not None else value)))
                if (low_t, high_t) != stated:
                    written = f"{low_t}" if low_t == high_t else f"{low_t}–{high_t}"
                    err(
                        "value",
                        f"{value:g} does not equal the figure as written, {text!r} = {written} "
                        "(thousands/decimal mix-up?)",
                    )
        if not _contains_figure(quote, normalise_text(text)):
            err("quote", f"does not contain the figure {text!r} as the source writes it")
        err_hedge = _hedge_errors(row["qualifier"], quote, text, row["not_hedge"], row["note"])
        for field, message in err_hedge:
            err(field, message)
        expected = indicator_unit.get(row["indicator_id"])
        if expected and row["unit"] != expected:
            err("unit", f"{row['unit']!r} but indicator {row['indicator_id']} is in {expected!r}")
        kind = unit_kind.get(row["unit"])
        for field, v in (("value", value), ("value_high", high)):
            if v is None:
                continue
            if kind in NON_NEGATIVE_KINDS and v < 0:
                err(field, f"{v:g} is negative; {row['unit']} cannot be")
            if kind == "share" and v > SHARE_MAX:
                err(field, f"{v:g} is a share above {SHARE_MAX}")
            if kind == "rank" and v < RANK_MIN:
                err(field, f"{v:g} is not a rank (ranks start at {RANK_MIN})")
    return errors


def _breakdown_rules(obs: pl.DataFrame, catalog: Catalog, path: Path) -> list[DataError]:
    """Parts sum to their total; stated shares agree with shares recomputed from counts."""
    errors: list[DataError] = []
    ind = catalog.indicators
    group = ["geo", "period", "obs_type", "source_id"]
    parts = obs.join(ind.select("indicator_id", "part_of", "share_of"), on="indicator_id")
    totals = obs.select(
        *group,
        pl.col("indicator_id").alias("part_of"),
        pl.col("value").alias("total"),
        pl.col(LINE).alias("total_line"),
    )
    with_total = parts.filter(pl.col("part_of").is_not_null()).join(totals, on=[*group, "part_of"])
    # Only breakdowns that the source gives with a complete total are checked (R&D staff).
    for key, rows in with_total.group_by([*group, "part_of"], maintain_order=True):
        parent = ind.filter(pl.col("part_of") == key[-1])
        if rows.height < parent.height:
            continue
        total, line = rows["total"][0], int(rows["total_line"][0])
        if abs(rows["value"].sum() - total) > 1e-9:
            errors.append(
                DataError(
                    path,
                    line,
                    "value",
                    f"{key[-1]} = {total:g} but its parts {rows['indicator_id'].to_list()} sum to "
                    f"{rows['value'].sum():g}",
                )
            )
    counts = obs.select(
        *group, pl.col("indicator_id").alias("share_of"), pl.col("value").alias("part")
    )
    shares = parts.filter(pl.col("share_of").is_not_null()).drop("part_of")
    shares = shares.join(counts, on=[*group, "share_of"])
    shares = shares.join(
        ind.select(pl.col("indicator_id").alias("share_of"), "part_of"), on="share_of"
    )
    shares = shares.join(totals, on=[*group, "part_of"])
    for row in shares.iter_rows(named=True):
        recomputed = 100 * row["part"] / row["total"]
        tolerance = 0.5 * 10 ** -written_decimals(row["value_text"]) + 1e-9
        if abs(recomputed - row["value"]) > tolerance:
            errors.append(
                DataError(
                    path,
                    row[LINE],
                    "value",
                    f"stated share {row['value']:g}% but {row['share_of']} / {row['part_of']} = "
                    f"{recomputed:.3f}%",
                )
            )
    return errors


def _source_rules(obs: pl.DataFrame, texts: dict[str, str], path: Path) -> list[DataError]:
    """Each quote is found verbatim (whitespace- and NFC-normalised) in its source text."""
    errors = []
    for row in obs.iter_rows(named=True):
        text = texts.get(row["source_id"])
        if text is not None and normalise_text(row["quote"]) not in text:
            errors.append(
                DataError(
                    path, row[LINE], "quote", f"not found verbatim in source {row['source_id']}"
                )
            )
    return errors


def load_observations(path: Path, catalog: Catalog, texts: dict[str, str] | None) -> pl.DataFrame:
    """Read, type and check the observations; raise DataErrors listing every problem."""
    raw = read_table(path, _COLUMNS[:-1], optional=("not_hedge",))
    obs, errors = _parse_values(raw, path)
    # One error per fault: a value that did not parse is not reported again as empty.
    reported = {(e.line, e.field) for e in errors}
    errors += [e for e in schema_errors(_observations_schema(catalog), obs, path)
               if (e.line, e.field) not in reported]  # fmt: skip
    if not errors:
        errors += _row_rules(obs, catalog, path)
        errors += _breakdown_rules(obs, catalog, path)
        if texts is not None:
            errors += _source_rules(obs, texts, path)
    if errors:
        raise DataErrors(errors)
    return obs
