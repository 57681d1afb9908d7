"""Registering and editing a member: each bad input named in Chinese beside its field, nothing saved."""

import datetime as dt

import pytest

from dianjiao.lib import idcard
from dianjiao.lib.dates import today
from dianjiao.members.models import Member

BIRTH = dt.date(1980, 5, 1)


@pytest.fixture
def form_data(world):
    return {
        "name": "王芳",
        "gender": "F",
        "ethnicity": "汉族",
        "birth_date": BIRTH.isoformat(),
        "id_number": idcard.make("654323", BIRTH, 124),
        "phone": "13899990000",
        "village": world.village.pk,
        "category": "full",
        "joined_on": "2005-07-01",
        "mobility": "resident",
        "point": world.point.pk,
    }


def post(client, data):
    response = client.post("/members/new/", data)
    return response, (response.context["form"].errors if response.status_code == 200 else None)


def test_it_registers_a_member_and_finds_them_by_initials(world, login, form_data):
    response, _ = post(login(world.operator), form_data)
    assert response.status_code == 302
    assert [m.name for m in Member.objects.search("wf")] == ["王芳"]
    assert [m.name for m in Member.objects.search("wangfang")] == ["王芳"]


def test_it_refuses_a_bad_check_digit(world, login, form_data):
    good = form_data["id_number"]
    form_data["id_number"] = good[:17] + ("0" if good[17] != "0" else "1")
    response, errors = post(login(world.operator), form_data)
    assert "校验位" in errors["id_number"][0]
    assert not Member.objects.filter(name="王芳").exists()


def test_it_refuses_a_duplicate_id_number(world, login, form_data):
    form_data["id_number"] = world.far_member.id_number  # registered in another township
    _, errors = post(login(world.operator), form_data)
    assert "已登记" in errors["id_number"][0]


def test_it_refuses_dates_in_the_future(world, login, form_data):
    form_data["joined_on"] = (today() + dt.timedelta(days=1)).isoformat()
    _, errors = post(login(world.operator), form_data)
    assert errors["joined_on"] == ["日期不能晚于今天"]


def test_it_refuses_a_birth_date_that_disagrees_with_the_id(world, login, form_data):
    form_data["birth_date"] = "1980-05-02"
    _, errors = post(login(world.operator), form_data)
    assert "身份证号" in errors["birth_date"][0]


def test_it_refuses_a_point_of_another_village(world, login, form_data):
    form_data["point"] = world.pastoral_point.pk
    _, errors = post(login(world.station), form_data)
    assert "不属于红星村" in errors["point"][0]
    assert not Member.objects.filter(name="王芳").exists()


def test_it_moves_a_member_within_their_village_and_keeps_the_history(world, login):
    from dianjiao.audit.models import AuditEvent

    other_point = world.point.__class__.objects.create(village=world.village, name="三组活动室")
    client = login(world.operator)
    data = {
        "name": "张三",
        "gender": "M",
        "ethnicity": "汉族",
        "birth_date": world.member.birth_date.isoformat(),
        "id_number": world.member.id_number,
        "village": world.village.pk,
        "category": "full",
        "joined_on": "2000-07-01",
        "mobility": "resident",
        "point": other_point.pk,
    }
    assert client.post(f"/members/{world.member.pk}/edit/", data).status_code == 302
    world.member.refresh_from_db()
    assert world.member.point == other_point
    events = AuditEvent.objects.filter(
        model="members.member", object_pk=str(world.member.pk)
    ).order_by("pk")
    assert [e.data["point_id"] for e in events] == [world.point.pk, other_point.pk]
    assert events.last().actor == world.operator


def test_it_marks_a_member_left_and_never_deletes(world, login):
    client = login(world.operator)
    response = client.post(f"/members/{world.member.pk}/leave/", {"left_on": "", "left_reason": ""})
    assert response.status_code == 200 and "left_on" in response.context["form"].errors
    response = client.post(
        f"/members/{world.member.pk}/leave/",
        {"left_on": "2026-01-05", "left_reason": "组织关系转出"},
    )
    assert response.status_code == 302
    world.member.refresh_from_db()
    assert world.member.active is False
    assert Member.objects.filter(pk=world.member.pk).exists()
    listed = client.get("/members/").context["page_obj"].object_list
    assert world.member not in list(listed)
    assert world.member in list(client.get("/members/?status=left").context["page_obj"].object_list)


def test_it_pages_and_searches_the_roster_in_a_fixed_number_of_queries(
    world, login, django_assert_num_queries
):
    from tests.factories import member

    client = login(world.station)
    client.get("/members/")  # warm the session
    with django_assert_num_queries(7) as small:
        client.get("/members/")
    for i in range(40):
        member(world.village, f"测试{i}", world.point, birth=dt.date(1970, 1, 1 + i % 28))
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/members/?q=cs")
    assert response.context["page_obj"].paginator.count == 40
