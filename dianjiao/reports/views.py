"""The quarterly-report pages (R11): access helper → form → service → redirect."""

import contextlib
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dianjiao.accounts.scope import (
    get_for_user,
    is_station,
    may_write_village,
    require_station,
    require_village_writer,
    require_write,
)
from dianjiao.films.models import Film
from dianjiao.lib.dates import today
from dianjiao.lib.forms import add_service_errors, id_or_none
from dianjiao.lib.i18n import record_labels
from dianjiao.lib.xlsx import COUNT, DATETIME, PERCENT, fraction, write_table, xlsx_response
from dianjiao.orgs.models import Village

from . import exports, selectors, services
from .forms import FilterForm, ReportForm, ReportLineFormSet, ReturnForm, quarter_label
from .models import QuarterlyReport, ReportVersion

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The file's own words, not the UI's translations: a spreadsheet is the same whatever the UI language.
EXPORT_HEADERS = [
    "序号",
    "村",
    "年度",
    "季度",
    "状态",
    "填报人",
    "上报时间",
    "审核时间",
    "版本数",
    "播放收看场次",
    "应到人次",
    "实到人次",
    "到课率",
    "退回理由",
]
EXPORT_FORMATS = [COUNT, None, COUNT, COUNT, None, None, DATETIME, DATETIME]
EXPORT_FORMATS += [COUNT, COUNT, COUNT, COUNT, PERCENT, None]
OUTCOME = dict(QuarterlyReport.Status.choices)


def _add_errors(form, exc: ValidationError, line_errors: list) -> None:
    """The service's messages next to their fields; the film lines' under the lines."""
    if hasattr(exc, "error_dict"):
        line_errors.extend(m for err in exc.error_dict.pop("film_lines", []) for m in err.messages)
        if not exc.error_dict:
            return
    add_service_errors(form, exc)


def _filtered(request):
    form = FilterForm(request.GET or None, user=request.user, today=today())
    return form, form.filter(selectors.reports_for(request.user))


def report_list(request):
    form, reports = _filtered(request)
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    panel = None
    if not request.user.village_id:
        year, quarter = form.chosen_quarter() or selectors.last_ended_quarter(today())
        panel = {
            "year": year,
            "quarter": quarter,
            "label": quarter_label(quarter),
            "ended": selectors.quarter_ended(year, quarter, today()),
            "rows": selectors.not_submitted(request.user, year, quarter, today()),
        }
    return render(
        request,
        "reports/list.html",
        {
            "form": form,
            "page_obj": page,
            "panel": panel,
            "several_villages": form.fields["village"].queryset.count() > 1,
            "may_write": Village.objects.writable_by(request.user).exists(),
        },
    )


@require_safe
def report_export(request):
    _, reports = _filtered(request)
    status = record_labels(QuarterlyReport.Status.choices)
    rows = (
        [
            i,
            r.village.name,
            r.year,
            r.quarter,
            status.get(r.status, r.status),
            str(r.author),
            r.submitted_at,
            r.decided_at,
            r.n_versions,
            (r.figures or {}).get("sessions"),
            (r.figures or {}).get("expected"),
            (r.figures or {}).get("present"),
            fraction((r.figures or {}).get("rate")),
            r.return_reason if r.status == QuarterlyReport.Status.RETURNED else "",
        ]
        for i, r in enumerate(reports, start=1)
    )
    content = write_table("季度报告", EXPORT_HEADERS, rows, formats=EXPORT_FORMATS)
    return xlsx_response(
        content,
        filename=f"季度报告-{today():%Y-%m-%d}.xlsx",
        ascii_name=f"quarterly-reports-{today():%Y-%m-%d}.xlsx",
    )


def _figures(village, year, quarter):
    """The figures a new report would carry, as (label, value) rows; None for an impossible quarter."""
    if village is None or year is None or quarter not in (1, 2, 3, 4):
        return None
    preview = QuarterlyReport(
        village=village,
        year=year,
        quarter=quarter,
        figures=services.compute_figures(village, year, quarter),
    )
    return exports.figure_rows(preview)


def _films(user, report=None):
    films = Film.objects.visible_to(user).active()
    if report is not None and report.film_lines:
        films = films | Film.objects.filter(
            pk__in=[line["film"] for line in report.film_lines],
            township_id=report.village.township_id,
        )
    return films.order_by("title")


def _chosen(request, form):
    """(village, year, quarter) the figures are shown for: the posted or asked-for ones, else the
    quarter due for the village (None when none is due, or before the station picks a village)."""
    data = request.POST if request.method == "POST" else request.GET
    villages = Village.objects.writable_by(request.user)
    if request.user.village_id:
        village = villages.filter(pk=request.user.village_id).first()
    else:
        pk = data.get("village", "")
        village = villages.filter(pk=pk).first() if id_or_none(pk) else None
    year, quarter = (selectors.quarter_due(village, today()) if village else None) or (None, None)
    with contextlib.suppress(ValueError, TypeError):
        year, quarter = int(data.get("year", year)), int(data.get("quarter", quarter))
    if year not in dict(form.fields["year"].choices):
        year = None
    return village, year, quarter


def _form_page(request, context):
    return render(request, "reports/form.html", context)


def report_create(request):
    require_write(request.user)
    refresh = reverse("reports:create")
    form = ReportForm(
        request.POST or None,
        user=request.user,
        today=today(),
        refresh_url=refresh,
        due_for=lambda village: selectors.quarter_due(village, today()),
    )
    village, year, quarter = _chosen(request, form)
    due = selectors.quarter_due(village, today()) if village else None
    if not form.is_bound:
        form.initial = {"year": year, "quarter": quarter, "village": village}
    formset = ReportLineFormSet(
        request.POST or None, prefix="lines", form_kwargs={"films": _films(request.user)}
    )
    line_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        try:
            report = services.report_create(
                village=d.get("village") or village,
                author=request.user,
                year=d["year"],
                quarter=d["quarter"],
                narrative=d["narrative"],
                plan=d["plan"],
                lines=formset.lines(),
            )
        except ValidationError as exc:
            _add_errors(form, exc, line_errors)
        else:
            messages.success(request, _("季度报告已保存为草稿，核对无误后请上报"))
            return redirect("reports:detail", report.pk)
    return _form_page(
        request,
        {
            "form": form,
            "formset": formset,
            "line_errors": line_errors,
            "title": _("填写季度报告"),
            "figures": _figures(village, year, quarter),
            "due": due,
            "village_chosen": village is not None,
            "cancel_url": reverse("reports:list"),
            "refresh_url": refresh,
        },
    )


def _writable(request, pk) -> QuarterlyReport:
    report = get_for_user(
        request, QuarterlyReport.objects.select_related("village", "author"), pk, write=True
    )
    require_village_writer(request.user, report.village, denied=services.writer_denied())
    return report


def _not_editable(request, report):
    messages.warning(request, _("已上报或已审核的报告不能修改"))
    return redirect("reports:detail", report.pk)


def report_edit(request, pk):
    report = _writable(request, pk)
    if not services.editable(report):
        return _not_editable(request, report)
    form = ReportForm(
        request.POST or None,
        user=request.user,
        today=today(),
        report=report,
        initial={"narrative": report.narrative, "plan": report.plan},
    )
    initial = [{"film": line["film"], "wanted_on": line["wanted_on"]} for line in report.film_lines]
    formset = ReportLineFormSet(
        request.POST or None,
        prefix="lines",
        initial=initial,
        form_kwargs={"films": _films(request.user, report)},
    )
    line_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        try:
            services.report_edit(
                report,
                user=request.user,
                narrative=d["narrative"],
                plan=d["plan"],
                lines=formset.lines(),
            )
        except ValidationError as exc:
            _add_errors(form, exc, line_errors)
        else:
            messages.success(request, _("季度报告已修改，核对无误后请上报"))
            return redirect("reports:detail", report.pk)
    return _form_page(
        request,
        {
            "form": form,
            "formset": formset,
            "line_errors": line_errors,
            "report": report,
            "title": _("修改季度报告：%(village)s %(year)s年第%(quarter)s季度")
            % {"village": report.village.name, "year": report.year, "quarter": report.quarter},
            "figures": exports.figure_rows(report),
            "cancel_url": reverse("reports:detail", args=[pk]),
        },
    )


def _confirm_page(request, report, *, title, button, note=""):
    facts = [
        (_("村"), report.village.name),
        (_("季度"), _("%(y)s年第%(q)s季度") % {"y": report.year, "q": report.quarter}),
        (_("填报人"), report.author),
        (_("状态"), report.get_status_display()),
    ]
    return render(
        request,
        "web/confirm.html",
        {
            "title": title,
            "button": button,
            "facts": facts,
            "note": note,
            "cancel_url": reverse("reports:detail", args=[report.pk]),
        },
    )


def _act(request, report, service, done, **kwargs):
    try:
        service(report, user=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("reports:detail", report.pk)


def report_submit(request, pk):
    report = _writable(request, pk)
    if not services.editable(report):
        messages.warning(request, _("该报告已上报，不能重复上报"))
        return redirect("reports:detail", report.pk)
    if request.method == "POST":
        return _act(request, report, services.report_submit, _("季度报告已上报，等待乡电教站审核"))
    return _confirm_page(
        request,
        report,
        title=_("上报季度报告"),
        button=_("上报"),
        note=_("上报时按最新记录重新统计数据，并保存为一个版本；上报后不能修改，除非被退回。"),
    )


def _station_report(request, pk) -> QuarterlyReport:
    report = get_for_user(
        request, QuarterlyReport.objects.select_related("village", "author"), pk, write=True
    )
    require_station(request.user, report.village.township_id, denied=services.station_denied())
    return report


def _not_submitted(request, report):
    messages.warning(request, _("只有已上报的报告可以审核"))
    return redirect("reports:detail", report.pk)


def report_approve(request, pk):
    report = _station_report(request, pk)
    if report.status != QuarterlyReport.Status.SUBMITTED:
        return _not_submitted(request, report)
    if request.method == "POST":
        done = _("已审核通过，片源需求已转为片源申请") if report.film_lines else _("已审核通过")
        return _act(request, report, services.report_approve, done)
    return _confirm_page(
        request,
        report,
        title=_("审核通过季度报告"),
        button=_("审核通过"),
        note=_("报告中的片源需求将转为本村的片源申请。") if report.film_lines else "",
    )


def report_return(request, pk):
    report = _station_report(request, pk)
    if report.status != QuarterlyReport.Status.SUBMITTED:
        return _not_submitted(request, report)
    form = ReturnForm(request.POST or None)
    if form.is_valid():
        try:
            services.report_return(report, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc, [])
        else:
            messages.success(
                request,
                _("已退回%(village)s，村里可以修改后重新上报") % {"village": report.village.name},
            )
            return redirect("reports:detail", report.pk)
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "cancel_url": reverse("reports:detail", args=[pk]),
            "title": _("退回：%(village)s %(year)s年第%(quarter)s季度")
            % {"village": report.village.name, "year": report.year, "quarter": report.quarter},
        },
    )


def _lines(lines, titles):
    return [
        {"title": titles.get(line["film"], "—"), "wanted_on": line["wanted_on"]} for line in lines
    ]


@require_safe
def report_detail(request, pk):
    versions = ReportVersion.objects.order_by("-number")
    report = get_for_user(
        request,
        QuarterlyReport.objects.select_related(
            "village", "village__township", "author"
        ).prefetch_related(Prefetch("versions", queryset=versions)),
        pk,
    )
    versions = list(report.versions.all())
    titles = selectors.film_titles(
        [line["film"] for line in report.film_lines]
        + [line["film"] for v in versions for line in v.film_lines]
    )
    for v in versions:
        v.lines = _lines(v.film_lines, titles)
        v.rows = exports.figure_rows(v)
        v.outcome_label = OUTCOME.get(v.outcome, v.outcome)
    editable = services.editable(report)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "rows": exports.figure_rows(report),
            "lines": _lines(report.film_lines, titles),
            "versions": versions,
            "may_write": editable and may_write_village(request.user, report.village),
            "may_decide": report.status == QuarterlyReport.Status.SUBMITTED
            and is_station(request.user, report.village.township_id),
        },
    )


def _names(report, ext) -> dict:
    return {
        "filename": f"{report.village.name}-{report.year}年第{report.quarter}季度报告.{ext}",
        "ascii_name": f"quarterly-report-{report.year}-Q{report.quarter}-{report.pk}.{ext}",
    }


@require_safe
def report_docx(request, pk):
    report = get_for_user(request, QuarterlyReport.objects.select_related("village"), pk)
    names = _names(report, "docx")
    response = HttpResponse(exports.report_docx(report), content_type=DOCX)
    # An ASCII name for old browsers, the Chinese one (RFC 5987) for the rest.
    response["Content-Disposition"] = (
        f'attachment; filename="{names["ascii_name"]}"; '
        f"filename*=UTF-8''{quote(names['filename'])}"
    )
    return response


@require_safe
def report_xlsx(request, pk):
    report = get_for_user(request, QuarterlyReport.objects.select_related("village"), pk)
    return xlsx_response(exports.report_xlsx(report), **_names(report, "xlsx"))
