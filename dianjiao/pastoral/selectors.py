"""Reads of campaigns: the ledger (teaching and viewing minutes per campaign, camp and pastoral
village, against the target), its drill-down to sessions, and the hours compliance reads.

Everything is summed in the database from the sessions themselves (GROUP BY), each read in a
fixed number of queries."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
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
    starting in `year` count (the ledger's own rule: a pastoral session at one of a camp's viewing
    points on a day within the campaign's dates, judged in the configured zone), as {village id:
    teaching and viewing}. A session that two campaigns of the year would count is counted once.

    One query whatever the data (a campaign's camps and dates are matched inside it), so the
    pages that read it keep a fixed number of queries."""
    zone = timezone.get_default_timezone()
    campaigns = Campaign.objects.visible_to(user).filter(starts_on__year=year)
    camp = Through.objects.filter(
        viewingpoint_id=OuterRef("point_id"),
        pastoralpoint__campaign__in=campaigns,
        pastoralpoint__campaign__starts_on__lte=OuterRef("held_on"),
        pastoralpoint__campaign__ends_on__gte=OuterRef("held_on"),
    )
    # A campaign starts in `year` and lasts at most a year: its sessions fall within these bounds.
    start, end = _bounds(dt.date(year, 1, 1), dt.date(year + 2, 1, 1))
    rows = (
        ViewingSession.objects.visible_to(user)
        .filter(kind=ViewingSession.Kind.PASTORAL, held_at__gte=start, held_at__lt=end)
        .annotate(held_on=TruncDate("held_at", tzinfo=zone))
        .filter(Exists(camp))
        .order_by()
        .values("village_id")
        .annotate(
            duration=Coalesce(Sum("duration_minutes"), 0),
            teaching=Coalesce(Sum("teaching_minutes"), 0),
        )
    )
    return {
        r["village_id"]: VillageMinutes(r["teaching"], r["duration"] - r["teaching"]) for r in rows
    }


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


def campaign_of_capture(point_id: int, held_at: dt.datetime, received_at: dt.datetime):
    """The campaign a pastoral session captured at `point_id` belongs to, for judging its capture
    time (one query): the campaign of that point's camp whose dates hold the session's day, else
    the one of its campaigns most recently begun by the day the server received it; None when
    the point is at no camp (or no campaign had begun)."""
    held_day = timezone.localtime(held_at).date()
    received_day = timezone.localtime(received_at).date()
    campaigns = list(
        Campaign.objects.filter(points__viewing_points=point_id)
        .distinct()
        .order_by("-starts_on", "-pk")
    )
    for c in campaigns:
        if c.starts_on <= held_day <= c.ends_on:
            return c
    return next((c for c in campaigns if c.starts_on <= received_day), None)
