from django.urls import URLPattern, URLResolver, path

from . import views_tus
from .endpoints import api


def _open_to_anonymous(patterns):
    """The API answers 401 itself: LoginRequiredMiddleware must not redirect its calls to the
    login page."""
    for p in patterns:
        if isinstance(p, URLResolver):
            _open_to_anonymous(p.url_patterns)
        elif isinstance(p, URLPattern):
            p.callback.login_required = False
    return patterns


patterns, app_name, namespace = api.urls
urlpatterns = [
    # tus 1.0 resumable uploads (plain views: raw PATCH bodies), before ninja's routes.
    path("uploads/", views_tus.upload_collection, name="upload_create"),
    path("uploads/<uuid:pk>", views_tus.upload_resource, name="upload"),
    path("uploads/<uuid:pk>/file", views_tus.upload_file, name="upload_file"),
    *_open_to_anonymous(patterns),
]
