from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("电教 · 党员电化教育管理")
admin.site.site_title = _("电教后台")

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("members/", include("dianjiao.members.urls")),
    path("films/", include("dianjiao.films.urls")),
    path("teaching/", include("dianjiao.teaching.urls")),
    path("logbook/", include("dianjiao.logbook.urls")),
    path("plan/", include("dianjiao.planning.urls")),
    path("reports/", include("dianjiao.reports.urls")),
    path("info/", include("dianjiao.infoitems.urls")),
    path("reminders/", include("dianjiao.reminders.urls")),
    path("", include("dianjiao.orgs.urls")),
    path("", include("dianjiao.web.urls")),
]
