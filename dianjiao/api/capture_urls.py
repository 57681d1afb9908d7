from django.urls import path

from . import views

app_name = "capture"
urlpatterns = [
    path("", views.capture_page, name="page"),
    path("sw.js", views.service_worker, name="sw"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
