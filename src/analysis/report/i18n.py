"""Words and number notation for the two languages of the report (vi, en).

Narrative templates hold no figures: their `{placeholders}` are filled from the data.
"""

from __future__ import annotations

from analysis.product.numbers import format_number

LANGS = ("vi", "en")

# d3 has no vi-VN locale; this is the one vega-embed and vl-convert are given.
D3_LOCALE = {
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", " VND"]},
}

TEXT: dict[str, dict[str, str]] = {
    "source": {"vi": "Nguồn", "en": "Source"},
    "sources": {"vi": "Nguồn", "en": "Sources"},
    "period": {"vi": "Kỳ", "en": "Period"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "quote": {"vi": "Trích dẫn", "en": "Quote"},
    "count": {"vi": "Số lượng", "en": "Count"},
    "share": {"vi": "Tỷ lệ (%)", "en": "Share (%)"},
    "stated_share": {"vi": "Tỷ lệ nguồn nêu (%)", "en": "Stated share (%)"},
    "recomputed_share": {"vi": "Tỷ lệ tính lại (%)", "en": "Recomputed share (%)"},
    "difference": {"vi": "Chênh lệch (điểm %)", "en": "Difference (points)"},
    "score": {"vi": "Điểm", "en": "Score"},
    "unknown": {"vi": "Chưa có số liệu", "en": "Not reported"},
    "pillar": {"vi": "Trụ cột", "en": "Pillar"},
    "sub_index": {"vi": "Chỉ số phụ", "en": "Sub-index"},
    "input": {"vi": "Đầu vào", "en": "Input"},
    "output": {"vi": "Đầu ra", "en": "Output"},
    "horizon": {"vi": "Mốc", "en": "Horizon"},
    "target": {"vi": "Mục tiêu", "en": "Target"},
    "latest": {"vi": "Số liệu mới nhất", "en": "Latest observed"},
    "status": {"vi": "Tình trạng", "en": "Status"},
    "gap": {"vi": "Khoảng cách", "en": "Gap"},
    "met": {"vi": "Đạt", "en": "Met"},
    "not_met": {"vi": "Chưa đạt", "en": "Gap"},
    "not_measured": {"vi": "Chưa đo được", "en": "Not measured"},
    "group": {"vi": "Nhóm", "en": "Group"},
    "tasks": {"vi": "Nhiệm vụ", "en": "Tasks"},
    "task": {"vi": "Nhiệm vụ", "en": "Task"},
    "lead_agency": {"vi": "Cơ quan chủ trì", "en": "Lead agency"},
    "deadline": {"vi": "Thời hạn", "en": "Deadline"},
    "deadline_kind": {"vi": "Loại thời hạn", "en": "Deadline kind"},
    "past_due": {"vi": "Quá hạn (theo kỳ báo cáo)", "en": "Past due (as of the edition)"},
    "not_yet_due": {"vi": "Chưa đến hạn", "en": "Not yet due"},
    "qualification": {"vi": "Trình độ", "en": "Qualification"},
    "window": {"vi": "Giai đoạn", "en": "Window"},
    "edition": {"vi": "Ấn bản", "en": "Edition"},
    "computed": {"vi": "Tính từ", "en": "Computed from"},
    "table": {"vi": "Bảng", "en": "Table"},
    "rows": {"vi": "Số dòng", "en": "Rows"},
    "files": {"vi": "Tệp", "en": "Files"},
    "workbook": {"vi": "Toàn bộ các bảng trong một sổ tính", "en": "All tables in one workbook"},
    "charts": {"vi": "Biểu đồ", "en": "Charts"},
    "chart": {"vi": "Biểu đồ", "en": "Chart"},
    "reported": {"vi": "Có số liệu", "en": "Reported"},
    "definitions": {"vi": "Định nghĩa chỉ tiêu", "en": "Indicator definitions"},
    "definition": {"vi": "Định nghĩa", "en": "Definition"},
    "data_table": {"vi": "Bảng dữ liệu của biểu đồ", "en": "The chart's data"},
    "downloads": {"vi": "Tải về", "en": "Download"},
    "search": {"vi": "Tìm kiếm", "en": "Search"},
    "other_lang": {"vi": "English", "en": "Tiếng Việt"},
    "edition_citation": {
        "vi": "Đài quan sát KH,CN, ĐMST và CĐS Cần Thơ ({edition}). Báo cáo thường niên ấn bản {edition}: "
        "theo dõi thực hiện Nghị quyết 57-NQ/TW tại thành phố Cần Thơ. Dữ liệu CC BY 4.0.",
        "en": "Can Tho STI Observatory ({edition}). Annual report, {edition} edition: tracking Resolution "
        "57-NQ/TW in Can Tho city. Data under CC BY 4.0.",
    },
    "chart_citation": {
        "vi": "{title}. Đài quan sát KH,CN&ĐMST Cần Thơ, ấn bản {edition}. Nguồn: {sources}.",
        "en": "{title}. Can Tho STI Observatory, {edition} edition. Sources: {sources}.",
    },
}

DEADLINE_KINDS = {
    "dated": {"vi": "Có tháng cụ thể", "en": "Dated (month)"},
    "year": {"vi": "Trong năm", "en": "Within a year"},
    "year_range": {"vi": "Giai đoạn nhiều năm", "en": "Range of years"},
    "after_year": {"vi": "Sau một năm", "en": "After a year"},
    "recurring": {"vi": "Thường xuyên, hằng năm", "en": "Recurring"},
    "on_central_request": {"vi": "Khi Trung ương yêu cầu", "en": "On central request"},
    "conditional": {"vi": "Có điều kiện", "en": "Conditional"},
}
QUALIFIERS = {
    "exact": {"vi": "", "en": ""},
    "more_than": {"vi": "hơn ", "en": "more than "},
    "nearly": {"vi": "gần ", "en": "nearly "},
    "about": {"vi": "khoảng ", "en": "about "},
    "estimated": {"vi": "ước ", "en": "est. "},
    "at_most": {"vi": "tối đa ", "en": "at most "},
    "at_least": {"vi": "ít nhất ", "en": "at least "},
}
COMPARATORS = {
    "eq": "=",
    "le": "≤",
    "lt": "<",
    "ge": "≥",
    "gt": ">",
    "range": "",
    "qualitative": "",
    "none": "",
}


def _temp_lookup(key, lang):
    from analysis.report import narrative
    from analysis.report.edition_old_labels import PAGES, SOURCE_KINDS, TITLES

    prefix, _, rest = key.partition(".")
    table = {
        "sentence": narrative.SENTENCES,
        "page": PAGES,
        "chart": TITLES,
        "source_kind": SOURCE_KINDS,
        "deadline_kind": DEADLINE_KINDS,
        "qualifier": QUALIFIERS,
    }
    if rest and prefix in table:
        return table[prefix][rest][lang].strip()
    if prefix == "check":
        return narrative.CHECKS[lang][int(rest)]
    return TEXT[key][lang]


def label(vocabulary, code, lang):
    return t(f"{vocabulary}.{code}", lang)


CHECK_IDS = [str(i) for i in range(8)]


def t(key: str, lang: str, **values) -> str:
    """The text for `key` in `lang`, its placeholders filled with `values`."""
    text = _temp_lookup(key, lang)
    return text.format(**values) if values else text


def fmt(value: float | int | None, lang: str, decimals: int | None = None) -> str:
    """A number in the page's notation (vi: 8.947 and 14,4; en: 8,947 and 14.4)."""
    if value is None:
        return "–"
    if decimals is None and float(value).is_integer():
        decimals = 0
    if decimals is None:
        decimals = min(3, max(1, len(f"{float(value):.10g}".partition(".")[2])))
    return format_number(round(float(value), decimals), lang, decimals)


def fmt_period(period: str, lang: str) -> str:
    """`2021-01/2025-08` -> `01/2021–08/2025` (vi) or `2021-01 – 2025-08` (en)."""

    def one(p: str) -> str:
        parts = p.split("-")
        return "/".join(reversed(parts)) if lang == "vi" else p

    start, _, end = period.partition("/")
    return f"{one(start)}–{one(end)}" if end else one(start)
