from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """mapping[key], or "" (for labels keyed by a loop variable)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
