from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dianjiao.accounts"
    verbose_name = "账号与角色"
