"""The figures of compliance with the year's plan: one village in one month (Cell), one
village's quarterly report (QuarterCell), a village's year (VillageRow), a township's totals
(TownshipRow) and the whole table (Compliance). Plain data: compute.py fills them."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dianjiao.orgs.models import Township, Village
from dianjiao.plans.models import AnnualPlan, VillageWorkPlan
from dianjiao.reports.models import QuarterlyReport
from dianjiao.reports.selectors import SENT, due_date
from dianjiao.teaching.models import ViewingSession

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
    def heading(self) -> str:
        return _("第%(q)d季度") % {"q": self.quarter}

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
