"""`{% translate "literal" %}` remembered per language.

WebConfig.ready() puts this tag in Django's i18n library in place of Django's own, so every
template's `{% load i18n %}` gets it. Django's translate tag builds a lazy string and looks the catalog up on
every render: ~9 µs, 150-300 times a page (each row's data-labels repeat their column's words).
A literal message gives the same text every time in a given language, so it is translated once
per language and kept; variables, filters and a variable context go Django's way. The kept texts
are forgotten when the catalogs are (settings changed in tests, a .mo reloaded by runserver)."""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Variable, render_value_in_context
from django.templatetags import i18n as django_i18n
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeData, mark_safe

_texts: dict = {}


def _literal(expression):
    """The string of a filter expression that is a quoted string and nothing else, or None."""
    if expression is None:
        return ""
    var = expression.var
    if expression.filters or not isinstance(var, Variable) or not isinstance(var.literal, str):
        return None
    return var.literal


class CachedTranslateNode(django_i18n.TranslateNode):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        message, message_context = (
            _literal(self.filter_expression),
            _literal(self.message_context),
        )
        self.key = (
            None
            if message is None or message_context is None
            else (self.noop, message, message_context)
        )

    def render(self, context):
        if self.key is None:
            return super().render(context)
        key = (translation.get_language(), context.autoescape, self.key)
        try:
            value = _texts[key]
        except KeyError:
            value = _texts[key] = self._translate(context)
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value

    def _translate(self, context):
        """Django's TranslateNode.render, without the `as` variable."""
        self.filter_expression.var.translate = not self.noop
        if self.message_context:
            self.filter_expression.var.message_context = self.message_context.resolve(context)
        value = render_value_in_context(self.filter_expression.resolve(context), context)
        is_safe = isinstance(value, SafeData)
        value = value.replace("%%", "%")
        return mark_safe(value) if is_safe else value


def do_translate(parser, token):
    """Django's {% translate %} (and {% trans %}), parsed by Django, rendered by the node above."""
    node = django_i18n.do_translate(parser, token)
    return CachedTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _texts.clear()


@receiver(file_changed)
def _catalog_changed(*, file_path, **kwargs):
    if file_path.suffix == ".mo":  # runserver reloads the catalogs (Django's own receiver)
        _texts.clear()
