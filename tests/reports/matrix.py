"""Builders for the access matrix's quarterly-report rows: a 红星村 report of an ended quarter
(2025 Q4, so "quarter not ended" never applies), as a draft or submitted."""

from dianjiao.reports import services


def _report(w):
    return services.report_create(
        village=w.village,
        author=w.operator,
        year=2025,
        quarter=4,
        narrative="本季度组织党员收看电教片三次。",
        plan="下季度播放《榜样8》。",
    )


def draft(w):
    return {"pk": _report(w).pk}


def submitted(w):
    return {"pk": services.report_submit(_report(w), user=w.operator).pk}
