"""One scoping mechanism: what each persona sees of each model, and no cross-village writes."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from dianjiao.accounts.scope import get_for_user, is_operator, may_inspect
from dianjiao.members.models import Member
from dianjiao.orgs.models import County, Equipment, Township, ViewingPoint, Village


def names(qs):
    return sorted(str(o) for o in qs)


def test_it_limits_a_village_operator_to_their_village(world):
    op = world.operator
    assert names(Village.objects.visible_to(op)) == ["红星村"]
    assert names(Member.objects.visible_to(op)) == ["张三"]
    assert list(ViewingPoint.objects.visible_to(op)) == [world.point]
    assert list(Equipment.objects.visible_to(op)) == [world.tv]
    assert names(Township.objects.visible_to(op)) == ["乌伦古乡"]


def test_it_gives_the_station_its_whole_township_and_nothing_more(world):
    assert names(Village.objects.visible_to(world.station)) == ["红星村", "阿克达拉村"]
    assert "李四" not in names(Member.objects.visible_to(world.station))
    assert names(Village.objects.visible_to(world.outsider)) == ["喀拉吉拉村"]


def test_it_lets_the_county_read_every_township(world):
    assert len(Village.objects.visible_to(world.county_viewer)) == 3
    assert names(County.objects.visible_to(world.county_viewer)) == ["福海县"]
    assert not Village.objects.writable_by(world.county_viewer).exists()


def test_it_shows_nothing_to_anonymous_or_unscoped_users(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not Member.objects.visible_to(AnonymousUser()).exists()
    world.operator.is_active = False
    assert not Member.objects.visible_to(world.operator).exists()


def test_it_answers_404_outside_and_403_to_read_only_roles(world):
    rf = RequestFactory()
    request = rf.get("/")
    request.user = world.other_op
    with pytest.raises(Http404):
        get_for_user(request, Member, world.member.pk)
    request.user = world.leader
    assert get_for_user(request, Member, world.member.pk) == world.member
    with pytest.raises(PermissionDenied):
        get_for_user(request, Member, world.member.pk, write=True)


def test_it_refuses_an_operator_editing_another_villages_member(world, login):
    client = login(world.operator)
    response = client.post(f"/members/{world.pastoral_member.pk}/edit/", {"name": "改名"})
    assert response.status_code == 404
    world.pastoral_member.refresh_from_db()
    assert world.pastoral_member.name == "努尔兰·叶尔肯"


def test_it_refuses_an_operator_registering_a_member_in_another_village(world, login):
    client = login(world.operator)
    data = {
        "name": "王五",
        "gender": "M",
        "ethnicity": "汉族",
        "birth_date": "1975-03-08",
        "id_number": "654323197503080019",
        "village": world.pastoral.pk,
        "category": "full",
        "joined_on": "2000-07-01",
        "mobility": "resident",
    }
    response = client.post("/members/new/", data)
    assert response.status_code == 200
    assert "village" in response.context["form"].errors
    assert not Member.objects.filter(name="王五").exists()


def test_it_refuses_an_operator_adding_equipment_to_another_villages_point(world, login):
    response = login(world.operator).post(
        f"/points/{world.pastoral_point.pk}/equipment/new/", {"kind": "tv", "condition": "good"}
    )
    assert response.status_code == 404
    assert not Equipment.objects.filter(point=world.pastoral_point).exists()


def test_it_refuses_writes_from_read_only_roles(world, login):
    for persona in (world.leader, world.inspector, world.county_viewer):
        response = login(persona).post(
            f"/equipment/{world.tv.pk}/edit/",
            {"kind": "tv", "condition": "faulty", "repair_notes": "x"},
        )
        assert response.status_code == 403
    world.tv.refresh_from_db()
    assert world.tv.condition == "good"


def test_it_names_who_inspects_and_who_is_a_villages_operator(world, django_user_model):
    w = world
    root = django_user_model.objects.create_superuser("root", password="x")
    assert may_inspect(w.inspector, w.township) and may_inspect(w.station, w.township.pk)
    assert not may_inspect(w.inspector, w.other_township)
    assert not may_inspect(w.outsider, w.township)
    assert not any(may_inspect(u) for u in (w.leader, w.county_viewer, w.operator, w.other_op))
    assert may_inspect(root, w.other_township)
    assert is_operator(w.operator, w.village) and is_operator(w.operator, w.village.pk)
    assert not is_operator(w.operator, w.pastoral)
    # The station writes for its villages but is none of their operators.
    assert not any(is_operator(u, w.village) for u in (w.station, w.leader, w.other_op))
    assert is_operator(root, w.village)
    w.operator.is_active = False
    assert not is_operator(w.operator, w.village)
