"""The catalogue and the loans as .xlsx, read back with openpyxl; and the small table writer."""

import datetime as dt
import io
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dianjiao.films import services
from dianjiao.lib.dates import today
from dianjiao.lib.xlsx import write_table
from tests.films.helpers import copy, film, language, loan, overdue_loan, theme

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read(content: bytes):
    ws = load_workbook(io.BytesIO(content)).active
    values = list(ws.iter_rows(values_only=True))
    headers = list(values[0])
    return ws, headers, [dict(zip(headers, r, strict=True)) for r in values[1:]]


def test_it_exports_the_catalogue_it_lists(world, login):
    key = film(
        world,
        "榜样8",
        series="《榜样》系列",
        producer="中组部党员教育中心",
        year=2024,
        duration_minutes=97,
        is_key_film=True,
        themes=[theme("时代楷模"), theme("先进性教育")],
        languages=[language("普通话"), language("哈萨克语")],
    )
    copy(world, key)
    loan(world, copy(world, key))
    film(world, "牧区养殖技术", themes=[theme("科技与农牧业技术")])
    services.film_create(user=world.outsider, title="他乡的片", duration_minutes=20)

    response = login(world.operator).get(reverse("films:export"))

    assert response["Content-Type"] == XLSX
    assert (
        f"filename*=UTF-8''{quote(f'片库目录-{today():%Y-%m-%d}.xlsx')}"
        in response["Content-Disposition"]
    )
    ws, headers, rows = read(response.content)
    assert ws.title == "片库目录"
    assert headers == [
        "序号",
        "片名",
        "系列",
        "出品单位",
        "出品年份",
        "时长（分钟）",
        "教育主题",
        "语种版本",
        "重点片",
        "拷贝数",
        "在站可借",
        "状态",
    ]
    assert [r["片名"] for r in rows] == ["牧区养殖技术", "榜样8"]  # not the other township's
    assert rows[1] == {
        "序号": 2,
        "片名": "榜样8",
        "系列": "《榜样》系列",
        "出品单位": "中组部党员教育中心",
        "出品年份": 2024,
        "时长（分钟）": 97,
        "教育主题": "先进性教育、时代楷模",
        "语种版本": "普通话、哈萨克语",
        "重点片": "是",
        "拷贝数": 2,
        "在站可借": 1,
        "状态": "在用",
    }
    filtered = read(login(world.station).get(reverse("films:export"), {"key": "on"}).content)[2]
    assert [r["片名"] for r in filtered] == ["榜样8"]


def test_it_exports_the_loans_with_dates_and_states(world, login):
    late = overdue_loan(
        world, copy(world, film(world, "榜样8"), "WLG-0008"), village=world.pastoral, days=4
    )
    services.loan_confirm_receipt(loan=late, user=world.other_op)
    fresh = loan(
        world,
        copy(world, film(world, "焦裕禄"), "WLG-0009"),
        due_on=today() + dt.timedelta(days=20),
    )

    response = login(world.station).get(reverse("films:loan_export"), {"state": "all"})

    ws, headers, rows = read(response.content)
    assert headers[:5] == ["序号", "库存编号", "片名", "介质", "借片村"]
    by_no = {r["库存编号"]: r for r in rows}
    assert set(by_no) == {"WLG-0008", "WLG-0009"}
    overdue = by_no["WLG-0008"]
    assert (overdue["借片村"], overdue["状态"], overdue["逾期天数"], overdue["介质"]) == (
        "阿克达拉村",
        "逾期未还",
        4,
        "DVD光盘",
    )
    assert overdue["应还日期"] == dt.datetime.combine(today() - dt.timedelta(days=4), dt.time())
    local = timezone.localtime(late.dispatched_at).replace(tzinfo=None, microsecond=0)
    assert abs((overdue["发放时间"] - local).total_seconds()) < 1  # in the configured zone, not UTC
    assert overdue["发放人"] == "王站长" and overdue["签收人"] == str(world.other_op)
    assert by_no["WLG-0009"]["状态"] == "待签收" and by_no["WLG-0009"]["归还时间"] is None
    date_col = headers.index("应还日期") + 1
    assert ws.cell(row=2, column=date_col).number_format == "yyyy-mm-dd"
    assert fresh.is_open


def test_a_village_exports_only_its_own_loans(world, login):
    loan(world, village=world.village)
    loan(world, village=world.pastoral)

    rows = read(login(world.operator).get(reverse("films:loan_export")).content)[2]

    assert [r["借片村"] for r in rows] == ["红星村"]


def test_the_table_writer_styles_like_the_roster():
    when = timezone.make_aware(dt.datetime(2026, 3, 5, 1, 30), dt.UTC)  # 09:30 in Asia/Shanghai
    content = write_table(
        "借片/记录:[测试]",
        ["名称", "日期", "时间"],
        [["榜样", dt.date(2026, 3, 5), when], ["多行\n文本", None, None]],
    )

    ws = load_workbook(io.BytesIO(content)).active
    assert ws.title == "借片_记录__测试_"
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("B71C1C")
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C3"
    assert ws["B2"].number_format == "yyyy-mm-dd" and ws["C2"].value == dt.datetime(
        2026, 3, 5, 9, 30
    )
    assert ws["A3"].alignment.wrap_text
    assert ws.column_dimensions["A"].width >= 6
