from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PastoralConfig(AppConfig):
    name = "dianjiao.pastoral"
    label = "pastoral"
    verbose_name = _("牧区流动教学")
