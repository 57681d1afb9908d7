"""Quarterly reports (R11): every rule of writing, submitting, approving and returning lives here."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dianjiao.accounts.scope import require_station, require_village_writer
from dianjiao.films import services as film_services
from dianjiao.films.models import Film
from dianjiao.lib import dates
from dianjiao.teaching.models import ViewingSession

from .models import QuarterlyReport, ReportVersion, quarter_bounds

Status = QuarterlyReport.Status


def writer_denied() -> str:
    return _("只有本村电教员或乡电教站可以填写季度报告")


def station_denied() -> str:
    return _("只有乡电教站管理员可以审核季度报告")


def editable(report: QuarterlyReport) -> bool:
    """A draft or a returned report may still be changed and submitted."""
    return report.status in (Status.DRAFT, Status.RETURNED)


def compute_figures(village, year: int, quarter: int) -> dict:
    """The quarter's figures from the records; the attendance rate is present over expected."""
    start, end = quarter_bounds(year, quarter)
    sessions = list(
        ViewingSession.objects.filter(
            village=village, held_at__date__gte=start, held_at__date__lt=end
        ).prefetch_related("films", "attendances")
    )
    return figures_from_sessions(sessions, year, quarter)


def figures_from_sessions(sessions, year: int, quarter: int) -> dict:
    """`compute_figures`' dict from the village's sessions of the quarter already read (no
    query), each with its films prefetched and its attendance counts (`expected_count`,
    `present_expected_count`) at hand."""
    start, _end = quarter_bounds(year, quarter)
    by_kind: dict[str, int] = {}
    expected = present = 0
    films: dict[int, str] = {}
    key_total = key_complete = 0
    months_held: set[int] = set()
    for s in sessions:
        by_kind[s.kind] = by_kind.get(s.kind, 0) + 1
        expected += s.expected_count
        present += s.present_expected_count
        for f in s.films.all():
            films[f.pk] = f.title
        if s.is_key:
            key_total += 1
            key_complete += bool(s.four_ring_complete)
        months_held.add(timezone.localtime(s.held_at).month)
    months = [start.month, start.month + 1, start.month + 2]
    return {
        "sessions": len(sessions),
        "by_kind": by_kind,
        "expected": expected,
        "present": present,
        "rate": round(100 * present / expected, 1) if expected else None,
        "films": sorted(films.values()),
        "key_sessions": key_total,
        "key_complete": key_complete,
        "months_without": [m for m in months if m not in months_held],
    }


def _parse_lines(village, lines) -> list[dict]:
    out = []
    for film_id, wanted_on in lines:
        film = Film.objects.filter(pk=film_id, township_id=village.township_id).first()
        if film is None:
            raise ValidationError({"film_lines": _("所选电教片不存在")})
        out.append(
            {
                "film": film.pk,
                "wanted_on": wanted_on.isoformat()
                if hasattr(wanted_on, "isoformat")
                else str(wanted_on),
            }
        )
    return out


def report_create(
    *, village, author, year: int, quarter: int, narrative="", plan="", lines=()
) -> QuarterlyReport:
    require_village_writer(author, village, denied=writer_denied())
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("季度应为1至4")})
    _start, end = quarter_bounds(year, quarter)
    if dates.today() < end:
        raise ValidationError({"quarter": _("该季度尚未结束，不能填报季度报告")})
    if QuarterlyReport.objects.filter(village=village, year=year, quarter=quarter).exists():
        raise ValidationError({"quarter": _("本村该季度的报告已存在，请修改后重新上报")})
    return QuarterlyReport.objects.create(
        village=village,
        author=author,
        year=year,
        quarter=quarter,
        narrative=narrative,
        plan=plan,
        film_lines=_parse_lines(village, lines),
        figures=compute_figures(village, year, quarter),
        created_at=dates.now(),
    )


def report_edit(
    report: QuarterlyReport, *, user, narrative: str, plan: str, lines=()
) -> QuarterlyReport:
    require_village_writer(user, report.village, denied=writer_denied())
    if report.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(_("已上报或已审核的报告不能修改"))
    report.narrative, report.plan = narrative, plan
    report.film_lines = _parse_lines(report.village, lines)
    report.figures = compute_figures(report.village, report.year, report.quarter)
    report.save()
    return report


def report_submit(report: QuarterlyReport, *, user) -> QuarterlyReport:
    require_village_writer(user, report.village, denied=writer_denied())
    with transaction.atomic():
        report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
        if report.status not in (Status.DRAFT, Status.RETURNED):
            raise ValidationError(_("该报告已上报，不能重复上报"))
        report.figures = compute_figures(report.village, report.year, report.quarter)
        report.status = Status.SUBMITTED
        report.submitted_at = dates.now()
        report.return_reason = ""
        report.save()
        ReportVersion.objects.create(
            report=report,
            number=report.versions.count() + 1,
            narrative=report.narrative,
            plan=report.plan,
            film_lines=report.film_lines,
            figures=report.figures,
            submitted_at=report.submitted_at,
        )
    return report


def _decide(report, user, outcome, reason=""):
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    if report.status != Status.SUBMITTED:
        raise ValidationError(_("只有已上报的报告可以审核"))
    report.status = outcome
    report.decided_at = dates.now()
    report.return_reason = reason
    report.save()
    latest = report.versions.order_by("-number").first()
    ReportVersion.objects.filter(pk=latest.pk).update(outcome=outcome, reason=reason)
    return report


def report_return(report: QuarterlyReport, *, user, reason: str) -> QuarterlyReport:
    require_station(user, report.village.township_id, denied=station_denied())
    if not (reason or "").strip():
        raise ValidationError({"reason": _("退回时必须填写理由")})
    with transaction.atomic():
        return _decide(report, user, Status.RETURNED, reason.strip())


def year_quarter_label(report) -> str:
    return _("季度报告 %(year)s年第%(quarter)s季度") % {
        "year": report.year,
        "quarter": report.quarter,
    }


def report_approve(report: QuarterlyReport, *, user) -> QuarterlyReport:
    """Approval turns the report's film lines into a film request, in the same transaction."""
    require_station(user, report.village.township_id, denied=station_denied())
    with transaction.atomic():
        report = _decide(report, user, Status.APPROVED)
        if report.film_lines:
            films = Film.objects.in_bulk([line["film"] for line in report.film_lines])
            lines = [
                (films[line["film"]], dt.date.fromisoformat(line["wanted_on"]))
                for line in report.film_lines
            ]
            film_services.request_create(
                village=report.village,
                author=report.author,
                lines=lines,
                source=year_quarter_label(report),
                at=report.decided_at,  # the approval's moment (the demo's clock when it records the past)
            )
    return report
