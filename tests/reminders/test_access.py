"""Every reminder URL for every persona, as the access matrix will (see matrix.py)."""

import pytest
from django.urls import reverse

from tests.urlwalk import all_url_names

from .matrix import ENTRIES, PERSONAS


def test_every_reminder_url_has_a_row():
    assert {n for n in all_url_names() if n.startswith("reminders:")} == ENTRIES.keys()


@pytest.mark.parametrize("name", sorted(ENTRIES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_the_row_says(world, client, name, persona):
    build, expected = ENTRIES[name]
    url = reverse(name, kwargs=build(world) if build else None)
    client.force_login(world.personas[persona])
    assert client.get(url).status_code == expected[persona]


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_anonymous_users_are_sent_to_log_in(world, client, name):
    build, _expected = ENTRIES[name]
    response = client.get(reverse(name, kwargs=build(world) if build else None))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
