"""build_history: a year of sessions for the demo, made through the services only."""

import datetime as dt
import random

from django.utils import timezone

from dianjiao.demo.teaching import REAL_LATE_REASON, build_history
from dianjiao.logbook.models import LateEntryException, LogbookEntry
from dianjiao.logbook.verify import verify_all
from dianjiao.teaching import selectors
from dianjiao.teaching.models import MonthlyFeedback, ViewingSession
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
