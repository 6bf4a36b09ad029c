THEME_PAGES = {
    "pii": "pii", "rd": "rd_workforce", "ip": "intellectual_property",
    "digital_gov": "digital_government", "ecosystem": "innovation_ecosystem",
    "economy": "economy", "plan_progress": "plan46_tasks",
}  # fmt: skip
SOURCE_KINDS = {
    "news": {"vi": "bài báo", "en": "news article"},
    "legal_document": {"vi": "văn bản pháp quy", "en": "legal document"},
    "journal_article": {"vi": "bài tạp chí", "en": "journal article"},
}
# Page titles by page slug (the notebook's name without its number).
PAGES = {
    "index": {"vi": "Đài quan sát KH,CN, ĐMST và CĐS Cần Thơ", "en": "Can Tho STI Observatory"},
    "overview": {"vi": "Tổng quan", "en": "Overview"},
    "pii": {"vi": "Chỉ số đổi mới sáng tạo cấp địa phương (PII)", "en": "Provincial Innovation Index (PII)"},
    "rd_workforce": {"vi": "Nhân lực nghiên cứu và phát triển", "en": "R&D workforce"},
    "intellectual_property": {"vi": "Sở hữu trí tuệ", "en": "Intellectual property"},
    "digital_government": {"vi": "Chính quyền số", "en": "Digital government"},
    "innovation_ecosystem": {"vi": "Hệ sinh thái đổi mới sáng tạo và thị trường công nghệ",
                             "en": "Innovation ecosystem and technology market"},
    "plan46_targets": {"vi": "Chỉ tiêu Kế hoạch 46", "en": "Plan 46 targets"},
    "plan46_tasks": {"vi": "Nhiệm vụ Kế hoạch 46 và tiến độ Nghị quyết 57",
                     "en": "Plan 46 tasks and Resolution 57 progress"},
    "economy": {"vi": "Bối cảnh kinh tế", "en": "Economic context"},
    "sources": {"vi": "Tài liệu nguồn", "en": "Sources"},
    "data_quality": {"vi": "Chất lượng dữ liệu", "en": "Data quality"},
    "downloads": {"vi": "Dữ liệu và tải về", "en": "Data and downloads"},
    "methods": {"vi": "Phương pháp", "en": "Methods"},
    "cite": {"vi": "Trích dẫn", "en": "How to cite"},
}  # fmt: skip

TITLES = {
    "targets_status": {
        "vi": "Chỉ tiêu Kế hoạch 46 theo tình trạng",
        "en": "Plan 46 targets by status",
    },
    "pii_pillars": {"vi": "Điểm các trụ cột PII", "en": "PII pillar scores"},
    "pii_subindices": {
        "vi": "Chỉ số phụ đầu vào và đầu ra PII",
        "en": "PII input and output sub-indices",
    },
    "rd_qualifications": {
        "vi": "Cán bộ nghiên cứu theo trình độ",
        "en": "R&D staff by qualification",
    },
    "ip_filings": {
        "vi": "Đơn đăng ký sở hữu công nghiệp và văn bằng được cấp",
        "en": "Industrial property applications filed and titles granted",
    },
    "ip_accepted": {
        "vi": "Đơn đăng ký được chấp nhận và đơn sáng chế",
        "en": "Applications accepted and patent applications",
    },
    "ip_marks": {"vi": "Chỉ dẫn địa lý và nhãn hiệu", "en": "Geographical indications and marks"},
    "dg_procedures": {
        "vi": "Thủ tục hành chính và dịch vụ công trực tuyến",
        "en": "Administrative procedures and online services",
    },
    "dg_community": {"vi": "Tổ công nghệ số cộng đồng", "en": "Community digital technology teams"},
    "eco_ecosystem": {
        "vi": "Hệ sinh thái khởi nghiệp đổi mới sáng tạo",
        "en": "Start-up and innovation ecosystem",
    },
    "eco_exchange": {
        "vi": "Sàn giao dịch công nghệ catex.vn",
        "en": "The catex.vn technology exchange",
    },
    "tasks_by_group": {
        "vi": "Nhiệm vụ Kế hoạch 46 theo nhóm và loại thời hạn",
        "en": "Plan 46 tasks by group and deadline kind",
    },
    "tasks_timeline": {
        "vi": "Nhiệm vụ có thời hạn theo tháng",
        "en": "Tasks with a month deadline",
    },
    "r57_progress": {"vi": "Tiến độ nhiệm vụ Nghị quyết 57", "en": "Resolution 57 task progress"},
    "economy_growth": {"vi": "Tăng trưởng kinh tế", "en": "Economic growth"},
}
