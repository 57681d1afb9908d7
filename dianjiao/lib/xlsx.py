"""A plain table as an .xlsx file, styled like the roster export: red bold header, thin borders,
frozen header row, filter buttons, dates as dates, landscape A4 one page wide. Every value goes
through `put`, so user text that begins like a formula stays text.

    write_table("片库目录", ["片名", "时长"], [["榜样7", 60], ...]) -> bytes
"""

import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAD_FONT = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="B71C1C")
_THIN = Side(style="thin", color="BBBBBB")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_MAX_WIDTH = 50
# Excel's forbidden sheet-title characters, and its 31-character limit.
_BAD_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


def text_width(value: Any) -> int:
    """Columns a value takes: CJK characters are two wide."""
    text = str(value if value is not None else "")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# What makes Excel, WPS or LibreOffice read a typed cell as a formula (or, from CSV-minded
# importers, as one): =, +, -, @, and a leading tab or carriage return that hides them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def put(cell, value: Any) -> None:
    """Write `value` into `cell` so that user text never becomes a formula.

    openpyxl stores a string that begins with "=" as a formula. Text that could start one is
    written as a string cell (data_type "s") with the quote-prefix style, which is what Excel
    itself keeps when someone types '=...: every spreadsheet program shows it as text, does not
    evaluate it, and keeps it text when the cell is edited. The text itself is unchanged (no
    apostrophe is added), and numbers, dates and booleans stay what they are."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _cell_value(value: Any) -> Any:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    return value


def write_table(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
) -> bytes:
    """`rows` of values in `headers` order; datetimes are shown in the configured zone."""
    wb, ws = new_sheet(title, headers)
    seen_widths = [text_width(h) for h in headers]
    count = 0
    for count, row in enumerate(rows, start=1):
        values = [_cell_value(v) for v in row]
        for i, value in enumerate(values):
            cell = ws.cell(row=count + 1, column=i + 1)
            put(cell, value)
            cell.border = BORDER
            if isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if i < len(seen_widths):
                seen_widths[i] = max(
                    seen_widths[i], 16 if isinstance(value, dt.date) else text_width(value)
                )
    for i, width in enumerate(widths or [min(_MAX_WIDTH, w + 2) for w in seen_widths], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    return finish(wb, ws, columns=len(headers), rows=count)


def new_sheet(title: str, headers: Sequence[str]):
    """A workbook whose one sheet has the house header row: red, bold, bordered."""
    wb = Workbook()
    ws = wb.active
    ws.title = (title.translate(_BAD_TITLE) or "Sheet")[:31]
    for i, header in enumerate(headers, start=1):
        put(ws.cell(row=1, column=i), header)
    for cell in ws[1]:
        cell.font = HEAD_FONT
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 24
    return wb, ws


def finish(wb, ws, *, columns: int, rows: int, freeze: str = "A2") -> bytes:
    """Frozen header, filter buttons, landscape A4 one page wide; the file's bytes."""
    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, columns))}{rows + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, *, filename: str, ascii_name: str) -> HttpResponse:
    """An .xlsx file as a download named `filename` (Chinese is fine); `ascii_name` for old
    browsers."""
    response = HttpResponse(content, content_type=XLSX)
    # An ASCII name for old browsers, the Chinese one (RFC 5987) for the rest.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
