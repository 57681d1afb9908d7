"""The demo township's pastoral mobile teaching (R13): last migration season's campaign, finished,
and an open one.

The sessions are the year's history (demo/teaching.py records a pastoral session with teaching
time, 授课, at each of the pastoral villages' mobile points in every migration month, May to
October, so last season's ledger holds over 30 hours of teaching plus viewing); the campaigns only
group them by camp, as the station would: the 乌伦古河 camp for 阿克达拉村 and 喀拉玛盖村, the
额尔齐斯河 camp for 阔克阿尕什村 and 齐干套克村. The open campaign is the winter pastures' (November
to April) or, in a migration month, the current season's."""

import datetime as dt
from decimal import Decimal

from dianjiao.accounts.models import Role, User
from dianjiao.pastoral import services
from dianjiao.pastoral.models import Campaign, PastoralPoint

# (camp, river area, latitude, longitude, villages)
CAMPS = [
    (
        "乌伦古河春秋牧场",
        PastoralPoint.River.ULUNGUR,
        "46.98120",
        "87.41550",
        ("阿克达拉村", "喀拉玛盖村"),
    ),
    (
        "额尔齐斯河冬牧场",
        PastoralPoint.River.IRTYSH,
        "47.10430",
        "87.56210",
        ("阔克阿尕什村", "齐干套克村"),
    ),
]


def _seasons(as_of: dt.date) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """(the last finished migration season, the open campaign's dates) as of `as_of`."""
    year = as_of.year if as_of > dt.date(as_of.year, 10, 31) else as_of.year - 1
    last = (dt.date(year, 5, 1), dt.date(year, 10, 31))
    if 5 <= as_of.month <= 10:
        return last, (dt.date(as_of.year, 5, 1), dt.date(as_of.year, 10, 31))
    start = dt.date(as_of.year if as_of.month >= 11 else as_of.year - 1, 11, 1)
    return last, (start, dt.date(start.year + 1, 4, 30))


def _campaign(station, township, name, dates, villages, staff) -> Campaign:
    campaign = services.campaign_create(
        user=station,
        township=township,
        name=name,
        starts_on=dates[0],
        ends_on=dates[1],
        staff=staff,
    )
    pastoral = [v for v in villages.values() if v.is_pastoral]
    for i, (camp, river, lat, lon, names) in enumerate(CAMPS):
        # The demo township's named villages; elsewhere (demo/scale.py) its pastoral villages
        # take turns.
        chosen = [villages[n] for n in names if n in villages] or pastoral[i :: len(CAMPS)]
        if not chosen:
            continue
        services.point_add(
            user=station,
            campaign=campaign,
            name=camp,
            river_area=river,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            villages=chosen,
        )
    return campaign


def build_pastoral(*, township, villages: dict, as_of: dt.date) -> list[Campaign]:
    """Two campaigns of `township` (villages by name), written through the pastoral services."""
    station = User.objects.filter(township=township, role=Role.STATION_ADMIN).order_by("pk").first()
    operators = list(
        User.objects.filter(village__in=[v for v in villages.values() if v.is_pastoral]).order_by(
            "pk"
        )
    )
    last, current = _seasons(as_of)
    return [
        _campaign(
            station,
            township,
            f"{last[0].year}年转场牧区流动教学",
            last,
            villages,
            [station, *operators],
        ),
        _campaign(
            station,
            township,
            f"{current[0].year}年{'转场' if current[0].month == 5 else '冬牧场'}牧区流动教学",
            current,
            villages,
            [station, *operators],
        ),
    ]
