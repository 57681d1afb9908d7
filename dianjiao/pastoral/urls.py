from django.urls import path

from . import views

app_name = "pastoral"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/points/new/", views.point_add, name="point_add"),
    path("<int:pk>/ledger.xlsx", views.campaign_export, name="export"),
]
