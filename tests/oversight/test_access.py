"""Every oversight URL × every role: who reads (200), who may not write (403), outsiders (404),
anonymous users to the login page."""

import pytest
from django.urls import reverse

from tests.oversight.matrix import CASES, PERSONAS
from tests.urlwalk import all_url_names


def test_every_oversight_url_is_covered():
    names = {n for n in all_url_names() if n.startswith("oversight:")}
    assert names == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_role_matrix(name, world, client):
    builder, expected = CASES[name]
    url = reverse(name, kwargs=builder(world) if builder else None)
    got = {}
    for persona in PERSONAS:
        client.force_login(
            world.personas[persona], backend="django.contrib.auth.backends.ModelBackend"
        )
        got[persona] = client.get(url).status_code
    client.logout()
    assert got == expected
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
