"""Reads of campaigns: the ledger (teaching and viewing minutes per campaign, camp and pastoral
village, against the target), its drill-down to sessions, and the hours compliance reads.

Everything is summed in the database from the sessions themselves (GROUP BY), each read in a
fixed number of queries."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from dianjiao.orgs.models import Village
from dianjiao.teaching.models import ViewingSession

from .models import Campaign, PastoralPoint

Through = PastoralPoint.viewing_points.through


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first 00:00, the day after last 00:00) in the configured zone."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return start, end


def _hours(minutes: int) -> float:
    return round(minutes / 60, 1)


@dataclass
class Hours:
    sessions: int = 0
    duration: int = 0  # minutes, teaching plus viewing
    teaching: int = 0  # minutes of teaching (授课)

    @property
    def viewing(self) -> int:
        return self.duration - self.teaching

    @property
    def teaching_hours(self) -> float:
        return _hours(self.teaching)

    @property
    def viewing_hours(self) -> float:
        return _hours(self.viewing)

    @property
    def total_hours(self) -> float:
        return _hours(self.duration)

    def add(self, sessions: int, duration: int, teaching: int) -> None:
        self.sessions += sessions
        self.duration += duration
        self.teaching += teaching


@dataclass
class Row:
    obj: object  # a PastoralPoint or a Village
    hours: Hours
    target_hours: int

    @property
    def met(self) -> bool:
        return self.hours.duration >= self.target_hours * 60

    @property
    def pct(self) -> float:
        return round(100 * self.hours.duration / (self.target_hours * 60), 1)


@dataclass
class Ledger:
    campaign: Campaign
    total: Hours
    points: list[Row] = field(default_factory=list)
    villages: list[Row] = field(default_factory=list)

    @property
    def target_hours(self) -> int:
        return self.campaign.target_hours

    @property
    def met(self) -> bool:
        return self.total.duration >= self.target_hours * 60


def campaign_sessions(user, campaign: Campaign):
    """The campaign's sessions `user` sees, each annotated with `pastoral_point_id`: pastoral
    sessions at the camps' viewing points within the campaign's dates."""
    start, end = _bounds(campaign.starts_on, campaign.ends_on)
    camp = Through.objects.filter(
        pastoralpoint__campaign=campaign, viewingpoint_id=OuterRef("point_id")
    ).values("pastoralpoint_id")[:1]
    return (
        ViewingSession.objects.visible_to(user)
        .filter(
            kind=ViewingSession.Kind.PASTORAL,
            held_at__gte=start,
            held_at__lt=end,
            point_id__in=Through.objects.filter(pastoralpoint__campaign=campaign).values(
                "viewingpoint_id"
            ),
        )
        .annotate(pastoral_point_id=Subquery(camp))
    )


def campaign_ledger(user, campaign: Campaign) -> Ledger:
    """Teaching and viewing per camp and per pastoral village of the campaign, and in all, against
    the target. Three queries: the sums, the camps, their villages."""
    sums = (
        campaign_sessions(user, campaign)
        .order_by()
        .values("pastoral_point_id", "village_id")
        .annotate(
            n=Count("pk"),
            duration=Coalesce(Sum("duration_minutes"), 0),
            teaching=Coalesce(Sum("teaching_minutes"), 0),
        )
    )
    by_point: dict[int, Hours] = {}
    by_village: dict[int, Hours] = {}
    total = Hours()
    for row in sums:
        args = (row["n"], row["duration"], row["teaching"])
        by_point.setdefault(row["pastoral_point_id"], Hours()).add(*args)
        by_village.setdefault(row["village_id"], Hours()).add(*args)
        total.add(*args)
    points = list(campaign.points.prefetch_related("villages"))
    target = campaign.target_hours
    villages: dict[int, Village] = {}
    for p in points:
        for v in p.villages.all():
            villages[v.pk] = v
    visible = set(Village.objects.visible_to(user).values_list("pk", flat=True))
    return Ledger(
        campaign=campaign,
        total=total,
        points=[Row(p, by_point.get(p.pk, Hours()), target) for p in points],
        villages=[
            Row(v, by_village.get(v.pk, Hours()), target)
            for v in sorted(villages.values(), key=lambda v: (v.sort_order, v.name))
            if v.pk in visible
        ],
    )


def ledger_sessions(user, campaign: Campaign, *, point_id=None, village_id=None):
    """The sessions behind one figure of the ledger, oldest first."""
    qs = campaign_sessions(user, campaign).select_related("village", "point", "operator")
    if point_id:
        qs = qs.filter(pastoral_point_id=point_id)
    if village_id:
        qs = qs.filter(village_id=village_id)
    return qs.prefetch_related("films").order_by("held_at", "pk")


@dataclass
class VillageMinutes:
    teaching: int = 0
    viewing: int = 0

    @property
    def total(self) -> int:
        return self.teaching + self.viewing

    @property
    def hours(self) -> float:
        return _hours(self.total)


def pastoral_minutes_by_village(user, *, year: int) -> dict[int, VillageMinutes]:
    """R13's minutes per village for compliance and the dashboard: the sessions the campaigns
    starting in `year` count (the ledger's own rule), as {village id: teaching and viewing}.

    At most three queries: the campaigns, their viewing points, the sums."""
    campaigns = list(
        Campaign.objects.visible_to(user)
        .filter(starts_on__year=year)
        .values("pk", "starts_on", "ends_on")
    )
    points: dict[int, set[int]] = {}
    for campaign_id, point_id in Through.objects.filter(
        pastoralpoint__campaign_id__in=[c["pk"] for c in campaigns]
    ).values_list("pastoralpoint__campaign_id", "viewingpoint_id"):
        points.setdefault(campaign_id, set()).add(point_id)
    where = Q(pk__in=[])
    for c in campaigns:
        if points.get(c["pk"]):
            start, end = _bounds(c["starts_on"], c["ends_on"])
            where |= Q(point_id__in=points[c["pk"]], held_at__gte=start, held_at__lt=end)
    out: dict[int, VillageMinutes] = {}
    if not campaigns:
        return out
    rows = (
        ViewingSession.objects.visible_to(user)
        .filter(where, kind=ViewingSession.Kind.PASTORAL)
        .order_by()
        .values("village_id")
        .annotate(
            duration=Coalesce(Sum("duration_minutes"), 0),
            teaching=Coalesce(Sum("teaching_minutes"), 0),
        )
    )
    for r in rows:
        out[r["village_id"]] = VillageMinutes(r["teaching"], r["duration"] - r["teaching"])
    return out


def open_campaigns(user, today: dt.date):
    """Campaigns not yet ended, with their camps, for the phone's bootstrap (four queries)."""
    return (
        Campaign.objects.visible_to(user)
        .filter(ends_on__gte=today)
        .prefetch_related("points__villages", "points__viewing_points")
        .order_by("starts_on", "pk")
    )


def campaigns_for(user):
    return (
        Campaign.objects.visible_to(user)
        .annotate(n_points=Count("points"))
        .order_by("-starts_on", "pk")
    )
