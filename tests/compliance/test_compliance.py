"""Compliance computed from the records, hand-counted.

红星村's point expects 4 members (张三, 李梅, 王五, 赵六). In 2026 (as of 29 November):
  September: a key-film session whose four-ring record stops at preparation (incomplete);
             everyone present → 4 of 4.
  October 10: a monthly showing, 张三 and 李梅 present, 王五 absent, 赵六 excused;
  October 20: a key-film session, complete four-ring, only 王五 present.
             → October's expected members 4 (not the 8 attendance rows, not the 3 attendees),
               present at least once 3 (张三, 李梅, 王五) → 75.0 %.
  October's feedback is sent on 1 November.
阿克达拉村 holds nothing: every ended month missed, behind target."""

import datetime as dt

import pytest
from django.utils import translation

from dianjiao.compliance import compute
from dianjiao.compliance.todos import todos
from dianjiao.plans.models import AnnualPlan
from dianjiao.plans.services import workplan_submit
from dianjiao.reports.models import QuarterlyReport
from dianjiao.teaching import services
from tests import factories
from tests.teaching.conftest import ABSENT, EXCUSED, NOW, PRESENT, local, record, record_key

AS_OF = dt.date(2026, 11, 29)


def at(clock, *args):
    clock.at = local(*args)


@pytest.fixture
def year(cast, clock):
    w = cast.world
    at(clock, 2026, 9, 15, 12)
    record_key(
        cast,
        held_at=local(2026, 9, 15, 9),
        four_ring={"preparation": "学习影片简介", "prepared_at": local(2026, 9, 15, 8)},
    )
    at(clock, 2026, 10, 10, 12)
    record(
        cast,
        held_at=local(2026, 10, 10, 9),
        attendance={
            cast.zhang.pk: (PRESENT, ""),
            cast.li.pk: (PRESENT, ""),
            cast.wang.pk: (ABSENT, ""),
            cast.zhao.pk: (EXCUSED, "illness"),
        },
    )
    at(clock, 2026, 10, 20, 12)
    from tests.teaching.conftest import four_ring

    record_key(
        cast,
        held_at=local(2026, 10, 20, 9),
        four_ring=four_ring(
            cast,
            local(2026, 10, 20, 9),
            speakers=[cast.wang.pk],
            practice=[
                {
                    "member": cast.wang.pk,
                    "task": "帮助困难户修缮羊圈",
                    "due_on": dt.date(2026, 11, 20),
                }
            ],
        ),
        attendance={
            cast.zhang.pk: (ABSENT, ""),
            cast.li.pk: (ABSENT, ""),
            cast.wang.pk: (PRESENT, ""),
            cast.zhao.pk: (ABSENT, ""),
        },
    )
    at(clock, 2026, 11, 1, 10)
    services.feedback_send(author=w.operator, village=w.village, year=2026, month=10)
    clock.at = NOW
    return cast


def test_the_matrix_is_counted_from_the_records(year, world):
    c = compute.compliance(world.station, year=2026, as_of=AS_OF)
    assert [r.village.name for r in c.rows] == ["红星村", "阿克达拉村"]
    red, pastoral = c.rows
    sep, oct_, nov, dec = red.cells[8], red.cells[9], red.cells[10], red.cells[11]
    assert (sep.held, sep.four_ring_ok, sep.feedback) == (True, False, False)
    assert (oct_.sessions, oct_.key_sessions, oct_.four_ring_ok, oct_.feedback) == (
        2,
        1,
        True,
        True,
    )
    assert (oct_.expected, oct_.present, oct_.coverage) == (4, 3, 75.0)
    assert (sep.expected, sep.present, sep.coverage) == (4, 4, 100.0)
    assert (nov.state, dec.state, red.cells[0].state) == ("open", "future", "ended")
    assert red.cells[0].missed and not nov.missed
    assert (red.months_ended, red.months_held, red.feedback_sent, red.key_incomplete) == (
        10,
        2,
        1,
        1,
    )
    assert red.coverage == 87.5  # (4 + 3) of (4 + 4)
    assert pastoral.months_held == 0 and pastoral.behind and red.behind
    assert c.monthly_coverage()[9] == (10, 75.0, 4, 3)


def test_a_village_operator_sees_only_their_village_and_the_county_sees_townships(year, world):
    assert [
        r.village.name for r in compute.compliance(world.operator, year=2026, as_of=AS_OF).rows
    ] == ["红星村"]
    assert (
        compute.compliance(world.outsider, year=2026, as_of=AS_OF).rows[0].village.name
        == "喀拉吉拉村"
    )
    county = compute.compliance(world.county_viewer, year=2026, as_of=AS_OF)
    rows = {t.township.name: t for t in county.by_township()}
    assert set(rows) == {"乌伦古乡", "齐干吉迭乡"}
    mine = rows["乌伦古乡"]
    assert (
        mine.villages,
        mine.months_ended,
        mine.months_held,
        mine.feedback_sent,
        mine.behind,
    ) == (2, 20, 2, 1, 2)
    assert mine.held_pct == 10.0 and mine.coverage == 87.5
    # information items are counted for every township the county sees
    from tests.infoitems.helpers import send

    send(world, at=local(2026, 10, 5, 10))
    send(world, user=world.outsider, village=world.far_village, at=local(2026, 10, 6, 10))
    county = compute.compliance(world.county_viewer, year=2026, as_of=AS_OF)
    assert {t.township.name: t.info_items for t in county.by_township()} == {
        "乌伦古乡": 1,
        "齐干吉迭乡": 1,
    }


def test_the_todo_list_names_what_is_overdue_or_due(year, world):
    workplan_submit(
        village=world.village,
        year=2026,
        text="全年每月组织一次集中收看，重点片按四环节教学。",
        user=world.operator,
    )
    with translation.override("zh-hans"):
        texts = [
            (t.village and t.village.name, t.text, t.overdue)
            for t in todos(world.station, as_of=AS_OF)
        ]
    assert (None, "2026年年度计划尚未制定", True) in texts
    assert ("红星村", "本月尚未组织收看（还剩1天）", False) in texts
    assert not any(
        v == "红星村" and "反馈" in t for v, t, _ in texts
    )  # October's feedback was sent
    assert ("阿克达拉村", "10月收看情况尚未反馈", True) in texts
    assert ("阿克达拉村", "2026年电教工作计划尚未报送", True) in texts
    assert not any(v == "红星村" and "工作计划" in t for v, t, _ in texts)
    mine = todos(world.operator, as_of=AS_OF)
    assert {t.village.name for t in mine} == {"红星村"}


@pytest.mark.parametrize("n", [1, 12])
def test_it_runs_a_fixed_number_of_queries_whatever_the_data(
    cast, clock, world, django_assert_num_queries, n
):
    village = factories.village("前进村", world.township, sort_order=3)
    point = factories.point(village, "前进村电教室")
    members = [
        factories.member(
            village, f"党员{i:02d}", point, birth=dt.date(1970, 1, 1) + dt.timedelta(days=i)
        )
        for i in range(n)
    ]
    for i in range(n):
        day = 1 + i * 2
        at(clock, 2026, 10, day, 12)
        record(
            cast,
            author=world.station,
            village=village,
            point=point,
            held_at=local(2026, 10, day, 9),
            attendance={m.pk: (PRESENT, "") for m in members},
        )
    clock.at = NOW
    from tests.infoitems.helpers import send

    for i in range(n):
        send(world, user=world.station, village=village, at=local(2026, 10, 1 + i, 15))
        QuarterlyReport.objects.create(
            village=village,
            year=2026 - i,
            quarter=1 + i % 4,
            author=world.station,
            created_at=NOW,
            status="submitted",
        )
    with django_assert_num_queries(10):
        c = compute.compliance(world.station, year=2026, as_of=AS_OF)
    assert c.rows[2].cells[9].sessions == n and c.rows[2].cells[9].info_items == n
    with django_assert_num_queries(8):
        todo = todos(world.station, as_of=AS_OF)
    assert (
        sum("待审核" in t.text or "awaiting" in t.text for t in todo) == 2
    )  # reports and items waiting


def report(world, village, quarter, status):
    return QuarterlyReport.objects.create(
        village=village,
        year=2026,
        quarter=quarter,
        author=world.station,
        created_at=NOW,
        status=status,
    )


def test_quarterly_reports_are_due_the_plans_days_after_the_quarter(world):
    """Plan: due 15 days after the quarter's end. 29 November: Q1–Q3 ended (Q3 due 15 October),
    Q4 not. 红星村: Q1 approved, Q2 submitted, Q3 returned. 阿克达拉村: nothing."""
    AnnualPlan.objects.create(township=world.township, year=2026, quarterly_report_due_days=15)
    report(world, world.village, 1, "approved")
    report(world, world.village, 2, "submitted")
    report(world, world.village, 3, "returned")
    red, pastoral = compute.compliance(world.station, year=2026, as_of=AS_OF).rows
    assert [q.due for q in red.quarters] == [
        dt.date(2026, 4, 15),
        dt.date(2026, 7, 15),
        dt.date(2026, 10, 15),
        dt.date(2027, 1, 15),
    ]
    assert [(q.ended, q.sent, q.overdue) for q in red.quarters] == [
        (True, True, False),
        (True, True, False),
        (True, False, True),
        (False, False, False),
    ]
    assert (red.reports_sent, red.reports_due, red.reports_overdue) == (2, 3, 1)
    assert (pastoral.reports_sent, pastoral.reports_due, pastoral.reports_overdue) == (0, 3, 3)
    # on 12 October Q3 is ended but not yet overdue
    early = compute.compliance(world.station, year=2026, as_of=dt.date(2026, 10, 12)).rows[1]
    assert [q.overdue for q in early.quarters] == [True, True, False, False]
    with translation.override("zh-hans"):
        assert [q.label for q in pastoral.quarters] == [
            "逾期未报",
            "逾期未报",
            "逾期未报",
            "未到期",
        ]
        assert [q.label for q in early.quarters][2] == "未填报"
        texts = [
            (t.village and t.village.name, t.text, t.overdue)
            for t in todos(world.station, as_of=AS_OF)
        ]
    assert ("红星村", "2026年第3季度报告被退回，请修改后重新上报", True) in texts
    assert ("阿克达拉村", "2026年第1季度报告尚未上报（截止4月15日）", True) in texts
    assert not any(v == "红星村" and "第1季度" in t for v, t, _ in texts)
    assert (None, "1份季度报告待审核", False) in texts


def test_in_january_the_last_quarter_of_the_year_before_is_due(world):
    with translation.override("zh-hans"):
        texts = [t.text for t in todos(world.operator, as_of=dt.date(2027, 1, 5))]
    assert "2026年第4季度报告尚未上报（截止1月10日）" in texts


def test_information_items_are_measured_against_the_plans_monthly_number(world):
    """Plan: 2 items a village a month. 红星村 sends 2 in September, 1 in October; November is
    still open. The month an item counts in is the month it was first sent."""
    from tests.infoitems.helpers import send

    AnnualPlan.objects.create(township=world.township, year=2026, info_items_per_village_month=2)
    send(world, at=local(2026, 9, 3, 10))
    send(world, at=local(2026, 9, 20, 10))
    send(world, at=local(2026, 10, 8, 10))
    send(world, at=local(2026, 11, 2, 10))
    red = compute.compliance(world.station, year=2026, as_of=AS_OF).rows[0]
    assert [c.info_items for c in red.cells[8:11]] == [2, 1, 1]
    assert [c.info_ok for c in red.cells[8:11]] == [True, False, False]
    assert red.info_items == 4
    assert (
        red.info_months_short == 9
    )  # January–August with none, October with one; November still open
    with translation.override("zh-hans"):
        texts = [t.text for t in todos(world.operator, as_of=AS_OF)]
    assert "本月电教信息已报1条，应报2条（还剩1天）" in texts


def test_pastoral_teaching_hours_add_up_the_pastoral_sessions(cast, clock, world):
    """R13: two pastoral sessions at 阿克达拉村 of 150 and 105 minutes, within the summer
    campaign whose camp its pastoral point serves, make 4.25 → 4.2 hours; a monthly showing does
    not count, nor a pastoral session after the campaign (the campaigns' ledger decides). The plan
    asks for 30 (the default)."""
    from dianjiao.pastoral import services as pastoral

    campaign = pastoral.campaign_create(
        user=world.station,
        township=world.township,
        name="2026年夏季转场流动教学",
        starts_on=dt.date(2026, 8, 1),
        ends_on=dt.date(2026, 8, 31),
        staff=[world.station],
    )
    pastoral.point_add(
        user=world.station,
        campaign=campaign,
        name="乌伦古河夏牧场",
        river_area="ulungur",
        villages=[world.pastoral],
    )
    for day, minutes in ((5, 150), (20, 105)):
        at(clock, 2026, 8, day, 20)
        record(
            cast,
            author=world.other_op,
            village=world.pastoral,
            point=world.pastoral_point,
            kind="pastoral",
            held_at=local(2026, 8, day, 15),
            duration_minutes=minutes,
            attendance={world.pastoral_member.pk: (PRESENT, "")},
        )
    at(clock, 2026, 9, 1, 20)
    record(cast, held_at=local(2026, 9, 1, 15), duration_minutes=90)
    at(clock, 2026, 9, 2, 20)
    record(
        cast,
        author=world.other_op,
        village=world.pastoral,
        point=world.pastoral_point,
        kind="pastoral",
        held_at=local(2026, 9, 2, 15),
        duration_minutes=60,
        attendance={world.pastoral_member.pk: (PRESENT, "")},
    )
    clock.at = NOW
    c = compute.compliance(world.station, year=2026, as_of=AS_OF)
    assert {r.village.name: r.pastoral_minutes for r in c.rows} == {"红星村": 0, "阿克达拉村": 255}
    assert c.rows[1].pastoral_hours == 4.2 and c.pastoral_hours == 4.2 and c.pastoral_target == 30
