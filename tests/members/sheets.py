"""Real .xlsx files for the roster tests, built and read back with openpyxl."""

import datetime as dt
import io

from openpyxl import Workbook, load_workbook

from tests.factories import id_number

HEADERS = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "联系电话",
    "所在党支部",
    "党员类别",
    "入党时间",
    "流动情况",
    "收看播放点",
    "状态",
]


def person(name="张顺", *, birth=dt.date(1980, 5, 6), male=True, **cells):
    """One roster row as {header: value}; the ID number agrees with birth date and sex."""
    row = {
        "姓名": name,
        "性别": "男" if male else "女",
        "民族": "汉族",
        "出生日期": birth,
        "身份证号": id_number(birth, male),
        "联系电话": "13899990000",
        "所在党支部": "红星村",
        "党员类别": "正式党员",
        "入党时间": dt.date(2005, 7, 1),
        "流动情况": "常住",
        "收看播放点": "村委会电教室",
        "状态": "在册",
    }
    row.update(cells)
    return row


def xlsx(rows, headers=HEADERS, *, title_rows=()) -> bytes:
    wb = Workbook()
    ws = wb.active
    for title in title_rows:
        ws.append([title])
    ws.append(headers)
    for n, row in enumerate(rows, start=1):
        ws.append([n if h == "序号" else row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(content: bytes):
    """(worksheet, headers, rows as dicts) of an .xlsx."""
    ws = load_workbook(io.BytesIO(content)).active
    values = list(ws.iter_rows(values_only=True))
    headers = list(values[0])
    return ws, headers, [dict(zip(headers, r, strict=True)) for r in values[1:]]


def upload_file(content: bytes, name="党员花名册.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name,
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
