"""The teaching stories' cast, on top of the World personas.

红星村's point 村委会电教室 has four active members: 张三 (from World), 李梅, 王五 and 赵六; so a
session there expects 4 (the denominator of every rate below). 阿克达拉村 (pastoral) has
努尔兰·叶尔肯 at its summer-pasture point. Films (the library of dianjiao.films):
《榜样8》 (a key film, 90 min) and 《农村实用技术：冬季舍饲养羊》 (60 min), both of 乌伦古乡;
齐干吉迭乡 has its own film.
"""

import datetime as dt

import pytest

from dianjiao.films.models import Film
from dianjiao.logbook.services import entry_grant_late
from dianjiao.teaching import services
from dianjiao.teaching.models import Attendance, ViewingSession
from tests import factories
from tests.clock import NOW, TODAY, Clock, clock, local  # noqa: F401  (the stories' clock, re-exported)

Kind = ViewingSession.Kind
PRESENT, EXCUSED, ABSENT = (
    Attendance.Status.PRESENT,
    Attendance.Status.EXCUSED,
    Attendance.Status.ABSENT,
)


class Cast:
    def __init__(self, world):
        self.world = world
        self.li = factories.member(
            world.village, "李梅", world.point, male=False, birth=dt.date(1982, 5, 1)
        )
        self.wang = factories.member(world.village, "王五", world.point, birth=dt.date(1968, 9, 9))
        self.zhao = factories.member(world.village, "赵六", world.point, birth=dt.date(1978, 1, 20))
        self.key_film = Film.objects.create(
            township=world.township, title="榜样8", is_key_film=True, duration_minutes=90
        )
        self.film = Film.objects.create(
            township=world.township, title="农村实用技术：冬季舍饲养羊", duration_minutes=60
        )
        self.far_film = Film.objects.create(
            township=world.other_township, title="别乡的片子", duration_minutes=30
        )

    @property
    def zhang(self):
        return self.world.member

    def everyone(self, status=PRESENT, reason=""):
        return {m.pk: (status, reason) for m in (self.zhang, self.li, self.wang, self.zhao)}


@pytest.fixture
def cast(world):
    return Cast(world)


def four_ring(cast, held_at, **overrides) -> dict:
    """A complete four-ring record for a showing at `held_at` with everyone present."""
    data = {
        "preparation": "观看前学习《榜样8》简介，拟定三个讨论题：身边的榜样是谁？",
        "prepared_at": held_at - dt.timedelta(days=1),
        "prompts": "播放到第二个人物时暂停，提示大家注意基层干部如何为群众办实事",
        "record_notes": "大家认真收看，王五做了笔记",
        "discussion": "围绕“身边的榜样”讨论，大家表示要在冬季舍饲中带头",
        "speakers": [cast.zhang.pk, cast.li.pk],
        "practice": [
            {
                "member": cast.zhang.pk,
                "task": "帮助两户困难户修缮羊圈",
                "due_on": held_at.date() + dt.timedelta(days=30),
            },
            {
                "group": "党员先锋岗",
                "task": "组织一次冬季防火宣传",
                "due_on": held_at.date() + dt.timedelta(days=14),
            },
        ],
    }
    data.update(overrides)
    return data


def record(cast, **kw) -> ViewingSession:
    """session_record with a plain monthly showing at 红星村 today 09:00, everyone present."""
    w = cast.world
    kw.setdefault("author", w.operator)
    kw.setdefault("village", w.village)
    kw.setdefault("point", w.point)
    kw.setdefault("held_at", local(2026, 11, 29, 9, 0))
    kw.setdefault("kind", Kind.MONTHLY)
    kw.setdefault("films", [cast.film])
    kw.setdefault("duration_minutes", 60)
    kw.setdefault("attendance", cast.everyone())
    kw.setdefault("guests", [])
    kw.setdefault("four_ring", None)
    kw.setdefault("notes", "")
    return services.session_record(**kw)


def record_key(cast, **kw) -> ViewingSession:
    held_at = kw.setdefault("held_at", local(2026, 11, 29, 9, 0))
    kw.setdefault("kind", Kind.KEY_FILM)
    kw.setdefault("films", [cast.key_film])
    kw.setdefault("duration_minutes", 120)
    kw.setdefault("four_ring", four_ring(cast, held_at))
    return record(cast, **kw)


def grant(world, day, reason="停电，次日补录"):
    return entry_grant_late(village=world.village, day=day, granted_by=world.station, reason=reason)
