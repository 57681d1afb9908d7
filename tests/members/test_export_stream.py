"""The roster export is streamed (XlsxWriter's constant-memory mode) and keeps what the ordinary
workbook had: drop-downs beyond the data, ID numbers and phones as text also in rows typed later,
the header and 序号/姓名 in view, filter buttons over the rows, A4 landscape one page wide."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from tests import factories


def test_the_streamed_roster_keeps_its_drop_downs_text_columns_and_print_setup(world, login):
    for i in range(3):
        factories.member(world.village, f"党员{i}", world.point)
    content = login(world.station).get(reverse("members:export")).content
    ws = load_workbook(io.BytesIO(content)).active
    assert ws.max_row == 1 + 5  # 张三, 努尔兰·叶尔肯 and three more
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["C2:C200"] == '"男,女"'
    assert lists["M2:M200"] == '"在册,已离册"'
    assert ws.column_dimensions["F"].number_format == "@"  # 身份证号, typed later too
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == "A1:M6"
    assert ws.print_title_rows.replace("$", "") == "1:1"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert all(c.border.left.style == "thin" for c in ws[1])  # the header row
    assert ws.print_options.gridLines  # the grid of the rows is printed, not drawn per cell
    assert ws["E2"].number_format == "yyyy-mm-dd" and ws["F2"].number_format == "@"


def test_the_streamed_tables_keep_the_house_style():
    """write_table (openpyxl's write-only mode with named styles): the same look as before."""
    import datetime as dt

    from dianjiao.lib.xlsx import COUNT, PERCENT, write_table

    rows = [["红星村", 3, 0.875, dt.date(2026, 10, 1)], ["阿克达拉村", None, None, None]]
    content = write_table(
        "达标", ["村", "场次", "覆盖率", "日期"], rows, formats=[None, COUNT, PERCENT]
    )
    ws = load_workbook(io.BytesIO(content)).active
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("B71C1C")
    assert ws.row_dimensions[1].height == 24 and ws.freeze_panes == "A2"
    assert ws["B2"].value == 3 and ws["B2"].number_format == "0"
    assert ws["C2"].number_format == "0.0%" and ws["D2"].number_format == "yyyy-mm-dd"
    assert all(c.border.left.style == "thin" for row in ws["A2:D3"] for c in row)
    assert ws.auto_filter.ref == "A1:D3" and ws.print_title_rows.replace("$", "") == "1:1"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.column_dimensions["A"].width == 12  # 阿克达拉村 is 10 columns wide, plus 2
