from django.shortcuts import render

from dianjiao.compliance.coverage import coverage_totals, villages_with_coverage
from dianjiao.compliance.todos import todos
from dianjiao.films.selectors import announcements_for
from dianjiao.lib import dates


def home(request):
    villages = list(villages_with_coverage(request.user))
    return render(
        request,
        "web/home.html",
        {
            "villages": villages,
            "totals": coverage_totals(villages),
            "announcements": announcements_for(request.user),
            "todos": todos(request.user, as_of=dates.today()),
            "todo_limit": 8,
        },
    )
