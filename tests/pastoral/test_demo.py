"""The demo township's campaigns (issue 13, part 7): last season's, finished, with the four
pastoral villages at two camps, its ledger summing the season's pastoral sessions; and an open one.

The year's history records a pastoral session at every mobile point in every migration month (a
second one at the camp in the months whose monthly showing is the key film), each with teaching
time (授课) before the film, so last season holds over R13's 30 hours of teaching plus viewing."""

import io

from django.core.management import call_command
from django.utils import timezone

from dianjiao.orgs.models import Village
from dianjiao.pastoral import selectors
from dianjiao.pastoral.models import Campaign
from dianjiao.teaching.models import ViewingSession
from tests.clock import TODAY, clock  # noqa: F401  (the demo is built on the stories' fixed day)

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_has_a_finished_season_over_30_hours_and_an_open_campaign(
    settings,
    tmp_path,
    clock,  # noqa: F811
    django_user_model,
):
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = FAST_HASHER
    call_command("demo", stdout=io.StringIO())
    station = django_user_model.objects.get(username="zhanzhang")
    last, current = Campaign.objects.order_by("starts_on")
    assert last.ends_on < TODAY <= current.ends_on
    assert last.points.count() == 2
    ledger = selectors.campaign_ledger(station, last)
    assert {r.obj.name for r in ledger.villages} == set(
        Village.objects.filter(is_pastoral=True).values_list("name", flat=True)
    )
    assert len(ledger.villages) == 4
    assert all(r.hours.sessions for r in ledger.points)
    # The ledger sums exactly the season's pastoral sessions at the camps' viewing points.
    points = [vp for camp in last.points.all() for vp in camp.viewing_points.all()]
    season = ViewingSession.objects.filter(
        kind="pastoral",
        point__in=points,
        held_at__date__gte=last.starts_on,
        held_at__date__lte=last.ends_on,
    )
    assert ledger.total.sessions == season.count() > 0
    assert ledger.total.duration == sum(s.duration_minutes for s in season)
    assert ledger.met == (ledger.total.duration >= last.target_hours * 60)
    # Over 30 hours of teaching plus viewing, with teaching in every session, at both camps and
    # from each of the four villages.
    assert last.target_hours == 30 and ledger.total.duration > 30 * 60 and ledger.met
    assert ledger.total.teaching > 0 and all(s.teaching_minutes > 0 for s in season)
    assert all(s.teaching_minutes < s.duration_minutes for s in season)
    assert all(r.hours.teaching and r.hours.duration > r.hours.teaching for r in ledger.villages)
    assert all(r.hours.duration for r in ledger.points)
    months = {timezone.localtime(s.held_at).month for s in season}
    assert months <= {5, 6, 7, 8, 9, 10} and len(months) == 6  # the whole migration season
    assert not selectors.campaign_ledger(station, current).total.sessions
