"""The compliance pages: the tables' .xlsx, the village list and coverage page (R2) with their
counts of points, members and equipment, and the compliance part of the dashboard (the page is
dianjiao.web's, see dashboard_context)."""

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dianjiao.accounts.scope import is_station
from dianjiao.lib import dates
from dianjiao.lib.params import requested_township
from dianjiao.lib.xlsx import xlsx_response
from dianjiao.orgs.selectors import faulty_equipment
from dianjiao.plans.years import offered_years, requested_year

from . import charts, compute, exports
from .coverage import (
    coverage_totals,
    townships_with_coverage,
    unassigned_members,
    villages_with_coverage,
)

# Villages per page of the dashboard's village tables (coverage, reports, the matrix).
VILLAGES_PER_PAGE = 50


def township_compliance(user, *, year: int, as_of: dt.date, township: int | None):
    """compute.compliance, of one township when `township` is given: 404 when the user sees no
    village of it (another township, another county)."""
    c = compute.compliance(user, year=year, as_of=as_of, township=township)
    if township is not None and not c.rows:
        raise Http404
    return c


def dashboard_context(user, *, year: int, as_of: dt.date, township=None, page=None) -> dict:
    """Compliance's part of the dashboard (planning:dashboard): the figures of `year`, the charts,
    and the village tables a page at a time. Whoever sees several townships (the county) gets
    the townships side by side first, each opening its villages (`township`, an id) on demand.
    The page itself is dianjiao.web's: it adds what oversight measures against the same plan and
    the to-do lists of both apps, which compliance (below oversight) may not import."""
    c = township_compliance(user, year=year, as_of=as_of, township=township)
    by_township = c.by_township()
    overview = township is None and len(by_township) > 1
    context = {
        "year": year,
        "c": c,
        "county": overview,
        "township": c.rows[0].village.township if township is not None else None,
        "townships": by_township if overview else None,
        # The exports of the tables shown: the township's alone when one was opened.
        "export_query": f"year={year}" + (f"&township={township}" if township is not None else ""),
        "coverage_chart": charts.coverage_by_month(c),
        "can_edit_plan": is_station(user),
        "years": offered_years(),
    }
    if overview:
        context["held_chart"] = charts.held_by_township(by_township)
    else:
        rows = Paginator(c.rows, VILLAGES_PER_PAGE).get_page(page)
        context.update(
            page_obj=rows, rows=rows.object_list, held_chart=charts.held_by_village(rows)
        )
    return context


@require_safe
def export(request):
    year = requested_year(request)
    table = request.GET.get("table", "matrix")
    if table not in exports.TABLES:
        raise Http404
    c = township_compliance(
        request.user, year=year, as_of=dates.today(), township=requested_township(request)
    )
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
    """The coverage page (orgs:coverage): counts, faulty equipment, members without a point. A
    county sees its townships first, each opening its villages and their lists (?township=…)."""
    user = request.user
    township = requested_township(request)
    if township is None and user.township_id is None:  # a county: its townships, if several
        townships = townships_with_coverage(user)
        if len(townships) > 1:
            return render(
                request,
                "orgs/coverage.html",
                {"townships": townships, "totals": coverage_totals(townships)},
            )
    villages = list(villages_with_coverage(user, township))
    faulty, unassigned = faulty_equipment(user), unassigned_members(user)
    if township is not None:
        if not villages:  # another county's township, or none at all
            raise Http404
        faulty = faulty.filter(village__township_id=township)
        unassigned = unassigned.filter(village__township_id=township)
    return render(
        request,
        "orgs/coverage.html",
        {
            "villages": villages,
            "township": villages[0].township if township is not None else None,
            "totals": coverage_totals(villages),
            "faulty": faulty,
            "page_obj": Paginator(unassigned, 50).get_page(request.GET.get("page")),
        },
    )
