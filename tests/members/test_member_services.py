"""member_create / member_update / member_leave: a village's roster is kept by its operator and
the township's station; read-only roles and outsiders change nothing; a bad entry is refused with
a Chinese message keyed by its field, and nothing is saved."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.audit.models import AuditEvent
from dianjiao.audit.recorder import acting_as
from dianjiao.lib import idcard
from dianjiao.lib.dates import today
from dianjiao.members import services
from dianjiao.members.models import Member
from tests.factories import point

BIRTH = dt.date(1980, 5, 1)
ID_NUMBER = idcard.make("654323", BIRTH, 106)  # ends in X: stored upper-case
BAD_CHECK_DIGIT = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")


def new_member(world, user, **changes):
    data = {
        "village": world.village,
        "name": "王芳",
        "gender": "F",
        "birth_date": BIRTH,
        "id_number": ID_NUMBER,
        "joined_on": dt.date(2005, 7, 1),
        "point": world.point,
    }
    return services.member_create(user=user, **(data | changes))


def events(member):
    return AuditEvent.objects.filter(model="members.member", object_pk=str(member.pk))


# --- member_create ---------------------------------------------------------------------------


def test_it_registers_a_member_and_records_who_did(world):
    with acting_as(world.operator):  # what the middleware does for a page
        made = new_member(world, world.operator, id_number=f" {ID_NUMBER.lower()} ")

    made.refresh_from_db()
    assert (made.name, made.village, made.point, made.township) == (
        "王芳",
        world.village,
        world.point,
        world.township,
    )
    assert made.active and made.name_initials == "wf"
    assert made.id_number == ID_NUMBER  # stored as normalised, so it is found and compared as one
    event = events(made).get()
    assert (event.action, event.actor) == ("create", world.operator)


def test_the_station_registers_in_any_village_of_its_township(world):
    made = new_member(world, world.station, village=world.pastoral, point=world.pastoral_point)
    assert made.village == world.pastoral


@pytest.mark.parametrize("who", ["leader", "inspector", "county", "other_op", "outsider"])
def test_it_refuses_read_only_roles_and_outsiders(world, who):
    trail = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        new_member(world, world.personas[who])
    assert not Member.objects.filter(name="王芳").exists()
    assert AuditEvent.objects.count() == trail


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"id_number": BAD_CHECK_DIGIT}, "id_number", "身份证号校验位不正确，请核对"),
        ({"birth_date": dt.date(1980, 5, 2)}, "birth_date", "出生日期与身份证号不一致"),
        ({"gender": "M"}, "gender", "性别与身份证号不一致"),
        ({"joined_on": today() + dt.timedelta(days=1)}, "joined_on", "日期不能晚于今天"),
        ({"joined_on": dt.date(1997, 5, 1)}, "joined_on", "入党时应年满18周岁"),
        ({"name": ""}, "name", ""),
    ],
)
def test_it_refuses_bad_input_with_a_message_by_the_field(world, changes, field, message):
    trail = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        new_member(world, world.operator, **changes)
    assert message in exc.value.message_dict[field][0]
    assert Member.objects.count() == 3  # the world's three, nobody new
    assert AuditEvent.objects.count() == trail


def test_it_refuses_an_id_number_registered_anywhere_without_saying_where(world):
    taken = world.far_member.id_number  # another township's member, invisible to this operator
    with pytest.raises(ValidationError) as exc:
        new_member(
            world,
            world.operator,
            id_number=taken,
            birth_date=world.far_member.birth_date,
            gender=world.far_member.gender,
        )
    assert exc.value.message_dict == {"id_number": ["该身份证号已登记在花名册中，不能重复登记"]}


def test_it_refuses_a_point_of_another_village_and_a_point_not_in_use(world):
    with pytest.raises(ValidationError) as exc:
        new_member(world, world.operator, point=world.pastoral_point)
    assert "不属于红星村" in exc.value.message_dict["point"][0]

    closed = point(world.village, "旧活动室", active=False)
    with pytest.raises(ValidationError) as exc:
        new_member(world, world.operator, point=closed)
    assert exc.value.message_dict == {"point": ["播放点“旧活动室”已停用，请选择在用的播放点"]}
    assert not Member.objects.filter(name="王芳").exists()


# --- member_update ---------------------------------------------------------------------------


def test_it_changes_a_member_and_keeps_the_old_values_in_the_trail(world):
    with acting_as(world.operator):
        services.member_update(
            user=world.operator, member=world.member, phone="13800001111", point=None
        )

    world.member.refresh_from_db()
    assert (world.member.phone, world.member.point) == ("13800001111", None)
    before, after = events(world.member).order_by("pk")
    assert before.data["point_id"] == world.point.pk and after.data["point_id"] is None
    assert (after.action, after.actor) == ("update", world.operator)


def test_it_keeps_a_members_point_that_has_since_closed(world):
    world.point.active = False
    world.point.save()
    changed = services.member_update(user=world.operator, member=world.member, phone="13800001111")
    assert changed.point == world.point and changed.phone == "13800001111"


def test_the_station_moves_a_member_to_another_village_of_its_township(world):
    services.member_update(
        user=world.station, member=world.member, village=world.pastoral, point=world.pastoral_point
    )
    world.member.refresh_from_db()
    assert world.member.village == world.pastoral


@pytest.mark.parametrize("who", ["leader", "inspector", "county", "other_op", "outsider"])
def test_it_lets_no_read_only_role_or_outsider_change_a_member(world, who):
    with pytest.raises(PermissionDenied):
        services.member_update(user=world.personas[who], member=world.member, phone="1")
    world.member.refresh_from_db()
    assert world.member.phone == ""
    assert events(world.member).count() == 1  # the registration only


def test_an_operator_cannot_move_a_member_to_a_village_not_theirs(world):
    with pytest.raises(PermissionDenied):
        services.member_update(
            user=world.operator,
            member=world.member,
            village=world.pastoral,
            point=world.pastoral_point,
        )
    world.member.refresh_from_db()
    assert world.member.village == world.village


def test_it_refuses_a_bad_change_and_saves_nothing(world):
    with pytest.raises(ValidationError) as exc:
        services.member_update(
            user=world.operator,
            member=world.member,
            phone="13800001111",
            birth_date=today() + dt.timedelta(days=1),
        )
    assert "birth_date" in exc.value.message_dict
    world.member.refresh_from_db()
    assert world.member.phone == ""
    assert events(world.member).count() == 1


def test_it_refuses_an_id_number_another_member_has(world):
    with pytest.raises(ValidationError) as exc:
        services.member_update(
            user=world.station,
            member=world.member,
            id_number=world.pastoral_member.id_number,
            birth_date=world.pastoral_member.birth_date,
        )
    assert exc.value.message_dict == {"id_number": ["该身份证号已登记在花名册中，不能重复登记"]}


def test_it_takes_only_member_fields(world):
    with pytest.raises(TypeError):
        services.member_update(user=world.station, member=world.member, active=False)


# --- member_leave ----------------------------------------------------------------------------


def test_a_member_leaves_the_roster_and_stays_on_record(world):
    day = today() - dt.timedelta(days=3)
    with acting_as(world.operator):
        left = services.member_leave(
            user=world.operator, member=world.member, left_on=day, left_reason=" 组织关系转出 "
        )

    world.member.refresh_from_db()
    assert (world.member.active, world.member.left_on, world.member.left_reason) == (
        False,
        day,
        "组织关系转出",
    )
    assert left.pk == world.member.pk and Member.objects.filter(pk=left.pk).exists()
    last = events(world.member).latest("pk")
    assert (last.action, last.actor, last.data["active"]) == ("update", world.operator, False)


@pytest.mark.parametrize("who", ["leader", "inspector", "county", "other_op", "outsider"])
def test_it_lets_no_read_only_role_or_outsider_take_a_member_off(world, who):
    with pytest.raises(PermissionDenied):
        services.member_leave(
            user=world.personas[who], member=world.member, left_on=today(), left_reason="迁出"
        )
    world.member.refresh_from_db()
    assert world.member.active and world.member.left_on is None


@pytest.mark.parametrize(
    "left_on, reason, field, message",
    [
        (None, "迁出", "left_on", "离册的党员须填写离册日期"),
        (today() + dt.timedelta(days=1), "迁出", "left_on", "日期不能晚于今天"),
        (today(), "  ", "left_reason", "请填写离册原因"),
    ],
)
def test_it_refuses_a_leave_without_date_or_reason(world, left_on, reason, field, message):
    with pytest.raises(ValidationError) as exc:
        services.member_leave(
            user=world.operator, member=world.member, left_on=left_on, left_reason=reason
        )
    assert exc.value.message_dict[field] == [message]
    world.member.refresh_from_db()
    assert world.member.active and world.member.left_reason == ""
    assert events(world.member).count() == 1


def test_a_member_leaves_only_once(world):
    services.member_leave(
        user=world.operator, member=world.member, left_on=today(), left_reason="迁出"
    )
    with pytest.raises(ValidationError) as exc:
        services.member_leave(
            user=world.operator, member=world.member, left_on=today(), left_reason="又迁出"
        )
    assert exc.value.messages == ["该党员已离册，不能再次办理离册"]
    world.member.refresh_from_db()
    assert world.member.left_reason == "迁出"


def test_the_leave_page_shows_the_services_refusal_next_to_the_date(world, login):
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    response = login(world.operator).post(
        f"/members/{world.member.pk}/leave/", {"left_on": tomorrow, "left_reason": "迁出"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["left_on"] == ["日期不能晚于今天"]
    world.member.refresh_from_db()
    assert world.member.active
