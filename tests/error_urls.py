"""The site's URLs plus one that fails, for the 500 page's test."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom, name="boom"), path("", include("dianjiao.urls"))]
