"""What every part of the film library's services shares: the clock, the local day, a validated
save, the date as pages write it."""

import datetime as dt

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _


def now_or(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def local_day(at: dt.datetime) -> dt.date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def cn_date(day: dt.date | dt.datetime) -> str:
    """2026年3月5日, as Chinese pages write dates (a datetime is taken in the configured zone)."""
    if isinstance(day, dt.datetime):
        day = local_day(day)
    return dateformat.format(day, _("Y年n月j日"))


def save(obj, **clean_kwargs):
    obj.full_clean(**clean_kwargs)
    obj.save()
    return obj
