"""The compliance pages: the dashboard with its charts and to-dos, and the tables' .xlsx."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dianjiao.accounts.models import Role
from dianjiao.films.exports import xlsx_response
from dianjiao.lib import dates
from dianjiao.plans.years import offered_years, requested_year

from . import charts, compute, exports
from .todos import todos


@require_safe
def dashboard(request):
    year = requested_year(request)
    as_of = dates.today()
    c = compute.compliance(request.user, year=year, as_of=as_of)
    county = request.user.role == Role.COUNTY_VIEWER
    return render(
        request,
        "compliance/dashboard.html",
        {
            "year": year,
            "c": c,
            "county": county,
            "townships": c.by_township() if county else None,
            "todos": todos(request.user, as_of=as_of) if year == as_of.year else [],
            "coverage_chart": charts.bars(
                [(f"{m}", pct) for m, pct, _e, _p in c.monthly_coverage()]
            ),
            "held_chart": charts.bars(
                [
                    (
                        r.village.name[:3],
                        100 * r.months_held / r.months_ended if r.months_ended else None,
                    )
                    for r in c.rows
                ]
            ),
            "can_edit_plan": request.user.role == Role.STATION_ADMIN,
            "years": offered_years(),
        },
    )


@require_safe
def export(request):
    year = requested_year(request)
    table = request.GET.get("table", "matrix")
    if table not in exports.TABLES:
        raise Http404
    c = compute.compliance(request.user, year=year, as_of=dates.today())
    content, name, ascii_name = exports.TABLES[table](c)
    return xlsx_response(
        content, filename=f"{name}-{year}.xlsx", ascii_name=f"{ascii_name}-{year}.xlsx"
    )
