from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "dianjiao.planning"
    verbose_name = _("年度计划与达标")
