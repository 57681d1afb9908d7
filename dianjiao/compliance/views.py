"""The compliance pages: the tables' .xlsx, the village list and coverage page (R2) with their
counts of points, members and equipment, and the compliance part of the dashboard (the page is
dianjiao.web's, see dashboard_context)."""

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dianjiao.accounts.models import Role
from dianjiao.accounts.scope import is_station
from dianjiao.lib import dates
from dianjiao.lib.xlsx import xlsx_response
from dianjiao.orgs.selectors import faulty_equipment
from dianjiao.plans.years import offered_years, requested_year

from . import charts, compute, exports
from .coverage import coverage_totals, unassigned_members, villages_with_coverage


def dashboard_context(user, *, year: int, as_of: dt.date) -> dict:
    """Compliance's part of the dashboard (planning:dashboard): the figures of `year`, the
    townships side by side for the county, the charts. The page itself is dianjiao.web's: it adds
    what oversight measures against the same plan and the to-do lists of both apps, which
    compliance (below oversight) may not import."""
    c = compute.compliance(user, year=year, as_of=as_of)
    county = user.role == Role.COUNTY_VIEWER
    return {
        "year": year,
        "c": c,
        "county": county,
        "townships": c.by_township() if county else None,
        "coverage_chart": charts.coverage_by_month(c),
        "held_chart": charts.held_by_village(c),
        "can_edit_plan": is_station(user),
        "years": offered_years(),
    }


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


def village_list(request):
    """The villages with their coverage counts (orgs:village_list)."""
    villages = list(villages_with_coverage(request.user))
    return render(
        request,
        "orgs/village_list.html",
        {"villages": villages, "totals": coverage_totals(villages)},
    )


def coverage(request):
    """The coverage page (orgs:coverage): counts, faulty equipment, members without a point."""
    villages = list(villages_with_coverage(request.user))
    unassigned = Paginator(unassigned_members(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/coverage.html",
        {
            "villages": villages,
            "totals": coverage_totals(villages),
            "faulty": faulty_equipment(request.user),
            "page_obj": unassigned,
        },
    )
