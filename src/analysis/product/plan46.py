"""Extract Plan 46/KH-UBND's Appendix I (targets) and Appendix II (tasks) from its text.

The source is a legal-document library copy whose tables are lines of `|`-separated
cells. A pure function of the text: the output is committed under `data/extracted/`
and a test re-extracts it wherever the sources directory is available.
English titles and catalog links are curated by hand in `data/curated/plan46_*_en.csv`,
short names for charts in every language in `data/curated/plan46_*_short.csv`, and joined
here; a row without its translation stops the extraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.product.errors import DataError
from analysis.product.numbers import NumberFormatError, parse_range
from analysis.product.vocabularies import codes, languages, symbol

PLAN_SOURCE_ID = "003_46c1bc078081cbe5"
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7}
_HORIZON = re.compile(r"Đến năm (\d{4})")
# A target's sign as the plan writes it (`≥ 80`) -> its comparator code.
_COMPARATORS = {symbol("comparator", c): c for c in codes("comparator") if symbol("comparator", c)}
_TARGET = re.compile(r"(?P<cmp>[≤≥<>])?\s*(?P<num>\d[\d.,]*(?:\s*-\s*\d[\d.,]*)?)\s*%?(?P<rest>.*)")

# Deadline forms the plan uses; an unknown form stops the extraction so it gets a rule.
DEADLINE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("recurring", re.compile(r"Thường xuyên|Hằng năm|Hàng năm")),
    ("recurring", re.compile(r"Năm (?P<start>\d{4}) và những năm tiếp theo")),
    ("on_central_request", re.compile(r"Khi có yêu cầu của Trung ương")),
    ("dated", re.compile(r"(?:Tháng )?(?P<month>\d{1,2})/(?P<start>\d{4})")),
    ("year_range", re.compile(r"(?P<start>\d{4})\s*-\s*(?P<end>\d{4})")),
    ("after_year", re.compile(r"Sau năm (?P<start>\d{4})")),
    ("year", re.compile(r"(?:Năm )?(?P<start>\d{4})")),
    ("conditional", re.compile(r"Sau khi .+")),
]


@dataclass(frozen=True)
class Deadline:
    kind: str
    date: str | None  # ISO month (YYYY-MM) for dated deadlines
    year_start: int | None
    year_end: int | None


def classify_deadline(text: str) -> Deadline:
    """Sort a deadline cell into a kind, with its month or years where it has them."""
    clean = " ".join(text.split())
    for kind, pattern in DEADLINE_RULES:
        m = pattern.fullmatch(clean)
        if m is None:
            continue
        groups = m.groupdict()
        start = int(groups["start"]) if groups.get("start") else None
        if kind == "dated":
            return Deadline(kind, f"{start:04d}-{int(groups['month']):02d}", start, start)
        if kind == "after_year":
            return Deadline(kind, None, start + 1, None)
        end = int(groups["end"]) if groups.get("end") else start
        if kind == "recurring":
            end = None
        return Deadline(kind, None, start, end)
    raise ValueError(f"unknown deadline form {text!r}")


def parse_target(text: str) -> tuple[str, float | None, float | None]:
    """(comparator, low, high) for a target cell; text without a figure is qualitative."""
    clean = " ".join(text.split())
    m = _TARGET.fullmatch(clean)
    if not clean:
        return "none", None, None
    if m is None:
        return "qualitative", None, None
    try:
        low, high = parse_range(m["num"])
    except NumberFormatError:
        return "qualitative", None, None
    cmp = _COMPARATORS.get(m["cmp"] or "")
    if cmp is None:
        cmp = "range" if low != high else "eq"
    if cmp in ("le", "lt"):
        return cmp, None, float(high)
    if cmp in ("ge", "gt"):
        return cmp, float(low), None
    return cmp, float(low), float(high)


def _cells(line: str) -> list[str]:
    cells = [" ".join(c.split()) for c in line.split("|")]
    if cells and cells[-1] == "":
        cells = cells[:-1]
    return cells


def _appendix(lines: list[str], title: str, end: str | None) -> list[tuple[int, str]]:
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    stop = next(
        (i for i in range(start + 1, len(lines)) if end and lines[i].strip() == end), len(lines)
    )
    return [(i + 1, lines[i]) for i in range(start + 1, stop)]


def extract_targets(text: str) -> pl.DataFrame:
    """Appendix I: one row per numbered line, sub-items and repeated numbers kept."""
    rows: list[dict] = []
    horizon: int | None = None
    for line_no, line in _appendix(text.splitlines(), "PHỤ LỤC I", "PHỤ LỤC II"):
        cells = _cells(line)
        if not cells or cells[0] == "TT" or "|" not in line:
            continue
        first = cells[0]
        if first in _ROMAN:
            m = _HORIZON.search(cells[1])
            horizon = int(m[1]) if m else None
            continue
        if first == "":
            # Continuation of the previous row: its cells fill that row from the right.
            content = [c for c in cells if c]
            if content and rows:
                fields = ["unit", "target_text", "lead_agency"]
                for field, value in zip(fields[-len(content) :], content, strict=True):
                    rows[-1][field] = value
            continue
        item, indicator, *rest = cells + [""] * (5 - len(cells))
        rows.append(
            {
                "row": len(rows) + 1,
                "item": item,
                "horizon": horizon,
                "indicator_vi": indicator,
                "unit": rest[0],
                "target_text": rest[1],
                "lead_agency": rest[2],
                "source_line": line_no,
            }
        )
    for row in rows:
        comparator, low, high = parse_target(row["target_text"])
        row.update(comparator=comparator, target_low=low, target_high=high)
    return pl.DataFrame(
        rows, schema_overrides={"target_low": pl.Float64, "target_high": pl.Float64}
    )


def extract_tasks(text: str) -> pl.DataFrame:
    """Appendix II: 113 tasks in seven groups, with each deadline's kind."""
    rows: list[dict] = []
    group: int | None = None
    group_title = ""
    for line_no, line in _appendix(text.splitlines(), "PHỤ LỤC II", None):
        cells = _cells(line)
        if len(cells) != 5 or cells[0] == "TT":
            continue
        if cells[0] in _ROMAN:
            group, group_title = _ROMAN[cells[0]], cells[1]
            continue
        if not cells[0].isdigit():
            continue
        deadline = classify_deadline(cells[4])
        rows.append(
            {
                "task_no": int(cells[0]),
                "group": group,
                "group_title_vi": group_title,
                "task_vi": cells[1],
                "lead_agency": cells[2],
                "co_agencies": cells[3],
                "deadline_text": cells[4],
                "deadline_kind": deadline.kind,
                "deadline_date": deadline.date,
                "deadline_year_start": deadline.year_start,
                "deadline_year_end": deadline.year_end,
                "source_line": line_no,
            }
        )
    return pl.DataFrame(
        rows,
        schema_overrides={
            "deadline_date": pl.String,
            "deadline_year_start": pl.Int64,
            "deadline_year_end": pl.Int64,
        },
    )


def _join_curated(
    extracted: pl.DataFrame, curated: pl.DataFrame, key: str, path: Path, check: str | None = None
) -> pl.DataFrame:
    missing = extracted.join(curated, on=key, how="anti")
    if missing.height:
        raise DataError(path, None, key, f"no curated row for {key} {missing[key].to_list()}")
    extra = curated.join(extracted, on=key, how="anti")
    if extra.height:
        raise DataError(path, None, key, f"curated rows for unknown {key} {extra[key].to_list()}")
    joined = extracted.join(curated, on=key, how="left")
    if check is not None:
        bad = joined.filter(pl.col(check) != pl.col(f"{check}_right"))
        if bad.height:
            raise DataError(
                path, None, check, f"does not match the plan's text: {bad[key].to_list()}"
            )
        joined = joined.drop(f"{check}_right")
    return joined


TARGET_COLUMNS = [
    "row", "item", "horizon", "indicator_vi", "indicator_en", "unit", "comparator",
    "target_low", "target_high", "target_text", "target_vi", "target_en", "unit_id", "lead_agency",
    "indicator_id", "source_line",
]  # fmt: skip
# Short names, in every site language, for a chart's labels (data/curated/plan46_*_short.csv):
# every group has one; a task where a chart labels it and its title does not fit whole.
GROUP_SHORT = [f"group_short_{lang}" for lang in languages()]
TASK_SHORT = [f"task_short_{lang}" for lang in languages()]
_TASK_COLUMNS = [
    "task_no", "group", "group_title_vi", "group_title_en", *GROUP_SHORT, "task_vi", "task_title_en",
    *TASK_SHORT, "lead_agency", "lead_agency_en", "co_agencies", "deadline_text", "deadline_kind",
    "deadline_date", "deadline_year_start", "deadline_year_end", "source_line",
]  # fmt: skip


def with_english_targets(
    targets: pl.DataFrame, curated_en: pl.DataFrame, path: Path
) -> pl.DataFrame:
    """Appendix I rows with their curated English name and catalog indicator."""
    curated = curated_en.with_columns(pl.col("row").cast(pl.Int64))
    joined = _join_curated(targets, curated, "row", path, check="item")
    # A target in words is shown in words: the plan's own (vi), or their translation (en),
    # where `{target}` stands for the target's bound written in the page's notation.
    in_words = pl.col("target_text").str.contains(r"[^\d\s.,%≥≤<>=–-]")
    joined = joined.with_columns(pl.when(in_words).then("target_text").alias("target_vi"))
    untranslated = joined.filter(pl.col("target_vi").is_not_null() & pl.col("target_en").is_null())
    if untranslated.height:
        raise DataError(
            path, None, "target_en", f"no English words for rows {untranslated['row'].to_list()}"
        )
    return joined


def with_english_tasks(tasks: pl.DataFrame, tasks_en: pl.DataFrame, groups_en: pl.DataFrame,
                       tasks_path: Path, groups_path: Path) -> pl.DataFrame:  # fmt: skip
    """Appendix II tasks with their curated English titles and group titles."""
    tasks = _join_curated(
        tasks, tasks_en.with_columns(pl.col("task_no").cast(pl.Int64)), "task_no", tasks_path
    )
    groups = groups_en.with_columns(pl.col("group").cast(pl.Int64))
    return _join_curated(tasks, groups, "group", groups_path)


def with_short_names(tasks: pl.DataFrame, groups_short: pl.DataFrame, tasks_short: pl.DataFrame,
                     groups_path: Path, tasks_path: Path) -> pl.DataFrame:  # fmt: skip
    """Appendix II tasks with their groups' short names (one for every group) and their
    own short names (for the tasks that have one)."""
    tasks = _join_curated(tasks, groups_short.with_columns(pl.col("group").cast(pl.Int64)), "group",
                          groups_path)  # fmt: skip
    short = tasks_short.with_columns(pl.col("task_no").cast(pl.Int64))
    unknown = short.join(tasks, on="task_no", how="anti")
    if unknown.height:
        raise DataError(
            tasks_path,
            None,
            "task_no",
            f"short names for unknown tasks {unknown['task_no'].to_list()}",
        )
    return tasks.join(short, on="task_no", how="left")


_AGENCY_SEPARATOR = "; "  # a task led jointly lists its lead agencies so


def with_english_agencies(
    tasks: pl.DataFrame, agencies_en: pl.DataFrame, path: Path
) -> pl.DataFrame:
    """Each task's lead agencies in English, from the curated names (every one needs one)."""
    names = dict(agencies_en.select("agency", "agency_en").iter_rows())
    leads = {a for lead in tasks["lead_agency"].drop_nulls() for a in lead.split(_AGENCY_SEPARATOR)}
    missing = sorted(leads - set(names))
    if missing:
        raise DataError(path, None, "agency", f"no English name for {missing}")
    english = pl.col("lead_agency").map_elements(
        lambda lead: _AGENCY_SEPARATOR.join(names[a] for a in lead.split(_AGENCY_SEPARATOR)),
        return_dtype=pl.String,
    )
    return tasks.with_columns(english.alias("lead_agency_en")).select(_TASK_COLUMNS)
