from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/leave/", views.member_leave, name="leave"),
    path("import/", views.member_import, name="import"),
    path("import/<int:pk>/", views.member_import_preview, name="import_preview"),
    path("export.xlsx", views.member_export, name="export"),
]
