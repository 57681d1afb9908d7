from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "dianjiao.members"
    verbose_name = _("党员花名册")
