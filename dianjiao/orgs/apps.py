from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dianjiao.orgs"
    verbose_name = "组织与播放点"
