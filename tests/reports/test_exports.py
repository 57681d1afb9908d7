import io

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from dianjiao.reports import exports, services
from tests.teaching.conftest import NOW, local, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world, cast, clock):
    clock.at = local(2026, 7, 10, 10, 0)
    record(cast, held_at=local(2026, 7, 10, 9, 0))
    clock.at = NOW
    r = services.report_create(
        village=world.village,
        author=world.operator,
        year=2026,
        quarter=3,
        narrative="七月组织收看一次。",
        plan="十月播放《榜样8》。",
    )
    return services.report_submit(r, user=world.operator)


def test_docx_reads_back(report):
    doc = Document(io.BytesIO(exports.report_docx(report)))
    texts = [p.text for p in doc.paragraphs]
    assert "红星村2026年第3季度党员电化教育工作报告" in texts
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "应到人次" in cells and "4" in cells and "100.0%" in cells
    s = doc.sections[0]
    assert (
        round(s.top_margin.mm) == 37
        and round(s.left_margin.mm) == 28
        and round(s.page_width.mm) == 210
    )
    runs = [r for p in doc.paragraphs for r in p.runs]
    assert all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "FangSong"


def test_xlsx_reads_back(report):
    ws = openpyxl.load_workbook(io.BytesIO(exports.report_xlsx(report))).active
    rows = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    # figures as numbers, the rate as a fraction shown as a percent (issue 10, part 8)
    assert rows["应到人次"] == 4 and rows["到课率（实到/应到）"] == 1.0
