"""`{% load i18n %}` is Django's library with literal messages translated once per language:
the same text as Django's own tag, in whichever language is active."""

import pytest
from django.template import Context, Library, Template, engines
from django.templatetags import i18n as django_i18n
from django.utils import translation

from dianjiao.web.i18n_cached import CachedTranslateNode

SOURCE = (
    "{% load i18n %}"
    '[{% translate "电教片库" %}]'
    '[{% translate "播放点" context "plural" %}]'
    '[{% translate "电教片库" as title %}{{ title }}]'
    '[{% translate "电教片库" noop %}]'
    "[{% translate word %}]"
    '[{% translate "播放点" context which %}]'
    '[{% translate "电教片库"|upper %}]'
    '[{% translate "A < B" %}]'
    '{% autoescape off %}[{% translate "A < B" %}]{% endautoescape %}'
)
CONTEXT = {"word": "电教片库", "which": "plural"}


def _django_s(language):
    """The same template with Django's own library."""
    engine = engines["django"].engine
    with translation.override(language):
        template = Template(
            SOURCE.replace("{% load i18n %}", "{% load django_i18n %}"), engine=engine
        )
        return template.render(Context(CONTEXT))


@pytest.fixture(autouse=True)
def _django_library(monkeypatch):
    """Django's i18n library as Django ships it, under another name."""
    library = Library()
    library.tags.update(django_i18n.register.tags)
    library.filters.update(django_i18n.register.filters)
    library.tag("translate", django_i18n.do_translate)
    library.tag("trans", django_i18n.do_translate)
    engine = engines["django"].engine
    monkeypatch.setitem(engine.template_libraries, "django_i18n", library)


@pytest.mark.parametrize("first", ["zh-hans", "en"])
def test_it_renders_what_djangos_tag_renders_in_each_language(first):
    template = engines["django"].from_string(SOURCE)
    second = "en" if first == "zh-hans" else "zh-hans"
    for language in (first, second, first):
        with translation.override(language):
            assert template.render(CONTEXT) == _django_s(language), language
    with translation.override("en"):
        text = template.render(CONTEXT)
    assert "[Film library]" in text and "[电教片库]" in text  # translated; noop left alone
    assert text.count("[A < B]") == 2  # template text: never escaped, as Django does


def test_it_is_the_tag_every_template_loads():
    template = engines["django"].from_string('{% load i18n %}{% translate "电教片库" %}')
    nodes = template.template.nodelist.get_nodes_by_type(CachedTranslateNode)
    assert len(nodes) == 1 and nodes[0].key == (False, "电教片库", "")
    variable = engines["django"].from_string("{% load i18n %}{% translate word %}")
    assert variable.template.nodelist.get_nodes_by_type(CachedTranslateNode)[0].key is None
