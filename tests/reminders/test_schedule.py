"""Scheduling without a server process: `serve --remind` runs `remind` in a thread; off by
default."""

import io
import threading
from unittest import mock

from django.core import mail
from django.core.management import call_command

from dianjiao.reminders import scheduler
from dianjiao.reminders.models import Digest

from .conftest import choose


def test_serve_starts_the_reminder_thread_only_when_told_to(settings):
    with (
        mock.patch("waitress.serve") as serve,
        mock.patch("dianjiao.reminders.scheduler.start") as start,
    ):
        call_command("serve", stdout=io.StringIO())
        assert serve.called and not start.called
        out = io.StringIO()
        call_command("serve", "--remind", stdout=out)
        assert start.called and "每日待办提醒已开启" in out.getvalue()


def test_the_setting_turns_it_on_for_serve(settings):
    settings.DIANJIAO_REMIND_IN_SERVE = True
    with (
        mock.patch("waitress.serve"),
        mock.patch("dianjiao.reminders.scheduler.start") as start,
    ):
        call_command("serve", stdout=io.StringIO())
    assert start.called


def test_the_thread_runs_remind_until_stopped():
    calls = threading.Semaphore(0)
    with mock.patch.object(scheduler, "run_once", side_effect=calls.release):
        stop = scheduler.start(interval=0.01)
        assert calls.acquire(timeout=5) and calls.acquire(timeout=5)  # again and again
        stop.set()


def test_one_round_sends_the_days_digests_and_survives_a_failure(world, channels, clock):
    choose(world.operator, email="liu@example.com")
    scheduler.one_round()  # what run_once does between fresh database connections
    assert [m.to for m in mail.outbox] == [["liu@example.com"]]
    with mock.patch("dianjiao.reminders.scheduler.remind", side_effect=RuntimeError("boom")):
        scheduler.one_round()  # logged, not raised: the web server keeps serving
    scheduler.one_round()
    assert Digest.objects.count() == 1 and len(mail.outbox) == 1
