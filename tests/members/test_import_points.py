"""Imported members get a viewing point (issue 10, part 4): the file's 收看播放点, else the
village's only point in use, else its default point; those still without one are a to-do for
the station, linking to the filtered member list. New members are on the roster from the day
the import is confirmed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dianjiao.compliance.todos import todos
from dianjiao.members.models import Member, RosterImport
from dianjiao.orgs import services as org_services
from dianjiao.orgs.models import ViewingPoint
from tests import factories
from tests.clock import local
from tests.members.sheets import person, upload_file, xlsx

IMPORT = reverse("members:import")


def imported(client, rows):
    response = client.post(IMPORT, {"file": upload_file(xlsx(rows))})
    assert response.status_code == 302, response.content.decode()
    batch = RosterImport.objects.latest("pk")
    page = client.get(reverse("members:import_preview", args=[batch.pk]))
    client.post(reverse("members:import_preview", args=[batch.pk]), {"action": "apply"})
    return page


@pytest.fixture
def second_point(world):
    return factories.point(world.village, "二组活动室")


def test_a_blank_point_goes_to_the_villages_only_point(world, login, clock):
    clock.at = local(2026, 11, 3, 10, 0)
    page = imported(login(world.station), [person("张顺", 收看播放点=None)])
    shun = Member.objects.get(name="张顺")
    assert shun.point == world.point
    assert shun.on_roster_since == dt.date(2026, 11, 3)
    assert shun.months_on_roster(2026) == [11, 12]
    assert "按本村唯一或默认播放点安排" in page.content.decode()


def test_the_files_point_comes_first(world, login, second_point):
    imported(login(world.station), [person("张顺", 收看播放点="二组活动室")])
    assert Member.objects.get(name="张顺").point == second_point


def test_with_several_points_a_blank_goes_to_the_default_point(world, login, second_point):
    org_services.point_save(user=world.station, point=second_point, is_default=True)
    imported(login(world.station), [person("张顺", 收看播放点=None)])
    assert Member.objects.get(name="张顺").point == second_point


def test_without_a_default_the_member_has_no_point_and_the_station_has_a_todo(
    world, login, second_point, clock
):
    assert not [t for t in todos(world.station, as_of=clock.at.date()) if "播放点" in t.text]
    imported(
        login(world.station),
        [
            person("张顺", 收看播放点=None),
            person("李顺", birth=dt.date(1981, 2, 3), 收看播放点=None),
        ],
    )
    assert Member.objects.get(name="张顺").point is None
    [todo] = [t for t in todos(world.station, as_of=clock.at.date()) if "播放点" in t.text]
    assert todo.text == "2名党员没有收看播放点"
    assert todo.village is None and not todo.overdue
    link = f"{reverse(todo.url_name)}?{todo.query}"
    listed = login(world.station).get(link)
    assert [m.name for m in listed.context["page_obj"]] == ["李顺", "张顺"]
    home = login(world.station).get(reverse("planning:dashboard"))
    assert "2名党员没有收看播放点" in home.content.decode()
    assert f'href="{link}"' in home.content.decode().replace("&amp;", "&")
    # The operator's list does not carry the station's to-do.
    assert not [t for t in todos(world.operator, as_of=clock.at.date()) if "播放点" in t.text]


def test_a_village_has_one_default_point_which_is_in_use(world, second_point):
    org_services.point_save(user=world.station, point=world.point, is_default=True)
    org_services.point_save(user=world.operator, point=second_point, is_default=True)
    assert list(
        ViewingPoint.objects.filter(village=world.village, is_default=True).values_list(
            "name", flat=True
        )
    ) == ["二组活动室"]
    with pytest.raises(ValidationError) as exc:
        org_services.point_save(
            user=world.station, point=world.point, is_default=True, active=False
        )
    assert "停用的播放点不能作为默认播放点" in str(exc.value.message_dict["is_default"])
    # Another village keeps its own default.
    org_services.point_save(user=world.station, point=world.pastoral_point, is_default=True)
    assert ViewingPoint.objects.get(pk=second_point.pk).is_default


def test_the_point_form_sets_the_default(world, login, second_point):
    client = login(world.operator)
    url = reverse("orgs:point_edit", args=[second_point.pk])
    page = client.get(url)
    assert 'name="is_default"' in page.content.decode()
    response = client.post(
        url, {"name": "二组活动室", "kind": "classroom", "active": "on", "is_default": "on"}
    )
    assert response.status_code == 302, response.content.decode()
    assert ViewingPoint.objects.get(pk=second_point.pk).is_default


def test_the_member_form_sets_and_keeps_the_first_day_on_the_roster(world, login, clock):
    clock.at = local(2026, 11, 3, 10, 0)
    client = login(world.operator)
    data = {
        "name": "王芳",
        "gender": "F",
        "ethnicity": "汉族",
        "birth_date": "1980-05-01",
        "id_number": factories.id_number(dt.date(1980, 5, 1), male=False),
        "village": world.village.pk,
        "category": "full",
        "joined_on": "2005-07-01",
        "mobility": "resident",
        "point": world.point.pk,
    }
    assert client.post("/members/new/", data).status_code == 302
    fang = Member.objects.get(name="王芳")
    assert fang.on_roster_since == dt.date(2026, 11, 3)  # blank on registering: today
    page = client.get(f"/members/{fang.pk}/").content.decode()
    assert "在册起始日期" in page and "2026年11月3日" in page
    edit = f"/members/{fang.pk}/edit/"
    assert client.post(edit, {**data, "phone": "13800000000"}).status_code == 302
    assert Member.objects.get(pk=fang.pk).on_roster_since == dt.date(2026, 11, 3)  # blank keeps
    assert client.post(edit, {**data, "on_roster_since": "2026-03-01"}).status_code == 302
    assert Member.objects.get(pk=fang.pk).months_on_roster(2026) == list(range(3, 13))
    response = client.post(edit, {**data, "on_roster_since": "2026-12-01"})
    assert response.context["form"].errors["on_roster_since"] == ["日期不能晚于今天"]
