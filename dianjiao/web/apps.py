from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dianjiao.web"
    verbose_name = "页面"
