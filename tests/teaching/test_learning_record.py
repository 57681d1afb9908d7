"""A member's learning record (R6): one viewing a month, at most one counted per month, make-ups
counted for the month they make up; "behind" = months covered < months ended so far.

The year of 红星村 (point 村委会电教室: 张三, 李梅, 王五, 赵六), told as of Sunday 29 November
2026, when January to October have ended (10 months due):

  1月15日 月度    all present but 赵六 (absent)
  2月10日 重点片  王五 excused (herding), 赵六 absent
  2月20日 月度    only 张三 came
  3月 8日 其他    张三 came (a showing for visitors: does not count); no monthly viewing in March
  4月 5日 补看    赵六 makes up 1月15日, 王五 makes up 2月10日
  4月12日–10月    one monthly viewing a month, all present, except 李梅 absent in October
  11月29日 月度   everyone (November has not ended: counted as covered, not yet due)

  member  covered months                          attended  made up  missed      behind
  张三    1 2 4 5 6 7 8 9 10 11          = 10     11        0        3           no
  李梅    1 2 4 5 6 7 8 9 11             =  9      9        0        3, 10       yes
  王五    1 2(补) 4 5 6 7 8 9 10 11      = 10      9        1        3           no
  赵六    1(补) 4 5 6 7 8 9 10 11        =  9      8        1        2, 3        yes
"""

import datetime as dt

import pytest

from dianjiao.teaching import selectors
from dianjiao.teaching.plan import viewing_target
from tests import factories

from .conftest import ABSENT, EXCUSED, NOW, PRESENT, Kind, local, record, record_key

AS_OF = NOW.date()


def _on(cast, clock, month, day, **kw):
    """Record a session on its own day (the logbook's same-day rule), then come back."""
    clock.at = local(2026, month, day, 10, 0)
    kw.setdefault("held_at", local(2026, month, day, 9, 0))
    key = kw.pop("key", False)
    session = (record_key if key else record)(cast, **kw)
    clock.at = NOW
    return session


@pytest.fixture
def year(cast, clock):
    c = cast
    jan = _on(c, clock, 1, 15, attendance={**c.everyone(), c.zhao.pk: (ABSENT, "")})
    feb = _on(
        c,
        clock,
        2,
        10,
        key=True,
        attendance={**c.everyone(), c.wang.pk: (EXCUSED, "herding"), c.zhao.pk: (ABSENT, "")},
    )
    _on(c, clock, 2, 20, attendance={**c.everyone(ABSENT), c.zhang.pk: (PRESENT, "")})
    _on(
        c,
        clock,
        3,
        8,
        kind=Kind.OTHER,
        attendance={**c.everyone(ABSENT), c.zhang.pk: (PRESENT, "")},
    )
    _on(
        c,
        clock,
        4,
        5,
        kind=Kind.MAKEUP,
        attendance={c.zhao.pk: (PRESENT, "", jan.pk), c.wang.pk: (PRESENT, "", feb.pk)},
    )
    for month in range(4, 11):
        attendance = c.everyone()
        if month == 10:
            attendance[c.li.pk] = (ABSENT, "")
        _on(c, clock, month, 12, attendance=attendance)
    record(c)  # 29 November, today
    return c


def _by_name(records):
    return {r.member.name: r for r in records}


def test_it_counts_months_covered_viewings_and_make_ups_per_member(year, clock):
    records = _by_name(
        selectors.village_learning(year.world.station, year.world.village, year=2026, as_of=AS_OF)
    )
    summary = {
        name: (r.months_covered, r.covered, r.attended, r.made_up, r.missed_months, r.behind)
        for name, r in records.items()
    }
    assert summary == {
        "张三": ([1, 2, 4, 5, 6, 7, 8, 9, 10, 11], 10, 11, 0, [3], False),
        "李梅": ([1, 2, 4, 5, 6, 7, 8, 9, 11], 9, 9, 0, [3, 10], True),
        "王五": ([1, 2, 4, 5, 6, 7, 8, 9, 10, 11], 10, 9, 1, [3], False),
        "赵六": ([1, 4, 5, 6, 7, 8, 9, 10, 11], 9, 8, 1, [2, 3], True),
    }
    assert {r.target for r in records.values()} == {viewing_target(2026)} == {12}
    assert records["张三"].remaining == 2
    assert records["张三"].due_months == list(range(1, 11))


def test_the_behind_target_list_names_who_is_behind_in_each_village(year, clock):
    w = year.world
    villages = {
        b.village.name: b for b in selectors.behind_target(w.station, year=2026, as_of=AS_OF)
    }
    assert set(villages) == {"红星村", "阿克达拉村"}
    assert villages["红星村"].members == 4
    assert [r.member.name for r in villages["红星村"].behind] == ["李梅", "赵六"]
    # 努尔兰·叶尔肯 has no viewing at all: 0 of 10 months.
    assert [(r.member.name, r.covered) for r in villages["阿克达拉村"].behind] == [
        ("努尔兰·叶尔肯", 0)
    ]


def test_the_operator_sees_only_their_own_villages_list(year, clock):
    lists = selectors.behind_target(year.world.operator, year=2026, as_of=AS_OF)
    assert [b.village.name for b in lists] == ["红星村"]


def test_a_member_who_joined_this_year_is_due_from_the_month_they_joined(cast, clock):
    newcomer = factories.member(
        cast.world.village,
        "新党员",
        cast.world.point,
        birth=dt.date(1990, 3, 3),
        joined_on=dt.date(2026, 6, 15),
    )
    [record_] = selectors.learning_records([newcomer], year=2026, as_of=AS_OF)
    assert record_.due_months == [6, 7, 8, 9, 10]
    assert record_.behind


def test_a_make_up_in_january_counts_for_the_december_it_makes_up(cast, clock):
    dec = _on_year(
        cast, clock, 2025, 12, 20, attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")}
    )
    clock.at = local(2026, 1, 10, 10, 0)
    record(
        cast,
        kind=Kind.MAKEUP,
        held_at=local(2026, 1, 10, 9, 0),
        attendance={cast.zhao.pk: (PRESENT, "", dec.pk)},
    )
    clock.at = NOW
    [r2025] = selectors.learning_records([cast.zhao], year=2025, as_of=AS_OF)
    [r2026] = selectors.learning_records([cast.zhao], year=2026, as_of=AS_OF)
    assert (r2025.months_covered, r2025.made_up) == ([12], 1)
    assert (r2026.months_covered, r2026.made_up) == ([], 0)


def _on_year(cast, clock, y, month, day, **kw):
    clock.at = local(y, month, day, 10, 0)
    session = record(cast, held_at=local(y, month, day, 9, 0), **kw)
    clock.at = NOW
    return session


def test_months_end_before_they_count(clock):
    assert selectors.months_ended(2026, dt.date(2026, 1, 31)) == []
    assert selectors.months_ended(2026, dt.date(2026, 11, 29)) == list(range(1, 11))
    assert selectors.months_ended(2025, dt.date(2026, 11, 29)) == list(range(1, 13))


@pytest.mark.parametrize("n", [3, 30])
def test_it_runs_a_fixed_number_of_queries_whatever_the_number_of_members(
    cast, clock, django_assert_num_queries, n
):
    w = cast.world
    village = factories.village("前进村", w.township, sort_order=3)
    point = factories.point(village, "前进村电教室")
    for i in range(n):
        factories.member(
            village, f"党员{i:02d}", point, birth=dt.date(1970, 1, 1) + dt.timedelta(days=i)
        )
    record(
        cast,
        author=w.station,
        village=village,
        point=point,
        attendance={
            m.pk: (PRESENT if i % 3 else ABSENT, "")
            for i, m in enumerate(selectors.expected_members(point))
        },
    )
    # members, attendance, and the year's target from the township's annual plan (planning)
    with django_assert_num_queries(3):
        records = selectors.village_learning(w.station, village, year=2026, as_of=AS_OF)
    assert len(records) == n
    assert sum(r.attended for r in records) == n - len(range(0, n, 3))  # every third was absent
    with django_assert_num_queries(4):
        lists = selectors.behind_target(w.station, year=2026, as_of=AS_OF)
    assert {b.village.name: b.members for b in lists} == {"红星村": 4, "阿克达拉村": 1, "前进村": n}
