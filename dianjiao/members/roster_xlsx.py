"""The 党员花名册 spreadsheet: one column layout that both the export writes and the import reads,
so a file exported from here re-imports unchanged.

This module only turns cells into Python values and back; who may import what, and whether a
row is a valid member, is decided in services.py against the database.
"""

import datetime as dt
import html
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.datetime import from_excel
from python_calamine import CalamineWorkbook, SheetTypeEnum

from dianjiao.lib import names, uploads, xlsx


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    aliases: tuple[str, ...] = ()
    width: int = 12
    choices: tuple[str, ...] = ()  # offered as a drop-down in the sheet


# The file's own words, not the UI's translations: a roster is the same file whatever the UI language.
GENDERS = {"M": "男", "F": "女"}
CATEGORIES = {"full": "正式党员", "probationary": "预备党员"}
MOBILITIES = {"resident": "常住", "pastoral": "牧业转场", "migrant": "流动党员"}
STATUSES = {True: "在册", False: "已离册"}

COLUMNS: list[Column] = [
    Column("序号", "seq", ("编号",), width=6),
    Column("姓名", "name", ("党员姓名",), width=14),
    Column("性别", "gender", width=6, choices=tuple(GENDERS.values())),
    Column("民族", "ethnicity", width=10),
    Column("出生日期", "birth_date", ("出生年月日", "出生年月"), width=12),
    Column(
        "身份证号", "id_number", ("公民身份号码", "身份证号码", "身份证", "公民身份证号"), width=21
    ),
    Column(
        "联系电话",
        "phone",
        ("电话", "手机", "手机号", "手机号码", "电话号码", "联系方式"),
        width=14,
    ),
    Column(
        "所在党支部",
        "village",
        ("党支部", "所在支部", "支部", "所属党支部", "党支部名称", "所在村"),
        width=14,
    ),
    Column(
        "党员类别",
        "category",
        ("人员类别", "类别", "党员身份"),
        width=10,
        choices=tuple(CATEGORIES.values()),
    ),
    Column("入党时间", "joined_on", ("入党日期", "入党年月日"), width=12),
    Column(
        "流动情况",
        "mobility",
        ("是否流动", "流动类型"),
        width=10,
        choices=tuple(MOBILITIES.values()),
    ),
    Column("收看播放点", "point", ("播放点", "收看点", "收看地点", "所在播放点"), width=16),
    Column("状态", "status", ("在册状态",), width=8, choices=tuple(STATUSES.values())),
]
DATE_FIELDS = {"birth_date", "joined_on"}
TEXT_FIELDS = {"id_number", "phone"}  # digits that must stay text: 18 digits do not fit a float
REQUIRED = ("name", "id_number", "village", "joined_on")
BY_FIELD = {c.field: c for c in COLUMNS}
HEADER_OF = {c.field: c.header for c in COLUMNS}

MAX_ROWS = 10000  # members in one file
# How far a sheet may reach, blank rows and columns included, checked before any cell is read:
# a sheet may say it reaches row 1,048,576, and calamine holds a sheet as one dense grid.
MAX_SHEET_ROWS = 20000
MAX_SHEET_COLUMNS = 1000
MAX_SHEET_CELLS = 2_000_000  # 20,000 rows of 100 columns; about 64 MB inside calamine
_HEADER_SEARCH_ROWS = 10  # rosters often carry a title row or two above the header
_MAX_COLUMNS = 60
_BLANKS = {"", "无", "-", "—", "——", "/", "／", "空"}
# Rows under the members that are not members: totals and the form's signatures and notes.
_NOT_MEMBER_ROW = re.compile(
    r"^(合计|小计|总计|共计|总数|填表人|填报人|制表人|审核人|负责人|联系人|填表日期|填报日期|"
    r"制表日期|备注|说明|注[:：])"
)


def _normalise_header(value) -> str:
    text = re.sub(r"\s+", "", str(value or "")).replace("\u3000", "")
    text = re.sub(r"[（(].*?[)）]", "", text)  # 出生日期（年月日）
    return text.strip("*＊:：")


_ALIASES = {_normalise_header(name): c.field for c in COLUMNS for name in (c.header, *c.aliases)}


# --- writing -------------------------------------------------------------------------------


# What the sheet shows of a member, read straight from the database (values_list): no model
# instance is built, which for 10,000 members costs ten times the query itself.
_VALUES = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "village__name",
    "category",
    "joined_on",
    "mobility",
    "point__name",
    "active",
)


def sheet_values(seq: int, values: tuple) -> dict[str, Any]:
    """One member (a tuple of _VALUES) as the sheet shows it, by field."""
    (name, gender, ethnicity, birth, id_number, phone) = values[:6]
    (village, category, joined, mobility, point, active) = values[6:]
    return {
        "seq": seq,
        "name": name,
        "gender": GENDERS.get(gender, gender),
        "ethnicity": ethnicity,
        "birth_date": birth,
        "id_number": id_number,
        "phone": phone,
        "village": village,
        "category": CATEGORIES.get(category, category),
        "joined_on": joined,
        "mobility": MOBILITIES.get(mobility, mobility),
        "point": point or "",
        "status": STATUSES[active],
    }


# Excel's day 0 (dates are written as their serial number in a date format).
_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()


def write(members, *, sheet_title: str = "党员花名册") -> bytes:
    """The roster as .xlsx bytes: `members` is a Member queryset (filtered and ordered as the
    list shows it), read with values_list.

    Streamed (XlsxWriter's constant-memory mode): each row goes to the file as it is written,
    so 10,000 members cost under a second and no more memory than one row. A name or phone that starts like a formula is written as a
    quote-prefixed string, as lib.xlsx.put does."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, xlsx.XLSXWRITER_OPTIONS)
    ws = wb.add_worksheet(xlsx.sheet_title(sheet_title))
    head = wb.add_format(xlsx.XLSXWRITER_HEAD)
    # Data cells carry a format only where the value needs one (a date, a quoted formula-like
    # text): a cell's format costs a third of its writing time, and at 10,000 members that
    # is what keeps the export under a second. The text columns' "@" comes from the column
    # itself, and the grid is printed instead of drawn cell by cell.
    date = wb.add_format({"num_format": xlsx.DATE})
    quoted = wb.add_format({"quote_prefix": True})
    quoted_text = wb.add_format({"num_format": "@", "quote_prefix": True})
    # Rows typed later into the template stay text too, instead of 6.54323E+17.
    column_text = wb.add_format({"num_format": "@"})
    for i, c in enumerate(COLUMNS):
        ws.set_column(i, i, c.width, column_text if c.field in TEXT_FIELDS else None)
    ws.hide_gridlines(0)  # shown and printed
    ws.set_row(0, 24)
    for i, c in enumerate(COLUMNS):
        ws.write_string(0, i, c.header, head)
    formats = [date if c.field in DATE_FIELDS else None for c in COLUMNS]
    quotes = [quoted_text if c.field in TEXT_FIELDS else quoted for c in COLUMNS]
    fields = [c.field for c in COLUMNS]
    starts = xlsx.FORMULA_STARTS
    count = 0
    for count, values in enumerate(members.values_list(*_VALUES).iterator(2000), start=1):
        row = sheet_values(count, values)
        for i, name in enumerate(fields):
            value = row[name]
            if isinstance(value, str) and value:
                # a name or phone typed as =... stays text
                ws.write_string(count, i, value, quotes[i] if value.startswith(starts) else None)
            elif isinstance(value, dt.date):
                ws.write_number(count, i, value.toordinal() - _EXCEL_EPOCH, formats[i])
            elif value is not None and value != "":
                ws.write_number(count, i, value)
    last = max(count + 1, 200)  # drop-downs reach beyond the data, for rows added by hand
    for i, c in enumerate(COLUMNS):
        if c.choices:
            ws.data_validation(
                1,
                i,
                last - 1,
                i,
                {
                    "validate": "list",
                    "source": list(c.choices),
                    "ignore_blank": True,
                    "error_message": "请从下拉列表中选择",
                },
            )
    # The header row and 序号/姓名 stay in view.
    ws.freeze_panes(1, 2)
    return xlsx.finish_xlsxwriter(wb, ws, out, columns=len(COLUMNS), rows=count)


# --- reading -------------------------------------------------------------------------------


class RosterFileError(ValueError):
    """The file as a whole cannot be read as a roster; the message is for the user."""


@dataclass
class SheetRow:
    number: int  # the row number Excel shows
    cells: dict[str, Any]  # field -> raw cell value


@dataclass
class Sheet:
    title: str
    headers: dict[str, str]  # field -> the header as written in the file
    ignored: list[str]  # headers that are not roster columns
    rows: list[SheetRow] = field(default_factory=list)


# A parsed sheet is kept as JSON between upload and confirmation, so the file is parsed once.
# Cell values keep their type: a float ID number (lost digits), a date and a text date differ.


def _dump(value) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value.replace("\x00", "") if isinstance(value, str) else value
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"time": value.isoformat()}
    return str(value).replace("\x00", "")


def _load(value) -> Any:
    if not isinstance(value, dict):
        return value
    ((kind, raw),) = value.items()
    return {
        "float": float,
        "datetime": dt.datetime.fromisoformat,
        "date": dt.date.fromisoformat,
        "time": dt.time.fromisoformat,
    }[kind](raw)


def sheet_to_json(sheet: Sheet) -> dict:
    return {
        "title": sheet.title,
        "headers": sheet.headers,
        "ignored": sheet.ignored,
        "rows": [[row.number, {f: _dump(v) for f, v in row.cells.items()}] for row in sheet.rows],
    }


def sheet_from_json(data: dict) -> Sheet:
    return Sheet(
        title=data["title"],
        headers=data["headers"],
        ignored=data["ignored"],
        rows=[
            SheetRow(
                number=number,
                cells={f: (_load(v) if type(v) is dict else v) for f, v in cells.items()},
            )
            for number, cells in data["rows"]
        ],
    )


NOT_XLSX = gettext_lazy("无法读取该文件，请上传 Excel（.xlsx）格式的党员花名册")


def read(content: bytes) -> Sheet:
    """Find the header row, map its columns, and return the non-empty rows under it.

    The file is read once, by calamine (many times faster than openpyxl), but only after the
    package has been checked and rebuilt here: calamine holds a sheet as one dense grid from its
    first to its last cell, so two cells at A1 and XFD1048576 would ask for 500 GB, and it
    inflates parts by their real length, not the length the archive declares. So every part is
    inflated once by Python, no further than its declared size (bounded by uploads.check_zip),
    each worksheet's cells are counted in its XML (`_extent`), and calamine reads a copy of the
    package made of exactly those bytes."""
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise RosterFileError(
            _("这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为”.xlsx 格式后再上传")
        )
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise RosterFileError(str(NOT_XLSX))
    try:
        uploads.check_zip(content, uploads.XLSX_LIMITS)  # before anything is inflated
    except uploads.UploadRefused as exc:
        raise RosterFileError(str(exc)) from None
    package = _checked_package(content)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(package))
    except Exception:  # noqa: BLE001 -- a damaged or foreign package fails in many ways
        raise RosterFileError(str(NOT_XLSX)) from None
    except BaseException as exc:  # a panic inside calamine: the file, not the server, is broken
        if type(exc).__name__ != "PanicException":
            raise
        raise RosterFileError(str(NOT_XLSX)) from None
    try:
        return _read_workbook(wb)
    except RosterFileError:
        raise
    except Exception:  # noqa: BLE001 -- same: broken sheet XML surfaces as any exception
        raise RosterFileError(str(NOT_XLSX)) from None
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise RosterFileError(str(NOT_XLSX)) from None
    finally:
        wb.close()


class _Extent(NamedTuple):
    declared_rows: int  # from <dimension ref>, which may lie; 0 when absent
    declared_columns: int
    rows: int  # the last row and column any cell can be in, counted in the sheet's XML
    columns: int


_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")
_ROW_REF = re.compile(rb"<(?:[\w.-]+:)?row\s[^>]*?\br\s*=\s*[\"']([^\"']*)[\"']")
_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_CELL_REF = re.compile(rb"<(?:[\w.-]+:)?c\s[^>]*?\br\s*=\s*[\"']([A-Za-z]*)([^\"']*)[\"']")
_PLAIN = (
    re.compile(rb"<row[\s/>]"),
    re.compile(rb'<row r="(\d{1,7})"'),
    re.compile(rb"<c[\s/>]"),
    re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"'),
)
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_HUGE = 10**9


def _column_number(letters: str) -> int:
    if not letters or len(letters) > 3 or not letters.isalpha() or not letters.isascii():
        return _HUGE
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _extent(xml: bytes) -> _Extent:
    """How far a worksheet reaches: the declared dimension, and a bound on the real one that
    holds whatever the XML says (cells without a reference are counted as if each moved one
    step further). Anything unreadable counts as out of bounds."""
    declared_rows = declared_columns = 0
    at = xml.find(b"dimension")  # before <sheetData>, where a regex alone would crawl
    if at >= 0 and (match := _DIMENSION.search(xml, max(0, at - 100), at + 1000)):
        last = match.group(1).decode("ascii", "replace").split(":")[-1]
        ref = _REF.match(last)
        declared_columns, declared_rows = (
            (_column_number(ref.group(1)), int(ref.group(2))) if ref else (_HUGE, _HUGE)
        )
    if any(tag in xml for tag in (b":c ", b":c>", b":c/", b":row")):
        # Prefixed tags (<x:c r="A1">): the general patterns, several times slower.
        row_tag, row_ref, cell_tag, cell_ref = _ROW_TAG, _ROW_REF, _CELL_TAG, _CELL_REF
    else:
        # As Excel, WPS, LibreOffice and openpyxl write them: <c r="A1" ...>, <row r="1" ...>;
        # a cell written otherwise is counted among those without a reference.
        row_tag, row_ref, cell_tag, cell_ref = _PLAIN
    row_refs = row_ref.findall(xml)
    cell_refs = cell_ref.findall(xml)
    try:
        rows = max(
            max((int(r) for r in row_refs), default=0),
            max((int(r) for _c, r in cell_refs), default=0),
        )
    except ValueError:
        rows = _HUGE
    columns = max(
        (_column_number(c.decode("ascii", "replace")) for c in {c for c, _r in cell_refs}),
        default=0,
    )
    rows += len(row_tag.findall(xml)) - len(row_refs)
    columns += len(cell_tag.findall(xml)) - len(cell_refs)
    return _Extent(declared_rows, declared_columns, rows, columns)


def _checked_package(content: bytes) -> bytes:
    """The package as calamine may read it: every part inflated by Python no further than its
    declared size, worksheets within bounds, stored again without compression."""
    parts: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    with archive.open(info) as part:
                        parts[info.filename] = part.read(info.file_size + 1)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        zlib.error,
    ):
        raise RosterFileError(str(NOT_XLSX)) from None
    if "xl/workbook.xml" not in parts:
        raise RosterFileError(str(NOT_XLSX))  # an .ods or .xlsb is a zip too
    titles = _sheet_titles(parts)
    for name, data in parts.items():
        if name.endswith((".xml", ".rels", ".vml")) and (
            data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:1024]
        ):
            raise RosterFileError(str(NOT_XLSX))  # UTF-16: no spreadsheet program writes it
        if b"sheetData" in data:
            _check_size(titles.get(name, name), _extent(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\s([^>]*)>")
_RELATIONSHIP_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\s([^>]*)>")
_ATTRIBUTE = re.compile(rb"([\w.:-]+)\s*=\s*[\"']([^\"']*)[\"']")


def _attributes(text: bytes) -> dict[str, str]:
    return {
        k.decode("utf-8", "replace"): html.unescape(v.decode("utf-8", "replace"))
        for k, v in _ATTRIBUTE.findall(text)
    }


def _sheet_titles(parts: dict[str, bytes]) -> dict[str, str]:
    """Part name -> the sheet's title, for saying which sheet is too large."""
    targets = {}
    for tag in _RELATIONSHIP_TAG.findall(parts.get("xl/_rels/workbook.xml.rels", b"")):
        a = _attributes(tag)
        target = a.get("Target", "")
        targets[a.get("Id")] = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        )
    titles = {}
    for tag in _SHEET_TAG.findall(parts["xl/workbook.xml"]):
        a = _attributes(tag)
        rid = next((v for k, v in a.items() if k.endswith(":id")), None)
        if rid in targets and "name" in a:
            titles[targets[rid]] = a["name"]
    return titles


def _check_size(title: str, extent: _Extent) -> None:
    """Refuse a sheet whose declared size (its <dimension>), or the size its cells reach, is
    out of bounds: checked before any cell is read."""
    rows, columns = extent.declared_rows, extent.declared_columns
    if rows <= MAX_SHEET_ROWS and columns <= MAX_SHEET_COLUMNS:
        rows, columns = extent.rows, extent.columns
    if rows > MAX_SHEET_ROWS or columns > MAX_SHEET_COLUMNS or rows * columns > MAX_SHEET_CELLS:
        raise RosterFileError(
            _(
                "工作表“%(sheet)s”过大（%(rows)s 行 × %(columns)s 列，上限 %(max_rows)s 行 × "
                "%(max_columns)s 列），请删去空行空列或无关的工作表后再上传"
            )
            % {
                "sheet": title,
                "rows": rows if rows < _HUGE else "?",
                "columns": columns if columns < _HUGE else "?",
                "max_rows": MAX_SHEET_ROWS,
                "max_columns": MAX_SHEET_COLUMNS,
            }
        )


def _read_workbook(wb) -> Sheet:
    best: tuple[int, Any, int, dict[str, int], dict[str, str], list[str]] | None = None
    for meta in wb.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # a chart sheet
        ws = wb.get_sheet_by_name(meta.name)
        top = ws.to_python(skip_empty_area=False, nrows=_HEADER_SEARCH_ROWS)
        for number, row in enumerate(top[:_HEADER_SEARCH_ROWS], start=1):
            positions, headers, ignored = _map_header(row[:_MAX_COLUMNS])
            score = len(positions)
            if score >= 2 and (best is None or score > best[0]):
                best = (score, ws, number, positions, headers, ignored)
        if best and all(f in best[3] for f in REQUIRED):
            break
    if best is None:
        raise RosterFileError(
            _(
                "找不到花名册表头：第一行应为“姓名”“身份证号”“所在党支部”“入党时间”等列名，可下载空白模板对照"
            )
        )
    _score, ws, header_row, positions, headers, ignored = best
    missing = [HEADER_OF[f] for f in REQUIRED if f not in positions]
    if missing:
        raise RosterFileError(
            _("缺少必需的列：%(columns)s（表头在第%(row)s行）")
            % {
                "columns": _("、").join(missing),
                "row": header_row,
            }
        )
    sheet = Sheet(title=ws.name, headers=headers, ignored=ignored)
    grid = ws.to_python(skip_empty_area=False)
    columns = list(positions.items())
    for index in range(header_row, min(len(grid), header_row + MAX_SHEET_ROWS)):
        row = grid[index]
        width = len(row)
        # calamine gives "" for an empty cell, openpyxl gave None: kept as None.
        cells = {f: (row[i] if i < width and row[i] != "" else None) for f, i in columns}
        if all(is_blank(v) for f, v in cells.items() if f != "seq"):
            continue  # blank lines, and numbered rows of a template not yet filled in
        if _is_note_row(row[:_MAX_COLUMNS]):
            continue  # 合计 12人, 填表人：…: the form around the members, not a bad member row
        if len(sheet.rows) >= MAX_ROWS:
            raise RosterFileError(
                _("一次最多导入%(max)s行，请分成几个文件上传") % {"max": MAX_ROWS}
            )
        sheet.rows.append(SheetRow(number=index + 1, cells=cells))
    if not sheet.rows:
        raise RosterFileError(_("花名册中没有党员数据：表头下面是空的"))
    return sheet


def _is_note_row(row) -> bool:
    """A totals or notes row: it starts (in its first filled cell) with 合计, 填表人, 备注 … ."""
    first = next((v for v in row or () if not is_blank(v)), None)
    return isinstance(first, str) and bool(
        _NOT_MEMBER_ROW.match(re.sub(r"\s+", "", first.replace("\u3000", "")))
    )


def _map_header(row) -> tuple[dict[str, int], dict[str, str], list[str]]:
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for i, value in enumerate(row or ()):
        text = _normalise_header(value)
        if not text:
            continue
        f = _ALIASES.get(text)
        if f is None or f in positions:  # a second 身份证号 column is ignored, not merged
            ignored.append(str(value).strip())
            continue
        positions[f] = i
        headers[f] = str(value).strip()
    return positions, headers, ignored


# --- cells to values -----------------------------------------------------------------------


class CellError(ValueError):
    """One cell cannot be understood; the message is for the user."""


def is_blank(value) -> bool:
    return value is None or (
        isinstance(value, str) and value.strip().replace("\u3000", "") in _BLANKS
    )


def text(value) -> str:
    """A cell as text: numbers typed into text columns come back without a trailing .0."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return f"{value:%Y-%m-%d}"
    return str(value).replace("\u3000", " ").strip()


_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def date(value) -> dt.date | None:
    """Real Excel dates, and text like 1975-03-08, 1975/3/8, 1975.03.08, 1975年3月8日, 19750308."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 10000101 <= value <= 99991231:
            value = str(int(value))  # 19750308 typed as a number
        elif 1 <= value < 2958466:
            return from_excel(value).date()  # a date serial in a cell not formatted as a date
        else:
            raise CellError(_("无法识别的日期：%(value)s") % {"value": value})
    raw = str(value).strip()
    match = _DATE_TEXT.match(raw) or _DATE_DIGITS.match(raw)
    if not match:
        raise CellError(
            _("无法识别的日期“%(value)s”，请写成 1975-03-08 这样的年月日") % {"value": raw}
        )
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise CellError(_("日期“%(value)s”不存在") % {"value": raw}) from None


class YearMonth(NamedTuple):
    """A birth written as year and month only (出生年月: 1965.03, 1965年03月, 1965-3)."""

    year: int
    month: int

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def holds(self, day: dt.date | None) -> bool:
        return day is not None and (day.year, day.month) == (self.year, self.month)


_YEAR_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def birth(value) -> dt.date | YearMonth | None:
    """A birth date, or a year and month where the roster keeps only those (出生年月)."""
    if isinstance(value, float) and 1900 <= value < 2100 and not value.is_integer():
        # 1965.03 typed as a number (not a date serial, which would be 1905); 1965.1 is how
        # Excel keeps 1965.10
        year = int(value)
        raw = f"{year}.{round((value - year) * 100):02d}"
    else:
        try:
            return date(value)
        except CellError:
            raw = text(value)
    match = _YEAR_MONTH_TEXT.match(raw)
    if match and 1 <= int(match.group(2)) <= 12:
        return YearMonth(int(match.group(1)), int(match.group(2)))
    raise CellError(
        _("无法识别的出生日期“%(value)s”，请写成 1975-03-08 或 1975.03 这样的年月（日）")
        % {"value": raw}
    )


def name(value) -> str:
    return names.normalise(text(value))


def id_number(value) -> str:
    """ID numbers must be text; one typed as a number has lost its last digits to Excel."""
    if is_blank(value):
        return ""
    if isinstance(value, float):
        raise CellError(
            _("身份证号被 Excel 存成了数字，后几位可能已丢失：请把该列设为“文本”后重新填写")
        )
    return text(value).replace(" ", "").upper()


def choice(value, labels: dict, aliases: dict | None = None, *, what: str):
    """A label from the sheet (正式党员) to the stored value (full)."""
    if is_blank(value):
        return None
    raw = text(value)
    reverse = {label: key for key, label in labels.items()} | (aliases or {})
    if raw in reverse:
        return reverse[raw]
    raise CellError(
        _("%(column)s应为%(choices)s之一，而不是“%(value)s”")
        % {
            "column": what,
            "choices": _("、").join(f"“{v}”" for v in labels.values()),
            "value": raw,
        }
    )
