from django.urls import path

from . import views

# Mounted with the plan pages under /plan/, in the "planning" namespace (dianjiao/urls.py). The
# dashboard at /plan/ (planning:dashboard) is dianjiao.web's page: it shows oversight's figures too.
urlpatterns = [
    path("export/", views.export, name="export"),
]

# The village list and the coverage page, mounted at the root in the "orgs" namespace.
org_patterns = [
    path("villages/", views.village_list, name="village_list"),
    path("coverage/", views.coverage, name="coverage"),
]
