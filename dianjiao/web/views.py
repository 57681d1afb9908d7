from django.shortcuts import render

from dianjiao.films.selectors import announcements_for
from dianjiao.orgs import selectors


def home(request):
    villages = list(selectors.villages_with_coverage(request.user))
    return render(request, "web/home.html", {
        "villages": villages, "totals": selectors.coverage_totals(villages),
        "announcements": announcements_for(request.user),
    })
