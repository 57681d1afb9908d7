"""Compliance with the year's plan, computed from the records (never typed in).

Every read here runs a fixed number of queries whatever the number of villages, sessions and
members (pinned by assertNumQueries tests): the records of the year are fetched once and
grouped in Python."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dianjiao.infoitems.models import InfoItem
from dianjiao.infoitems.selectors import items_per_village_month
from dianjiao.orgs.models import Township, Village
from dianjiao.reports.models import QuarterlyReport
from dianjiao.reports.selectors import SENT, due_date, quarter_ended
from dianjiao.teaching.models import Attendance, MonthlyFeedback, ViewingSession
from dianjiao.teaching.selectors import local_month, month_bounds, year_bounds

from .models import AnnualPlan, VillageWorkPlan

COUNTED = ViewingSession.COUNTED_KINDS
MONTHS = range(1, 13)
QUARTERS = (1, 2, 3, 4)
# The plan's defaults, used for a township that has no plan for the year yet.
DEFAULTS = AnnualPlan(township=None, year=2000)


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Cell:
    """One village in one month."""

    village_id: int
    year: int
    month: int
    state: str  # "future", "open" (the current month), "ended"
    sessions: int = 0
    key_sessions: int = 0
    key_incomplete: int = 0
    feedback: bool = False
    info_items: int = 0
    info_target: int = 1
    expected: int = 0  # distinct members expected at a viewing of the month
    present: int = 0  # of those, present at least once in the month

    @property
    def held(self) -> bool:
        return self.sessions > 0

    @property
    def four_ring_ok(self) -> bool | None:
        return None if not self.key_sessions else self.key_incomplete == 0

    @property
    def coverage(self) -> float | None:
        return _pct(self.present, self.expected)

    @property
    def info_ok(self) -> bool:
        return self.info_items >= self.info_target

    @property
    def month_value(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def missed(self) -> bool:
        """An ended month without a viewing."""
        return self.state == "ended" and not self.held


def report_due(year: int, quarter: int, plan: AnnualPlan | None) -> dt.date:
    """The last day a village may file its report of the quarter (R11), by the plan's days of grace."""
    return due_date(year, quarter, (plan or DEFAULTS).quarterly_report_due_days)


@dataclass
class QuarterCell:
    """One village's report of one quarter."""

    quarter: int
    due: dt.date
    as_of: dt.date
    ended: bool
    report_id: int | None = None
    status: str = ""  # a QuarterlyReport.Status, or "" when none was started

    @property
    def sent(self) -> bool:
        return self.status in SENT

    @property
    def overdue(self) -> bool:
        return self.ended and not self.sent and self.as_of > self.due

    @property
    def label(self) -> str:
        if not self.ended:
            return _("未到期")
        if self.status:
            return QuarterlyReport.Status(self.status).label
        return _("逾期未报") if self.overdue else _("未填报")


@dataclass
class VillageRow:
    village: Village
    cells: list[Cell] = field(default_factory=list)
    workplan: VillageWorkPlan | None = None
    quarters: list[QuarterCell] = field(default_factory=list)
    pastoral_minutes: int = 0

    def _ended(self):
        return [c for c in self.cells if c.state == "ended"]

    @property
    def months_ended(self) -> int:
        return len(self._ended())

    @property
    def months_held(self) -> int:
        return sum(c.held for c in self._ended())

    @property
    def feedback_sent(self) -> int:
        return sum(c.feedback for c in self._ended())

    @property
    def key_incomplete(self) -> int:
        return sum(c.key_incomplete for c in self.cells)

    @property
    def expected(self) -> int:
        return sum(c.expected for c in self.cells)

    @property
    def present(self) -> int:
        return sum(c.present for c in self.cells)

    @property
    def coverage(self) -> float | None:
        return _pct(self.present, self.expected)

    @property
    def behind(self) -> bool:
        return self.months_held < self.months_ended

    @property
    def info_items(self) -> int:
        return sum(c.info_items for c in self.cells)

    @property
    def info_months_short(self) -> int:
        """Ended months with fewer information items than the plan asks for."""
        return sum(not c.info_ok for c in self._ended())

    @property
    def reports_due(self) -> int:
        return sum(q.ended for q in self.quarters)

    @property
    def reports_sent(self) -> int:
        return sum(q.sent for q in self.quarters)

    @property
    def reports_overdue(self) -> int:
        return sum(q.overdue for q in self.quarters)

    @property
    def pastoral_hours(self) -> float:
        return round(self.pastoral_minutes / 60, 1)


class PastoralTotals:
    """R13's hours over `rows`, against `plan` (the default target without one)."""

    rows: list
    plan: AnnualPlan | None

    @property
    def pastoral_hours(self) -> float:
        return round(sum(r.pastoral_minutes for r in self.rows) / 60, 1)

    @property
    def pastoral_target(self) -> int:
        return (self.plan or DEFAULTS).pastoral_hours


@dataclass
class Compliance(PastoralTotals):
    year: int
    as_of: dt.date
    rows: list[VillageRow]
    plan: AnnualPlan | None  # the plan, when the rows are of one township
    plans: dict = field(default_factory=dict)  # township id -> AnnualPlan of the year

    @property
    def months(self):
        return list(MONTHS)

    def monthly_coverage(self) -> list[tuple[int, float | None, int, int]]:
        """(month, % of expected members present at least once, expected, present) over all villages."""
        out = []
        for m in MONTHS:
            exp = sum(r.cells[m - 1].expected for r in self.rows)
            pre = sum(r.cells[m - 1].present for r in self.rows)
            out.append((m, _pct(pre, exp), exp, pre))
        return out

    def behind(self) -> list[VillageRow]:
        return [r for r in self.rows if r.behind]

    def by_township(self) -> list["TownshipRow"]:
        groups: dict[int, list[VillageRow]] = defaultdict(list)
        for r in self.rows:
            groups[r.village.township_id].append(r)
        return [
            TownshipRow(rows[0].village.township, rows, self.plans.get(rows[0].village.township_id))
            for rows in groups.values()
        ]


@dataclass
class TownshipRow(PastoralTotals):
    township: Township
    rows: list[VillageRow]
    plan: AnnualPlan | None = None

    @property
    def villages(self) -> int:
        return len(self.rows)

    @property
    def months_ended(self) -> int:
        return sum(r.months_ended for r in self.rows)

    @property
    def months_held(self) -> int:
        return sum(r.months_held for r in self.rows)

    @property
    def held_pct(self) -> float | None:
        return _pct(self.months_held, self.months_ended)

    @property
    def feedback_sent(self) -> int:
        return sum(r.feedback_sent for r in self.rows)

    @property
    def feedback_pct(self) -> float | None:
        return _pct(self.feedback_sent, self.months_ended)

    @property
    def key_incomplete(self) -> int:
        return sum(r.key_incomplete for r in self.rows)

    @property
    def coverage(self) -> float | None:
        return _pct(sum(r.present for r in self.rows), sum(r.expected for r in self.rows))

    @property
    def behind(self) -> int:
        return sum(r.behind for r in self.rows)

    @property
    def workplans(self) -> int:
        return sum(r.workplan is not None for r in self.rows)

    @property
    def info_items(self) -> int:
        return sum(r.info_items for r in self.rows)

    @property
    def reports_sent(self) -> int:
        return sum(r.reports_sent for r in self.rows)

    @property
    def reports_due(self) -> int:
        return sum(r.reports_due for r in self.rows)


def _state(year: int, month: int, as_of: dt.date) -> str:
    if (year, month) < (as_of.year, as_of.month):
        return "ended"
    return "open" if (year, month) == (as_of.year, as_of.month) else "future"


def compliance(user, *, year: int, as_of: dt.date) -> Compliance:
    """The villages × months matrix of `year` for the villages `user` sees, with each village's
    quarterly reports, information items and pastoral teaching hours.

    Nine queries whatever the data: villages, the plans of the year, sessions (with figures and,
    by with_figures, their films), feedback, expected attendance, work plans, information items,
    reports."""
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
        if s.kind == ViewingSession.Kind.PASTORAL:
            row.pastoral_minutes += s.duration_minutes or 0

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
        .values_list("session_id", "member_id", "expected", "status")
    )
    for session_id, member_id, is_expected, status in att:
        key = session_month.get(session_id)
        if key is None:
            continue
        if is_expected:
            expected[key].add(member_id)
        if status == Attendance.Status.PRESENT:
            present[key].add(member_id)
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

    single = plans.get(next(iter(township_ids))) if len(township_ids) == 1 else None
    return Compliance(year, as_of, list(rows.values()), single, plans)


@dataclass
class Todo:
    village: Village | None
    text: str
    overdue: bool
    url_name: str = ""
    query: str = ""


def _reports_due(as_of: dt.date) -> list[tuple[int, int]]:
    """The quarters whose reports are asked for on `as_of`: every ended quarter of the year, and
    in the first quarter the last one of the year before."""
    out = [(as_of.year, q) for q in QUARTERS if quarter_ended(as_of.year, q, as_of)]
    return out or [(as_of.year - 1, 4)]


def todos(user, *, as_of: dt.date) -> list[Todo]:
    """What is overdue or due soon for the villages `user` sees: this month's viewing not held
    yet, last month's feedback not sent, this month's information items not sent, a quarterly
    report not filed (overdue after the plan's due day) or returned, the year's work plan
    missing; for the station also the year's plan not set, reports and information items waiting
    for review. Eight queries whatever the data."""
    year, month = as_of.year, as_of.month
    prev = (year, month - 1) if month > 1 else (year - 1, 12)
    villages = list(Village.objects.visible_to(user).order_by("township_id", "sort_order", "name"))
    township_ids = {v.township_id for v in villages}
    plans = {
        (p.township_id, p.year): p
        for p in AnnualPlan.objects.filter(year__in={year, year - 1}, township_id__in=township_ids)
    }
    start, end = month_bounds(year, month)
    held = set(
        ViewingSession.objects.visible_to(user)
        .filter(held_at__gte=start, held_at__lt=end, kind__in=COUNTED)
        .values_list("village_id", flat=True)
    )
    sent = set(
        MonthlyFeedback.objects.visible_to(user)
        .filter(year=prev[0], month=prev[1])
        .values_list("village_id", flat=True)
    )
    planned = set(
        VillageWorkPlan.objects.visible_to(user)
        .filter(year=year)
        .values_list("village_id", flat=True)
    )
    items = InfoItem.objects.visible_to(user).filter(
        sent_at__gte=start, sent_at__lt=end
    ) | InfoItem.objects.visible_to(user).filter(status=InfoItem.Status.SENT)
    item_rows = list(items.values_list("village_id", "sent_at", "status"))
    items_this_month: dict[int, int] = defaultdict(int)
    for village_id, sent_at, _status in item_rows:
        if start <= sent_at < end:
            items_this_month[village_id] += 1
    items_waiting = sum(status == InfoItem.Status.SENT for _v, _s, status in item_rows)
    asked = _reports_due(as_of)
    reports = {
        (v, y, q): st
        for v, y, q, st in QuarterlyReport.objects.visible_to(user)
        .filter(year__in={y for y, _q in asked})
        .values_list("village_id", "year", "quarter", "status")
    }
    reports_waiting = (
        QuarterlyReport.objects.visible_to(user)
        .filter(status=QuarterlyReport.Status.SUBMITTED)
        .count()
    )

    out: list[Todo] = []
    last_day = end.date() - dt.timedelta(days=1)
    days_left = (last_day - as_of).days
    prev_value = f"{prev[0]:04d}-{prev[1]:02d}"
    for v in villages:
        plan = plans.get((v.township_id, year))
        if v.pk not in held:
            out.append(
                Todo(
                    v,
                    ngettext(
                        "本月尚未组织收看（还剩%(days)d天）",
                        "本月尚未组织收看（还剩%(days)d天）",
                        days_left,
                    )
                    % {"days": days_left},
                    False,
                    "teaching:list",
                    f"village={v.pk}&month={year:04d}-{month:02d}",
                )
            )
        if v.pk not in sent:
            out.append(
                Todo(
                    v,
                    _("%(month)s月收看情况尚未反馈") % {"month": prev[1]},
                    True,
                    "teaching:feedback",
                    f"village={v.pk}&month={prev_value}",
                )
            )
        wanted = (plan or DEFAULTS).info_items_per_village_month
        if items_this_month[v.pk] < wanted:
            out.append(
                Todo(
                    v,
                    ngettext(
                        "本月电教信息已报%(n)d条，应报%(wanted)d条（还剩%(days)d天）",
                        "本月电教信息已报%(n)d条，应报%(wanted)d条（还剩%(days)d天）",
                        days_left,
                    )
                    % {"n": items_this_month[v.pk], "wanted": wanted, "days": days_left},
                    False,
                    "infoitems:list",
                    f"village={v.pk}&month={year:04d}-{month:02d}",
                )
            )
        for y, q in asked:
            status = reports.get((v.pk, y, q), "")
            if status in SENT:
                continue
            due = report_due(y, q, plans.get((v.township_id, y)))
            if status == QuarterlyReport.Status.RETURNED:
                text = _("%(year)d年第%(quarter)d季度报告被退回，请修改后重新上报") % {
                    "year": y,
                    "quarter": q,
                }
            else:
                text = _("%(year)d年第%(quarter)d季度报告尚未上报（截止%(due)s）") % {
                    "year": y,
                    "quarter": q,
                    "due": date_format(due, _("n月j日")),
                }
            out.append(
                Todo(v, text, as_of > due, "reports:list", f"year={y}&quarter={q}&village={v.pk}")
            )
        if v.pk not in planned:
            out.append(
                Todo(
                    v,
                    _("%(year)d年电教工作计划尚未报送") % {"year": year},
                    True,
                    "planning:workplans",
                    f"year={year}",
                )
            )
    if user.role == "station_admin":
        if reports_waiting:
            out.insert(
                0,
                Todo(
                    None,
                    ngettext("%(n)d份季度报告待审核", "%(n)d份季度报告待审核", reports_waiting)
                    % {"n": reports_waiting},
                    False,
                    "reports:list",
                    "status=submitted",
                ),
            )
        if items_waiting:
            out.insert(
                0,
                Todo(
                    None,
                    ngettext("%(n)d条电教信息待审核", "%(n)d条电教信息待审核", items_waiting)
                    % {"n": items_waiting},
                    False,
                    "infoitems:list",
                    "status=sent",
                ),
            )
        if user.township_id and (user.township_id, year) not in plans:
            out.insert(0, Todo(None, _("%(year)d年年度计划尚未制定") % {"year": year}, True))
    return sorted(out, key=lambda t: not t.overdue)  # overdue first, otherwise in village order
