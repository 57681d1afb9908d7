"""Every table of the compliance pages as an .xlsx (dianjiao.lib.xlsx.write_table).

Figures are numbers a spreadsheet can sum and sort: counts as integers, rates as fractions in a
percent format (0.875, shown 87.5%), months as dates (shown 2026-10), and a pair such as
"reports sent / due" as two columns."""

from django.utils.translation import gettext as _

from dianjiao.lib.xlsx import COUNT, DATETIME, DECIMAL, MONTH, PERCENT, fraction, month, write_table


def _yes(value) -> str:
    return "" if value is None else (_("是") if value else _("否"))


def matrix(c):
    headers = [
        _("村"),
        _("月份"),
        _("收看场次"),
        _("已收看"),
        _("重点片场次"),
        _("四环节完整"),
        _("已反馈"),
        _("信息条数"),
        _("应到党员"),
        _("到场党员"),
        _("覆盖率"),
    ]
    formats = [None, MONTH, COUNT, None, COUNT, None, None, COUNT, COUNT, COUNT, PERCENT]
    rows = []
    for r in c.rows:
        for cell in r.cells:
            if cell.state == "future":
                continue
            rows.append(
                [
                    r.village.name,
                    month(cell.year, cell.month),
                    cell.sessions,
                    _yes(cell.held),
                    cell.key_sessions,
                    _yes(cell.four_ring_ok),
                    _yes(cell.feedback),
                    cell.info_items,
                    cell.expected,
                    cell.present,
                    fraction(cell.coverage),
                ]
            )
    return (
        write_table(_("达标情况"), headers, rows, formats=formats),
        _("达标情况"),
        "compliance",
    )


def coverage(c):
    headers = [
        _("村"),
        _("已过月数"),
        _("收看月数"),
        _("已反馈月数"),
        _("四环不完整"),
        _("应到党员人次"),
        _("到场党员人次"),
        _("覆盖率"),
        _("信息条数"),
        _("信息不足月数"),
        _("季度报告已报"),
        _("季度报告应报"),
        _("逾期未报季度"),
        _("牧区流动教学学时"),
        _("工作计划"),
    ]
    formats = [None, *[COUNT] * 6, PERCENT, *[COUNT] * 5, DECIMAL, None]
    rows = [
        [
            r.village.name,
            r.months_ended,
            r.months_held,
            r.feedback_sent,
            r.key_incomplete,
            r.expected,
            r.present,
            fraction(r.coverage),
            r.info_items,
            r.info_months_short,
            r.reports_sent,
            r.reports_due,
            r.reports_overdue,
            r.pastoral_hours,
            _("第%(v)d版") % {"v": r.workplan.version} if r.workplan else _("未报送"),
        ]
        for r in c.rows
    ]
    return (
        write_table(_("各村覆盖率"), headers, rows, formats=formats),
        _("各村覆盖率"),
        "coverage",
    )


def townships(c):
    headers = [
        _("乡镇"),
        _("村数"),
        _("收看月数"),
        _("应收看月数"),
        _("收看率"),
        _("反馈率"),
        _("四环不完整"),
        _("覆盖率"),
        _("落后村数"),
        _("已报工作计划"),
        _("信息条数"),
        _("季度报告已报"),
        _("季度报告应报"),
        _("牧区流动教学学时"),
        _("学时目标"),
    ]
    formats = [None, COUNT, COUNT, COUNT, PERCENT, PERCENT, COUNT, PERCENT]
    formats += [COUNT, COUNT, COUNT, COUNT, COUNT, DECIMAL, COUNT]
    rows = [
        [
            t.township.name,
            t.villages,
            t.months_held,
            t.months_ended,
            fraction(t.held_pct),
            fraction(t.feedback_pct),
            t.key_incomplete,
            fraction(t.coverage),
            t.behind,
            t.workplans,
            t.info_items,
            t.reports_sent,
            t.reports_due,
            t.pastoral_hours,
            t.pastoral_target,
        ]
        for t in c.by_township()
    ]
    return (
        write_table(_("各乡镇达标情况"), headers, rows, formats=formats),
        _("各乡镇达标情况"),
        "townships",
    )


def reports(c):
    headers = [_("村"), *[_("第%(q)d季度") % {"q": q} for q in (1, 2, 3, 4)]]
    rows = [[r.village.name, *[f"{q.label}" for q in r.quarters]] for r in c.rows]
    return write_table(_("季度报告情况"), headers, rows), _("季度报告情况"), "quarterly-reports"


def workplans(c):
    headers = [_("村"), _("最新版本"), _("报送人"), _("报送时间"), _("工作计划")]
    rows = [
        [
            r.village.name,
            r.workplan.version,
            str(r.workplan.submitted_by),
            r.workplan.submitted_at,
            r.workplan.text,
        ]
        if r.workplan
        else [r.village.name, None, "", None, _("未报送")]
        for r in c.rows
    ]
    formats = [None, COUNT, None, DATETIME, None]
    return (
        write_table(_("村电教工作计划"), headers, rows, formats=formats),
        _("村电教工作计划"),
        "work-plans",
    )


TABLES = {
    "matrix": matrix,
    "coverage": coverage,
    "townships": townships,
    "reports": reports,
    "workplans": workplans,
}
