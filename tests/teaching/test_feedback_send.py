"""feedback_send (R8): a village's month, computed from its records, sent to the station.

November 2026 at 红星村 (4 members expected at 村委会电教室):
  11月 2日 月度（补录）  王五 excused, 赵六 absent        expected 4, present 2
  11月29日 重点片（完整）  赵六 absent                      expected 4, present 3
  11月29日 重点片（只备了课） 赵六 absent                   expected 4, present 3
  11月29日 补看           王五 makes up 11月2日
  → counted sessions: expected 12, present 8: 到课率 66.7 %; 张三, 李梅, 王五 covered, 赵六 not:
    覆盖率 3 ÷ 4 = 75.0 %; key sessions 2, four rings complete 1.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.teaching import selectors
from dianjiao.teaching.models import MonthlyFeedback
from dianjiao.teaching.services import feedback_send

from .conftest import ABSENT, EXCUSED, NOW, PRESENT, Kind, grant, local, record, record_key


@pytest.fixture
def november(cast, clock):
    c = cast
    grant(c.world, dt.date(2026, 11, 2))
    early = record(
        c,
        held_at=local(2026, 11, 2, 19, 0),
        attendance={**c.everyone(), c.wang.pk: (EXCUSED, "herding"), c.zhao.pk: (ABSENT, "")},
    )
    record_key(
        c, held_at=local(2026, 11, 29, 8, 0), attendance={**c.everyone(), c.zhao.pk: (ABSENT, "")}
    )
    incomplete = record_key(
        c,
        held_at=local(2026, 11, 29, 9, 0),
        attendance={**c.everyone(), c.zhao.pk: (ABSENT, "")},
        four_ring={"preparation": "学习简介", "prepared_at": local(2026, 11, 28, 16, 0)},
    )
    record(
        c,
        kind=Kind.MAKEUP,
        held_at=local(2026, 11, 29, 9, 30),
        attendance={c.wang.pk: (PRESENT, "", early.pk)},
    )
    c.incomplete = incomplete
    return c


def test_it_sends_the_months_figures_computed_from_the_records(november, clock):
    w = november.world
    fb = feedback_send(
        author=w.operator, village=w.village, year=2026, month=11, note="赵六外出务工，下月补看"
    )
    assert (fb.version, fb.sent_by, fb.sent_at, fb.note) == (
        1,
        w.operator,
        NOW,
        "赵六外出务工，下月补看",
    )
    assert fb.summary == {
        "year": 2026,
        "month": 11,
        "sessions": 4,
        "by_kind": {"月度收看": 1, "重点片教学": 2, "补看": 1},
        "minutes": 360,
        "key_sessions": 2,
        "four_ring_complete": 1,
        "four_ring_incomplete": [
            {
                "id": str(november.incomplete.pk),
                "held_at": "2026-11-29 09:00",
                "missing": ["播中有提示", "收看有记录", "看后有讨论", "学过有实践"],
            }
        ],
        "late_sessions": 1,
        "expected": 12,
        "present": 8,
        "attendance_pct": 66.7,
        "makeups": 1,
        "makeup_present": 1,
        "members": 4,
        "members_covered": 3,
        "coverage_pct": 75.0,
        "uncovered": ["赵六"],
    }
    assert not fb.is_late


def test_sending_again_makes_a_new_version_and_keeps_the_first(november, clock):
    w = november.world
    first = feedback_send(author=w.operator, village=w.village, year=2026, month=11)
    record(
        november,
        held_at=local(2026, 11, 29, 9, 45),
        attendance={**november.everyone(ABSENT), november.zhao.pk: (PRESENT, "")},
    )
    second = feedback_send(
        author=w.station, village=w.village, year=2026, month=11, note="赵六已补看"
    )
    assert (first.version, second.version) == (1, 2)
    assert MonthlyFeedback.objects.filter(village=w.village, year=2026, month=11).count() == 2
    first.refresh_from_db()
    assert (first.summary["members_covered"], second.summary["members_covered"]) == (3, 4)


def test_it_opens_on_the_last_five_days_of_the_month(cast, clock):
    w = cast.world
    clock.at = local(2026, 11, 25, 18, 0)
    with pytest.raises(ValidationError) as exc:
        feedback_send(author=w.operator, village=w.village, year=2026, month=11)
    assert exc.value.message_dict["month"] == [
        "2026年11月的收看情况从2026年11月26日起才能报送（当月最后5天或月末以后）"
    ]
    clock.at = local(2026, 11, 26, 8, 0)
    assert feedback_send(author=w.operator, village=w.village, year=2026, month=11).version == 1


def test_it_refuses_a_month_that_has_not_come(cast, clock):
    with pytest.raises(ValidationError) as exc:
        feedback_send(author=cast.world.operator, village=cast.world.village, year=2026, month=12)
    assert "2026年12月的收看情况从2026年12月27日起才能报送" in exc.value.message_dict["month"][0]


def test_a_feedback_sent_after_its_month_is_marked_late(cast, clock):
    fb = feedback_send(author=cast.world.operator, village=cast.world.village, year=2026, month=10)
    assert fb.is_late
    assert fb.summary["sessions"] == 0 and fb.summary["attendance_pct"] is None


@pytest.mark.parametrize("persona", ["other_op", "leader", "county", "outsider"])
def test_only_writers_of_the_village_send_it(cast, clock, persona):
    with pytest.raises(PermissionDenied):
        feedback_send(
            author=cast.world.personas[persona], village=cast.world.village, year=2026, month=11
        )


def test_the_station_sees_which_villages_have_sent(november, clock):
    w = november.world
    feedback_send(author=w.operator, village=w.village, year=2026, month=11)
    feedback_send(author=w.operator, village=w.village, year=2026, month=11)
    status = {
        s.village.name: (s.latest and s.latest.version, s.versions)
        for s in selectors.feedback_status(w.station, year=2026, month=11)
    }
    assert status == {"红星村": (2, 2), "阿克达拉村": (None, 0)}
    assert [s.village.name for s in selectors.feedback_status(w.operator, year=2026, month=11)] == [
        "红星村"
    ]


def test_the_month_summary_runs_a_fixed_number_of_queries(
    november, clock, django_assert_num_queries
):
    with django_assert_num_queries(4):
        selectors.month_summary(november.world.village, 2026, 11)
