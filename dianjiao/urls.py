from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from dianjiao.api.views_footage import footage_page
from dianjiao.compliance import urls as compliance_urls
from dianjiao.films import urls as films_urls
from dianjiao.orgs import urls as orgs_urls
from dianjiao.plans import urls as plans_urls
from dianjiao.teaching.usage import film_usage_page
from dianjiao.web import urls as web_urls

admin.site.site_header = _("电教 · 党员电化教育管理")
admin.site.site_title = _("电教后台")


def _superusers_only(request) -> bool:
    """The Django admin reads and writes every township's records, past the scope of
    `accounts.scope` and its write rules: only an active superuser (who sees everything anyway)
    may use it. Staff status alone, or a station administrator's role, opens nothing here."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("members/", include("dianjiao.members.urls")),
    # URL names are older than the apps' one-way order (see README, code structure): a page that
    # counts what a higher app records lives in that app but keeps its name, so the film
    # library's usage page (counted from the sessions) is served by teaching as films:usage, and
    # its footage (the sessions' uploads) by api as films:footage.
    path(
        "films/",
        include(
            (
                [
                    *films_urls.urlpatterns,
                    path("usage/", film_usage_page, name="usage"),
                    path("footage/", footage_page, name="footage"),
                ],
                films_urls.app_name,
            )
        ),
    ),
    path("teaching/", include("dianjiao.teaching.urls")),
    path("logbook/", include("dianjiao.logbook.urls")),
    # The plan pages (dianjiao.plans), the compliance pages (dianjiao.compliance) and the
    # dashboard (dianjiao.web: it combines compliance with oversight) share the /plan/ prefix and
    # the "planning" URL namespace, as before the apps were split.
    path(
        "plan/",
        include(
            (
                [
                    *web_urls.planning_patterns,
                    *plans_urls.urlpatterns,
                    *compliance_urls.urlpatterns,
                ],
                "planning",
            )
        ),
    ),
    path("reports/", include("dianjiao.reports.urls")),
    path("info/", include("dianjiao.infoitems.urls")),
    path("oversight/", include("dianjiao.oversight.urls")),
    # The village list and coverage page count members too: served by compliance as orgs:*.
    path(
        "", include(([*orgs_urls.urlpatterns, *compliance_urls.org_patterns], orgs_urls.app_name))
    ),
    path("pastoral/", include("dianjiao.pastoral.urls")),
    path("capture/", include("dianjiao.api.capture_urls")),
    path("api/v1/", include(("dianjiao.api.urls", "api"), namespace="api")),
    path("reminders/", include("dianjiao.reminders.urls")),
    path("", include("dianjiao.web.urls")),
]
