from django.urls import path

from . import views

app_name = "films"
urlpatterns = [
    path("", views.film_list, name="list"),
    path("export.xlsx", views.film_export, name="export"),
    path("new/", views.film_create, name="create"),
    path("<int:pk>/", views.film_detail, name="detail"),
    path("<int:pk>/edit/", views.film_edit, name="edit"),
    path("<int:pk>/copies/new/", views.copy_create, name="copy_create"),
    path("copies/", views.copy_list, name="copy_list"),
    path("copies/<int:pk>/edit/", views.copy_edit, name="copy_edit"),
    path("copies/<int:pk>/upload/", views.copy_upload, name="copy_upload"),
    path("copies/<int:pk>/write-off/", views.copy_write_off, name="copy_write_off"),
    path("copies/<int:pk>/video/", views.copy_video, name="copy_video"),
    path("announcements/", views.announcement_list, name="announcement_list"),
    path("announcements/new/", views.announcement_create, name="announcement_create"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/approve/", views.request_approve, name="request_approve"),
    path("requests/<int:pk>/reject/", views.request_reject, name="request_reject"),
    path("loans/", views.loan_list, name="loan_list"),
    path("loans/overdue/", views.overdue_list, name="overdue"),
    path("loans/export.xlsx", views.loan_export, name="loan_export"),
    path("loans/new/", views.loan_dispatch, name="loan_dispatch"),
    path("loans/<int:pk>/receive/", views.loan_receive, name="loan_receive"),
    path("loans/<int:pk>/return/", views.loan_return, name="loan_return"),
]
