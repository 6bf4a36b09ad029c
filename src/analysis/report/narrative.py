"""Narrative sentences of the notebooks, in both languages.

No sentence holds a typed figure: every `{placeholder}` is filled from the data by
`Report.say`, so the text cannot drift from the numbers.
"""

from __future__ import annotations

SENTENCES: dict[str, dict[str, str]] = {
    "edition": {
        "vi": "Ấn bản {edition}: số liệu có kỳ kết thúc đến hết năm {edition}, từ {n_sources} tài liệu nguồn; "
        "{n_obs} số liệu gốc, mỗi số liệu có trích dẫn nguyên văn.",
        "en": "Edition {edition}: figures whose period ends by the end of {edition}, from {n_sources} source "
        "documents; {n_obs} sourced figures, each with a verbatim quote.",
    },
    "overview_targets": {
        "vi": "Trong {n_targets} chỉ tiêu của Phụ lục I Kế hoạch 46, {n_met} đã đạt, {n_gap} chưa đạt và "
        "{n_unmeasured} chưa đo được bằng số liệu hiện có.",
        "en": "Of Plan 46's {n_targets} Appendix I targets, {n_met} are met, {n_gap} show a gap and "
        "{n_unmeasured} cannot be measured with the data available.",
    },
    "pii_scores": {
        "vi": "Năm {year}, thành phố nằm trong nhóm {rank} địa phương dẫn đầu PII. Nguồn nêu điểm của "
        "{n_reported}/{n_pillars} trụ cột; {n_unknown} trụ cột còn lại không được công bố và để trống.",
        "en": "In {year} the city was among the top {rank} provinces of the PII. The sources report scores "
        "for {n_reported} of {n_pillars} pillars; the other {n_unknown} are not published and left blank.",
    },
    "pii_efficiency": {
        "vi": "Điểm đầu vào {input} và đầu ra {output} cho tỷ số hiệu quả đổi mới sáng tạo {ratio} "
        "(đầu ra/đầu vào, theo cách tính của GII): mỗi điểm đầu vào tạo ra {ratio} điểm đầu ra.",
        "en": "An input score of {input} and an output score of {output} give an innovation efficiency "
        "ratio of {ratio} (output/input, as the GII defines it).",
    },
    "pii_target": {
        "vi": "Mục tiêu năm {horizon} của Kế hoạch 46 là thứ hạng PII {target}; thứ hạng nguồn nêu: {rank} "
        "({status}).",
        "en": "Plan 46's {horizon} target is a PII rank of {target}; the reported standing: {rank} "
        "({status}).",
    },
    "rd_total": {
        "vi": "Đến hết năm {year}, thành phố có {orgs} tổ chức KH&CN với {total} cán bộ nghiên cứu, trong đó "
        "{phd} tiến sĩ ({phd_share}%), bình quân {per_org} người mỗi tổ chức.",
        "en": "At the end of {year} the city had {orgs} S&T organisations with {total} R&D staff, {phd} of "
        "them PhDs ({phd_share}%), on average {per_org} per organisation.",
    },
    "rd_shares": {
        "vi": "Tỷ lệ tính lại từ số người khớp với tỷ lệ nguồn nêu trong phạm vi làm tròn (chênh lệch lớn "
        "nhất {max_diff} điểm phần trăm).",
        "en": "Shares recomputed from the counts agree with the stated shares within rounding (largest "
        "difference {max_diff} percentage points).",
    },
    "ip_filings": {
        "vi": "Từ {start} đến {end}, thành phố có {filed} đơn đăng ký sở hữu công nghiệp và {granted} văn bằng "
        "được cấp ({ratio}% so với số đơn cùng giai đoạn). Giai đoạn {window2}, {accepted} đơn được chấp "
        "nhận, trong đó {patents} đơn sáng chế.",
        "en": "From {start} to {end} the city filed {filed} industrial property applications and was granted "
        "{granted} titles ({ratio}% of the applications in the same window). In {window2}, {accepted} "
        "applications were accepted, {patents} of them for patents.",
    },
    "ip_growth": {
        "vi": "Kế hoạch 46 đặt mục tiêu số đơn và văn bằng sáng chế tăng {target}%/năm; nguồn chỉ nêu văn bằng "
        "cấp mới (mọi loại) tăng {reported}%/năm, một thước đo khác nên không so sánh trực tiếp.",
        "en": "Plan 46 targets growth of {target}% a year in patent applications and grants; the sources "
        "only report growth of newly granted titles of all kinds, {reported}% a year, a different measure.",
    },
    "dg_procedures": {
        "vi": "Thành phố cung cấp {procedures} thủ tục hành chính, trong đó {online} dịch vụ công trực tuyến "
        "toàn trình ({share}%; mục tiêu {horizon}: {target}%).",
        "en": "The city provides {procedures} administrative procedures, {online} of them as full-process "
        "online services ({share}%; {horizon} target: {target}%).",
    },
    "dg_conflict": {
        "vi": "Số thủ tục không phụ thuộc địa giới hành chính từ {period}: các nguồn không thống nhất "
        "({values}). Cả hai số liệu được giữ và hiển thị.",
        "en": "Procedures served regardless of residence from {period}: the sources disagree ({values}). "
        "Both figures are kept and shown.",
    },
    "dg_community": {
        "vi": "{teams} tổ công nghệ số cộng đồng với {members} thành viên đã phổ cập kỹ năng số cho {trained} "
        "người dân.",
        "en": "{teams} community digital technology teams with {members} members have trained {trained} "
        "residents in digital skills.",
    },
    "eco_summary": {
        "vi": "Hệ sinh thái có {orgs} tổ chức hỗ trợ khởi nghiệp, {startups} dự án khởi nghiệp sáng tạo mỗi năm "
        "và {st_firms} doanh nghiệp KH&CN; sàn catex.vn chào bán {products} sản phẩm.",
        "en": "The ecosystem has {orgs} start-up support organisations, {startups} innovative start-up "
        "projects a year and {st_firms} S&T enterprises; catex.vn offers {products} products.",
    },
    "eco_renewal": {
        "vi": "Năm {year}, tốc độ đổi mới công nghệ, thiết bị của doanh nghiệp đạt {rate}%; chương trình hỗ trợ "
        "DNNVV đổi mới công nghệ giai đoạn {window} chi {funding} tỷ đồng.",
        "en": "In {year} enterprises renewed technology and equipment at a rate of {rate}%; the SME technology "
        "renewal programme spent VND {funding} billion in {window}.",
    },
    "targets_summary": {
        "vi": "Mốc {horizon}: {n} chỉ tiêu, {met} đạt, {gap} chưa đạt, {unmeasured} chưa đo được.",
        "en": "Horizon {horizon}: {n} targets, {met} met, {gap} with a gap, {unmeasured} not measured.",
    },
    "tasks_summary": {
        "vi": "Kế hoạch 46 giao {n_tasks} nhiệm vụ trong {n_groups} nhóm; {n_dated} nhiệm vụ có thời hạn theo "
        "tháng, {n_past_due} trong số đó đã quá hạn tính đến {as_of}.",
        "en": "Plan 46 sets {n_tasks} tasks in {n_groups} groups; {n_dated} have a month deadline, "
        "{n_past_due} of which had passed by {as_of}.",
    },
    "r57_progress": {
        "vi": "Tính đến {period}, {completed}/{assigned} nhiệm vụ Nghị quyết 57 được giao đã hoàn thành "
        "({share}%), {on_schedule} nhiệm vụ đang triển khai đúng hạn.",
        "en": "By {period}, {completed} of {assigned} Resolution 57 tasks assigned were completed ({share}%), "
        "and {on_schedule} were under way on schedule.",
    },
    "economy": {
        "vi": "Năm {year}, quy mô kinh tế theo giá hiện hành ước đạt {grdp} tỷ đồng ({share}% vùng ĐBSCL), "
        "GRDP tăng {growth}%, thu nhập bình quân {income} triệu đồng/người/tháng.",
        "en": "In {year} the economy was an estimated VND {grdp} billion at current prices ({share}% of the "
        "Mekong Delta), GRDP grew {growth}% and income averaged VND {income} million per person a month.",
    },
}

SENTENCES |= {
    "home_intro": {
        "vi": "Đài quan sát theo dõi việc thành phố Cần Thơ thực hiện Nghị quyết 57-NQ/TW về khoa học, "
        "công nghệ, đổi mới sáng tạo và chuyển đổi số. Mỗi con số có nguồn và trích dẫn nguyên văn; di chuột "
        "hoặc chọn một con số để xem nguồn.",
        "en": "The observatory tracks how Can Tho city carries out Resolution 57-NQ/TW on science, "
        "technology, innovation and digital transformation. Every number has a source and a verbatim "
        "quote; hover over or focus a number to see them.",
    },
    "home_report": {
        "vi": "Báo cáo thường niên ấn bản {edition} (PDF): [{file}]({href}).",
        "en": "Annual report, {edition} edition (PDF): [{file}]({href}).",
    },
    "quality_summary": {
        "vi": "{n_obs} số liệu từ {n_sources} tài liệu đã qua mọi kiểm tra dưới đây. {n_conflicts} chỉ tiêu có "
        "số liệu khác nhau giữa các nguồn; dữ liệu giữ tất cả và không chọn thay người đọc.",
        "en": "{n_obs} figures from {n_sources} documents passed every check below. {n_conflicts} indicators "
        "have figures that differ between sources; the data keeps all of them and picks none.",
    },
    "downloads_intro": {
        "vi": "Mọi bảng ở dạng CSV (UTF-8 có BOM, mở được bằng Excel), Parquet và một sổ tính XLSX, kèm mô tả "
        "Frictionless [datapackage.json]({datapackage}). Mỗi biểu đồ có SVG, PDF, PNG {dpi} dpi cho khổ "
        "một cột và hai cột, đặc tả Vega-Lite, CSV dữ liệu vẽ và dòng trích dẫn, gói trong một tệp ZIP.",
        "en": "Every table as CSV (UTF-8 with BOM, opens in Excel), Parquet and one XLSX workbook, described "
        "by a Frictionless [datapackage.json]({datapackage}). Every chart as SVG, PDF, PNG at {dpi} dpi "
        "for single- and double-column widths, its Vega-Lite spec, a CSV of the plotted data and a "
        "citation line, bundled in one ZIP.",
    },
    "source_meta": {
        "vi": "{publisher}, {date}. Loại: {kind}. {n} số liệu. SHA-256 văn bản: `{sha}`.",
        "en": "{publisher}, {date}. Kind: {kind}. {n} figures. SHA-256 of the text: `{sha}`.",
    },
    "methods_shares": {
        "vi": "**Tỷ lệ** được tính lại từ số đếm (bộ phận chia tổng, nhân trăm) và đặt cạnh tỷ lệ nguồn nêu; "
        "bản dựng dừng nếu chênh lệch vượt sai số làm tròn của tỷ lệ nguồn nêu.",
        "en": "**Shares** are recomputed from counts (part divided by total, times one hundred) and shown "
        "beside the stated shares; the build stops when they differ by more than the stated share's rounding.",
    },
    "methods_ratios": {
        "vi": "**Số liệu suy ra** chỉ ghép hai số liệu của cùng một nguồn và cùng kỳ: tỷ lệ dịch vụ công "
        "trực tuyến toàn trình, tỷ lệ nhiệm vụ hoàn thành, tỷ lệ văn bằng trên đơn, cán bộ nghiên cứu mỗi "
        "tổ chức, và tỷ số hiệu quả PII (điểm đầu ra chia điểm đầu vào, theo GII).",
        "en": "**Derived figures** combine two figures of one source and period only: the share of "
        "procedures offered fully online, the share of tasks completed, titles granted per application, "
        "R&D staff per organisation, and the PII efficiency ratio (output score divided by input score, "
        "as in the GII).",
    },
    "methods_gaps": {
        "vi": "**Khoảng cách** tới chỉ tiêu tính theo đơn vị của chỉ tiêu: với chỉ tiêu sàn (≥, >, hoặc một số "
        "khi giá trị càng cao càng tốt) là mục tiêu trừ giá trị; với chỉ tiêu trần (≤, <) là giá trị trừ "
        "mục tiêu; bằng không khi đã đạt. Chỉ tiêu không có số liệu tương ứng được ghi là chưa đo được.",
        "en": "**Gaps** to a target are in the target's unit: for a floor (≥, >, or a bare number where "
        "higher is better) the target minus the value; for a ceiling (≤, <) the value minus the target; "
        "zero when met. A target without a matching figure is reported as not measured.",
    },
    "methods_pii": {
        "vi": "**Khung PII** gồm bảy trụ cột: năm trụ cột đầu vào và hai trụ cột đầu ra. Trụ cột mà nguồn "
        "không nêu điểm được để trống, không bao giờ điền thay.",
        "en": "**The PII framework** has seven pillars: five input pillars and two output pillars. "
        "Pillars whose score the sources do not give are left blank, never filled.",
    },
    "methods_editions": {
        "vi": "**Ấn bản** của một năm gồm các số liệu có kỳ kết thúc đến hết năm đó; nhiệm vụ quá hạn được "
        "tính đến ngày cuối năm của ấn bản.",
        "en": "**An edition** covers the figures whose period ends by the end of its year; tasks are past "
        "due as of the last day of the edition's year.",
    },
    "cite_edition": {
        "vi": "Trích dẫn ấn bản: {citation}",
        "en": "To cite the edition: {citation}",
    },
    "cite_chart": {
        "vi": "Mỗi biểu đồ có dòng trích dẫn riêng (tệp `.cite.txt` trong gói ZIP của biểu đồ), ghi tên biểu "
        "đồ, các tài liệu nguồn và ấn bản. Thông tin trích dẫn phần mềm và dữ liệu có trong tệp "
        "`CITATION.cff` của kho mã.",
        "en": "Every chart has its own citation line (the `.cite.txt` file in the chart's ZIP bundle) with "
        "its title, source documents and edition. The repository's `CITATION.cff` describes the software "
        "and data for citation managers.",
    },
}

CHECKS = {
    "vi": [
        "Tệp UTF-8, đủ cột, không dòng lệch, không trùng khóa.",
        "Mã chỉ tiêu, đơn vị, nguồn và từ vựng đều đã đăng ký.",
        "Giá trị là số thập phân thuần và bằng con số như nguồn viết (bắt lỗi nhầm dấu phân cách hàng nghìn).",
        "Trích dẫn chứa con số như nguồn viết, và chứa từ rào đón (hơn, gần, khoảng, ước…) khi có.",
        "Số đếm không âm, tỷ lệ trong 0–100, thứ hạng từ 1.",
        "Các bộ phận cộng lại bằng tổng; tỷ lệ nguồn nêu khớp tỷ lệ tính lại.",
        "Mỗi trích dẫn có nguyên văn trong tài liệu nguồn; mã băm SHA-256 của tài liệu khớp bản đã đăng ký.",
        "Bảng chỉ tiêu và nhiệm vụ của Kế hoạch 46 khớp bản trích xuất mới từ văn bản.",
    ],
    "en": [
        "Files are UTF-8, complete, not ragged, without duplicate keys.",
        "Indicator, unit, source and vocabulary ids are all registered.",
        "Values are plain decimals equal to the figure as the source writes it (catching thousands/decimal mix-ups).",
        "Quotes hold the figure as written, and the hedge word (more than, nearly, about, estimated…) where there is one.",
        "Counts are non-negative, shares within 0–100, ranks from 1.",
        "Parts sum to their total; stated shares agree with shares recomputed from counts.",
        "Every quote is found verbatim in its source; each source's SHA-256 matches the registered text.",
        "Plan 46's targets and tasks tables match a fresh extraction from the plan's text.",
    ],
}
