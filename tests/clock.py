"""The stories' fixed moment and a clock a test can move, shared by every app's tests."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone


def local(*args) -> dt.datetime:
    """An aware datetime in the configured zone (Asia/Shanghai unless TIME_ZONE says otherwise)."""
    return timezone.make_aware(dt.datetime(*args), timezone.get_default_timezone())


# A fixed "now" for the stories: Sunday 29 November 2026, 10:00 local time.
NOW = local(2026, 11, 29, 10, 0)
TODAY = NOW.date()


class Clock:
    """`timezone.now` (and with it `dianjiao.lib.dates.today`) pinned to a moment that a test
    can move: clock.at = local(...); clock.tick(minutes=5)."""

    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at

    def tick(self, **kw):
        self.at += dt.timedelta(**kw)


@pytest.fixture
def clock():
    c = Clock(NOW)
    with mock.patch("django.utils.timezone.now", c):
        yield c
