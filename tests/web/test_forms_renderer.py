"""The project's form renderer writes a <select>'s options in one tag: the same bytes as
Django's own templates, for every kind of select the forms use."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from dianjiao.orgs.models import Village
from dianjiao.teaching.forms import SessionFilterForm
from dianjiao.web.forms_renderer import FormRenderer


class Everything(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "---"), ("1", "红星村"), ("2", 'A & B <"村">'), (3, 2026)], required=False
    )
    grouped = forms.ChoiceField(
        choices=[("北片", [("1", "红星村"), ("2", "团结村")]), ("3", _("电教片")), ("4", "x")]
    )
    many = forms.MultipleChoiceField(choices=[(str(i), f"第{i}项") for i in range(5)])
    maybe = forms.NullBooleanField()
    safe = forms.ChoiceField(choices=[(mark_safe("a&amp;b"), mark_safe("<b>粗</b>"))])
    villages = forms.ModelChoiceField(Village.objects.all(), required=False)
    disabled = forms.ChoiceField(choices=[("1", "一")], disabled=True)


@pytest.mark.parametrize("data", [{}, {"plain": "2", "grouped": "2", "many": ["1", "3"]}])
def test_every_select_renders_as_djangos_own_templates_do(world, data):
    data = (data | {"villages": str(world.village.pk)}) if data else None
    ours, django_s = Everything(data), Everything(data, renderer=DjangoTemplates())
    assert isinstance(ours.renderer, FormRenderer)
    for name in ours.fields:
        assert str(ours[name]) == str(django_s[name]), name
    if data:
        assert 'value="2" selected' in str(ours["grouped"])
        assert f'value="{world.village.pk}" selected' in str(ours["villages"])


def test_the_pages_filter_forms_render_as_before(world):
    data = {"village": str(world.village.pk)}
    ours = SessionFilterForm(data, user=world.county_viewer)
    django_s = SessionFilterForm(data, user=world.county_viewer, renderer=DjangoTemplates())
    for name in ours.fields:
        assert str(ours[name]) == str(django_s[name]), name
    assert world.village.name in str(ours["village"])


def test_the_select_template_is_the_projects_and_ships_with_the_package():
    """A template outside templates/ would be left out of `pip install .` (package data), and
    Django's slow one used instead, with no test noticing the output."""
    origin = FormRenderer().get_template("django/forms/widgets/select.html").origin.name
    assert origin.replace("\\", "/").endswith(
        "dianjiao/web/templates/django/forms/widgets/select.html"
    )
