"""Compliance with the year's plan, computed from the records (never typed in).

Every read here runs a fixed number of queries whatever the number of villages, sessions and
members (pinned by assertNumQueries tests): the records of the year are fetched once and
grouped in Python."""

import datetime as dt
import importlib.util
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dianjiao.orgs.models import Township, Village
from dianjiao.teaching.models import Attendance, MonthlyFeedback, ViewingSession
from dianjiao.teaching.selectors import local_month, month_bounds, year_bounds

from .models import AnnualPlan, VillageWorkPlan

COUNTED = ViewingSession.COUNTED_KINDS
MONTHS = range(1, 13)


def info_items_available() -> bool:
    return importlib.util.find_spec("dianjiao.infoitems.selectors") is not None and hasattr(
        importlib.import_module("dianjiao.infoitems.selectors"), "items_per_village_month")


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
    info_items: int | None = None
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
    def month_value(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def missed(self) -> bool:
        """An ended month without a viewing."""
        return self.state == "ended" and not self.held


@dataclass
class VillageRow:
    village: Village
    cells: list[Cell] = field(default_factory=list)
    workplan: VillageWorkPlan | None = None

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
    def info_items(self) -> int | None:
        counts = [c.info_items for c in self.cells if c.info_items is not None]
        return sum(counts) if counts else None


@dataclass
class Compliance:
    year: int
    as_of: dt.date
    rows: list[VillageRow]
    plan: AnnualPlan | None
    with_info: bool

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
        return [TownshipRow(rows[0].village.township, rows) for rows in groups.values()]


@dataclass
class TownshipRow:
    township: Township
    rows: list[VillageRow]

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


def _state(year: int, month: int, as_of: dt.date) -> str:
    if (year, month) < (as_of.year, as_of.month):
        return "ended"
    return "open" if (year, month) == (as_of.year, as_of.month) else "future"


def compliance(user, *, year: int, as_of: dt.date) -> Compliance:
    """The villages × months matrix of `year` for the villages `user` sees.

    Queries: villages, sessions (with figures), their films, feedback, expected attendance,
    work plans, the plan, and the information items when that app provides them (one per
    township seen; the county view leaves that column out)."""
    villages = list(Village.objects.visible_to(user).select_related("township").order_by("township_id", "sort_order", "name"))
    township_ids = {v.township_id for v in villages}
    rows = {v.pk: VillageRow(v, [Cell(v.pk, year, m, _state(year, m, as_of)) for m in MONTHS]) for v in villages}
    start, end = year_bounds(year)

    sessions = (
        ViewingSession.objects.visible_to(user).filter(held_at__gte=start, held_at__lt=end, kind__in=COUNTED)
        .with_figures().prefetch_related("films")
    )
    for s in sessions:
        if s.village_id not in rows:
            continue
        cell = rows[s.village_id].cells[local_month(s.held_at)[1] - 1]
        cell.sessions += 1
        if s.is_key:
            cell.key_sessions += 1
            cell.key_incomplete += not s.four_ring_complete

    for village_id, month in MonthlyFeedback.objects.visible_to(user).filter(year=year).values_list("village_id", "month").distinct():
        if village_id in rows:
            rows[village_id].cells[month - 1].feedback = True

    # Coverage: of the members expected at a viewing of the month, who was present at least once.
    expected: dict[tuple[int, int], set] = defaultdict(set)
    present: dict[tuple[int, int], set] = defaultdict(set)
    att = Attendance.objects.visible_to(user).filter(
        session__held_at__gte=start, session__held_at__lt=end, session__kind__in=COUNTED,
    ).values_list("session__village_id", "session__held_at", "member_id", "expected", "status")
    for village_id, held_at, member_id, is_expected, status in att:
        key = (village_id, local_month(held_at)[1])
        if is_expected:
            expected[key].add(member_id)
        if status == Attendance.Status.PRESENT:
            present[key].add(member_id)
    for (village_id, month), members in expected.items():
        if village_id in rows:
            cell = rows[village_id].cells[month - 1]
            cell.expected = len(members)
            cell.present = len(members & present[(village_id, month)])

    for wp in VillageWorkPlan.objects.visible_to(user).filter(year=year).order_by("village_id", "-version"):
        if wp.village_id in rows and rows[wp.village_id].workplan is None:
            rows[wp.village_id].workplan = wp

    plans = list(AnnualPlan.objects.visible_to(user).filter(year=year)[:2]) if len(township_ids) == 1 else []
    with_info = len(township_ids) == 1 and info_items_available()
    if with_info:
        from dianjiao.infoitems.selectors import items_per_village_month

        counts = items_per_village_month(villages[0].township, year)
        for row in rows.values():
            for cell in row.cells:
                cell.info_items = counts.get((row.village.pk, cell.month), 0)
    return Compliance(year, as_of, list(rows.values()), plans[0] if len(plans) == 1 else None, with_info)


@dataclass
class Todo:
    village: Village | None
    text: str
    overdue: bool
    url_name: str = ""
    query: str = ""


def todos(user, *, as_of: dt.date) -> list[Todo]:
    """What is overdue or due soon for the villages `user` sees: this month's viewing not held yet,
    last month's feedback not sent, the year's village work plan missing; for the station, the
    year's plan not set. Five queries."""
    year, month = as_of.year, as_of.month
    prev = (year, month - 1) if month > 1 else (year - 1, 12)
    villages = list(Village.objects.visible_to(user).order_by("township_id", "sort_order", "name"))
    start, end = month_bounds(year, month)
    held = set(ViewingSession.objects.visible_to(user).filter(held_at__gte=start, held_at__lt=end, kind__in=COUNTED)
               .values_list("village_id", flat=True))
    sent = set(MonthlyFeedback.objects.visible_to(user).filter(year=prev[0], month=prev[1]).values_list("village_id", flat=True))
    planned = set(VillageWorkPlan.objects.visible_to(user).filter(year=year).values_list("village_id", flat=True))
    out: list[Todo] = []
    last_day = end.date() - dt.timedelta(days=1)
    days_left = (last_day - as_of).days
    prev_value = f"{prev[0]:04d}-{prev[1]:02d}"
    for v in villages:
        if v.pk not in held:
            out.append(Todo(v, _("本月尚未组织收看（还剩%(days)d天）") % {"days": days_left}, False,
                            "teaching:list", f"village={v.pk}&month={year:04d}-{month:02d}"))
        if v.pk not in sent:
            out.append(Todo(v, _("%(month)s月收看情况尚未反馈") % {"month": prev[1]}, True,
                            "teaching:feedback", f"village={v.pk}&month={prev_value}"))
        if v.pk not in planned:
            out.append(Todo(v, _("%(year)d年电教工作计划尚未报送") % {"year": year}, True, "planning:workplans", f"year={year}"))
    if user.township_id and user.role == "station_admin" and not AnnualPlan.objects.filter(township_id=user.township_id, year=year).exists():
        out.insert(0, Todo(None, _("%(year)d年年度计划尚未制定") % {"year": year}, True))
    return out
