from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeachingConfig(AppConfig):
    name = "dianjiao.teaching"
    verbose_name = _("播放收看")
