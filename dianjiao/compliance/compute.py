"""Compliance with the year's plan, computed from the records (never typed in).

Every read here runs a fixed number of queries whatever the number of villages, sessions and
members (pinned by assertNumQueries tests), and the database does the counting: sessions are
aggregated per village and month with GROUP BY, and the coverage (who was expected, who watched)
is read from the cells the services keep per village and month as attendance is written
(teaching.rollups), so no attendance row is read at all. Only the key-film sessions come back one by one, because whether their four-ring record
is complete is the model's rule (ViewingSession.four_ring_complete)."""

import datetime as dt

from django.db.models import Count, Q

from dianjiao.infoitems.selectors import items_per_village_month
from dianjiao.lib.dates import month_of, year_bounds
from dianjiao.orgs.models import Village
from dianjiao.pastoral.selectors import pastoral_minutes_by_village
from dianjiao.plans.models import AnnualPlan, VillageWorkPlan
from dianjiao.reports.models import QuarterlyReport
from dianjiao.reports.selectors import quarter_ended
from dianjiao.teaching.models import MonthlyCoverage, MonthlyFeedback, ViewingSession

from .figures import (
    COUNTED,
    DEFAULTS,
    MONTHS,
    QUARTERS,
    Cell,
    Compliance,
    QuarterCell,
    VillageRow,
    report_due,
)


def _state(year: int, month: int, as_of: dt.date) -> str:
    if (year, month) < (as_of.year, as_of.month):
        return "ended"
    return "open" if (year, month) == (as_of.year, as_of.month) else "future"


def _of_township(queryset, township_id: int | None):
    """`queryset` limited to one township's records (its model's scope path), or as it is."""
    if township_id is None:
        return queryset
    return queryset.filter(**{queryset.model.scope_township_path: township_id})


def compliance(user, *, year: int, as_of: dt.date, township: int | None = None) -> Compliance:
    """The villages × months matrix of `year` for the villages `user` sees (of one township only,
    given its id as `township`), with each village's quarterly reports, information items and
    pastoral teaching hours.

    Ten queries whatever the data: villages, the plans of the year, sessions counted per village
    and month, the key-film sessions (their four-ring record), feedback, the coverage kept per
    village and month, work plans, information items, reports, and the pastoral minutes the
    campaigns' ledger counts."""
    villages = list(
        _of_township(Village.objects.visible_to(user), township)
        .select_related("township")
        .order_by("township_id", "sort_order", "name")
    )
    township_ids = {v.township_id for v in villages}
    plans = {
        p.township_id: p for p in AnnualPlan.objects.filter(year=year, township_id__in=township_ids)
    }
    rows = {}
    for v in villages:
        plan = plans.get(v.township_id) or DEFAULTS
        cells = [
            Cell(
                v.pk, year, m, _state(year, m, as_of), info_target=plan.info_items_per_village_month
            )
            for m in MONTHS
        ]
        quarters = [
            QuarterCell(q, report_due(year, q, plan), as_of, quarter_ended(year, q, as_of))
            for q in QUARTERS
        ]
        rows[v.pk] = VillageRow(v, cells, quarters=quarters)
    start, end = year_bounds(year)

    sessions = _of_township(
        ViewingSession.objects.visible_to(user).filter(
            held_at__gte=start, held_at__lt=end, kind__in=COUNTED
        ),
        township,
    ).annotate(month=month_of("held_at", year))
    for village_id, month, n, key in (
        sessions.order_by()
        .values_list("village_id", "month")
        .annotate(n=Count("pk"), key=Count("pk", filter=Q(key_session=True)))
    ):
        if village_id in rows:
            cell = rows[village_id].cells[month - 1]
            cell.sessions, cell.key_sessions = n, key
    for s in sessions.filter(key_session=True).with_four_ring():
        if s.village_id in rows and not s.four_ring_complete:
            rows[s.village_id].cells[s.month - 1].key_incomplete += 1

    for village_id, month in (
        _of_township(MonthlyFeedback.objects.visible_to(user), township)
        .filter(year=year)
        .values_list("village_id", "month")
        .distinct()
    ):
        if village_id in rows:
            rows[village_id].cells[month - 1].feedback = True

    # Coverage (expected, and of them present): kept per village and month as the attendance
    # is written (teaching.rollups), read here rather than counted from a year of attendance.
    for village_id, month, expected, present in MonthlyCoverage.objects.filter(
        year=year, village_id__in=list(rows)
    ).values_list("village_id", "month", "expected", "present"):
        cell = rows[village_id].cells[month - 1]
        cell.expected, cell.present = expected, present

    for wp in (
        _of_township(VillageWorkPlan.objects.visible_to(user), township)
        .filter(year=year)
        .select_related("submitted_by")
        .order_by("village_id", "-version")
    ):
        if wp.village_id in rows and rows[wp.village_id].workplan is None:
            rows[wp.village_id].workplan = wp

    for (village_id, month), n in items_per_village_month(township_ids, year).items():
        if village_id in rows:
            rows[village_id].cells[month - 1].info_items = n

    for village_id, quarter, status, pk in (
        _of_township(QuarterlyReport.objects.visible_to(user), township)
        .filter(year=year)
        .values_list("village_id", "quarter", "status", "pk")
    ):
        if village_id in rows:
            q = rows[village_id].quarters[quarter - 1]
            q.status, q.report_id = status, pk

    # R13's hours are the campaigns' ledger's (teaching plus viewing), not every pastoral session.
    for village_id, minutes in pastoral_minutes_by_village(user, year=year).items():
        if village_id in rows:
            rows[village_id].pastoral_minutes = minutes.total

    single = plans.get(next(iter(township_ids))) if len(township_ids) == 1 else None
    return Compliance(year, as_of, list(rows.values()), single, plans)
