from django.apps import AppConfig


class TeachingConfig(AppConfig):
    name = "dianjiao.teaching"
    verbose_name = "播放收看"
