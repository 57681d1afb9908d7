"""Reads for the quarterly-report pages, each in a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from dianjiao.films.models import Film
from dianjiao.orgs.models import Village
from dianjiao.plans.models import AnnualPlan

from .models import QuarterlyReport, quarter_bounds

Status = QuarterlyReport.Status
SENT = (Status.SUBMITTED, Status.APPROVED)
DEFAULT_DUE_DAYS = AnnualPlan._meta.get_field("quarterly_report_due_days").default


def reports_for(user):
    """The reports the user sees: a village its own, the station its township's, the county all."""
    return (
        QuarterlyReport.objects.visible_to(user)
        .select_related("village", "village__township", "author")
        .annotate(n_versions=Count("versions"))
        .order_by(
            "-year",
            "-quarter",
            "village__township_id",
            "village__sort_order",
            "village__name",
            "pk",
        )
    )


def last_ended_quarter(today: dt.date) -> tuple[int, int]:
    """The latest quarter whose last day is before `today`."""
    current = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if current == 1 else (today.year, current - 1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


# How far back the form looks for a quarter still owed: a year. Older gaps are the station's
# business (the compliance table shows them), not a default for the form.
DUE_LOOKBACK = 4


def quarter_due(village, today: dt.date) -> tuple[int, int] | None:
    """The quarter the village's report is due for: the latest ended quarter without a report,
    within the last year; None when every one of them has a report. Never a reported or a
    future quarter. One query."""
    quarters = [last_ended_quarter(today)]
    for _i in range(DUE_LOOKBACK - 1):
        quarters.append(previous_quarter(*quarters[-1]))
    years = {y for y, _q in quarters}
    reported = set(
        QuarterlyReport.objects.filter(village=village, year__in=years).values_list(
            "year", "quarter"
        )
    )
    return next((yq for yq in quarters if yq not in reported), None)


def quarter_ended(year: int, quarter: int, today: dt.date) -> bool:
    return today >= quarter_bounds(year, quarter)[1]


def due_date(year: int, quarter: int, due_days: int) -> dt.date:
    """The last day to file: the quarter's last day plus the plan's days of grace."""
    return quarter_bounds(year, quarter)[1] - dt.timedelta(days=1) + dt.timedelta(days=due_days)


@dataclass
class Missing:
    """A village that has not submitted its report of the quarter."""

    village: Village
    report: QuarterlyReport | None  # a draft or a returned report, None when none was started
    due: dt.date
    overdue: bool


def not_submitted(user, year: int, quarter: int, today: dt.date) -> list[Missing]:
    """The villages the user sees whose report of (year, quarter) is not submitted nor approved,
    each with its due date from its township's plan of the year (10 days without a plan), and
    overdue when today is past it. Three queries, whatever the number of villages."""
    villages = list(
        Village.objects.visible_to(user)
        .select_related("township")
        .order_by("township_id", "sort_order", "name")
    )
    reports = {
        r.village_id: r
        # only what the panel shows: a county has a hundred and more reports a quarter
        for r in QuarterlyReport.objects.filter(
            village__in=[v.pk for v in villages], year=year, quarter=quarter
        ).only("village_id", "status")
    }
    days = dict(
        AnnualPlan.objects.filter(
            township_id__in={v.township_id for v in villages}, year=year
        ).values_list("township_id", "quarterly_report_due_days")
    )
    ended = quarter_ended(year, quarter, today)
    out = []
    for v in villages:
        report = reports.get(v.pk)
        if report is not None and report.status in SENT:
            continue
        due = due_date(year, quarter, days.get(v.township_id, DEFAULT_DUE_DAYS))
        out.append(Missing(village=v, report=report, due=due, overdue=ended and today > due))
    return out


def film_titles(film_ids) -> dict[int, str]:
    """Titles of the films named in report lines, in one query."""
    return dict(Film.objects.filter(pk__in=set(film_ids)).values_list("pk", "title"))
