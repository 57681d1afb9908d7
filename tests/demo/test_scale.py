"""Demo data at scale (`dianjiao demo --scale`): a tiny scale built in seconds has the counts it
was asked for, years of sessions, and a logbook that `verify-logbook` passes. One build, checked
part by part (a build per test would cost the suite a build each)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Min

from dianjiao.accounts.models import Role, User
from dianjiao.demo import scale
from dianjiao.lib import idcard
from dianjiao.logbook.models import LogbookEntry
from dianjiao.members.models import Member
from dianjiao.orgs.models import County, Township, Village
from dianjiao.teaching.models import Attendance, ViewingSession
from tests.clock import TODAY
from tests.test_demo import FAST_HASHER

# Small enough to build in seconds; two counties, so that their viewers' names are numbered.
TINY = scale.Scale("tiny", counties=2, townships=1, villages=2, members=8, years=2, detailed=False)


@pytest.mark.django_db
def test_a_tiny_scale_is_built_whole_and_its_logbook_verifies(settings, tmp_path, clock):  # noqa: ARG001
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.VAR_DIR = tmp_path
    lines = []
    report = scale.build_scale(TINY, progress=lines.append)

    _it_has_the_counts_asked_for(report, lines)
    _it_holds_years_of_sessions_with_attendance(report)
    _its_logbook_verifies()
    _its_logins_share_one_password(report)
    with pytest.raises(CommandError):  # a database that has townships is left alone
        call_command("demo", "--scale", "county", stdout=io.StringIO())


def _it_has_the_counts_asked_for(report, lines):
    assert County.objects.count() == report.counties == 2
    assert Township.objects.count() == report.townships == 2
    assert Village.objects.count() == report.villages == 4
    for township in Township.objects.all():
        assert township.villages.count() == 2
    members = list(Member.objects.all())
    assert len(members) == report.members
    assert 5 * 4 <= len(members) <= 12 * 4  # about 8 a village, at least 5
    assert len({m.id_number for m in members}) == len(members)
    assert all(idcard.parse(m.id_number) == (m.birth_date, m.gender) for m in members)
    assert len(lines) >= 4  # a line per township as it starts and as it ends


def _it_holds_years_of_sessions_with_attendance(report):
    assert ViewingSession.objects.count() == report.sessions > 0
    first = ViewingSession.objects.aggregate(first=Min("held_at"))["first"].date()
    assert (TODAY - first).days > 330  # two years: the first sessions are over a year old
    assert Attendance.objects.count() > report.sessions * 3
    for village in Village.objects.all():
        assert ViewingSession.objects.filter(village=village).exists()
        assert LogbookEntry.objects.filter(village=village).exists()


def _its_logbook_verifies():
    out = io.StringIO()
    call_command("verify-logbook", stdout=out)
    villages = Village.objects.count()
    assert out.getvalue().startswith(f"OK: {villages} 村, {LogbookEntry.objects.count()} 条")
    call_command("rollups", stdout=out)  # the coverage kept per month agrees with the attendance


def _its_logins_share_one_password(report):
    viewers = User.objects.filter(role=Role.COUNTY_VIEWER)
    assert {u.username for u in viewers} == {"xianli1", "xianli2"}
    assert {u.county_id for u in viewers} == set(County.objects.values_list("pk", flat=True))
    station = User.objects.get(username="zhanzhang02")
    assert station.role == Role.STATION_ADMIN and station.township.county.name == "阿勒泰市"
    operator = User.objects.get(username="cun0202")
    assert operator.village.township_id == station.township_id
    assert operator.county_id == station.township.county_id
    for user in (station, operator, *viewers):
        assert user.check_password(scale.PASSWORD)
    text = scale.logins_text(report)
    assert scale.PASSWORD in text and "zhanzhang02" in text and "xianli2" in text
