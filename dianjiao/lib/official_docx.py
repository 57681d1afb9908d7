"""The one writer of official documents (公文) as .docx, in the layout of GB/T 9704-2012: A4 with
the standard margins, the issuing unit's red header over a red rule, the title in 小标宋, the body
in 仿宋 三号 (16 pt) on a fixed 28.5 pt line, first-level headings in 黑体, the issuing unit and
the date at the end on the right. East Asian fonts are set on every run (w:eastAsia), or Word
shows Chinese text in a Western font.

Used by the quarterly report (reports/exports.py) and the bulletin (oversight/exports.py); a new
official document composes these pieces rather than copying them."""

import datetime as dt
import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

RED = RGBColor(0xC0, 0x00, 0x00)
TITLE_FONT = "FZXiaoBiaoSong-B05S"  # 方正小标宋: the header and the title
BODY_FONT = "FangSong"  # 仿宋: the body
HEADING_FONT = "SimHei"  # 黑体: first-level headings (一、二、…)
TABLE_FONT = "SimSun"  # 宋体: tables
BODY_SIZE = 16  # 三号
HEADER_SIZE = 26  # the issuing unit's red header
TITLE_SIZE = 22  # 二号
LINE = Pt(28.5)

CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT


def new_document() -> Document:
    """An empty A4 document with GB/T 9704's margins, its Normal style in FangSong 16 pt."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return doc


def set_font(run, name: str, size: float, *, bold: bool = False, color=None) -> None:
    """Font, size, weight and colour of `run`, the East Asian font included."""
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


def paragraph(
    doc,
    text: str,
    font: str = BODY_FONT,
    size: float = BODY_SIZE,
    *,
    align=None,
    bold: bool = False,
    color=None,
    indent: bool = True,
):
    """A paragraph of one run on the fixed line; body paragraphs indent their first line by two
    characters."""
    p = doc.add_paragraph()
    p.paragraph_format.line_spacing = LINE
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    set_font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def red_header(doc, text: str):
    """The issuing unit's mark (发文机关标志): red, centred, in the title font. Draw the red rule
    under it, or under the document number that follows it, with red_rule."""
    return paragraph(doc, text, TITLE_FONT, HEADER_SIZE, align=CENTER, color=RED, indent=False)


def red_rule(p) -> None:
    """The red separator line under paragraph `p`."""
    ppr = p._p.get_or_add_pPr()
    border = ppr.makeelement(qn("w:pBdr"), {})
    bottom = border.makeelement(
        qn("w:bottom"),
        {qn("w:val"): "single", qn("w:sz"): "18", qn("w:space"): "1", qn("w:color"): "C00000"},
    )
    border.append(bottom)
    ppr.append(border)


def title(doc, text: str):
    return paragraph(doc, text, TITLE_FONT, TITLE_SIZE, align=CENTER, indent=False)


def heading(doc, text: str, size: float = BODY_SIZE, *, indent: bool = True):
    """A first-level heading (一、…) in 黑体."""
    return paragraph(doc, text, HEADING_FONT, size, indent=indent)


def body(doc, text: str) -> None:
    """Each non-empty line of `text` as a body paragraph."""
    for line in (text or "").splitlines():
        if line.strip():
            paragraph(doc, line.strip())


def cell_text(cell, text, size: float) -> None:
    set_font(cell.paragraphs[0].add_run(str(text)), TABLE_FONT, size)


def table(doc, rows, *, header=None, size: float = 14):
    """A gridded table of `rows` (sequences of values) under an optional `header` row."""
    rows = [list(r) for r in rows]
    cols = len(header) if header is not None else len(rows[0]) if rows else 1
    t = doc.add_table(rows=0, cols=cols)
    t.style = "Table Grid"
    for values in ([header] if header is not None else []) + rows:
        for cell, text in zip(t.add_row().cells, values, strict=True):
            cell_text(cell, text, size)
    return t


def date_text(day: dt.date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def signature(doc, unit: str, day: dt.date) -> None:
    """The issuing unit and the date (成文日期), right-aligned at the end of the body."""
    paragraph(doc, unit, align=RIGHT, indent=False)
    paragraph(doc, date_text(day), align=RIGHT, indent=False)


def to_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
