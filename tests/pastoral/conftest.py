"""The pastoral stories' fixture: one campaign, two camps, two pastoral villages, and sessions whose
hours were added up by hand (see HAND_COMPUTED).

  Campaign 2026年秋季转场流动教学, 1–20 Nov 2026, target 5 hours (small, so the total meets it and
  each village does not).
  Camp 乌伦古河秋牧场 (乌伦古河流域): 阿克达拉村, its point 夏牧场流动播放点.
  Camp 额尔齐斯河冬窝子 (额尔齐斯河流域): 阿克达拉村 and 齐干套克村, the point 冬窝子流动点 of 齐干套克村.

  counted:  3 Nov 阿克达拉村 120 min, of which teaching 45
           10 Nov 阿克达拉村  90 min, of which teaching 35
            5 Nov 齐干套克村 150 min, of which teaching 60
  not:     25 Nov 齐干套克村  60 min (after the campaign)
           12 Nov 阿克达拉村  60 min, a monthly showing (not pastoral)
           12 Nov 红星村      60 min, pastoral, at a point of no camp
"""

import datetime as dt
from decimal import Decimal

import pytest

from dianjiao.films.models import Film
from dianjiao.orgs.models import ViewingPoint
from dianjiao.pastoral import services
from dianjiao.teaching import services as teaching
from tests import factories
from tests.clock import clock, local  # noqa: F401  (the stories' clock fixture)

HAND_COMPUTED = {
    # name: (sessions, teaching minutes, viewing minutes)
    "乌伦古河秋牧场": (2, 45 + 35, (120 - 45) + (90 - 35)),  # 80, 130 -> 1.3 h, 2.2 h, 3.5 h
    "额尔齐斯河冬窝子": (1, 60, 90),  # 1.0 h, 1.5 h, 2.5 h
    "阿克达拉村": (2, 80, 130),
    "齐干套克村": (1, 60, 90),
    "total": (3, 140, 220),  # 2.3 h, 3.7 h, 6.0 h
}


class Season:
    def __init__(self, world, the_clock):
        self.world, self.clock = world, the_clock
        self.qigan = factories.village("齐干套克村", is_pastoral=True, sort_order=3)
        self.winter_point = factories.point(
            self.qigan, "冬窝子流动点", kind=ViewingPoint.Kind.PASTORAL, seasonal_place="冬窝子"
        )
        self.herder = factories.member(self.qigan, "叶尔兰", self.winter_point)
        self.film = Film.objects.create(
            township=world.township, title="牧区草场科学管理", duration_minutes=40
        )
        self.campaign = services.campaign_create(
            user=world.station,
            township=world.township,
            name="2026年秋季转场流动教学",
            starts_on=dt.date(2026, 11, 1),
            ends_on=dt.date(2026, 11, 20),
            target_hours=5,
            staff=[world.station],
        )
        self.autumn = services.point_add(
            user=world.station,
            campaign=self.campaign,
            name="乌伦古河秋牧场",
            river_area="ulungur",
            latitude=Decimal("46.99000"),
            longitude=Decimal("87.49000"),
            villages=[world.pastoral],
        )
        self.winter = services.point_add(
            user=world.station,
            campaign=self.campaign,
            name="额尔齐斯河冬窝子",
            river_area="irtysh",
            villages=[world.pastoral, self.qigan],
            viewing_points=[self.winter_point],
        )

    def record(self, day, point, member, minutes, teaching=0, kind="pastoral", author=None):
        return _record(self, day, point, member, minutes, teaching, kind, author)

    def record_all(self):
        w = self.world
        self.record(3, w.pastoral_point, w.pastoral_member, 120, 45)
        self.record(10, w.pastoral_point, w.pastoral_member, 90, 35)
        self.record(5, self.winter_point, self.herder, 150, 60)
        self.record(25, self.winter_point, self.herder, 60, 20)
        self.record(12, w.pastoral_point, w.pastoral_member, 60, 0, kind="monthly")
        self.record(12, w.point, w.member, 60, 10)
        self.clock.at = local(2026, 11, 29, 10, 0)


def _record(season, day, point, member, minutes, teaching_minutes, kind, author):
    held = local(2026, 11, day, 11, 0)
    season.clock.at = held + dt.timedelta(hours=2)
    return teaching.session_record(
        author=author or season.world.station,
        village=point.village,
        point=point,
        held_at=held,
        kind=kind,
        films=[season.film],
        duration_minutes=minutes,
        teaching_minutes=teaching_minutes,
        attendance={member.pk: ("present", "")},
    )


@pytest.fixture
def season(world, clock):  # noqa: F811
    s = Season(world, clock)
    s.record_all()
    return s
