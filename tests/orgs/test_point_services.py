"""point_save: a village's viewing points are kept by its operator and the township's station;
read-only roles and outsiders change nothing; bad input is refused by field and nothing is saved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.audit.models import AuditEvent
from dianjiao.audit.recorder import acting_as
from dianjiao.orgs import services
from dianjiao.orgs.models import ViewingPoint

READ_ONLY_AND_OUTSIDERS = ["leader", "inspector", "county", "other_op", "outsider"]


def events(point):
    return AuditEvent.objects.filter(model="orgs.viewingpoint", object_pk=str(point.pk))


def test_it_opens_a_point_and_records_who_did(world):
    with acting_as(world.operator):  # what the middleware does for a page
        made = services.point_save(
            user=world.operator,
            village=world.village,
            name="二组活动室",
            address="红星村二组",
            operator_name="刘电教",
        )

    made.refresh_from_db()
    assert (made.village, made.township, made.kind, made.active) == (
        world.village,
        world.township,
        ViewingPoint.Kind.CLASSROOM,
        True,
    )
    event = events(made).get()
    assert (event.action, event.actor) == ("create", world.operator)


def test_the_station_changes_and_closes_a_point(world):
    with acting_as(world.station):
        services.point_save(
            user=world.station, point=world.point, name="村委会电教室（新）", active=False
        )

    world.point.refresh_from_db()
    assert (world.point.name, world.point.active) == ("村委会电教室（新）", False)
    last = events(world.point).latest("pk")
    assert (last.action, last.actor, last.data["active"]) == ("update", world.station, False)


@pytest.mark.parametrize("who", READ_ONLY_AND_OUTSIDERS)
def test_it_lets_no_read_only_role_or_outsider_open_a_point(world, who):
    trail = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.point_save(user=world.personas[who], village=world.village, name="二组活动室")
    assert not ViewingPoint.objects.filter(name="二组活动室").exists()
    assert AuditEvent.objects.count() == trail


@pytest.mark.parametrize("who", READ_ONLY_AND_OUTSIDERS)
def test_it_lets_no_read_only_role_or_outsider_change_a_point(world, who):
    trail = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.point_save(user=world.personas[who], point=world.point, active=False)
    world.point.refresh_from_db()
    assert world.point.active
    assert AuditEvent.objects.count() == trail


def test_an_operator_cannot_move_a_point_to_a_village_not_theirs(world):
    with pytest.raises(PermissionDenied):
        services.point_save(user=world.operator, point=world.point, village=world.pastoral)
    world.point.refresh_from_db()
    assert world.point.village == world.village


def test_a_pastoral_point_needs_its_seasonal_place(world):
    trail = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.point_save(
            user=world.other_op,
            village=world.pastoral,
            name="冬牧场点",
            kind=ViewingPoint.Kind.PASTORAL,
        )
    assert exc.value.message_dict == {
        "seasonal_place": ["牧业播放点须填写季节性驻地（如乌伦古河夏牧场）"]
    }
    assert not ViewingPoint.objects.filter(name="冬牧场点").exists()
    assert AuditEvent.objects.count() == trail

    with pytest.raises(ValidationError):  # nor can an existing one lose it
        services.point_save(user=world.station, point=world.pastoral_point, seasonal_place="")
    world.pastoral_point.refresh_from_db()
    assert world.pastoral_point.seasonal_place == "乌伦古河夏牧场"


def test_it_refuses_a_second_point_of_the_same_name_in_a_village(world):
    with pytest.raises(ValidationError) as exc:
        services.point_save(user=world.operator, village=world.village, name="村委会电教室")
    assert "已经存在" in exc.value.messages[0]  # the unique constraint, in the page's language
    assert ViewingPoint.objects.filter(village=world.village).count() == 1

    # Another village may have a point of that name.
    services.point_save(user=world.other_op, village=world.pastoral, name="村委会电教室")


def test_it_refuses_a_blank_name_by_the_field(world):
    with pytest.raises(ValidationError) as exc:
        services.point_save(user=world.operator, point=world.point, name="")
    assert set(exc.value.message_dict) == {"name"}
    world.point.refresh_from_db()
    assert world.point.name == "村委会电教室"


def test_it_takes_only_point_fields_and_a_new_point_needs_its_village(world):
    with pytest.raises(TypeError):
        services.point_save(user=world.station, point=world.point, township=world.other_township)
    with pytest.raises(TypeError):
        services.point_save(user=world.station, name="无村的点")


def test_a_point_stays_in_its_village(world):
    """Its members, equipment and sessions belong to its village: the station, who may write
    both villages, is told to make a new point there instead."""
    trail = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.point_save(user=world.station, point=world.point, village=world.pastoral)
    assert "播放点不能改到其他村" in exc.value.message_dict["village"][0]
    world.point.refresh_from_db()
    assert world.point.village == world.village
    assert AuditEvent.objects.count() == trail


def test_the_edit_form_shows_the_village_without_letting_it_change(world, login):
    from django.urls import reverse

    client = login(world.station)
    url = reverse("orgs:point_edit", args=[world.point.pk])
    import re

    page = client.get(url).content.decode()
    assert re.search(r'<select name="village"[^>]*\bdisabled\b', page)
    # a forged village in the POST is ignored: the point stays where it is
    client.post(url, {"village": world.pastoral.pk, "name": "村委会电教室", "kind": "fixed"})
    world.point.refresh_from_db()
    assert world.point.village == world.village
