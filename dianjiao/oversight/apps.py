from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "dianjiao.oversight"
    verbose_name = _("检查考核")
