"""Login lockout, CSP and the production checks."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.factories import PASSWORD


def attempt(client, username, password, ip="10.0.0.5"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_it_logs_in_with_the_right_password(world, client):
    response = attempt(client, "operator", PASSWORD)
    assert response.status_code == 302


def test_it_says_why_a_login_failed_in_chinese(world, client):
    response = attempt(client, "operator", "wrong")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_it_locks_a_username_at_one_address_after_five_failures(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "operator", "wrong")
    locked = attempt(client, "operator", PASSWORD)
    assert locked.status_code == 429
    assert "暂时锁定" in locked.content.decode()
    # The same user from another address, and another user from this one, are not locked out.
    assert attempt(client, "operator", PASSWORD, ip="10.0.0.6").status_code == 302
    client.logout()
    assert attempt(client, "station", PASSWORD).status_code == 302


def test_it_sends_a_content_security_policy_that_allows_only_local_assets(world, login):
    csp = login(world.station).get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "http" not in csp  # no outside origin anywhere


def test_it_serves_its_assets_locally(world, login):
    html = login(world.station).get("/").content.decode()
    assert "/static/web/site.css" in html and "/static/vendor/htmx-2.min.js" in html
    assert "//cdn" not in html and "https://" not in html


@pytest.mark.parametrize("debug", ["0"])
def test_it_passes_the_deploy_check_in_production_mode(debug, tmp_path):
    env = {
        **os.environ,
        "DEBUG": debug,
        "DIANJIAO_HTTPS": "1",
        "DIANJIAO_VAR": str(tmp_path),
        "SECRET_KEY": "k" * 20 + "production-secret-key-for-check-deploy-0123456789",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "dianjiao.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_records_every_write_with_who_and_when(world, login):
    from dianjiao.audit.models import AuditEvent

    client = login(world.operator)
    response = client.post(
        f"/equipment/{world.tv.pk}/edit/",
        {"kind": "tv", "condition": "faulty", "repair_notes": "无图像"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(model="orgs.equipment", object_pk=str(world.tv.pk)).latest(
        "pk"
    )
    assert (event.action, event.actor, event.data["condition"]) == (
        "update",
        world.operator,
        "faulty",
    )
    assert event.at is not None and event.ip == "127.0.0.1"
