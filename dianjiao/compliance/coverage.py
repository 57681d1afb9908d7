"""Coverage (R2: every member can view): villages with their points, members, members without
a point and faulty equipment. It counts both the org tree and the roster, so it lives above
both; the village list, the coverage page (views.py) and the home page show it."""

import dataclasses

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from dianjiao.members.models import Member
from dianjiao.orgs.models import Equipment, Township, ViewingPoint, Village


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


# The figures of villages_with_coverage, each from one of the grouped counts below.
COVERAGE_FIGURES = ("n_points", "n_members", "n_unassigned", "n_pastoral_members", "n_faulty")


def _grouped(villages):
    """The counts of each table per village, over `villages` (a queryset of ids): one GROUP BY
    per table, members counted once with a filtered count per figure."""
    active = Q(active=True)
    return [
        Member.objects.filter(village__in=villages)
        .order_by()
        .values("village_id")
        .annotate(
            n_members=Count("pk", filter=active),
            n_unassigned=Count("pk", filter=active & Q(point__isnull=True)),
            n_pastoral_members=Count("pk", filter=active & Q(mobility=Member.Mobility.PASTORAL)),
        ),
        ViewingPoint.objects.filter(village__in=villages, active=True)
        .order_by()
        .values("village_id")
        .annotate(n_points=Count("pk")),
        Equipment.objects.filter(village__in=villages, condition__in=Equipment.OUT_OF_ORDER)
        .order_by()
        .values("village_id")
        .annotate(n_faulty=Count("pk")),
    ]


def _coverage_sql(user, township: int | None = None) -> tuple[str, tuple] | None:
    """One statement: the villages `user` sees (of `township` only, when given; every column)
    left-joined to one grouped count per table (members, points, equipment), each over those
    villages only; None when the user sees no village at all (no county, no village set).
    Correlated counts, one per village and figure, cost ~5 lookups a village; grouped, each table
    is read once for all of them."""
    visible = Village.objects.visible_to(user).order_by()
    if township is not None:
        visible = visible.filter(township_id=township)
    try:
        villages_sql, params = visible.query.sql_with_params()
    except EmptyResultSet:
        return None
    ids = visible.values("pk")
    q = connection.ops.quote_name
    joins, figures = [], []
    for i, counts in enumerate(_grouped(ids)):
        sql, more = counts.query.sql_with_params()
        alias = f"c{i}"
        joins.append(f"LEFT JOIN ({sql}) {alias} ON {alias}.{q('village_id')} = v.{q('id')}")
        params = (*params, *more)
        figures += [
            f"COALESCE({alias}.{q(name)}, 0) AS {q(name)}" for name in counts.query.annotations
        ]
    return f"SELECT v.*, {', '.join(figures)} FROM ({villages_sql}) v {' '.join(joins)}", params


def villages_with_coverage(user, township: int | None = None):
    """Villages the user sees (of `township` only, when given; in the villages' order), each with
    points, members, members without a point, pastoral members and equipment out of order
    (COVERAGE_FIGURES)."""
    built = _coverage_sql(user, township)
    if built is None:
        return Village.objects.none()
    sql, params = built
    q = connection.ops.quote_name
    order = ", ".join(f"v.{q(Village._meta.get_field(f).column)}" for f in Village._meta.ordering)
    return Village.objects.raw(f"{sql} ORDER BY {order}", params)


def coverage_totals(rows) -> dict:
    """The counts added up over `rows`: villages (one each) or TownshipCoverage lines."""
    keys = ["n_points", "n_members", "n_unassigned", "n_faulty"]
    totals = {k: sum(getattr(r, k) for r in rows) for k in keys}
    totals["n_villages"] = sum(getattr(r, "n_villages", 1) for r in rows)
    reached = totals["n_members"] - totals["n_unassigned"]
    totals["reach_pct"] = (
        round(100 * reached / totals["n_members"], 1) if totals["n_members"] else None
    )
    return totals


@dataclasses.dataclass
class TownshipCoverage:
    township: Township
    n_villages: int = 0
    n_points: int = 0
    n_members: int = 0
    n_unassigned: int = 0
    n_pastoral_members: int = 0
    n_faulty: int = 0


def townships_with_coverage(user) -> list[TownshipCoverage]:
    """The counts of villages_with_coverage added up by township, in the order the dashboard
    lists townships (by id), for a user who sees several: the county's pages list their
    townships, not their hundred and fifty villages. Two queries (the sums, the names)."""
    built = _coverage_sql(user)
    if built is None:
        return []
    sql, params = built
    q = connection.ops.quote_name
    sums = ", ".join(f"SUM({q(name)})" for name in COVERAGE_FIGURES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q('township_id')}, COUNT(*), {sums} FROM ({sql}) t "
            f"GROUP BY {q('township_id')}",
            params,
        )
        sums_of = {row[0]: row[1:] for row in cursor.fetchall()}
    rows = []
    for township in Township.objects.filter(pk__in=sums_of).order_by("pk"):
        n_villages, *figures = sums_of[township.pk]
        line = TownshipCoverage(township, n_villages)
        for name, value in zip(COVERAGE_FIGURES, figures, strict=True):
            setattr(line, name, int(value or 0))
        rows.append(line)
    return rows


def unassigned_members(user):
    return (
        Member.objects.visible_to(user)
        .active()
        .filter(point__isnull=True)
        .select_related("village")
    )
