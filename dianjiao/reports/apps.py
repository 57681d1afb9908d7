from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dianjiao.reports"
    verbose_name = _("季度报告")
