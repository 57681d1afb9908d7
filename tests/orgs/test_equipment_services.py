"""equipment_save: a point's equipment is kept by its village's operator and the township's
station; read-only roles and outsiders change nothing; bad input is refused by field."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.audit.models import AuditEvent
from dianjiao.audit.recorder import acting_as
from dianjiao.lib.dates import today
from dianjiao.orgs import services
from dianjiao.orgs.models import Equipment

READ_ONLY_AND_OUTSIDERS = ["leader", "inspector", "county", "other_op", "outsider"]


def events(item):
    return AuditEvent.objects.filter(model="orgs.equipment", object_pk=str(item.pk))


def test_it_registers_equipment_at_a_point_and_records_who_did(world):
    with acting_as(world.operator):  # what the middleware does for a page
        made = services.equipment_save(
            user=world.operator,
            point=world.point,
            kind=Equipment.Kind.PROJECTOR,
            model_name="爱普生 CB-X06",
            acquired_on=today() - dt.timedelta(days=30),
        )

    made.refresh_from_db()
    assert (made.point, made.village, made.township) == (world.point, world.village, world.township)
    assert made.condition == Equipment.Condition.GOOD
    event = events(made).get()
    assert (event.action, event.actor) == ("create", world.operator)


def test_the_station_records_a_fault_with_its_notes(world):
    with acting_as(world.station):
        services.equipment_save(
            user=world.station,
            equipment=world.tv,
            condition=Equipment.Condition.FAULTY,
            repair_notes="无信号",
        )

    world.tv.refresh_from_db()
    assert (world.tv.condition, world.tv.repair_notes) == ("faulty", "无信号")
    last = events(world.tv).latest("pk")
    assert (last.action, last.actor, last.data["condition"]) == ("update", world.station, "faulty")


@pytest.mark.parametrize("who", READ_ONLY_AND_OUTSIDERS)
def test_it_lets_no_read_only_role_or_outsider_register_equipment(world, who):
    trail = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.equipment_save(user=world.personas[who], point=world.point, kind="tv")
    assert Equipment.objects.filter(point=world.point).count() == 1
    assert AuditEvent.objects.count() == trail


@pytest.mark.parametrize("who", READ_ONLY_AND_OUTSIDERS)
def test_it_lets_no_read_only_role_or_outsider_change_equipment(world, who):
    trail = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.equipment_save(user=world.personas[who], equipment=world.tv, condition="retired")
    world.tv.refresh_from_db()
    assert world.tv.condition == "good"
    assert AuditEvent.objects.count() == trail


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"condition": "faulty"}, "repair_notes", "设备故障或维修中时，请写明故障情况或维修记录"),
        (
            {"condition": "repairing"},
            "repair_notes",
            "设备故障或维修中时，请写明故障情况或维修记录",
        ),
        (
            {"last_checked_on": today() + dt.timedelta(days=3)},
            "last_checked_on",
            "日期不能晚于今天",
        ),
        ({"acquired_on": today() + dt.timedelta(days=1)}, "acquired_on", "日期不能晚于今天"),
    ],
)
def test_it_refuses_bad_input_by_the_field_and_changes_nothing(world, changes, field, message):
    trail = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.equipment_save(user=world.operator, equipment=world.tv, **changes)
    assert exc.value.message_dict == {field: [message]}
    with pytest.raises(ValidationError):
        services.equipment_save(user=world.operator, point=world.point, kind="player", **changes)
    world.tv.refresh_from_db()
    assert (world.tv.condition, world.tv.last_checked_on, world.tv.acquired_on) == (
        "good",
        None,
        None,
    )
    assert Equipment.objects.filter(point=world.point).count() == 1
    assert AuditEvent.objects.count() == trail


def test_it_takes_either_a_point_or_the_equipment_and_only_equipment_fields(world):
    with pytest.raises(TypeError):
        services.equipment_save(user=world.station, kind="tv")
    with pytest.raises(TypeError):
        services.equipment_save(user=world.station, equipment=world.tv, point=world.far_point)
    with pytest.raises(TypeError):
        services.equipment_save(user=world.station, equipment=world.tv, village=world.pastoral)
