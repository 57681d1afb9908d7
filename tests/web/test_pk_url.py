"""{% pk_url %} gives what {% url %} gives, for every view it is used with."""

import pytest
from django.template import engines
from django.urls import reverse

from dianjiao.web.templatetags.pk_url import pk_url_of


@pytest.mark.parametrize("viewname", ["orgs:village_detail", "members:detail"])
@pytest.mark.parametrize("pk", [1, 42, 7391846205])
def test_it_gives_the_url_that_reverse_gives(viewname, pk):
    assert pk_url_of(viewname, pk) == reverse(viewname, args=[pk])
    html = (
        engines["django"]
        .from_string("{% load pk_url %}{% pk_url name pk %}|{% url name pk %}")
        .render({"name": viewname, "pk": pk})
    )
    mine, django = html.split("|")
    assert mine == django


def test_it_follows_the_script_prefix():
    from django.urls import set_script_prefix

    before = pk_url_of("orgs:village_detail", 3)
    set_script_prefix("/dj/")
    try:
        assert pk_url_of("orgs:village_detail", 3) == "/dj" + before
        assert pk_url_of("orgs:village_detail", 3) == reverse("orgs:village_detail", args=[3])
    finally:
        set_script_prefix("/")


def test_it_refuses_what_is_not_a_number():
    with pytest.raises(ValueError):
        pk_url_of("orgs:village_detail", "1/../admin")
