from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfoitemsConfig(AppConfig):
    name = "dianjiao.infoitems"
    verbose_name = _("电教信息")
