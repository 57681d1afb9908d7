"""Reads for the logbook pages; each a fixed number of queries however long the book."""

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone

from dianjiao.lib.forms import trim_search

from .models import LateEntryException, LogbookEntry


def period_bounds(year: int, month: int | None = None) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a month, or of the whole year, in the configured zone."""
    tz = timezone.get_default_timezone()
    if month is None:
        start, end = dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
    else:
        start = dt.datetime(year, month, 1)
        end = dt.datetime(year + (month == 12), month % 12 + 1, 1)
    return timezone.make_aware(start, tz), timezone.make_aware(end, tz)


def book_entries(user, village, *, bounds=None, q: str = ""):
    """A village's entries in seq order, with what each corrects, the exception it was admitted
    under, and the corrections made to it (one query for the page, one for the corrections)."""
    entries = (
        LogbookEntry.objects.visible_to(user)
        .filter(village=village)
        .select_related("corrects", "late_exception")
        .prefetch_related(
            Prefetch(
                "corrections",
                queryset=LogbookEntry.objects.order_by("seq").only(
                    "id",
                    "seq",
                    "title",
                    "reason",
                    "occurred_at",
                    "corrects_id",
                    "village_id",
                ),
            )
        )
        .order_by("seq")
    )
    if bounds:
        entries = entries.filter(occurred_at__gte=bounds[0], occurred_at__lt=bounds[1])
    if q := trim_search(q):
        entries = entries.filter(
            Q(title__icontains=q)
            | Q(author_label__icontains=q)
            | Q(reason__icontains=q)
            | Q(body__text__icontains=q)
        )
    return entries


def exceptions_for(user):
    return (
        LateEntryException.objects.visible_to(user)
        .select_related("village", "granted_by")
        .order_by("-granted_at", "-pk")
    )


def capture_doubts_for(user):
    """Entries whose device capture time cannot be believed (LogbookEntry.capture_doubts), for
    the station's review on the exceptions page; the same rules, in the database."""
    from django.conf import settings
    from django.db.models import DateField, F
    from django.db.models.fields.json import KeyTextTransform, KeyTransform
    from django.db.models.functions import Cast, TruncDate
    from django.utils import timezone

    from .services import CLOCK_TOLERANCE

    max_age = dt.timedelta(days=settings.DIANJIAO_OFFLINE_MAX_DAYS)
    return (
        LogbookEntry.objects.visible_to(user)
        .filter(captured_at__isnull=False)
        .annotate(
            campaign_start=Cast(
                KeyTextTransform("starts_on", KeyTransform("campaign", "body")), DateField()
            ),
            captured_day=TruncDate("captured_at", tzinfo=timezone.get_current_timezone()),
        )
        .filter(
            Q(captured_at__gt=F("received_at") + CLOCK_TOLERANCE)
            | Q(captured_at__lt=F("occurred_at") - CLOCK_TOLERANCE)
            | Q(captured_at__lt=F("received_at") - max_age)
            | Q(campaign_start__gt=F("captured_day"))
        )
        .select_related("village")
        .prefetch_related("capture_reviews__reviewed_by")
        .order_by("-received_at")
    )
