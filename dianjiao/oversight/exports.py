"""Exports of the oversight pages: .xlsx tables (user text never read as a formula) and the
bulletin (通报) as an official .docx in the quarterly report's layout (GB/T 9704: red header
and rule, FangSong body, East Asian fonts set), reusing that writer's helpers."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dianjiao.lib.xlsx import write_table
from dianjiao.reports.exports import BODY_FONT, RED, TABLE_FONT, TITLE_FONT, _font, _para, _red_rule

from .models import Rectification
from .services import COMPONENTS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """Text a spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _table(title, headers, rows) -> bytes:
    return write_table(title, headers, ([safe(v) for v in row] for row in rows))


def inspections_xlsx(qs) -> bytes:
    headers = [
        _("检查日期"),
        _("检查类别"),
        _("村"),
        _("播放点"),
        _("检查人"),
        _("得分"),
        _("满分"),
        _("得分率"),
        _("版本"),
        _("检查情况"),
    ]
    rows = (
        [
            i.inspected_on,
            i.get_kind_display(),
            i.village.name,
            i.point.name if i.point else "",
            str(i.inspector),
            i.score,
            i.max_score,
            i.percent,
            i.version,
            i.observation,
        ]
        for i in qs
    )
    return _table(_("检查记录"), headers, rows)


def rectifications_xlsx(qs) -> bytes:
    headers = [_("整改村"), _("问题"), _("检查日期"), _("整改期限"), _("状态"), _("整改情况")]
    rows = (
        [
            r.village.name,
            r.problem,
            r.inspection.inspected_on,
            r.due_on,
            r.get_status_display(),
            r.response,
        ]
        for r in qs
    )
    return _table(_("整改"), headers, rows)


def assessment_xlsx(assessment, scores) -> bytes:
    from .forms import COMPONENT_LABELS

    headers = [_("名次"), _("党支部"), _("得分"), _("更正后得分"), _("先进候选")]
    headers += [str(COMPONENT_LABELS[k]) for k in COMPONENTS]
    rows = []
    for s in scores:
        amendments = list(s.amendments.all())
        row = [
            s.rank,
            s.village.branch_name or s.village.name,
            float(s.score),
            float(amendments[-1].new_score) if amendments else "",
            _("是") if s.candidate else "",
        ]
        for k in COMPONENTS:
            c = s.components.get(k) or {}
            rate = c.get("rate")
            row.append(
                f"{c.get('points', 0)}（{'—' if rate is None else f'{rate}%'}，{c.get('detail', '')}）"
            )
        rows.append(row)
    return _table(_("%(y)s年度考核") % {"y": assessment.year}, headers, rows)


def demos_xlsx(qs) -> bytes:
    headers = [
        _("年度"),
        _("类别"),
        _("村"),
        _("播放点/示范户"),
        _("包村单位"),
        _("包村单位投入"),
        _("示范成效"),
        _("状态"),
        _("命名日期"),
        _("挂牌日期"),
    ]
    rows = (
        [
            u.year,
            u.get_kind_display(),
            u.village.name,
            u.household or (u.point.name if u.point else ""),
            u.sponsor,
            u.contribution,
            u.evidence,
            u.get_status_display(),
            u.named_on,
            u.plaque_on,
        ]
        for u in qs
    )
    return _table(_("示范单位"), headers, rows)


def _lines(doc, text):
    for line in (text or "").splitlines():
        if line.strip():
            _para(doc, line.strip(), BODY_FONT, 16)


def _cell(cell, text):
    _font(cell.paragraphs[0].add_run(str(text)), TABLE_FONT, 12)


def bulletin_docx(bulletin) -> bytes:
    """The bulletin in the official layout: red issuing-unit header over a red rule, title,
    numbered sections, the ranking table, the rectifications due, issuing unit and date, and an
    annex with every village's logbook chain head (the checkpoints)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    township = bulletin.township
    unit = township.station_name or _("%(t)s党员电化教育工作站") % {"t": township.name}
    _para(
        doc,
        _("%(t)s党员电教工作通报") % {"t": township.name},
        TITLE_FONT,
        26,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=RED,
        indent=False,
    )
    if bulletin.number:
        _para(doc, bulletin.number, BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _red_rule(doc.paragraphs[-1])
    _para(doc, bulletin.title, TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, _("各村党支部："), BODY_FONT, 16, indent=False)
    _lines(doc, bulletin.summary)
    _para(doc, _("一、检查得分排名"), "SimHei", 16)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, (_("名次"), _("村"), _("平均得分率"), _("检查次数")), strict=True
    ):
        _cell(cell, text)
    for n, r in enumerate(bulletin.ranking, start=1):
        cells = table.add_row().cells
        score = "—" if r.get("score") is None else f"{r['score']}%"
        for cell, text in zip(cells, (n, r["name"], score, r.get("inspections", 0)), strict=True):
            _cell(cell, text)
    if bulletin.good_practice:
        _para(doc, _("二、好的做法"), "SimHei", 16)
        _lines(doc, bulletin.good_practice)
    if bulletin.problems:
        _para(doc, _("三、存在问题"), "SimHei", 16)
        _lines(doc, bulletin.problems)
    if bulletin.rectifications_due:
        _para(doc, _("四、限期整改事项"), "SimHei", 16)
        statuses = dict(Rectification.Status.choices)
        for n, r in enumerate(bulletin.rectifications_due, start=1):
            _para(
                doc,
                _("%(n)d. %(village)s：%(problem)s（期限%(due)s，%(status)s）")
                % {
                    "n": n,
                    "village": r["village"],
                    "problem": r["problem"],
                    "due": r["due_on"],
                    "status": statuses.get(r["status"], r["status"]),
                },
                BODY_FONT,
                16,
            )
    day = timezone.localdate(bulletin.issued_at or bulletin.drafted_at)
    _para(doc, unit, BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(
        doc,
        _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day},
        BODY_FONT,
        16,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        indent=False,
    )
    if bulletin.checkpoints:
        _para(doc, _("附件：各村《电教手册》链头（核对用）"), "SimHei", 14, indent=False)
        # checkpoints.read_docx reads this table back: id, village, count, head.
        t = doc.add_table(rows=1, cols=4)
        t.style = "Table Grid"
        heads = (_("编号"), _("村"), _("条数"), _("链头哈希"))
        for cell, text in zip(t.rows[0].cells, heads, strict=True):
            _cell(cell, text)
        for vid, c in sorted(bulletin.checkpoints.items(), key=lambda kv: kv[1]["name"]):
            cells = t.add_row().cells
            for cell, text in zip(
                cells, (vid, c["name"], c["count"], c["head"] or "—"), strict=True
            ):
                _cell(cell, text)
            cells[3].paragraphs[0].runs[0].font.size = Pt(8)
    doc.core_properties.title = bulletin.title
    doc.core_properties.author = unit
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
