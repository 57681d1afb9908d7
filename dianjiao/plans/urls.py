from django.urls import path

from . import views

# Mounted with the compliance pages under /plan/, in the "planning" namespace (dianjiao/urls.py).
urlpatterns = [
    path("<int:year>/edit/", views.plan_edit, name="plan_edit"),
    path("workplans/", views.workplans, name="workplans"),
    path("workplans/submit/", views.workplan_submit, name="workplan_submit"),
    path("workplans/<int:pk>/", views.workplan_detail, name="workplan_detail"),
]
