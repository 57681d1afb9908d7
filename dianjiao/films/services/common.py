"""What every part of the film library's services shares: the clock, the local day, a validated
save."""

import datetime as dt

from django.utils import timezone


def now_or(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def local_day(at: dt.datetime) -> dt.date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def save(obj, **clean_kwargs):
    obj.full_clean(**clean_kwargs)
    obj.save()
    return obj
