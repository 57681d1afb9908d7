"""{% select_options widget %}: a <select>'s options written in one go, byte for byte what
Django's select.html writes by including select_option.html and attrs.html for every option
(tests/web/test_forms_renderer.py compares the two)."""

from django import template
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

register = template.Library()


def _as_string(value):
    """The `stringformat:'s'` filter, which keeps a safe string safe."""
    text = "%s" % value  # noqa: UP031 (the filter's own formatting)
    return mark_safe(text) if isinstance(value, SafeData) else text


@register.simple_tag(takes_context=True)
def select_options(context, widget):
    out = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{render_value_in_context(group_name, context)}">')
        for option in group_choices:
            attrs = "".join(
                f" {conditional_escape(name)}"
                + ("" if value is True else f'="{conditional_escape(_as_string(value))}"')
                for name, value in option["attrs"].items()
                if value is not False
            )
            value = conditional_escape(_as_string(option["value"]))
            label = render_value_in_context(option["label"], context)
            out.append(f'\n  <option value="{value}"{attrs}>{label}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    return mark_safe("".join(out))
