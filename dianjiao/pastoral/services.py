"""Writes of campaigns and their pastoral points: the station's, one transaction each,
`full_clean()`, Chinese refusals keyed by field; the audit trail records every save."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dianjiao.accounts.models import User
from dianjiao.accounts.scope import require_station
from dianjiao.orgs.models import ViewingPoint, Village
from dianjiao.plans.models import AnnualPlan

from .models import Campaign, PastoralPoint

DEFAULT_TARGET_HOURS = 30  # R13: at least 30 hours of teaching plus viewing


def plan_target_hours(township, year: int) -> int:
    """The year's plan's pastoral hours (AnnualPlan.pastoral_hours), else R13's 30."""
    hours = (
        AnnualPlan.objects.filter(township=township, year=year)
        .values_list("pastoral_hours", flat=True)
        .first()
    )
    return hours or DEFAULT_TARGET_HOURS


@transaction.atomic
def campaign_create(
    *,
    user: User,
    township,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    staff=(),
    target_hours: int | None = None,
    notes: str = "",
) -> Campaign:
    """A campaign for a migration season; its target defaults to the year's plan."""
    require_station(user, township)
    if target_hours is None and isinstance(starts_on, dt.date):
        target_hours = plan_target_hours(township, starts_on.year)
    campaign = Campaign(
        township=township,
        name=(name or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        target_hours=target_hours or DEFAULT_TARGET_HOURS,
        notes=(notes or "").strip(),
        created_by=user,
    )
    campaign.full_clean()
    campaign.save()
    staff = list(staff)
    foreign = [u for u in staff if u.township_id != township.pk]
    if foreign:
        raise ValidationError({"staff": _("工作人员须是本乡的用户")})
    campaign.staff.set(staff)
    return campaign


@transaction.atomic
def point_add(
    *,
    user: User,
    campaign: Campaign,
    name: str,
    river_area: str,
    villages,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    viewing_points=None,
) -> PastoralPoint:
    """A camp of `campaign`, the villages whose herders gather there, and the viewing points whose
    sessions count for it (default: those villages' active pastoral points not yet at another camp
    of the campaign). A viewing point counts for one camp of a campaign only, so no hour is counted
    twice."""
    require_station(user, campaign.township_id)
    villages = list(villages)
    errors: dict[str, list[str]] = {}
    if not villages:
        errors["villages"] = [_("请选择在此聚集的牧业村")]
    elif any(v.township_id != campaign.township_id for v in villages):
        errors["villages"] = [_("只能选择本乡的村")]
    taken = set(
        PastoralPoint.viewing_points.through.objects.filter(
            pastoralpoint__campaign=campaign
        ).values_list("viewingpoint_id", flat=True)
    )
    if viewing_points is None:
        viewing_points = [
            p
            for p in ViewingPoint.objects.filter(
                village__in=villages, kind=ViewingPoint.Kind.PASTORAL, active=True
            )
            if p.pk not in taken
        ]
    viewing_points = list(viewing_points)
    village_ids = {v.pk for v in villages}
    if any(p.village_id not in village_ids for p in viewing_points):
        errors["viewing_points"] = [_("播放点须属于所选的村")]
    elif any(p.pk in taken for p in viewing_points):
        errors["viewing_points"] = [_("该播放点已属于本次活动的另一个牧业点")]
    point = PastoralPoint(
        campaign=campaign,
        name=(name or "").strip(),
        river_area=river_area,
        latitude=latitude,
        longitude=longitude,
    )
    try:
        point.full_clean()
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    point.save()
    point.villages.set(villages)
    point.viewing_points.set(viewing_points)
    return point


def pastoral_villages(township) -> list[Village]:
    return list(Village.objects.filter(township=township, is_pastoral=True))
