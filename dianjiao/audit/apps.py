from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dianjiao.audit"
    verbose_name = "操作记录"

    def ready(self):
        from . import recorder

        recorder.connect()
