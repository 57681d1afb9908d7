from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class FilmsConfig(AppConfig):
    name = "dianjiao.films"
    verbose_name = pgettext_lazy("plural", "电教片")
