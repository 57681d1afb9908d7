"""`dianjiao remind` against stand-ins on 127.0.0.1: the right people get the right digest
once, escalation reaches the station and the leader, quiet hours hold, a failing gateway is
retried next run and nothing is recorded as sent that was not."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from dianjiao.reminders.models import Digest, OverdueItem
from tests.clock import local

from .conftest import choose


def smtp(port: int) -> dict:
    options = {"host": "127.0.0.1", "port": port, "timeout": 2}
    return {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    }


def remind(*args):
    out = io.StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def reachable(world, channels):
    """红星村's operator by e-mail, SMS and the village group's robot; the station by e-mail;
    the leader by SMS."""
    choose(
        world.operator,
        email="liu@example.com",
        phone="13912345678",
        webhook=channels.url + "/wecom/send",
    )
    choose(world.station, email="wang@example.com")
    choose(world.leader, phone="13800000001")
    return world


def test_it_sends_each_user_their_digest_once_a_day(reachable, channels, clock):
    out = remind()

    operator_mail = [m for m in mail.outbox if m.to == ["liu@example.com"]]
    assert len(operator_mail) == 1
    body = operator_mail[0].body
    assert "刘电教，您好" in body
    assert "红星村：本月尚未组织收看" in body
    assert "红星村：10月收看情况尚未反馈" in body
    assert "https://dj.example/teaching/feedback/?village=" in body
    assert "阿克达拉村" not in body  # another village's to-dos are not theirs
    assert operator_mail[0].subject.startswith("【电教】2026年11月29日待办提醒")

    sms = channels.posts("/sms/send")
    assert [s["json"]["phone"] for s in sms] == ["13912345678"]  # the leader has nothing due yet
    assert sms[0]["json"]["template_id"] == "TPL_001"
    assert sms[0]["headers"]["Authorization"] == "Bearer sms-secret"
    assert sms[0]["json"]["params"]["url"] == "https://dj.example/"
    assert "红星村" in sms[0]["json"]["content"]

    robot = channels.posts("/wecom/send")
    assert len(robot) == 1
    assert robot[0]["json"]["msgtype"] == "text"
    assert robot[0]["json"]["text"]["mentioned_mobile_list"] == ["13912345678"]
    assert "10月收看情况尚未反馈" in robot[0]["json"]["text"]["content"]

    # The station's digest holds its own work, not every village's fresh to-dos.
    station_mail = [m for m in mail.outbox if m.to == ["wang@example.com"]]
    assert len(station_mail) == 1
    assert "2026年年度计划尚未制定" in station_mail[0].body
    assert "本月尚未组织收看" not in station_mail[0].body

    sent = Digest.objects.filter(day=dt.date(2026, 11, 29), status=Digest.Status.SENT)
    assert sorted(sent.values_list("user__username", "channel")) == [
        ("operator", "email"),
        ("operator", "sms"),
        ("operator", "wecom"),
        ("station", "email"),
    ]
    assert "已发送" in out

    # The same day again, even hours later: nothing new goes out.
    clock.tick(hours=3)
    remind()
    assert len(mail.outbox) == 2
    assert len(channels.posts("/sms")) == 1 and len(channels.posts("/wecom")) == 1
    assert Digest.objects.count() == 4

    # The next day is a new digest.
    clock.tick(days=1)
    remind()
    assert len([m for m in mail.outbox if m.to == ["liu@example.com"]]) == 2


def test_nothing_goes_out_before_the_daily_time(reachable, channels, clock):
    clock.at = local(2026, 11, 29, 8, 10)
    out = remind()
    assert "还没到每日提醒时间" in out
    assert not mail.outbox and not channels.requests and not Digest.objects.exists()
    remind("--now")
    assert len(mail.outbox) == 2


def test_escalation_reaches_the_station_after_a_week_and_the_leader_after_a_month(
    reachable, channels, clock
):
    def digest_of(username, day):
        return Digest.objects.filter(user__username=username, day=day).first()

    start = clock.at
    days = [0, 6, 7, 13, 20, 27, 29, 30]  # runs at least weekly
    for n in days:
        clock.at = start + dt.timedelta(days=n)
        remind()
    # The year's work plan of 红星村 is overdue all along; first seen on 29 November.
    item = OverdueItem.objects.get(key=f"v{reachable.village.pk}|planning:workplans|year=2026|")
    assert item.first_seen == dt.date(2026, 11, 29)

    before = digest_of("station", dt.date(2026, 12, 5))
    assert "2026年电教工作计划尚未报送" not in before.body
    week = digest_of("station", dt.date(2026, 12, 6))
    assert "红星村：2026年电教工作计划尚未报送" in week.body
    assert "已逾期7天，督办提醒" in week.body
    assert week.escalated >= 1

    leader = Digest.objects.filter(user__username="leader", status=Digest.Status.SENT)
    assert [d.day for d in leader] == [dt.date(2026, 12, 29)]  # overdue a month: 29 December
    sms = [s for s in channels.posts("/sms/send") if s["json"]["phone"] == "13800000001"]
    assert len(sms) == 1
    assert "红星村：2026年第3季度报告尚未上报" in sms[0]["json"]["content"]
    assert (
        "红星村：2026年电教工作计划尚未报送" in leader[0].body
    )  # the record keeps the whole digest
    assert "阿克达拉村" in leader[0].body and "喀拉吉拉村" not in leader[0].body
    # The operator of the village is reminded on every run meanwhile.
    assert Digest.objects.filter(user=reachable.operator, channel="email").count() == len(days)


def test_quiet_hours_hold_sms_back_until_morning(reachable, channels, clock, settings):
    settings.DIANJIAO_REMIND_AT = "06:00"
    clock.at = local(2026, 11, 30, 7, 0)
    out = remind()
    assert not channels.posts("/sms")
    assert len(channels.posts("/wecom")) == 1  # a group message is not a phone ringing
    assert "夜间免打扰" in out
    row = Digest.objects.get(user=reachable.operator, channel="sms")
    assert row.status == Digest.Status.DEFERRED and row.sent_at is None

    clock.at = local(2026, 11, 30, 8, 5)
    remind()
    assert len(channels.posts("/sms")) == 1
    row.refresh_from_db()
    assert row.status == Digest.Status.SENT
    assert len([m for m in mail.outbox if m.to == ["liu@example.com"]]) == 1  # not again


def test_a_failing_gateway_is_retried_next_run_and_never_recorded_as_sent(
    reachable, channels, clock
):
    channels.status = 500
    with pytest.raises(CommandError) as failure:
        remind()
    assert "短信" in str(failure.value) and "HTTP 500" in str(failure.value)
    assert "企业微信群" in str(failure.value)
    sms = Digest.objects.get(user=reachable.operator, channel="sms")
    assert sms.status == Digest.Status.FAILED and sms.sent_at is None
    assert sms.error == "HTTP 500"
    # Other users and other channels went out regardless.
    assert {m.to[0] for m in mail.outbox} == {"liu@example.com", "wang@example.com"}

    channels.status = 200
    clock.tick(minutes=30)
    remind()
    sms.refresh_from_db()
    assert sms.status == Digest.Status.SENT and sms.attempts == 2
    assert len(channels.posts("/sms")) == 1 and len(channels.posts("/wecom")) == 1
    assert len(mail.outbox) == 2  # e-mail was not sent twice


def test_a_gateway_that_times_out_or_refuses_is_a_failure(reachable, channels, clock, settings):
    settings.DIANJIAO_REMIND_TIMEOUT = 0.3
    channels.delay = 1
    with pytest.raises(CommandError, match="无法连接"):
        remind("--user", "operator")
    assert not Digest.objects.filter(status=Digest.Status.SENT, channel="sms").exists()

    channels.delay = 0
    channels.answer = {"code": 4001, "message": "template not approved"}
    channels.wecom_answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
    with pytest.raises(CommandError) as failure:
        remind("--user", "operator")
    assert "4001 template not approved" in str(failure.value)
    assert "93000" in str(failure.value)
    assert set(Digest.objects.filter(user=reachable.operator).values_list("channel", "status")) == {
        ("email", "sent"),
        ("sms", "failed"),
        ("wecom", "failed"),
    }


def test_one_users_failure_does_not_stop_the_others(reachable, channels, clock, settings):
    """The station's mail server refuses; the operator's messages still go."""
    settings.MAILERS = smtp(9)
    with pytest.raises(CommandError, match="电子邮件"):
        remind()
    assert len(channels.posts("/sms")) == 1 and len(channels.posts("/wecom")) == 1
    assert not Digest.objects.filter(channel="email", status=Digest.Status.SENT).exists()


def test_mail_goes_through_a_real_smtp_server(reachable, channels, clock, settings, smtp_sink):
    settings.MAILERS = smtp(smtp_sink.server_address[1])
    settings.DEFAULT_FROM_EMAIL = "dianjiao@station.example"
    remind()
    assert sorted(m["to"][0] for m in smtp_sink.messages) == [
        "liu@example.com",
        "wang@example.com",
    ]
    assert smtp_sink.messages[0]["from"] == "dianjiao@station.example"
    assert Digest.objects.filter(channel="email", status=Digest.Status.SENT).count() == 2


def test_dry_run_prints_and_records_nothing(reachable, channels, clock):
    out = remind("--dry-run")
    assert "10月收看情况尚未反馈" in out and "刘电教" in out
    assert not mail.outbox and not channels.requests
    assert not Digest.objects.exists() and not OverdueItem.objects.exists()


def test_user_limits_the_run_to_one_user(reachable, channels, clock):
    remind("--user", "station")
    assert [m.to for m in mail.outbox] == [["wang@example.com"]]
    with pytest.raises(CommandError, match="nobody"):
        remind("--user", "nobody")


def test_users_who_cannot_be_reached_are_named(world, channels, clock):
    out = remind()
    assert "无法送达：刘电教（operator）" in out and "未选择提醒方式" in out
    choose(world.other_op, phone="0906-1234567")  # a landline gets no SMS
    assert "没有填写手机号" in remind()


def test_the_digest_comes_in_the_users_language(reachable, channels, clock):
    choose(reachable.other_op, email="nurlan@example.com", language="en")
    remind()
    english = next(m for m in mail.outbox if m.to == ["nurlan@example.com"])
    assert english.subject.startswith("[Dianjiao]")
    assert "Hello" in english.body and "阿克达拉村" in english.body
    chinese = next(m for m in mail.outbox if m.to == ["liu@example.com"])
    assert chinese.subject.startswith("【电教】")


def test_sms_through_the_file_backend_for_development(
    reachable, channels, clock, settings, tmp_path
):
    settings.DIANJIAO_SMS_BACKEND = "file"
    settings.DIANJIAO_SMS_FILE = str(tmp_path / "sms.log")
    remind()
    assert "13912345678" in (tmp_path / "sms.log").read_text()
    assert not channels.posts("/sms")


def test_a_broken_sms_backend_fails_that_channel_only(
    reachable, channels, clock, settings, tmp_path
):
    settings.DIANJIAO_SMS_BACKEND = "file"
    settings.DIANJIAO_SMS_FILE = str(tmp_path / "no-such-folder" / "sms.log")
    with pytest.raises(CommandError, match="FileNotFoundError"):
        remind()
    assert Digest.objects.get(user=reachable.operator, channel="sms").status == "failed"
    assert Digest.objects.filter(status="sent").count() == 3  # e-mail twice, the robot once


def test_a_to_do_due_later_than_soon_waits_when_to_dos_carry_a_due_date(
    reachable, channels, clock, settings
):
    """Forward-looking: when a to-do carries `due`, only what is due within
    DIANJIAO_REMIND_SOON_DAYS (or overdue) goes into the digest."""
    from dataclasses import dataclass

    @dataclass
    class DatedTodo:
        village: object
        text: str
        overdue: bool
        url_name: str = ""
        query: str = ""
        due: dt.date | None = None

    def fake(user, *, as_of):
        return [
            DatedTodo(reachable.village, "近期事项", False, due=as_of + dt.timedelta(days=3)),
            DatedTodo(reachable.village, "远期事项", False, due=as_of + dt.timedelta(days=20)),
        ]

    settings.DIANJIAO_REMIND_SOON_DAYS = 7
    with mock.patch("dianjiao.reminders.digest.todos", fake):
        remind("--user", "operator")
    body = mail.outbox[0].body
    assert "近期事项" in body and "远期事项" not in body
