"""Role × URL for the teaching pages (the project's matrix in tests/test_access_matrix.py lists
them too). 200 allowed, 403 read-only role asking to write, 404 outside scope."""

import pytest
from django.urls import reverse

from tests.urlwalk import all_url_names

from .conftest import record_key

PERSONAS = ["station", "leader", "inspector", "county", "operator", "other_op", "outsider"]
ALL = dict.fromkeys(PERSONAS, 200)
WRITERS = {**ALL, "leader": 403, "inspector": 403, "county": 403}


def own(*, read_only=200):
    """A session of 红星村: its township and county see it, other villages and townships 404."""
    return {
        "station": 200,
        "leader": read_only,
        "inspector": read_only,
        "county": read_only,
        "operator": 200,
        "other_op": 404,
        "outsider": 404,
    }


def _session(cast):
    return {"pk": record_key(cast).pk}


MATRIX = {
    "teaching:list": (None, ALL),
    "teaching:create": (None, WRITERS),
    "teaching:learning": (None, ALL),
    "teaching:feedback": (None, ALL),
    "teaching:detail": (_session, own()),
    "teaching:practice": (_session, own(read_only=403)),
    "teaching:correct": (_session, own(read_only=403)),
}


def test_it_covers_every_teaching_url():
    names = {n for n in all_url_names() if n.startswith("teaching:")}
    assert names == MATRIX.keys()


@pytest.mark.parametrize(("name", "persona"), [(n, p) for n in MATRIX for p in PERSONAS])
def test_it_answers_each_persona_as_the_matrix_says(cast, clock, login, name, persona):
    build, expected = MATRIX[name]
    url = reverse(name, kwargs=build(cast) if build else None)
    response = login(cast.world.personas[persona]).get(url)
    assert response.status_code == expected[persona], f"{persona} GET {url}"


@pytest.mark.parametrize("name", list(MATRIX))
def test_it_sends_anonymous_users_to_the_login_page(cast, clock, client, name):
    build, _ = MATRIX[name]
    response = client.get(reverse(name, kwargs=build(cast) if build else None))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["leader", "inspector", "county"])
def test_read_only_roles_cannot_post_a_session_or_feedback(cast, clock, login, persona):
    client = login(cast.world.personas[persona])
    assert client.post(reverse("teaching:create"), {}).status_code == 403
    assert (
        client.post(
            reverse("teaching:feedback"), {"village": cast.world.village.pk, "month": "2026-11"}
        ).status_code
        == 403
    )
