"""`{% pk_url "app:view" obj.pk %}`: the same URL as `{% url "app:view" obj.pk %}` for a view
that takes one integer, reversed once and kept.

Django's reverse costs ~40 µs; a table of the county's 150 villages spent 6 ms on its links. The
URL is reversed once with a marker in place of the number, kept per view name, script prefix and
URLconf, and each row's number is put in its place."""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_MARK = "7391846205"  # a number no row has: reversed once, then replaced by each row's
_parts: dict[tuple, tuple[str, str]] = {}


def pk_url_of(viewname: str, pk) -> str:
    key = (viewname, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    try:
        head, tail = _parts[key]
    except KeyError:
        head, tail = _parts[key] = tuple(reverse(viewname, args=[int(_MARK)]).split(_MARK))
    return f"{head}{int(pk)}{tail}"


register.simple_tag(pk_url_of, name="pk_url")
