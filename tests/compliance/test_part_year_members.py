"""Fair targets for members who join or leave mid-year (issue 10, part 4).

A member's viewings are expected in the months they were on the village's roster: from the month
of `on_roster_since` (the day they were registered or imported) to the month of `left_on`, both
included. The yearly target is prorated: 12 × months on the roster ÷ 12, a part of a viewing
rounded up. The learning record, the behind-target list, the month's coverage and the compliance
matrix count the same member-months.

The year 2026 of 红星村 (point 村委会电教室), told as of 5 January 2027 (all twelve months ended):

  张三  on the roster all year
  李梅  on the roster since 2000, leaves on 20 June           -> months 1–6, target 6
  马新  registered on 3 November (member_create)              -> months 11–12, target 2

  A monthly viewing on the 12th of every month, recorded on its day, except October's: held on
  12 October, recorded on 5 November (after 马新 was registered) under the station's late-entry
  exception. Everyone on the roster comes, except 张三 in March and 李梅 in May.

  member  due months  covered              missed  target  behind
  张三    1–12        all but 3  = 11      3       12      yes
  李梅    1–6         1 2 3 4 6  =  5      5        6      yes   (not "7—12月" too)
  马新    11–12       11 12      =  2      —        2      no    (not "1—10月")

  compliance matrix, 红星村: expected 2 2 2 2 2 2 1 1 1 1 2 2 = 20 member-months
                             present  2 2 1 2 1 2 1 1 1 1 2 2 = 18 = 11 + 5 + 2
"""

import datetime as dt

import pytest

from dianjiao.compliance.compute import compliance
from dianjiao.films.models import Film
from dianjiao.members import services as member_services
from dianjiao.members.models import Member
from dianjiao.teaching import selectors
from dianjiao.teaching import services as teaching_services
from dianjiao.teaching.models import Attendance, ViewingSession
from dianjiao.teaching.plan import prorated_target
from tests import factories
from tests.clock import local
from tests.teaching.conftest import grant

PRESENT, ABSENT = Attendance.Status.PRESENT, Attendance.Status.ABSENT
AS_OF = dt.date(2027, 1, 5)


class Year:
    def __init__(self, world, clock):
        self.world = world
        w = world
        self.film = Film.objects.create(township=w.township, title="榜样9", duration_minutes=60)
        self.zhang = w.member
        self.li = factories.member(
            w.village, "李梅", w.point, male=False, birth=dt.date(1982, 5, 1)
        )
        self.ma = None
        for month in range(1, 13):
            if month == 10:
                continue  # recorded late, below
            if month == 11:
                clock.at = local(2026, 11, 3, 9, 0)
                self.ma = member_services.member_create(
                    user=w.station,
                    village=w.village,
                    name="马新",
                    gender="M",
                    birth_date=dt.date(1990, 4, 4),
                    id_number=factories.id_number(dt.date(1990, 4, 4)),
                    joined_on=dt.date(2015, 7, 1),
                    point=w.point,
                )
                self.record(clock, 11, 5, 10)
            if month == 6:
                self.record(clock, 6, 12, 6)
                clock.at = local(2026, 6, 20, 9, 0)
                member_services.member_leave(
                    user=w.station, member=self.li, left_on=dt.date(2026, 6, 20), left_reason="转出"
                )
                continue
            self.record(clock, month, 12, month)
        clock.at = local(2027, 1, 5, 10, 0)

    def on_roster(self, month):
        people = [self.zhang]
        if month <= 6:
            people.append(self.li)
        if month >= 11:
            people.append(self.ma)
        return people

    def record(self, clock, month, day, held_month):
        """The viewing of `held_month` (on the 12th), recorded on 2026-`month`-`day`."""
        held_at = local(2026, held_month, 12, 20, 0)
        clock.at = local(2026, month, day, 21, 0)
        if (month, day) != (held_month, 12):
            grant(self.world, held_at.date(), reason="停电，事后补录")
        absent = {3: self.zhang, 5: self.li}.get(held_month)
        attendance = {
            m.pk: (ABSENT if m == absent else PRESENT, "") for m in self.on_roster(held_month)
        }
        return teaching_services.session_record(
            author=self.world.operator,
            village=self.world.village,
            point=self.world.point,
            held_at=held_at,
            kind=ViewingSession.Kind.MONTHLY,
            films=[self.film],
            duration_minutes=60,
            attendance=attendance,
            guests=[],
            four_ring=None,
            notes="",
        )


@pytest.fixture
def year(world, clock):
    return Year(world, clock)


def test_the_target_is_prorated_by_the_months_on_the_roster_rounded_up():
    assert prorated_target(12, 12) == 12
    assert prorated_target(12, 2) == 2
    assert prorated_target(12, 6) == 6
    assert prorated_target(10, 1) == 1  # 0.83 of a viewing asks for one
    assert prorated_target(10, 5) == 5  # 4.17 -> 5
    assert prorated_target(10, 0) == 0


def test_registering_sets_the_first_day_on_the_roster(year):
    assert year.ma.on_roster_since == dt.date(2026, 11, 3)
    assert year.ma.months_on_roster(2026) == [11, 12]
    assert year.ma.months_on_roster(2025) == []
    assert year.ma.months_on_roster(2027) == list(range(1, 13))
    li = Member.objects.get(pk=year.li.pk)
    assert li.months_on_roster(2026) == [1, 2, 3, 4, 5, 6]
    assert li.months_on_roster(2027) == []


def test_the_learning_record_counts_only_the_months_on_the_roster(year):
    w = year.world
    records = {
        r.member.name: r
        for r in selectors.village_learning(w.station, w.village, year=2026, as_of=AS_OF)
    }
    assert set(records) == {"张三", "李梅", "马新"}  # 李梅 left in June: still in 2026's record
    zhang, li, ma = records["张三"], records["李梅"], records["马新"]
    assert (zhang.target, zhang.due_months, zhang.covered) == (12, list(range(1, 13)), 11)
    assert (zhang.missed_months, zhang.behind, zhang.roster_note) == ([3], True, "")
    assert (li.target, li.due_months, li.covered, li.missed_months) == (
        6,
        [1, 2, 3, 4, 5, 6],
        5,
        [5],
    )
    assert li.behind and li.roster_note == "6月离册"
    assert (ma.target, ma.due_months, ma.covered, ma.missed_months) == (2, [11, 12], 2, [])
    assert not ma.behind and ma.roster_note == "11月起在册"
    # As of 29 November, November is still open: nothing is due from 马新 yet.
    early = selectors.learning_records(
        [Member.objects.get(pk=year.ma.pk)], year=2026, as_of=dt.date(2026, 11, 29)
    )[0]
    assert (early.due_months, early.missed_label, early.behind) == ([], "", False)


def test_the_behind_target_list_names_the_same_members(year):
    w = year.world
    [red] = selectors.behind_target(w.station, year=2026, as_of=AS_OF, village=w.village)
    assert red.members == 3
    assert {r.member.name: r.missed_months for r in red.behind} == {"张三": [3], "李梅": [5]}


def test_the_months_coverage_counts_the_members_on_the_roster_that_month(year):
    w = year.world
    june = selectors.month_summary(w.village, 2026, 6)
    assert (june["members"], june["members_covered"], june["coverage_pct"]) == (2, 2, 100.0)
    october = selectors.month_summary(w.village, 2026, 10)  # before 马新 was registered
    assert (october["members"], october["members_covered"], october["uncovered"]) == (1, 1, [])
    november = selectors.month_summary(w.village, 2026, 11)  # 李梅 has left
    assert (november["members"], november["members_covered"]) == (2, 2)
    assert november["expected"] == 2


def test_the_compliance_matrix_agrees_with_the_learning_record(year):
    w = year.world
    c = compliance(w.station, year=2026, as_of=AS_OF)
    [row] = [r for r in c.rows if r.village == w.village]
    assert [cell.expected for cell in row.cells] == [2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 2, 2]
    assert [cell.present for cell in row.cells] == [2, 2, 1, 2, 1, 2, 1, 1, 1, 1, 2, 2]
    records = selectors.village_learning(w.station, w.village, year=2026, as_of=AS_OF)
    assert row.expected == sum(len(r.due_months) for r in records) == 20
    assert row.present == sum(r.covered for r in records) == 18
    # The late-recorded October viewing did not expect 马新, registered after it was held.
    october = ViewingSession.objects.get(held_at__month=10)
    assert not october.attendances.filter(member=year.ma).exists()


def test_the_learning_page_shows_the_prorated_target_and_why(year, client):
    w = year.world
    client.force_login(w.operator)
    page = client.get("/teaching/learning/", {"year": 2026}).content.decode()
    assert "应看 2 次（11月起在册）" in page
    assert "应看 6 次（6月离册）" in page
    assert "1—10月" not in page
    assert "7—12月" not in page
