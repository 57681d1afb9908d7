"""Rosters as townships really keep them: 出生年月 without the day, totals and signature rows
under the members, spaces inside Chinese names, and Kazakh names joined by assorted dots."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from dianjiao.members.models import Member
from tests import factories
from tests.members.sheets import HEADERS, person
from tests.members.test_import import confirm, preview_url, uploaded

pytestmark = pytest.mark.django_db


def _born(day, **cells):
    return person(cells.pop("姓名"), birth=day, **cells)


def test_it_takes_year_month_births_under_the_birth_month_header(world, login):
    client = login(world.station)
    headers = ["出生年月" if h == "出生日期" else h for h in HEADERS]
    rows = [
        _born(dt.date(1965, 3, 12), 姓名="甲", 出生年月="1965.03"),
        _born(dt.date(1966, 4, 2), 姓名="乙", 出生年月="1966年04月"),
        _born(dt.date(1967, 5, 30), 姓名="丙", 出生年月="1967-5"),
        _born(dt.date(1968, 10, 9), 姓名="丁", 出生年月=1968.1),  # Excel's number for 1968.10
        _born(dt.date(1969, 3, 7), 姓名="戊", 出生年月=1969.03),
    ]
    batch = uploaded(client, rows, headers=headers)
    preview = client.get(preview_url(batch)).context["preview"]
    assert preview.bad_rows == []
    confirm(client, batch)
    births = dict(Member.objects.filter(name__in="甲乙丙丁戊").values_list("name", "birth_date"))
    # the day comes from the ID number, which agrees with the month written
    assert births == {
        "甲": dt.date(1965, 3, 12),
        "乙": dt.date(1966, 4, 2),
        "丙": dt.date(1967, 5, 30),
        "丁": dt.date(1968, 10, 9),
        "戊": dt.date(1969, 3, 7),
    }


def test_a_birth_month_that_disagrees_with_the_id_number_is_a_bad_row(world, login):
    client = login(world.station)
    headers = ["出生年月" if h == "出生日期" else h for h in HEADERS]
    rows = [_born(dt.date(1965, 3, 12), 姓名="甲", 出生年月="1965.04")]
    batch = uploaded(client, rows, headers=headers)
    preview = client.get(preview_url(batch)).context["preview"]
    (row,) = preview.bad_rows
    assert row.errors == [("出生日期", "出生日期与身份证号不一致（身份证号为1965年03月12日）")]


def _sheet_with_notes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for n, row in enumerate([person("王芳"), person("李强", birth=dt.date(1981, 1, 1))], 1):
        ws.append([n if h == "序号" else row.get(h) for h in HEADERS])
    ws.append(["合计", "2人"])
    ws.append([None, "小计：正式党员2人"])
    ws.append([])
    ws.append(["填表人：马丽", None, None, None, None, None, "填表日期：2026年11月"])
    ws.append(["注：本表由村党支部填报"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_totals_and_signature_rows_under_the_members_are_not_bad_rows(world, login):
    client = login(world.station)
    batch = uploaded(client, _sheet_with_notes())
    preview = client.get(preview_url(batch)).context["preview"]
    assert preview.bad_rows == [] and len(preview.rows) == 2
    confirm(client, batch)
    assert Member.objects.filter(name__in=["王芳", "李强"]).count() == 2


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("张 三", "张三"),
        ("王　芳", "王芳"),
        (" 李  强 ", "李强"),
        ("阿合买提 • 努尔兰", "阿合买提·努尔兰"),
        ("叶尔兰.别克", "叶尔兰·别克"),
        ("古丽・努尔", "古丽·努尔"),
        ("哈力木·吾拉力", "哈力木·吾拉力"),
        ("Nurlan  Akhmet", "Nurlan Akhmet"),
    ],
)
def test_names_are_written_one_way(world, login, written, stored):
    client = login(world.station)
    row = person(written, birth=dt.date(1977, 7, 7))
    confirm(client, uploaded(client, [row]))
    assert Member.objects.get(id_number=row["身份证号"]).name == stored


def test_the_member_form_stores_names_the_same_way(world):
    member = factories.member(world.village, name="阿合买提 • 努尔兰")
    member.full_clean()
    member.save()
    member.refresh_from_db()
    assert member.name == "阿合买提·努尔兰"
