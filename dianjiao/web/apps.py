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

        # {% translate "literal" %} translated once per language (i18n_cached.py): the tag
        # replaces Django's in Django's own i18n library, so `{% load i18n %}` stays as it is.
        from django.templatetags import i18n

        from .i18n_cached import do_translate

        i18n.register.tag("translate", do_translate)
        i18n.register.tag("trans", do_translate)
