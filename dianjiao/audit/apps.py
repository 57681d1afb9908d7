from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "dianjiao.audit"
    verbose_name = _("操作记录")

    def ready(self):
        from . import recorder

        recorder.connect()
