from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilmsConfig(AppConfig):
    name = "dianjiao.films"
    verbose_name = _("电教片")
