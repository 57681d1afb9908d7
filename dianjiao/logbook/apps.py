from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogbookConfig(AppConfig):
    name = "dianjiao.logbook"
    verbose_name = _("电教手册")
