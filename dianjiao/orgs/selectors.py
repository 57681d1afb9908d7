"""Reads for the org pages: each runs a fixed number of queries whatever the township's size."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from dianjiao.members.models import Member

from .models import Equipment, ViewingPoint, Village


def _count(queryset):
    """Rows of `queryset` per village, as a subquery (no join fan-out, one query in all)."""
    path = queryset.model.scope_village_path
    sub = (
        queryset.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def villages_with_coverage(user):
    """Villages the user sees, each with points, members, members without a point, and
    equipment out of order."""
    members = Member.objects.filter(active=True)
    return (
        Village.objects.visible_to(user)
        .select_related("township")
        .annotate(
            n_points=_count(ViewingPoint.objects.filter(active=True)),
            n_members=_count(members),
            n_unassigned=_count(members.filter(point__isnull=True)),
            n_pastoral_members=_count(members.filter(mobility=Member.Mobility.PASTORAL)),
            n_faulty=_count(Equipment.objects.filter(condition__in=Equipment.OUT_OF_ORDER)),
        )
    )


def coverage_totals(villages) -> dict:
    keys = ["n_points", "n_members", "n_unassigned", "n_faulty"]
    totals = {k: sum(getattr(v, k) for v in villages) for k in keys}
    totals["n_villages"] = len(villages)
    reached = totals["n_members"] - totals["n_unassigned"]
    totals["reach_pct"] = (
        round(100 * reached / totals["n_members"], 1) if totals["n_members"] else None
    )
    return totals


def faulty_equipment(user):
    return (
        Equipment.objects.visible_to(user)
        .filter(condition__in=Equipment.OUT_OF_ORDER)
        .select_related("point", "village")
        .order_by("village__sort_order", "point__name", "kind")
    )


def unassigned_members(user):
    return (
        Member.objects.visible_to(user)
        .active()
        .filter(point__isnull=True)
        .select_related("village")
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
