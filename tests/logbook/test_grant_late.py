"""services.entry_grant_late: the station's permission to record a past day (补录)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.logbook import services
from dianjiao.logbook.models import LateEntryException, LogbookEntry

from .conftest import TODAY, YESTERDAY


def grant(world, **kw):
    kw.setdefault("village", world.village)
    kw.setdefault("day", YESTERDAY)
    kw.setdefault("granted_by", world.station)
    kw.setdefault("reason", "停电，昨晚无法填写")
    return services.entry_grant_late(**kw)


def test_it_records_the_grant_in_the_villages_book(world, clock):
    exception = grant(world)
    assert exception.township_id == world.township.pk
    entry = LogbookEntry.objects.get(village=world.village)
    assert entry.kind == LogbookEntry.Kind.OTHER
    assert entry.title == "批准补录2026年11月28日的记录"
    assert entry.body == {
        "day": "2026-11-28",
        "reason": "停电，昨晚无法填写",
        "exception_id": exception.pk,
    }
    assert (entry.source_model, entry.source_pk) == (
        "logbook.lateentryexception",
        str(exception.pk),
    )
    assert entry.author == world.station
    assert entry.late_exception is None  # the grant is today's act, not a late entry


@pytest.mark.parametrize(
    "persona", ["leader", "inspector", "county", "operator", "other_op", "outsider"]
)
def test_only_the_station_admin_of_the_township_grants(world, clock, persona):
    with pytest.raises(PermissionDenied):
        grant(world, granted_by=world.personas[persona])
    assert not LateEntryException.objects.exists()
    assert not LogbookEntry.objects.exists()


@pytest.mark.parametrize("day", [TODAY, TODAY + dt.timedelta(days=1)])
def test_the_day_must_be_in_the_past(world, clock, day):
    with pytest.raises(ValidationError) as exc:
        grant(world, day=day)
    assert "day" in exc.value.message_dict


def test_a_reason_is_required(world, clock):
    with pytest.raises(ValidationError) as exc:
        grant(world, reason=" ")
    assert "reason" in exc.value.message_dict
    assert not LateEntryException.objects.exists()


def test_a_day_is_granted_once(world, clock):
    grant(world)
    with pytest.raises(ValidationError) as exc:
        grant(world, reason="再次申请")
    assert exc.value.message_dict == {"day": ["2026年11月28日已批准过补录"]}
    assert LateEntryException.objects.count() == 1
    assert LogbookEntry.objects.count() == 1
