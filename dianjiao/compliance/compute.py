"""Compliance with the year's plan, computed from the records (never typed in).

Every read here runs a fixed number of queries whatever the number of villages, sessions and
members (pinned by assertNumQueries tests): the records of the year are fetched once and
grouped in Python."""

import datetime as dt
from collections import defaultdict

from dianjiao.infoitems.selectors import items_per_village_month
from dianjiao.lib.dates import local_month, year_bounds
from dianjiao.orgs.models import Village
from dianjiao.pastoral.selectors import pastoral_minutes_by_village
from dianjiao.plans.models import AnnualPlan, VillageWorkPlan
from dianjiao.reports.models import QuarterlyReport
from dianjiao.reports.selectors import quarter_ended
from dianjiao.teaching.models import Attendance, MonthlyFeedback, ViewingSession

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


def compliance(user, *, year: int, as_of: dt.date) -> Compliance:
    """The villages × months matrix of `year` for the villages `user` sees, with each village's
    quarterly reports, information items and pastoral teaching hours.

    Ten queries whatever the data: villages, the plans of the year, sessions (with figures and,
    by with_figures, their films), feedback, expected attendance, work plans, information items,
    reports, and the pastoral minutes the campaigns' ledger counts."""
    villages = list(
        Village.objects.visible_to(user)
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

    sessions = (
        ViewingSession.objects.visible_to(user)
        .filter(held_at__gte=start, held_at__lt=end, kind__in=COUNTED)
        .with_figures()
    )
    session_month: dict = {}  # session id -> (village id, month), for the attendance below
    for s in sessions:
        if s.village_id not in rows:
            continue
        row = rows[s.village_id]
        session_month[s.pk] = (s.village_id, local_month(s.held_at)[1])
        cell = row.cells[session_month[s.pk][1] - 1]
        cell.sessions += 1
        if s.is_key:
            cell.key_sessions += 1
            cell.key_incomplete += not s.four_ring_complete

    for village_id, month in (
        MonthlyFeedback.objects.visible_to(user)
        .filter(year=year)
        .values_list("village_id", "month")
        .distinct()
    ):
        if village_id in rows:
            rows[village_id].cells[month - 1].feedback = True

    # Coverage: of the members expected at a viewing of the month, who was present at least once.
    expected: dict[tuple[int, int], set] = defaultdict(set)
    present: dict[tuple[int, int], set] = defaultdict(set)
    att = (
        Attendance.objects.visible_to(user)
        .filter(
            session__held_at__gte=start,
            session__held_at__lt=end,
            session__kind__in=COUNTED,
        )
        .values_list("session_id", "member_id", "member__village_id", "expected", "status")
    )
    for session_id, member_id, member_village_id, is_expected, status in att:
        key = session_month.get(session_id)
        if key is None:
            continue
        if is_expected:
            expected[key].add(member_id)
        if status == Attendance.Status.PRESENT:
            # Counted for the member's own village: a herder seen at another village's pastoral
            # point (or a guest the station matched to them) has watched that month.
            present[(member_village_id, key[1])].add(member_id)
    for (village_id, month), members in expected.items():
        if village_id in rows:
            cell = rows[village_id].cells[month - 1]
            cell.expected = len(members)
            cell.present = len(members & present[(village_id, month)])

    for wp in (
        VillageWorkPlan.objects.visible_to(user)
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
        QuarterlyReport.objects.visible_to(user)
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
