from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WebConfig(AppConfig):
    name = "dianjiao.web"
    verbose_name = _("页面")

    def ready(self):
        from django.db.models import fields

        # The empty choice of a select built from a model field's choices: Django's own label
        # ("- Select an option -") has no Chinese translation. Django 6.1 asks projects to set
        # it here.
        fields.BLANK_CHOICE_LABEL = pgettext_lazy("blank choice", "请选择")
