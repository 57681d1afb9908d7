"""The pages that combine several apps: the home page and the dashboard (planning:dashboard).

Both show what compliance computes and what oversight (above compliance, since its inspections are
pre-filled from compliance's figures) records against the same annual plan, so they live here, at
the top, where both may be imported. Each reads a fixed number of queries per role."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from dianjiao.accounts.models import Role
from dianjiao.compliance.coverage import coverage_totals, villages_with_coverage
from dianjiao.compliance.views import dashboard_context
from dianjiao.films.selectors import announcements_for
from dianjiao.lib import dates
from dianjiao.oversight import selectors as oversight
from dianjiao.oversight.models import Bulletin
from dianjiao.oversight.todo_list import todos
from dianjiao.plans.years import requested_year

LATEST_BULLETINS = 3


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
