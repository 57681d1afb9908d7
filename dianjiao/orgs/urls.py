from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("villages/<int:pk>/", views.village_detail, name="village_detail"),
    path("points/new/", views.point_create, name="point_create"),
    path("points/<int:pk>/", views.point_detail, name="point_detail"),
    path("points/<int:pk>/edit/", views.point_edit, name="point_edit"),
    path("points/<int:point_pk>/equipment/new/", views.equipment_create, name="equipment_create"),
    path("equipment/<int:pk>/edit/", views.equipment_edit, name="equipment_edit"),
]
