"""Announcements of new films to the township's villages."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dianjiao.accounts.models import User
from dianjiao.accounts.scope import require_station
from dianjiao.films.models import (
    Announcement,
    Film,
)
from dianjiao.orgs.models import Township

from .catalogue import check_films_for_township
from .common import local_day, now_or, save


def announcement_publish(
    *,
    user: User,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    films: Iterable[Film],
    note: str = "",
    township: Township | None = None,
    at: dt.datetime | None = None,
) -> Announcement:
    """Publish 供片信息: the films the station will supply for a coming period."""
    require_station(user)
    township = township or user.township
    if township is None:
        raise ValidationError({"township": _("请指定乡镇")})
    require_station(user, township.pk)
    at = now_or(at)
    films = list(films)
    if not films:
        raise ValidationError({"films": _("请至少选择一部电教片")})
    check_films_for_township(films, township.pk, "films")
    if period_end and period_end < local_day(at):
        raise ValidationError({"period_end": _("供片期已经结束，请填写即将到来的时段")})
    announcement = Announcement(
        township=township,
        title=(title or "").strip(),
        period_start=period_start,
        period_end=period_end,
        note=note,
        published_at=at,
        published_by=user,
    )
    with transaction.atomic():
        save(announcement)
        announcement.films.set(films)
    return announcement
