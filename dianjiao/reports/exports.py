"""A quarterly report as a .docx in the official layout (GB/T 9704-2012) and as an .xlsx table."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from dianjiao.films.models import Film
from dianjiao.lib import dates
from dianjiao.lib.xlsx import COUNT, PERCENT, Formatted, fraction, write_table
from dianjiao.teaching.models import ViewingSession

RED = RGBColor(0xC0, 0x00, 0x00)
TITLE_FONT = "FZXiaoBiaoSong-B05S"
BODY_FONT = "FangSong"
TABLE_FONT = "SimSun"


def figure_rows(report) -> list[tuple[str, str]]:
    f = report.figures or {}
    kinds = dict(ViewingSession.Kind.choices)
    rows = [(_("播放收看场次"), str(f.get("sessions", 0)))]
    for kind, n in sorted((f.get("by_kind") or {}).items()):
        rows.append((_("其中：%(kind)s") % {"kind": kinds.get(kind, kind)}, str(n)))
    rate = f.get("rate")
    sep = _("、")  # a list's separator: ", " in English
    rows += [
        (_("应到人次"), str(f.get("expected", 0))),
        (_("实到人次"), str(f.get("present", 0))),
        (_("到课率（实到/应到）"), "—" if rate is None else f"{rate}%"),
        (_("播放影片"), sep.join(f.get("films") or []) or "—"),
        (
            _("放映重点片的场次：四环完整/全部"),
            f"{f.get('key_complete', 0)}/{f.get('key_sessions', 0)}",
        ),
        (
            _("未播放月份"),
            sep.join(_("%(m)s月") % {"m": m} for m in f.get("months_without") or []) or _("无"),
        ),
    ]
    return rows


def _font(run, name, size, *, bold=False, color=None):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), name)


def _para(doc, text, font, size, *, align=None, bold=False, color=None, indent=True):
    p = doc.add_paragraph()
    p.paragraph_format.line_spacing = Pt(28.5)
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _red_rule(paragraph):
    ppr = paragraph._p.get_or_add_pPr()
    border = ppr.makeelement(qn("w:pBdr"), {})
    bottom = border.makeelement(
        qn("w:bottom"),
        {qn("w:val"): "single", qn("w:sz"): "18", qn("w:space"): "1", qn("w:color"): "C00000"},
    )
    border.append(bottom)
    ppr.append(border)


def report_docx(report) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    unit = report.village.branch_name or report.village.name
    header = _para(
        doc, unit, TITLE_FONT, 26, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, indent=False
    )
    _red_rule(header)
    title = _("%(unit)s%(year)s年第%(quarter)s季度党员电化教育工作报告") % {
        "unit": report.village.name,
        "year": report.year,
        "quarter": report.quarter,
    }
    _para(doc, title, TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, _("一、本季度播放收看情况"), "SimHei", 16)
    for line in (report.narrative or "").splitlines() or [""]:
        if line.strip():
            _para(doc, line.strip(), BODY_FONT, 16)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in figure_rows(report):
        cells = table.add_row().cells
        for cell, text in zip(cells, (label, value), strict=True):
            _font(cell.paragraphs[0].add_run(text), TABLE_FONT, 14)
    _para(doc, _("二、下季度播放计划"), "SimHei", 16)
    for line in (report.plan or "").splitlines():
        if line.strip():
            _para(doc, line.strip(), BODY_FONT, 16)
    if report.film_lines:
        _para(doc, _("三、片源需求"), "SimHei", 16)
        films = Film.objects.in_bulk([line["film"] for line in report.film_lines])
        for i, line in enumerate(report.film_lines, start=1):
            film = films.get(line["film"])
            _para(doc, f"{i}. 《{film.title if film else '—'}》 {line['wanted_on']}", BODY_FONT, 16)
    day = timezone.localdate(report.submitted_at) if report.submitted_at else dates.today()
    _para(doc, unit, BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(
        doc,
        _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day},
        BODY_FONT,
        16,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        indent=False,
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def figure_cells(report) -> list[tuple[str, object]]:
    """The figures of figure_rows as a spreadsheet keeps them: counts as integers, the rate as a
    fraction in a percent format, the key-film pair as two rows; lists stay text."""
    f = report.figures or {}
    kinds = dict(ViewingSession.Kind.choices)

    def count(n):
        return Formatted(int(n or 0), COUNT)

    rows = [(_("播放收看场次"), count(f.get("sessions")))]
    for kind, n in sorted((f.get("by_kind") or {}).items()):
        rows.append((_("其中：%(kind)s") % {"kind": kinds.get(kind, kind)}, count(n)))
    rate = f.get("rate")
    rows += [
        (_("应到人次"), count(f.get("expected"))),
        (_("实到人次"), count(f.get("present"))),
        (_("到课率（实到/应到）"), None if rate is None else Formatted(fraction(rate), PERCENT)),
        (_("播放影片"), "、".join(f.get("films") or []) or "—"),
        (_("放映重点片的场次"), count(f.get("key_sessions"))),
        (_("其中：四环完整"), count(f.get("key_complete"))),
        (
            _("未播放月份"),
            "、".join(_("%(m)s月") % {"m": m} for m in f.get("months_without") or []) or _("无"),
        ),
    ]
    return rows


def report_xlsx(report) -> bytes:
    title = _("%(year)s年第%(quarter)s季度") % {"year": report.year, "quarter": report.quarter}
    return write_table(title, [_("项目"), _("数值")], figure_cells(report))
