"""The pages that combine several apps: the home page and the dashboard (planning:dashboard).

Both show what compliance computes and what oversight (above compliance, since its inspections are
pre-filled from compliance's figures) records against the same annual plan, so they live here, at
the top, where both may be imported. Each reads a fixed number of queries per role."""

from django.shortcuts import render
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from dianjiao.accounts.models import Role
from dianjiao.compliance.coverage import (
    coverage_totals,
    townships_with_coverage,
    villages_with_coverage,
)
from dianjiao.compliance.todos import Todo
from dianjiao.compliance.views import dashboard_context
from dianjiao.films.selectors import announcements_for
from dianjiao.lib import dates
from dianjiao.lib.params import requested_township
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
    user = request.user
    today = dates.today()
    items = todos(user, as_of=today)
    villages = []
    townships = townships_with_coverage(user) if user.township_id is None else []
    if len(townships) > 1:
        # A county: a line a township, for the villages and for their to-dos (as on the
        # dashboard), each opening that township.
        items = township_todos(items, [t.township for t in townships], year=today.year)
        totals = coverage_totals(townships)
    else:
        townships = None
        villages = list(villages_with_coverage(user))
        totals = coverage_totals(villages)
    return render(
        request,
        "web/home.html",
        {
            "townships": townships,
            "year": today.year,
            "villages": villages,
            "totals": totals,
            "announcements": announcements_for(request.user),
            "bulletins": latest_bulletins(request.user),
            "todos": items,
            "todo_limit": 8,
        },
    )


def township_todos(items: list, townships: list, *, year: int) -> list[Todo]:
    """The county's to-dos a line a township (how many, how many overdue), each opening that
    township's dashboard with its own list: the county reads hundreds of villages' to-dos by
    township, not one by one. `townships` in the order of the lines; the township-wide items
    stay as they are."""
    counts: dict[int, tuple[int, int]] = {}
    for t in items:
        if t.village is not None:
            n, overdue = counts.get(t.village.township_id, (0, 0))
            counts[t.village.township_id] = (n + 1, overdue + t.overdue)
    out = [t for t in items if t.village is None]
    for township in townships:
        if township.pk not in counts:
            continue
        n, overdue = counts[township.pk]
        if overdue:
            text = ngettext(
                "%(township)s：%(n)d项待办，其中%(overdue)d项已逾期",
                "%(township)s：%(n)d项待办，其中%(overdue)d项已逾期",
                n,
            )
        else:
            text = ngettext("%(township)s：%(n)d项待办", "%(township)s：%(n)d项待办", n)
        text %= {"township": township.name, "n": n, "overdue": overdue}
        out.append(
            Todo(
                village=None,
                text=text,
                overdue=overdue > 0,
                url_name="planning:dashboard",
                query=f"year={year}&township={township.pk}",
            )
        )
    return sorted(out, key=lambda t: not t.overdue)


@require_safe
def dashboard(request):
    """The year's compliance (dianjiao.compliance) and, against the same plan, the monthly checks,
    meetings, trainings and rectifications (dianjiao.oversight); this year's to-dos of both. The
    county sees its townships side by side first, and one township's villages on demand
    (?township=…), their tables a page at a time."""
    year = requested_year(request)
    as_of = dates.today()
    township = requested_township(request)
    context = dashboard_context(
        request.user, year=year, as_of=as_of, township=township, page=request.GET.get("page")
    )
    progress = oversight.plan_progress(request.user, year=year, as_of=as_of)
    if township is not None:
        progress = [p for p in progress if p.township.pk == township]
    items = todos(request.user, as_of=as_of) if year == as_of.year else []
    if township is not None:
        items = [t for t in items if t.village is None or t.village.township_id == township]
    elif context["county"]:
        items = township_todos(items, [t.township for t in context["townships"]], year=year)
    context.update(
        progress=progress,
        # The figures of the one township a station, leader, inspector or village sees.
        township_progress=progress[0] if len(progress) == 1 else None,
        todos=items,
    )
    return render(request, "web/dashboard.html", context)
