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
