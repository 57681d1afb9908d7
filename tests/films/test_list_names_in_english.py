"""Themes and languages are rows the station edits; the default ones carry English names, which
the English interface shows."""

import pytest
from django.urls import reverse

from dianjiao.films.models import Language, Theme
from tests.films.helpers import film, language, theme

pytestmark = pytest.mark.django_db


def test_the_default_lists_have_english_names():
    assert Theme.objects.count() >= 10 and Language.objects.count() >= 4
    assert not Theme.objects.filter(name_en="").exists()
    assert not Language.objects.filter(name_en="").exists()


def test_the_film_pages_name_themes_and_languages_in_the_interface_language(world, login, client):
    shown = film(world, "榜样8")
    shown.themes.set([theme("乡村振兴")])
    shown.languages.set([language("普通话"), language("哈萨克语")])
    login(world.operator)
    for url in (reverse("films:list"), reverse("films:detail", args=[shown.pk])):
        page = client.get(url).content.decode()
        assert "乡村振兴" in page and "哈萨克语" in page and "Kazakh" not in page
    client.cookies["django_language"] = "en"
    for url in (reverse("films:list"), reverse("films:detail", args=[shown.pk])):
        page = client.get(url).content.decode()
        assert "Rural revitalisation" in page and "Mandarin" in page and "Kazakh" in page
        assert "乡村振兴" not in page and "哈萨克语" not in page
