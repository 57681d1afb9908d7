"""on_roster_since for members registered before it existed (the data migration), and the rule
that a member cannot leave before coming onto the roster."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from dianjiao.members import services
from dianjiao.members.models import Member
from dianjiao.teaching.models import Attendance, ViewingSession
from tests import factories
from tests.clock import local

migration = importlib.import_module("dianjiao.members.migrations.0004_member_on_roster_since")


def test_the_migration_takes_the_registration_day_or_an_earlier_session(world):
    w = world
    late = factories.member(w.village, "李梅", w.point, male=False, birth=dt.date(1982, 5, 1))
    gone = factories.member(w.village, "王五", w.point, birth=dt.date(1968, 9, 9))
    Member.objects.filter(pk=gone.pk).update(active=False, left_on=dt.date(2026, 2, 1))
    # Registered on 3 November 2026 at 7:00, still 2 November in UTC: the local day counts.
    Member.objects.update(created_at=local(2026, 11, 3, 7, 0))
    session = ViewingSession.objects.create(
        village=w.village,
        point=w.point,
        held_at=local(2026, 10, 12, 20, 0),
        duration_minutes=60,
        operator=w.operator,
        received_at=local(2026, 11, 5, 9, 0),
    )
    Attendance.objects.create(session=session, member=w.member, status="present")

    migration.fill(apps, None)

    days = dict(Member.objects.values_list("name", "on_roster_since"))
    assert days["张三"] == dt.date(2026, 10, 12)  # seen at a session before registering
    assert days["李梅"] == dt.date(2026, 11, 3)
    assert days["王五"] == dt.date(2026, 2, 1)  # never after leaving
    assert late.pk and Member.objects.get(pk=late.pk).months_on_roster(2026) == [11, 12]


def test_a_member_cannot_leave_before_coming_onto_the_roster(world, clock):
    Member.objects.filter(pk=world.member.pk).update(on_roster_since=dt.date(2026, 11, 3))
    with pytest.raises(ValidationError) as exc:
        services.member_leave(
            user=world.station,
            member=world.member,
            left_on=dt.date(2026, 10, 1),
            left_reason="转出",
        )
    assert exc.value.message_dict["left_on"] == ["离册日期不能早于在册起始日期"]
