from django.urls import path

from . import views

# Mounted with the plan pages under /plan/, in the "planning" namespace (dianjiao/urls.py).
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
]

# The village list and the coverage page, mounted at the root in the "orgs" namespace.
org_patterns = [
    path("villages/", views.village_list, name="village_list"),
    path("coverage/", views.coverage, name="coverage"),
]
