"""The capture page's three URLs: the page wants a login; its service worker and manifest hold no
data and are served to anyone, so a phone whose session expired still updates its worker."""

import json

from django.test import Client


def test_the_page_wants_a_login_and_loads_only_local_assets(world, login):
    assert Client().get("/capture/").status_code == 302
    page = login(world.operator).get("/capture/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'rel="manifest" href="/capture/manifest.webmanifest"' in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "http://" not in html and "https://" not in html


def test_the_service_worker_is_scoped_to_the_page_and_keeps_its_files(db):
    r = Client().get("/capture/sw.js")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/javascript")
    text = r.content.decode()
    for asset in (
        "/static/capture/capture.js",
        "/static/capture/idb-8.0.4.js",
        "/capture/manifest.webmanifest",
    ):
        assert asset in text
        if asset.startswith("/static/"):
            assert Client().get(asset).status_code == 200


def test_the_manifest_makes_the_page_installable(db):
    data = json.loads(Client().get("/capture/manifest.webmanifest").content)
    assert (data["start_url"], data["scope"], data["display"]) == (
        "/capture/",
        "/capture/",
        "standalone",
    )
    assert {i["sizes"] for i in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:
        assert Client().get(icon["src"]).status_code == 200
