"""Each to-do carries its due date where the plan sets one (issue 15): the digest sends a dated
to-do only when it is due within DIANJIAO_REMIND_SOON_DAYS or overdue, an undated one every day
it is listed, and the home page shows the date."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from dianjiao.oversight import services as oversight
from dianjiao.oversight.todo_list import todos
from tests.clock import local

from .conftest import choose


@pytest.fixture
def operator_by_mail(world, channels):
    choose(world.operator, email="liu@example.com")
    return world


def _digest_body(clock, at) -> str:
    clock.at = at
    mail.outbox.clear()
    call_command("remind", "--user", "operator", stdout=io.StringIO())
    [message] = mail.outbox
    return message.body


def test_the_months_viewing_waits_until_the_month_end_is_near(operator_by_mail, clock, settings):
    settings.DIANJIAO_REMIND_SOON_DAYS = 7
    # 9 November: the month's viewing and information item are due on 30 November (21 days).
    body = _digest_body(clock, local(2026, 11, 9, 10, 0))
    assert "本月尚未组织收看" not in body
    assert "本月电教信息已报" not in body
    # Overdue: sent, with the day it was due by.
    assert "红星村：10月收看情况尚未反馈" in body
    assert "截止日期：2026年10月31日" in body
    # No date of its own (the year's work plan, overdue all along): sent as before.
    assert "2026年电教工作计划尚未报送" in body

    # 27 November: three days to go.
    body = _digest_body(clock, local(2026, 11, 27, 10, 0))
    assert "红星村：本月尚未组织收看（还剩3天）" in body
    assert "截止日期：2026年11月30日" in body


def test_meeting_actions_are_sent_when_due_soon_or_overdue_not_three_weeks_ahead(
    operator_by_mail, clock, settings
):
    w = operator_by_mail
    settings.DIANJIAO_REMIND_SOON_DAYS = 7
    clock.at = local(2026, 11, 20, 10, 0)
    meeting = oversight.meeting_convene(
        user=w.leader,
        township=w.township,
        kind="joint",
        held_on=dt.date(2026, 11, 18),
        place="乡政府会议室",
        agenda="冬季收看安排",
    )
    oversight.meeting_record(
        user=w.leader,
        meeting=meeting,
        minutes="纪要",
        attendance=[{"village": w.village, "name": "刘电教"}],
        actions=[
            {"text": "更换投影仪", "village": w.village, "due_on": dt.date(2026, 12, 2)},
            {"text": "培训牧区放映员", "village": w.village, "due_on": dt.date(2026, 12, 20)},
            {"text": "补齐设备台账", "village": w.village, "due_on": dt.date(2026, 11, 25)},
        ],
    )
    as_of = dt.date(2026, 11, 29)
    dated = {t.text: t.due for t in todos(w.operator, as_of=as_of) if "会议议定事项" in t.text}
    assert sorted(dated.values()) == [
        dt.date(2026, 11, 25),
        dt.date(2026, 12, 2),
        dt.date(2026, 12, 20),
    ]
    body = _digest_body(clock, local(2026, 11, 29, 10, 0))
    assert "更换投影仪" in body  # due in 3 days
    assert "补齐设备台账" in body  # overdue
    assert "培训牧区放映员" not in body  # due in 3 weeks


def test_the_home_page_shows_each_to_dos_due_date(world, clock, login):
    page = login(world.operator).get("/").content.decode()
    assert "本月尚未组织收看" in page
    assert "截止11月30日" in page  # the month's viewing
    assert "截止10月31日" in page  # last month's feedback
    # A quarterly report's text names its deadline already: it is not said twice.
    assert page.count("截止10月10日") == 1
