"""The pages that combine several apps: the home page and the dashboard (planning:dashboard).

Both show what compliance computes and what oversight (above compliance, since its inspections are
pre-filled from compliance's figures) records against the same annual plan, so they live here, at
the top, where both may be imported. Each reads a fixed number of queries per role."""

import datetime as dt

from django.shortcuts import render
from django.views.decorators.http import require_safe

from dianjiao.accounts.models import Role
from dianjiao.compliance import todos as compliance_todos
from dianjiao.compliance.coverage import coverage_totals, villages_with_coverage
from dianjiao.compliance.views import dashboard_context
from dianjiao.films.selectors import announcements_for
from dianjiao.lib import dates
from dianjiao.oversight import selectors as oversight
from dianjiao.oversight.models import Bulletin
from dianjiao.plans.years import requested_year

LATEST_BULLETINS = 3


def _todo_order(t) -> tuple:
    """Overdue first; within that, the township-wide items, then village by village in the
    villages' order, each village's compliance items before its oversight items."""
    v = t.village
    return (not t.overdue, v is not None, *((v.township_id, v.sort_order, v.name) if v else ()))


def todos(user, *, as_of: dt.date) -> list:
    """The user's to-do list: compliance's (viewings, feedback, information items, reports, work
    plans, the plan) and oversight's (inspections, rectifications, bulletins, assessment, meeting
    actions), both shaped alike (village, text, overdue, url_name, query), in one order
    (_todo_order)."""
    items = [
        *compliance_todos.todos(user, as_of=as_of),
        *oversight.todos_for(user, as_of),
    ]
    return sorted(items, key=_todo_order)


def latest_bulletins(user) -> list[Bulletin]:
    """The newest bulletins issued to a village operator's village (every village of the township
    gets each one). One query."""
    if user.role != Role.VILLAGE_OPERATOR:
        return []
    return list(
        oversight.bulletins_for(user)
        .filter(status=Bulletin.Status.ISSUED)
        .order_by("-issued_at", "-pk")[:LATEST_BULLETINS]
    )


def home(request):
    villages = list(villages_with_coverage(request.user))
    return render(
        request,
        "web/home.html",
        {
            "villages": villages,
            "totals": coverage_totals(villages),
            "announcements": announcements_for(request.user),
            "bulletins": latest_bulletins(request.user),
            "todos": todos(request.user, as_of=dates.today()),
            "todo_limit": 8,
        },
    )


@require_safe
def dashboard(request):
    """The year's compliance (dianjiao.compliance) and, against the same plan, the monthly checks,
    meetings, trainings and rectifications (dianjiao.oversight); this year's to-dos of both."""
    year = requested_year(request)
    as_of = dates.today()
    context = dashboard_context(request.user, year=year, as_of=as_of)
    progress = oversight.plan_progress(request.user, year=year, as_of=as_of)
    context.update(
        progress=progress,
        # The figures of the one township a station, leader, inspector or village sees.
        township_progress=progress[0] if len(progress) == 1 else None,
        todos=todos(request.user, as_of=as_of) if year == as_of.year else [],
    )
    return render(request, "web/dashboard.html", context)
