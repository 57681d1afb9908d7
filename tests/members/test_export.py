"""Exporting the roster to .xlsx: what the list shows, scoped, and importable again unchanged."""

import datetime as dt
from urllib.parse import quote

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dianjiao.lib.dates import today
from dianjiao.members import services
from dianjiao.members.models import Member
from tests import factories
from tests.members.sheets import HEADERS, read

EXPORT = reverse("members:export")


def test_it_exports_the_roster_as_an_xlsx_download(world, login):
    response = login(world.station).get(EXPORT)

    assert response.status_code == 200
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"党员花名册-{today():%Y-%m-%d}.xlsx"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert f"filename*=UTF-8''{quote(filename)}" in response["Content-Disposition"]
    _, headers, rows = read(response.content)
    assert headers == HEADERS
    zhang = rows[0]
    assert zhang | {"出生日期": None, "入党时间": None} == {
        "序号": 1,
        "姓名": "张三",
        "性别": "男",
        "民族": "汉族",
        "出生日期": None,
        "身份证号": world.member.id_number,
        "联系电话": None,
        "所在党支部": "红星村",
        "党员类别": "正式党员",
        "入党时间": None,
        "流动情况": "常住",
        "收看播放点": "村委会电教室",
        "状态": "在册",
    }
    assert [r["姓名"] for r in rows] == ["张三", "努尔兰·叶尔肯"]  # not 李四 of the other township


def test_it_writes_id_numbers_as_text_and_dates_as_dates(world, login):
    ws, headers, _ = read(login(world.station).get(EXPORT).content)

    id_cell = ws.cell(row=2, column=headers.index("身份证号") + 1)
    assert isinstance(id_cell.value, str) and id_cell.data_type == "s"
    assert id_cell.value == world.member.id_number and id_cell.number_format == "@"
    birth = ws.cell(row=2, column=headers.index("出生日期") + 1)
    assert birth.value == dt.datetime(1975, 3, 8) and birth.number_format == "yyyy-mm-dd"
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("B71C1C")
    assert ws.freeze_panes == "C2"
    assert ws.column_dimensions["F"].width > 18


def test_it_exports_only_what_the_operator_can_see(world, login):
    _, _, rows = read(login(world.operator).get(EXPORT).content)

    assert {r["所在党支部"] for r in rows} == {"红星村"}
    assert [r["姓名"] for r in rows] == ["张三"]


def test_it_applies_the_list_filters(world, login):
    factories.member(world.village, "李明", world.point)
    factories.member(world.pastoral, "张山", world.pastoral_point)
    left = factories.member(
        world.village, "张离", active=False, left_on=dt.date(2024, 1, 1), left_reason="迁出"
    )
    client = login(world.station)

    def names(query):
        return [r["姓名"] for r in read(client.get(EXPORT, query).content)[2]]

    assert names({"q": "zs"}) == ["张三", "张山"]
    assert names({"village": world.pastoral.pk}) == ["努尔兰·叶尔肯", "张山"]
    assert names({"q": "zhang", "village": world.village.pk, "status": "all"}) == ["张离", "张三"]
    assert left.name not in names({})
    # The same query string on the list shows the same people.
    listed = client.get(
        reverse("members:list"), {"q": "zhang", "village": world.village.pk, "status": "all"}
    )
    assert [m.name for m in listed.context["page_obj"]] == ["张离", "张三"]


def test_it_round_trips_an_export_through_the_import_unchanged(world, login):
    factories.member(
        world.village, "王芳", None, male=False, phone="", category=Member.Category.PROBATIONARY
    )
    factories.member(
        world.pastoral,
        "巴合提",
        world.pastoral_point,
        ethnicity="哈萨克族",
        phone="0906-1234567",
        mobility=Member.Mobility.MIGRANT,
    )
    factories.member(
        world.village,
        "赵离",
        world.point,
        active=False,
        left_on=dt.date(2024, 1, 1),
        left_reason="迁出",
    )
    client = login(world.station)
    exported = client.get(EXPORT, {"status": "all"}).content

    preview = services.roster_import_preview(user=world.station, file=exported)

    assert preview.ok, [r.errors for r in preview.bad_rows]
    assert [r.action_label for r in preview.rows] == ["无变化"] * 5
    batch = services.roster_import_upload(user=world.station, file=exported, filename="导出.xlsx")
    assert services.roster_import_apply(user=world.station, batch=batch) == {
        "created": 0,
        "updated": 0,
        "unchanged": 5,
    }


def test_it_exports_a_blank_template(world, login):
    response = login(world.operator).get(EXPORT, {"template": 1})

    _, headers, rows = read(response.content)
    assert headers == HEADERS and rows == []
    assert quote("党员花名册模板.xlsx") in response["Content-Disposition"]


def test_it_lets_a_read_only_role_export(world, login):
    response = login(world.leader).get(EXPORT)

    assert response.status_code == 200
    assert len(read(response.content)[2]) == 2


def test_it_exports_many_members_with_the_same_number_of_queries(
    world, login, django_assert_num_queries
):
    client = login(world.station)
    with CaptureQueriesContext(connection) as few:
        client.get(EXPORT)
    for i in range(25):
        factories.member(
            world.pastoral if i % 2 else world.village,
            f"成员{i}",
            world.pastoral_point if i % 2 else None,
        )

    with django_assert_num_queries(len(few)):
        response = client.get(EXPORT)

    assert len(read(response.content)[2]) == 27
