from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dianjiao.members"
    verbose_name = "党员花名册"
