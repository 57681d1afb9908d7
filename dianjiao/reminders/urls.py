from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("", views.digest_list, name="list"),
    path("export.xlsx", views.digest_export, name="export"),
    path("profile/", views.profile, name="profile"),
    path("profile/<int:pk>/", views.profile_for, name="profile_for"),
]
