"""build_history: a year of sessions for the demo, made by the services' rules (in bulk) and through them."""

import datetime as dt
import random

from django.conf import settings
from django.utils import timezone, translation

from dianjiao.audit.models import AuditEvent
from dianjiao.demo.teaching import REAL_LATE_REASON, build_history
from dianjiao.logbook import chain
from dianjiao.logbook.models import LateEntryException, LogbookEntry
from dianjiao.logbook.verify import verify_all
from dianjiao.teaching import selectors, services
from dianjiao.teaching.models import Attendance, MonthlyFeedback, ViewingSession
from tests.clock import TODAY


def test_it_builds_a_year_with_gaps_make_ups_and_corrections(cast, clock):
    w = cast.world
    report = build_history(random.Random(2026), township=w.township, as_of=TODAY)

    sessions = ViewingSession.objects.filter(village__township=w.township)
    assert report.sessions == sessions.count() > 20
    assert sessions.filter(village=w.far_village).count() == 0  # another township: untouched
    months = {(s.held_at.year, s.held_at.month) for s in sessions.filter(village=w.village)}
    assert len(months) >= 11  # twelve months, less the skipped one at most
    assert sessions.filter(kind="key_film").exists() and sessions.filter(kind="pastoral").exists()
    assert report.makeups == sessions.filter(kind="makeup").count()

    # The skipped month is a gap everyone of that village has to answer for.
    name, year, month = report.skipped
    assert not sessions.filter(
        village__name=name, held_at__year=year, held_at__month=month
    ).exists()
    behind = {
        b.village.name: b.behind
        for b in selectors.behind_target(w.station, year=TODAY.year, as_of=TODAY)
    }
    if year == TODAY.year:
        assert behind[name], "the village that skipped a month has members behind"

    # Each past session was entered on its own day (the demo clock); one story is a real late
    # entry, admitted by the station's exception and shown as late.
    real = LateEntryException.objects.get()
    assert (report.exceptions, real.reason) == (1, REAL_LATE_REASON)
    assert (real.village, real.day) == (w.village, TODAY - dt.timedelta(days=1))
    late = [s for s in sessions.select_related("entry") if s.is_late]
    assert [timezone.localtime(s.held_at).date() for s in late] == [real.day]
    for s in sessions.select_related("entry").exclude(pk=late[0].pk):
        assert (
            timezone.localtime(s.entry.received_at).date() == timezone.localtime(s.held_at).date()
        )
    assert report.corrections == LogbookEntry.objects.filter(corrects__isnull=False).count() >= 1
    assert report.feedback == MonthlyFeedback.objects.count()
    assert verify_all().ok


def test_the_sessions_written_in_bulk_are_what_the_service_would_have_written(cast, clock):
    """The history writes its sessions in bulk (demo/sessions.py): each logbook entry says what
    `session_summary` says of the stored session, and every row has its audit event."""
    w = cast.world
    build_history(random.Random(7), township=w.township, as_of=TODAY)
    sessions = list(
        ViewingSession.objects.filter(village__township=w.township).select_related("entry")
    )
    assert len(sessions) > 20
    corrected = set(
        LogbookEntry.objects.filter(corrects__isnull=False).values_list("corrects", flat=True)
    )
    assert corrected  # a correction changed a session's rows since: its entry tells the original
    with translation.override(settings.LANGUAGE_CODE):
        for s in sessions:
            if s.entry_id in corrected:
                continue
            assert s.entry.body == chain.normalise_body(services.session_summary(s)), s
            assert s.entry.title == services._entry_title(s, list(s.films.all()))
            assert (s.entry.source_model, s.entry.source_pk) == (
                "teaching.viewingsession",
                str(s.pk),
            )
            assert s.township_id == w.township.pk
    pastoral = [s for s in sessions if s.kind == "pastoral"]
    assert pastoral and all(0 < s.teaching_minutes < s.duration_minutes for s in pastoral)
    rows = Attendance.objects.filter(session__village__township=w.township)
    audited = AuditEvent.objects.filter(model="teaching.attendance", action="create")
    assert set(audited.values_list("object_pk", flat=True)) >= {
        str(pk) for pk in rows.values_list("pk", flat=True)
    }
    assert AuditEvent.objects.filter(
        model="logbook.logbookentry", object_pk__in=[str(s.entry_id) for s in sessions]
    ).count() == len(sessions)
    assert verify_all().ok
