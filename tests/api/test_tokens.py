"""Device tokens: issued for a password, stored hashed, listed and revoked by their user and the
station, locked out with the login page after repeated failures."""

import datetime as dt
import hashlib

from django.test import Client

from dianjiao.api.models import ApiToken
from tests.api.conftest import NOW, Phone, token_for
from tests.factories import PASSWORD


def _ask(client, username, password, ip="10.0.0.9"):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password, "device_name": "红米 9A"},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def test_it_issues_a_token_that_lasts_the_configured_days(world, client, clock, settings):
    settings.DIANJIAO_API_TOKEN_DAYS = 45
    r = _ask(client, "operator", PASSWORD)
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"token", "expires_at"}
    assert dt.datetime.fromisoformat(body["expires_at"]) == NOW + dt.timedelta(days=45)


def test_it_stores_only_the_tokens_hash(world, client):
    raw = token_for(client, "operator")
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.values().get())
    assert token.prefix == raw[:8]


def test_it_refuses_a_wrong_password_with_401(world, client):
    r = _ask(client, "operator", "wrong")
    assert r.status_code == 401
    assert r.json()["detail"] == "用户名或密码不正确"
    assert not ApiToken.objects.exists()


def test_it_wants_a_device_name(world, client):
    r = client.post(
        "/api/v1/auth/token",
        {"username": "operator", "password": PASSWORD, "device_name": "  "},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json()["errors"] == {"device_name": ["请填写设备名称"]}


def test_it_locks_out_after_the_login_pages_failure_limit(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert _ask(client, "operator", "wrong").status_code in (401, 429)
    locked = _ask(client, "operator", PASSWORD)
    assert locked.status_code == 429
    assert "暂时锁定" in locked.json()["detail"]
    assert not ApiToken.objects.exists()
    # The same lockout holds for the login page: one set of records, one limit.
    page = client.post(
        "/accounts/login/", {"username": "operator", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert page.status_code == 429
    # Another address is not locked out.
    assert _ask(client, "operator", PASSWORD, ip="10.0.0.10").status_code == 201


def test_an_expired_or_revoked_token_is_401(world, clock):
    phone = Phone("operator")
    assert phone.get("/api/v1/bootstrap").status_code == 200
    clock.tick(days=121)
    assert phone.get("/api/v1/bootstrap").status_code == 401
    clock.tick(days=-121)
    ApiToken.objects.update(revoked_at=NOW)
    r = phone.get("/api/v1/bootstrap")
    assert r.status_code == 401
    assert r["WWW-Authenticate"].startswith("Bearer")


def test_a_user_lists_and_revokes_their_own_tokens(world):
    phone = Phone("operator")
    other = Phone("other_op")
    listed = phone.get("/api/v1/auth/tokens").json()
    assert [t["username"] for t in listed] == ["operator"]
    own = listed[0]["id"]
    other_id = ApiToken.objects.get(user=world.other_op).pk
    # Another operator's token is not theirs to see or revoke.
    assert phone.post(f"/api/v1/auth/tokens/{other_id}/revoke", {}).status_code == 404
    r = phone.post(f"/api/v1/auth/tokens/{own}/revoke", {})
    assert r.status_code == 200 and r.json()["active"] is False
    assert phone.get("/api/v1/bootstrap").status_code == 401
    assert other.get("/api/v1/bootstrap").status_code == 200


def test_the_station_lists_and_revokes_its_townships_tokens(world):
    phone = Phone("operator")
    Phone("outsider")  # another township's station: not ours to see
    station = Phone("station")
    listed = {t["username"] for t in station.get("/api/v1/auth/tokens").json()}
    assert listed == {"operator", "station"}
    token = ApiToken.objects.get(user=world.operator)
    assert station.post(f"/api/v1/auth/tokens/{token.pk}/revoke", {}).status_code == 200
    token.refresh_from_db()
    assert token.revoked_by == world.station
    assert phone.get("/api/v1/bootstrap").status_code == 401


def test_every_endpoint_but_the_token_and_the_docs_answers_401_without_credentials(world):
    client = Client()
    for method, path in [
        ("get", "/api/v1/bootstrap"),
        ("get", "/api/v1/auth/tokens"),
        ("post", "/api/v1/auth/tokens/1/revoke"),
        ("post", "/api/v1/sessions"),
        ("get", "/api/v1/sessions/8a6e0804-2bd0-4672-b79d-d97027f9071a"),
        ("post", "/api/v1/info-items"),
    ]:
        r = getattr(client, method)(path, HTTP_AUTHORIZATION="Bearer not-a-token")
        assert r.status_code == 401, path
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_a_signed_in_browser_takes_a_token_with_its_session_and_csrf(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.operator, backend="django.contrib.auth.backends.ModelBackend")
    body = {"device_name": "capture"}
    assert browser.post(
        "/api/v1/auth/session-token", body, content_type="application/json"
    ).status_code in (401, 403)
    browser.get("/")
    r = browser.post(
        "/api/v1/auth/session-token",
        body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value,
    )
    assert r.status_code == 201
    assert ApiToken.objects.get().user == world.operator
    assert (
        Client()
        .post("/api/v1/auth/session-token", body, content_type="application/json")
        .status_code
        == 401
    )
