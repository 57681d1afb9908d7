from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
]

# The dashboard at /plan/, mounted with the plan and compliance pages in the "planning" namespace
# under its old name planning:dashboard (dianjiao/urls.py).
planning_patterns = [
    path("", views.dashboard, name="dashboard"),
]
