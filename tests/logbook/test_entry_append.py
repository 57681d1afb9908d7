"""services.entry_append: the rules of R10, one story each."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.logbook import chain, services
from dianjiao.logbook.models import LogbookEntry

from .conftest import NOW, YESTERDAY, append, local


def test_it_appends_todays_entry_at_the_head_of_the_villages_chain(world, clock):
    first = append(world, title="检修电视机", kind=LogbookEntry.Kind.EQUIPMENT)
    clock.tick(minutes=30)
    second = append(world, title="组织收看《榜样》", kind=LogbookEntry.Kind.SESSION)

    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == chain.GENESIS
    assert second.prev_hash == first.hash
    assert first.township_id == world.township.pk
    assert first.author_label == "刘电教"
    assert first.received_at == NOW
    stored = LogbookEntry.objects.values().get(pk=second.pk)
    assert chain.entry_hash(stored) == second.hash


def test_it_numbers_each_village_on_its_own(world, clock):
    append(world)
    other = append(world, village=world.pastoral, author=world.other_op)
    assert other.seq == 1
    assert other.prev_hash == chain.GENESIS


def test_it_refuses_yesterdays_entry_without_an_exception(world, clock):
    with pytest.raises(ValidationError) as exc:
        append(world, occurred_at=local(2026, 11, 28, 20, 0))
    assert exc.value.message_dict == {
        "occurred_at": ["《电教手册》须当天填写：2026年11月28日的记录需要乡电教站管理员先批准补录"],
    }
    assert not LogbookEntry.objects.exists()


def test_it_judges_the_day_in_the_configured_zone(world, clock):
    # 00:30 in Shanghai is still the previous day in UTC: it is today's entry all the same.
    clock.at = local(2026, 11, 29, 0, 40)
    entry = append(world, occurred_at=local(2026, 11, 29, 0, 30))
    assert entry.late_exception is None
    with pytest.raises(ValidationError):
        append(world, occurred_at=local(2026, 11, 28, 23, 59))


def test_it_admits_a_late_entry_once_the_station_allowed_it(world, clock):
    exception = services.entry_grant_late(
        village=world.village, day=YESTERDAY, granted_by=world.station, reason="停电，昨晚无法上传"
    )
    entry = append(world, occurred_at=local(2026, 11, 28, 20, 0), title="组织收看（补录）")
    assert entry.late_exception == exception
    assert entry.is_late


def test_an_exception_for_one_village_does_not_open_another(world, clock):
    services.entry_grant_late(
        village=world.pastoral, day=YESTERDAY, granted_by=world.station, reason="转场"
    )
    with pytest.raises(ValidationError):
        append(world, occurred_at=local(2026, 11, 28, 20, 0))


def test_it_refuses_an_entry_in_the_future(world, clock):
    with pytest.raises(ValidationError) as exc:
        append(world, occurred_at=NOW + dt.timedelta(minutes=6))
    assert "occurred_at" in exc.value.message_dict
    assert not LogbookEntry.objects.exists()


def test_it_forgives_a_phone_clock_a_few_minutes_fast(world, clock):
    assert append(world, occurred_at=NOW + dt.timedelta(minutes=4)).seq == 1


def test_it_refuses_a_naive_time(world, clock):
    with pytest.raises(ValidationError) as exc:
        append(world, occurred_at=dt.datetime(2026, 11, 29, 9, 0))
    assert "occurred_at" in exc.value.message_dict


def test_it_refuses_an_empty_title_and_an_unknown_kind(world, clock):
    with pytest.raises(ValidationError) as exc:
        append(world, title="  ", kind="party")
    assert set(exc.value.message_dict) == {"title", "kind"}


def test_it_refuses_a_body_that_would_not_survive_the_database(world, clock):
    with pytest.raises(ValidationError) as exc:
        append(world, body={"n": float("nan")})
    assert "body" in exc.value.message_dict
    with pytest.raises(ValidationError):
        append(world, body=["not", "a", "dict"])


def test_it_stores_the_body_canonically(world, clock):
    entry = append(world, body={"b": 1.0, "a": dt.date(2026, 11, 29), "c": [0.5]})
    assert entry.body == {"a": "2026-11-29", "b": 1, "c": [0.5]}
    entry.refresh_from_db()
    assert chain.entry_hash(LogbookEntry.objects.values().get(pk=entry.pk)) == entry.hash


def test_a_correction_needs_a_reason(world, clock):
    original = append(world)
    with pytest.raises(ValidationError) as exc:
        append(world, corrects=original, title="更正：电视机故障")
    assert "reason" in exc.value.message_dict
    assert LogbookEntry.objects.count() == 1


def test_a_correction_stays_in_its_village(world, clock):
    original = append(world, village=world.pastoral, author=world.other_op)
    with pytest.raises(ValidationError) as exc:
        append(world, author=world.station, corrects=original, reason="写错了村")
    assert "corrects" in exc.value.message_dict


def test_an_old_entry_is_corrected_today(world, clock):
    clock.at = local(2026, 10, 15, 9, 0)
    original = append(world, title="收看人数 12 人")
    clock.at = NOW
    correction = append(world, corrects=original, title="收看人数 21 人", reason="数字颠倒")
    assert correction.corrects == original
    assert correction.seq == 2
    assert correction.late_exception is None
    assert list(original.corrections.all()) == [correction]


def test_a_backdated_correction_needs_an_exception_like_any_entry(world, clock):
    original = append(world)
    with pytest.raises(ValidationError) as exc:
        append(world, corrects=original, reason="补充", occurred_at=local(2026, 11, 28, 9, 0))
    assert "occurred_at" in exc.value.message_dict


def test_a_replay_with_the_same_content_returns_the_stored_entry(world, clock):
    client_id = uuid.uuid4()
    captured = NOW - dt.timedelta(hours=1)
    first = append(world, client_id=client_id, captured_at=captured, body={"text": "收看", "n": 12})
    clock.tick(minutes=10)
    again = append(
        world,
        client_id=client_id,
        captured_at=captured,
        body={"n": 12.0, "text": "收看"},
        occurred_at=first.occurred_at,
    )
    assert again.pk == first.pk == client_id
    assert again.received_at == first.received_at
    assert LogbookEntry.objects.count() == 1


def test_a_replay_arriving_the_next_day_is_still_recognised(world, clock):
    client_id = uuid.uuid4()
    first = append(world, client_id=client_id)
    clock.tick(days=1)
    assert append(world, client_id=client_id, occurred_at=first.occurred_at).pk == client_id
    assert LogbookEntry.objects.count() == 1


def test_a_replay_with_different_content_is_a_conflict(world, clock):
    client_id = uuid.uuid4()
    first = append(world, client_id=client_id, title="收看 12 人")
    with pytest.raises(services.ConflictError) as exc:
        append(world, client_id=client_id, title="收看 21 人", occurred_at=first.occurred_at)
    assert exc.value.entry == first
    assert LogbookEntry.objects.count() == 1


def test_a_replay_into_another_village_is_a_conflict(world, clock):
    client_id = uuid.uuid4()
    first = append(world, client_id=client_id, author=world.station)
    with pytest.raises(services.ConflictError):
        append(
            world,
            client_id=client_id,
            author=world.station,
            village=world.pastoral,
            occurred_at=first.occurred_at,
        )


@pytest.mark.parametrize("persona", ["other_op", "outsider", "leader", "inspector", "county"])
def test_it_refuses_an_author_who_cannot_write_in_the_village(world, clock, persona):
    with pytest.raises(PermissionDenied):
        append(world, author=world.personas[persona])
    assert not LogbookEntry.objects.exists()


def test_the_station_admin_writes_in_every_village_of_the_township(world, clock):
    assert append(world, village=world.pastoral, author=world.station).seq == 1
    with pytest.raises(PermissionDenied):
        append(world, village=world.far_village, author=world.station)


def test_an_inactive_operator_cannot_write(world, clock):
    world.operator.is_active = False
    world.operator.save()
    with pytest.raises(PermissionDenied):
        append(world)


def test_it_remembers_what_the_entry_is_about(world, clock):
    entry = append(world, source=world.point)
    assert (entry.source_model, entry.source_pk) == ("orgs.viewingpoint", str(world.point.pk))
    entry = append(world, source=("teaching.viewingsession", "a1b2"))
    assert (entry.source_model, entry.source_pk) == ("teaching.viewingsession", "a1b2")
