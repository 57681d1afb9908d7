"""The demo's bulk writing (dianjiao.demo.bulk) stores what Django and the audit trail would: rows
written by `bulk.insert` read back as bulk_create's do, and the audit events written with them
hold the recorder's own snapshot and text of each row."""

import datetime as dt
import uuid

import pytest

from dianjiao.audit.models import AuditEvent
from dianjiao.audit.recorder import acting_as, snapshot
from dianjiao.demo import bulk, scale
from dianjiao.logbook.models import LogbookEntry
from dianjiao.members.models import Member
from dianjiao.teaching.models import Attendance, MonthlyFeedback, ViewingSession
from tests.test_demo import FAST_HASHER

SMALL = scale.Scale("small", counties=1, townships=1, villages=2, members=8, years=1)
MODELS = (Attendance, ViewingSession, Member, LogbookEntry, MonthlyFeedback)


def _instants(data: dict) -> dict:
    """A snapshot with its times as instants: the recorder writes an object's times in the zone
    they were given in (local when the demo made them, UTC when read back)."""
    out = {}
    for key, value in data.items():
        try:
            out[key] = dt.datetime.fromisoformat(value) if "T" in value else value
        except (TypeError, ValueError):
            out[key] = value
    return out


@pytest.mark.django_db
def test_the_audit_trail_of_a_bulk_build_holds_the_recorders_snapshots(settings, tmp_path, clock):  # noqa: ARG001
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    scale.build_scale(SMALL)
    for model in MODELS:
        label = model._meta.label_lower
        updated = set(
            AuditEvent.objects.filter(model=label, action="update").values_list(
                "object_pk", flat=True
            )
        )
        events = {e.object_pk: e for e in AuditEvent.objects.filter(model=label, action="create")}
        objs = [o for o in model.objects.all() if str(o.pk) not in updated]
        assert objs, label
        for obj in objs:
            event = events[str(obj.pk)]
            assert event.object_repr == str(obj)[:200]
            assert _instants(event.data) == _instants(snapshot(obj)), label
            assert event.actor_label == "demo"


@pytest.mark.django_db
def test_insert_stores_what_bulk_create_stores(settings, tmp_path, clock):  # noqa: ARG001
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.VAR_DIR = tmp_path
    scale.build_scale(scale.Scale("one", counties=1, townships=1, villages=1, members=6, years=1))
    session = ViewingSession.objects.filter(kind=ViewingSession.Kind.MONTHLY).first()
    entry = LogbookEntry.objects.get(pk=session.entry_id)
    fields = [f.attname for f in ViewingSession._meta.concrete_fields if f.attname != "id"]
    values = {f: getattr(session, f) for f in fields if f != "entry_id"}
    values["held_at"] = session.held_at + dt.timedelta(microseconds=123)
    by_django = ViewingSession(id=uuid.uuid4(), **values)
    ours = ViewingSession(id=uuid.uuid4(), **values)
    ViewingSession.objects.bulk_create([by_django])
    with acting_as(label="demo"):
        bulk.create(ViewingSession, [ours])
    a, b = ViewingSession.objects.get(pk=by_django.pk), ViewingSession.objects.get(pk=ours.pk)
    assert {f: getattr(a, f) for f in fields} == {f: getattr(b, f) for f in fields}
    assert not ours._state.adding
    # An auto key is read back; the audit event names it.
    rows = [
        Attendance(session=b, member=m, expected=False, status=Attendance.Status.PRESENT)
        for m in Member.objects.filter(village_id=b.village_id)[:3]
    ]
    with acting_as(label="demo"):
        bulk.create(Attendance, rows)
    assert all(r.pk for r in rows)
    for r in rows:
        stored = Attendance.objects.get(pk=r.pk)
        assert (stored.session_id, stored.member_id) == (b.pk, r.member_id)
        event = AuditEvent.objects.get(model="teaching.attendance", object_pk=str(r.pk))
        assert event.data == snapshot(stored) and event.object_repr == str(stored)
    assert entry.canonical  # written with the entry by the chain, not re-derived
