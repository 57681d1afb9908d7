"""A plain table as an .xlsx file, styled like the roster export: red bold header, thin borders,
frozen header row, filter buttons, dates as dates, landscape A4 one page wide. Every value goes
through `put`, so user text that begins like a formula stays text.

Figures are stored as numbers, so that a spreadsheet can sum, sort and chart them: a count is an
int, a percentage is the fraction itself (0.873) in a PERCENT column, which shows it as 87.3%, a
month is the date of its first day in a MONTH column. Never pass a figure preformatted as text
("87.3%", "12/12"): split a pair into two columns.

    write_table("片库目录", ["片名", "时长"], [["榜样7", 60], ...]) -> bytes
    write_table("覆盖率", ["村", "覆盖率"], [["红星村", fraction(94.3)]], formats=[None, PERCENT])

write_table streams: openpyxl's write-only mode sends each row to the file as it comes, and every
cell takes one of a few named styles (a border and a number format) instead of styles of its own,
so neither the cells nor their styles pile up in memory or are hashed cell by cell. Column widths
are measured on the first WIDTH_SAMPLE rows. new_sheet/finish build an ordinary workbook for
sheets written cell by cell (the pastoral ledger).
"""

import datetime as dt
import io
import itertools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAD_FONT = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="B71C1C")
_THIN = Side(style="thin", color="BBBBBB")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_MAX_WIDTH = 50
# Number formats of figure columns (`formats=` of write_table, or a Formatted cell).
COUNT = "0"
DECIMAL = "0.0"
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
MONTH = "yyyy-mm"
_NUMERIC_FORMATS = {COUNT, DECIMAL, PERCENT, DATE, DATETIME, MONTH}
# Rows of a streamed table whose values set the columns' widths (written before the rows).
WIDTH_SAMPLE = 1000
# The same house style for sheets written with XlsxWriter (the roster, where speed matters most):
# rows streamed to the file, and a string is never read as a formula, a number or a link.
XLSXWRITER_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
XLSXWRITER_CELL = {"border": 1, "border_color": "#BBBBBB"}
XLSXWRITER_HEAD = {
    **XLSXWRITER_CELL,
    "bold": True,
    "font_color": "#FFFFFF",
    "bg_color": "#B71C1C",
    "pattern": 1,
    "align": "center",
    "valign": "vcenter",
}
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


def fraction(percent: float | None) -> float | None:
    """A percentage figure (87.3, as the pages show it) as the fraction a PERCENT cell holds
    (0.873, shown 87.3%); None (an empty cell) stays None."""
    return None if percent is None else round(percent / 100, 6)


def ratio(part: float | None, whole: float | None) -> float | None:
    """part / whole as the fraction a PERCENT cell holds (33 of 35 -> 0.943, shown 94.3%);
    None (an empty cell) when there is nothing to divide by."""
    if part is None or not whole:
        return None
    return part / whole


def month(year: int, month_no: int) -> dt.date:
    """A month as the date of its first day, for a MONTH column (shown 2026-03)."""
    return dt.date(year, month_no, 1)


@dataclass(frozen=True)
class Formatted:
    """One cell's value with its own number format, for a table whose column mixes kinds (a
    report's 项目/数值 rows): Formatted(0.873, PERCENT)."""

    value: Any
    number_format: str


def _cell_value(value: Any) -> Any:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    return value


def _shown_width(value: Any, number_format: str | None) -> int:
    """Columns a value takes as the spreadsheet shows it (0.8733 as 87.3%, not 0.8733…)."""
    if isinstance(value, dt.date):
        return 16
    if isinstance(value, float):
        return len(f"{value * 100:.1f}%" if number_format == PERCENT else f"{value:.1f}")
    return text_width(value)


def sheet_title(title: str) -> str:
    """`title` as a sheet's name: Excel's forbidden characters replaced, 31 characters at most."""
    return (title.translate(_BAD_TITLE) or "Sheet")[:31]


class _Styles:
    """The named styles of a streamed sheet's cells, made on first use: the header's, and per
    number format (and wrapped text) a bordered body cell's."""

    def __init__(self, wb):
        self.wb = wb
        self.by_key: dict = {}

    def head(self) -> str:
        return self._named(
            "head",
            font=HEAD_FONT,
            fill=HEAD_FILL,
            border=BORDER,
            alignment=Alignment(horizontal="center", vertical="center"),
        )

    def body(self, number_format: str | None, wrap: bool = False) -> str:
        key = (number_format, wrap)
        name = self.by_key.get(key)
        if name is None:
            extra = {"number_format": number_format} if number_format else {}
            if wrap:
                extra["alignment"] = Alignment(wrap_text=True, vertical="top")
            name = self.by_key[key] = self._named(
                f"cell {len(self.by_key)}", border=BORDER, **extra
            )
        return name

    def _named(self, name: str, **style) -> str:
        name = f"dianjiao {name}"
        if name not in self.wb.named_styles:
            self.wb.add_named_style(NamedStyle(name=name, **style))
        return name


def _cell(ws, value: Any, style: str) -> WriteOnlyCell:
    """A streamed cell holding `value` in the named `style`, user text never a formula (`put`)."""
    cell = WriteOnlyCell(ws)
    cell.style = style
    put(cell, value)
    return cell


def write_table(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    formats: Sequence[str | None] | None = None,
) -> bytes:
    """`rows` of values in `headers` order; datetimes are shown in the configured zone.

    `formats`, in `headers` order, gives figure columns their number format (COUNT, PERCENT,
    MONTH …; None leaves a column as it is). Text in such a column is a mistake (a figure
    preformatted as "87.3%") and raises TypeError; None stays an empty cell."""
    formats = list(formats or [])
    rows = iter(rows)
    first = [
        [_typed(headers, formats, i, raw) for i, raw in enumerate(row)]
        for row in itertools.islice(rows, WIDTH_SAMPLE)
    ]
    if widths is None:
        seen = [text_width(h) for h in headers]
        for row in first:
            for i, (value, number_format) in enumerate(row[: len(seen)]):
                seen[i] = max(seen[i], _shown_width(value, number_format))
        widths = [min(_MAX_WIDTH, w + 2) for w in seen]

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(title))
    styles = _Styles(wb)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 24
    head = styles.head()
    ws.append([_cell(ws, h, head) for h in headers])
    count = 0
    rest = ([_typed(headers, formats, i, raw) for i, raw in enumerate(row)] for row in rows)
    for row in itertools.chain(first, rest):
        count += 1
        ws.append([_cell(ws, value, _style_of(styles, value, fmt)) for value, fmt in row])
    return _finish(wb, ws, columns=len(headers), rows=count)


def _typed(headers, formats, i: int, raw: Any) -> tuple[Any, str | None]:
    """(value as written, its number format) of column `i`; text in a figure column raises."""
    number_format = formats[i] if i < len(formats) else None
    if isinstance(raw, Formatted):
        raw, number_format = raw.value, raw.number_format
    value = _cell_value(raw)
    if number_format in _NUMERIC_FORMATS and isinstance(value, str):
        raise TypeError(
            f"{headers[i] if i < len(headers) else i}: {value!r} is text in a figure column"
        )
    return value, number_format


def _style_of(styles: _Styles, value: Any, number_format: str | None) -> str:
    if number_format and value is not None:
        return styles.body(number_format)
    if isinstance(value, dt.datetime):
        return styles.body(DATETIME)
    if isinstance(value, dt.date):
        return styles.body(DATE)
    return styles.body(None, wrap=isinstance(value, str) and "\n" in value)


def _finish(wb, ws, *, columns: int, rows: int) -> bytes:
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, columns))}{rows + 1}"
    _print_setup(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _print_setup(ws) -> None:
    """Header row repeated on each page, landscape A4 one page wide."""
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def finish_xlsxwriter(wb, ws, out: io.BytesIO, *, columns: int, rows: int) -> bytes:
    """`finish` for an XlsxWriter sheet (freeze its panes first): filter buttons, the header row
    on every page, landscape A4 one page wide; the file's bytes."""
    ws.autofilter(0, 0, rows, max(0, columns - 1))
    ws.repeat_rows(0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    wb.close()
    return out.getvalue()


def new_sheet(title: str, headers: Sequence[str]):
    """A workbook whose one sheet has the house header row: red, bold, bordered."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(title)
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
    _print_setup(ws)
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
