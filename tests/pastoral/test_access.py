"""Role × URL for the campaign pages (the project's matrix in tests/test_access_matrix.py lists
these same expectations once merged): 200 allowed, 403 read-only or not the station, 404 outside
the township, 302 to the login page for anonymous users."""

import datetime as dt

import pytest
from django.test import Client

from dianjiao.pastoral import services

PERSONAS = ["station", "leader", "inspector", "county", "operator", "other_op", "outsider"]
ALL = dict.fromkeys(PERSONAS, 200)
TOWNSHIP = {**ALL, "outsider": 404}
STATION_ONLY = {
    "station": 200,
    "leader": 403,
    "inspector": 403,
    "county": 403,
    "operator": 403,
    "other_op": 403,
    "outsider": 404,
}
EXPECTED = {
    "/pastoral/": ALL,
    # Any station may open the form: it creates in its own township.
    "/pastoral/new/": {**STATION_ONLY, "outsider": 200},
    "/pastoral/{pk}/": TOWNSHIP,
    "/pastoral/{pk}/ledger.xlsx": TOWNSHIP,
    "/pastoral/{pk}/points/new/": STATION_ONLY,
}


@pytest.mark.parametrize("url", EXPECTED)
def test_each_persona_gets_what_the_matrix_says(world, login, url, clock):
    campaign = services.campaign_create(
        user=world.station,
        township=world.township,
        name="2026年秋季转场流动教学",
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 11, 20),
    )
    path = url.format(pk=campaign.pk)
    got = {name: login(user).get(path).status_code for name, user in world.personas.items()}
    assert got == EXPECTED[url]
    assert Client().get(path).status_code == 302
