"""Reads for the org pages: each runs a fixed number of queries whatever the township's size.
Counts of members per village (coverage) are in dianjiao.compliance.coverage, above members."""

from django.db.models import Count, Q

from .models import Equipment, ViewingPoint


def faulty_equipment(user):
    return (
        Equipment.objects.visible_to(user)
        .filter(condition__in=Equipment.OUT_OF_ORDER)
        .select_related("point", "village")
        .order_by("village__sort_order", "point__name", "kind")
    )


def points_of(village, user):
    """A village's points with their equipment, and counts, in two queries."""
    return (
        ViewingPoint.objects.visible_to(user)
        .filter(village=village)
        .annotate(
            n_members=Count("members", filter=Q(members__active=True), distinct=True),
            n_faulty=Count(
                "equipment",
                filter=Q(equipment__condition__in=Equipment.OUT_OF_ORDER),
                distinct=True,
            ),
            n_equipment=Count(
                "equipment",
                filter=~Q(equipment__condition=Equipment.Condition.RETIRED),
                distinct=True,
            ),
        )
    )
