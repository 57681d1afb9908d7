"""The 党员花名册 spreadsheet: one column layout that both the export writes and the import reads,
so a file exported from here re-imports unchanged.

This module only turns cells into Python values and back; who may import what, and whether a
row is a valid member, is decided in services.py against the database.
"""

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

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

MAX_ROWS = 5000
# Rows of the sheet read at most, blank ones included: a sheet may say it reaches row 1,048,576,
# and openpyxl would hand over every empty row up to there.
MAX_SHEET_ROWS = 20000
MAX_SHEET_COLUMNS = 1000
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
    every cell takes one of a few shared formats, so 10,000 members cost well under a second and
    no more memory than one row. A name or phone that starts like a formula is written as a
    quote-prefixed string, as lib.xlsx.put does."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, xlsx.XLSXWRITER_OPTIONS)
    ws = wb.add_worksheet(xlsx.sheet_title(sheet_title))
    head = wb.add_format(xlsx.XLSXWRITER_HEAD)
    plain, text, date = (
        wb.add_format({**xlsx.XLSXWRITER_CELL, **extra})
        for extra in ({}, {"num_format": "@"}, {"num_format": xlsx.DATE})
    )
    quoted = {
        f: wb.add_format({**xlsx.XLSXWRITER_CELL, **extra, "quote_prefix": True})
        for f, extra in ((plain, {}), (text, {"num_format": "@"}))
    }
    # Rows typed later into the template stay text too, instead of 6.54323E+17.
    column_text = wb.add_format({"num_format": "@"})
    for i, c in enumerate(COLUMNS):
        ws.set_column(i, i, c.width, column_text if c.field in TEXT_FIELDS else None)
    ws.set_row(0, 24)
    for i, c in enumerate(COLUMNS):
        ws.write_string(0, i, c.header, head)
    formats = [
        date if c.field in DATE_FIELDS else text if c.field in TEXT_FIELDS else plain
        for c in COLUMNS
    ]
    fields = [c.field for c in COLUMNS]
    starts = xlsx.FORMULA_STARTS
    count = 0
    for count, values in enumerate(members.values_list(*_VALUES).iterator(2000), start=1):
        row = sheet_values(count, values)
        for i, (name, fmt) in enumerate(zip(fields, formats, strict=True)):
            value = row[name]
            if isinstance(value, str) and value:
                # a name or phone typed as =... stays text
                ws.write_string(count, i, value, quoted[fmt] if value.startswith(starts) else fmt)
            elif isinstance(value, dt.date):
                ws.write_number(count, i, value.toordinal() - _EXCEL_EPOCH, fmt)
            elif value is None or value == "":
                ws.write_blank(count, i, None, fmt)
            else:
                ws.write_number(count, i, value, fmt)
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
            SheetRow(number=number, cells={f: _load(v) for f, v in cells.items()})
            for number, cells in data["rows"]
        ],
    )


NOT_XLSX = gettext_lazy("无法读取该文件，请上传 Excel（.xlsx）格式的党员花名册")


def read(content: bytes) -> Sheet:
    """Find the header row, map its columns, and return the non-empty rows under it."""
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise RosterFileError(
            _("这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为”.xlsx 格式后再上传")
        )
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise RosterFileError(str(NOT_XLSX))
    try:
        uploads.check_zip(content, uploads.XLSX_LIMITS)  # before openpyxl inflates anything
    except uploads.UploadRefused as exc:
        raise RosterFileError(str(exc)) from None
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 -- a damaged or foreign zip fails in many ways inside openpyxl
        raise RosterFileError(str(NOT_XLSX)) from None
    try:
        return _read_workbook(wb)
    except RosterFileError:
        raise
    except Exception:  # noqa: BLE001 -- same: broken sheet XML surfaces as any exception
        raise RosterFileError(str(NOT_XLSX)) from None
    finally:
        wb.close()


def _read_workbook(wb) -> Sheet:
    best: tuple[int, Any, int, dict[str, int], dict[str, str], list[str]] | None = None
    for ws in wb.worksheets:
        if not hasattr(ws, "iter_rows"):
            continue  # a chart sheet
        _check_size(ws)
        for number, row in enumerate(
            ws.iter_rows(max_row=_HEADER_SEARCH_ROWS, max_col=_MAX_COLUMNS, values_only=True),
            start=1,
        ):
            positions, headers, ignored = _map_header(row)
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
    sheet = Sheet(title=ws.title, headers=headers, ignored=ignored)
    for number, row in enumerate(
        ws.iter_rows(
            min_row=header_row + 1,
            max_row=header_row + MAX_SHEET_ROWS,
            max_col=_MAX_COLUMNS,
            values_only=True,
        ),
        start=header_row + 1,
    ):
        cells = {f: (row[i] if i < len(row) else None) for f, i in positions.items()}
        if all(is_blank(v) for f, v in cells.items() if f != "seq"):
            continue  # blank lines, and numbered rows of a template not yet filled in
        if _is_note_row(row):
            continue  # 合计 12人, 填表人：…: the form around the members, not a bad member row
        if len(sheet.rows) >= MAX_ROWS:
            raise RosterFileError(
                _("一次最多导入%(max)s行，请分成几个文件上传") % {"max": MAX_ROWS}
            )
        sheet.rows.append(SheetRow(number=number, cells=cells))
    if not sheet.rows:
        raise RosterFileError(_("花名册中没有党员数据：表头下面是空的"))
    return sheet


def _is_note_row(row) -> bool:
    """A totals or notes row: it starts (in its first filled cell) with 合计, 填表人, 备注 … ."""
    first = next((v for v in row or () if not is_blank(v)), None)
    return isinstance(first, str) and bool(
        _NOT_MEMBER_ROW.match(re.sub(r"\s+", "", first.replace("\u3000", "")))
    )


def _check_size(ws) -> None:
    """Refuse a sheet whose declared size (its <dimension>, read before any cell) is out of bounds.
    A sheet that declares no size is still read at most MAX_SHEET_ROWS rows deep."""
    rows, columns = ws.max_row or 0, ws.max_column or 0
    if rows > MAX_SHEET_ROWS or columns > MAX_SHEET_COLUMNS:
        raise RosterFileError(
            _(
                "工作表“%(sheet)s”过大（%(rows)s 行 × %(columns)s 列，上限 %(max_rows)s 行 × "
                "%(max_columns)s 列），请删去空行空列或无关的工作表后再上传"
            )
            % {
                "sheet": ws.title,
                "rows": rows,
                "columns": columns,
                "max_rows": MAX_SHEET_ROWS,
                "max_columns": MAX_SHEET_COLUMNS,
            }
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
