"""Coverage (R2: every member can view): villages with their points, members, members without
a point and faulty equipment. It counts both the org tree and the roster, so it lives above
both; the village list, the coverage page (views.py) and the home page show it."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from dianjiao.members.models import Member
from dianjiao.orgs.models import Equipment, ViewingPoint, Village


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


def unassigned_count():
    """Per village, its active members reached by no viewing point (a subquery)."""
    return _count(Member.objects.filter(active=True, point__isnull=True))


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


def unassigned_members(user):
    return (
        Member.objects.visible_to(user)
        .active()
        .filter(point__isnull=True)
        .select_related("village")
    )
