"""The API stories' cast: the teaching cast (红星村's four members, two films) plus helpers that
call the API as a phone would, with a device token."""

import datetime as dt
import uuid

import pytest
from django.test import Client

from tests.clock import NOW, clock, local  # noqa: F401  (the stories' clock)
from tests.factories import PASSWORD
from tests.teaching.conftest import Cast


@pytest.fixture
def cast(world):
    return Cast(world)


def token_for(client, username, device="红米 9A"):
    r = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": PASSWORD, "device_name": device},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    return r.json()["token"]


class Phone:
    """A phone holding a device token: every call carries `Authorization: Bearer …`."""

    def __init__(self, username, language="zh-hans"):
        self.client = Client(HTTP_ACCEPT_LANGUAGE=language)
        self.token = token_for(self.client, username)

    def get(self, path):
        return self.client.get(path, HTTP_AUTHORIZATION=f"Bearer {self.token}")

    def post(self, path, data):
        return self.client.post(
            path, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {self.token}"
        )


@pytest.fixture
def phone(world):
    """phone("operator") -> a Phone signed in as that persona."""
    return Phone


def session_payload(cast, **overrides) -> dict:
    """A monthly showing at 红星村 this morning, everyone present, as the phone sends it."""
    w = cast.world
    held = local(2026, 11, 29, 9, 0)
    data = {
        "id": str(uuid.uuid4()),
        "point": w.point.pk,
        "held_at": held.isoformat(),
        "captured_at": (held + dt.timedelta(minutes=95)).isoformat(),
        "kind": "monthly",
        "films": [cast.film.pk],
        "duration_minutes": 90,
        "teaching_minutes": 30,
        "attendance": [
            {"member": cast.zhang.pk, "status": "present"},
            {"member": cast.li.pk, "status": "present"},
            {"member": cast.wang.pk, "status": "excused", "reason": "herding"},
            {"member": cast.zhao.pk, "status": "absent"},
        ],
        "guests": [{"name": "巴合提别克", "note": "邻村牧民"}],
        "four_ring": None,
        "notes": "在夏牧场毡房收看",
    }
    data.update(overrides)
    return data
