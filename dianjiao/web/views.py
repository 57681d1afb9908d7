from django.shortcuts import render

from dianjiao.orgs import selectors


def home(request):
    villages = list(selectors.villages_with_coverage(request.user))
    return render(request, "web/home.html", {
        "villages": villages, "totals": selectors.coverage_totals(villages),
    })
