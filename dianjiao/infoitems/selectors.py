"""Reads for the information-item pages and for compliance, each in a fixed number of queries."""

from django.db.models import Count

from dianjiao.lib.dates import month_of
from dianjiao.orgs.models import Township

from .models import InfoItem

LIST_RELATED = ("village", "sent_by")


def items_per_village_month(townships, year: int) -> dict[tuple[int, int], int]:
    """(village_id, month) -> items SENT that month in `year`, for a Township or a collection of
    township ids. An item counts in the month it was first sent: a resend after a return is a new
    version of the same item, not a new item. Months are in the configured time zone. One query."""
    ids = [townships.pk] if isinstance(townships, Township) else list(townships)
    rows = (
        InfoItem.objects.filter(township_id__in=ids, sent_at__year=year)
        .annotate(month=month_of("sent_at", year))
        .values("village_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(r["village_id"], r["month"]): r["n"] for r in rows}


def items_for(user):
    """What the user manages: the station its township's items, a village its own (what it
    reads of other villages, their published items, is the published list)."""
    items = InfoItem.objects.visible_to(user)
    village_id = getattr(user, "village_id", None)
    if village_id and not user.is_superuser:
        items = items.filter(village_id=village_id)
    return items.select_related(*LIST_RELATED)


def published_for(user):
    return (
        InfoItem.objects.visible_to(user)
        .filter(status=InfoItem.Status.PUBLISHED)
        .select_related(*LIST_RELATED, "published_by")
        .order_by("-published_at", "-pk")
    )
