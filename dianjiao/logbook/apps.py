from django.apps import AppConfig


class LogbookConfig(AppConfig):
    name = "dianjiao.logbook"
    verbose_name = "电教手册"
