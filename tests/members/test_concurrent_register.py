"""Two people register the same ID number at the same moment: one is saved, the other is told
the number is already on the roster, next to the field, never a server error.

On SQLite the IMMEDIATE transaction makes the second wait and then find the first's row; on
PostgreSQL both pass the check and the unique index refuses the second insert, which
`member_create` turns into the same field message (tests/concurrency.py)."""

import datetime as dt
import time

import pytest
from django.core.exceptions import ValidationError

from dianjiao.accounts.models import Role
from dianjiao.audit.models import AuditEvent
from dianjiao.lib import idcard
from dianjiao.members import services
from dianjiao.members.models import Member
from tests import factories
from tests.concurrency import at_once, rerun_on_a_file_database

pytestmark = pytest.mark.django_db(transaction=True)
HOLD = 0.4  # seconds between each one's check and its save, so the two truly overlap
BIRTH = dt.date(1980, 5, 1)


@pytest.fixture
def slow_check(monkeypatch):
    original = services._validate_member

    def slow(member, **kwargs):
        original(member, **kwargs)
        time.sleep(HOLD)

    monkeypatch.setattr(services, "_validate_member", slow)


def _register(user, village):
    def go():
        return services.member_create(
            user=user,
            village=village,
            name="王芳",
            gender="F",
            birth_date=BIRTH,
            id_number=idcard.make("654323", BIRTH, 124),
            joined_on=dt.date(2005, 7, 1),
        ).pk

    return go


def test_two_registering_one_id_number_at_once_one_is_saved_one_is_told(
    world, tmp_path, slow_check
):
    if rerun_on_a_file_database(
        test_two_registering_one_id_number_at_once_one_is_saved_one_is_told, tmp_path
    ):
        return
    colleague = factories.user("station2", Role.STATION_ADMIN, township_obj=world.township)

    results = at_once(
        _register(world.operator, world.village), _register(colleague, world.pastoral)
    )

    refused = [r for r in results if isinstance(r, ValidationError)]
    saved = [r for r in results if isinstance(r, int)]
    assert (len(saved), len(refused)) == (1, 1), results
    assert refused[0].message_dict == {"id_number": ["该身份证号已登记在花名册中，不能重复登记"]}
    assert list(Member.objects.filter(name="王芳").values_list("pk", flat=True)) == saved
    assert AuditEvent.objects.filter(model="members.member", object_pk=str(saved[0])).count() == 1
