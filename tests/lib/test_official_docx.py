"""The one writer of official documents (dianjiao.lib.official_docx), read back with python-docx:
the GB/T 9704 page, the red header over the red rule, East Asian fonts on every run, tables and
the signature."""

import datetime as dt
import io

from docx import Document
from docx.oxml.ns import qn

from dianjiao.lib import official_docx as official


def _build() -> Document:
    doc = official.new_document()
    official.red_header(doc, "乌伦古乡党员电教工作通报")
    official.paragraph(doc, "乌电教〔2026〕3号", align=official.CENTER, indent=False)
    official.red_rule(doc.paragraphs[-1])
    official.title(doc, "关于十一月检查情况的通报")
    official.heading(doc, "一、检查得分排名")
    official.body(doc, "第一行\n\n  第二行  \n")
    official.table(doc, [(1, "红星村"), (2, "阿克达拉村")], header=("名次", "村"), size=12)
    official.signature(doc, "乌伦古乡党员电化教育工作站", dt.date(2026, 11, 29))
    return Document(io.BytesIO(official.to_bytes(doc)))


def test_the_page_header_rule_and_fonts_follow_the_standard():
    doc = _build()
    s = doc.sections[0]
    assert [round(x.mm) for x in (s.page_width, s.page_height, s.top_margin, s.left_margin)] == [
        210,
        297,
        37,
        28,
    ]
    header, number = doc.paragraphs[:2]
    assert header.runs[0].font.color.rgb == official.RED
    assert header.runs[0].font.name == official.TITLE_FONT and header.runs[0].font.size.pt == 26
    # The red rule sits under the document number, not under the header.
    assert number._p.pPr.find(qn("w:pBdr")) is not None
    assert header._p.pPr.find(qn("w:pBdr")) is None
    for p in doc.paragraphs:
        for run in p.runs:
            assert run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == run.font.name
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "FangSong"


def test_body_lines_tables_and_signature():
    doc = _build()
    texts = [p.text for p in doc.paragraphs]
    assert texts[3:6] == ["一、检查得分排名", "第一行", "第二行"]  # empty lines dropped
    assert doc.paragraphs[3].runs[0].font.name == official.HEADING_FONT
    assert doc.paragraphs[4].paragraph_format.first_line_indent.pt == 32  # two characters
    assert [[c.text for c in r.cells] for r in doc.tables[0].rows] == [
        ["名次", "村"],
        ["1", "红星村"],
        ["2", "阿克达拉村"],
    ]
    assert texts[-2:] == ["乌伦古乡党员电化教育工作站", "2026年11月29日"]
    assert doc.paragraphs[-1].alignment == official.RIGHT
