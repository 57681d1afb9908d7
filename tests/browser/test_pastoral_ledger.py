"""The station reads a campaign's ledger on a 1366-px office screen and drills down to a village's
sessions; the API's docs page renders from local files under the site's content security policy."""

from unittest import mock

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.clock import Clock, local
from tests.factories import PASSWORD, World
from tests.pastoral.conftest import Season

pytestmark = pytest.mark.browser


def test_the_station_reads_the_ledger_and_drills_down(transactional_db, live_server, new_context):
    world = World()
    clock = Clock(local(2026, 11, 1, 10, 0))
    with mock.patch("django.utils.timezone.now", clock):
        season = Season(world, clock)
        season.record_all()
    page = new_context(viewport={"width": 1366, "height": 900}).new_page()
    login_via_form(page, live_server, "station", PASSWORD)
    page.get_by_role("link", name="流动教学").click()
    page.get_by_role("link", name="2026年秋季转场流动教学").click()
    ledger = page.locator("#ledger")
    expect(ledger.locator("tr.total")).to_contain_text("6.0")
    expect(page.locator("#villages")).to_contain_text("齐干套克村")
    assert horizontal_overflow(page) <= 0
    shot(page, "pastoral-ledger-1366")
    page.locator("#villages").get_by_role("link", name="阿克达拉村").click()
    expect(page.locator("#sessions")).to_contain_text("阿克达拉村")
    expect(page.locator("#sessions + .tablewrap tbody tr")).to_have_count(2)

    errors = []
    docs = new_context(viewport={"width": 1366, "height": 900}).new_page()
    docs.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    docs.goto(f"{live_server.url}/api/v1/docs")
    expect(docs.locator(".swagger-ui")).to_contain_text("/api/v1/sessions", timeout=15000)
    shot(docs, "api-docs-1366")
    assert not [e for e in errors if "Content Security Policy" in e], errors
