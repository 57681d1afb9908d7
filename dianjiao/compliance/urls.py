from django.urls import path

from . import views

# Mounted with the plan pages under /plan/, in the "planning" namespace (dianjiao/urls.py).
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
]
