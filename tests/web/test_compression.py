"""Text goes out compressed to a browser that accepts it; static files collected by
`dianjiao serve` have hashed names and are cached for years (issue 14, part 5)."""

import gzip
import json
import os
import re

import pytest
from django.test import Client
from django.urls import reverse

from dianjiao.web.staticfiles import collect_if_changed
from tests.films.helpers import MP4_HEAD, digital_copy, film

GZIP_OR_BR = {"Accept-Encoding": "gzip, deflate, br"}
YEAR = 365 * 24 * 3600


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_page_goes_out_gzipped_to_a_browser_that_accepts_it(world, login):
    client = login(world.station)

    plain = client.get(reverse("teaching:list"))
    packed = client.get(reverse("teaching:list"), headers=GZIP_OR_BR)

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "<title>" in html and html.count("<tr") == plain.content.decode().count("<tr")
    assert len(packed.content) < len(plain.content) / 2


def test_two_gzipped_pages_differ_in_length_breach(world, login):
    """Django's BREACH mitigation pads the gzip header with random bytes: the same page does
    not compress to the same length every time."""
    client = login(world.station)
    lengths = {len(client.get("/", headers=GZIP_OR_BR).content) for _ in range(8)}
    assert len(lengths) > 1


def test_compressed_files_and_byte_ranges_go_out_as_they_are(world, login):
    client = login(world.station)
    export = client.get(reverse("films:export"), headers=GZIP_OR_BR)
    assert export.status_code == 200 and "Content-Encoding" not in export
    assert _body(export)[:2] == b"PK"  # the .xlsx itself

    body = MP4_HEAD + bytes(range(256)) * 40
    copy = digital_copy(world, film(world, "榜样7"), content=body, name="榜样7.mp4")
    url = reverse("films:copy_video", args=[copy.pk])
    whole = login(world.operator).get(url, headers=GZIP_OR_BR)
    part = client.get(url, headers={**GZIP_OR_BR, "Range": "bytes=100-199"})
    assert "Content-Encoding" not in whole and _body(whole) == body
    assert part.status_code == 206 and "Content-Encoding" not in part
    assert _body(part) == body[100:200]


def test_before_collectstatic_pages_link_plain_names_served_from_the_apps(world, login):
    html = login(world.station).get("/").content.decode()
    assert "/static/web/site.css" in html

    css = Client().get("/static/web/site.css", headers=GZIP_OR_BR)
    assert css.status_code == 200 and css["Content-Encoding"] == "gzip"
    assert b"body" in gzip.decompress(_body(css))


@pytest.fixture
def collected(settings, tmp_path):
    """What `dianjiao serve` does before its first request, into a folder of this test's own."""
    settings.STATIC_ROOT = tmp_path / "static"
    assert collect_if_changed() is True
    return settings.STATIC_ROOT


def test_collected_static_files_have_hashed_names_and_long_lifetimes(collected, world, login):
    html = login(world.station).get("/").content.decode()
    css_url = re.search(r'href="(/static/web/site\.[0-9a-f]{12}\.css)"', html).group(1)
    js_url = re.search(r'src="(/static/vendor/htmx-2\.min\.[0-9a-f]{12}\.js)"', html).group(1)

    anonymous = Client()
    for url in (css_url, js_url):
        # gzip alone: where the brotli module is installed, whitenoise also keeps a .br copy.
        response = anonymous.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, url
        max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
        assert max_age >= YEAR and "immutable" in response["Cache-Control"]
        assert response["Content-Encoding"] == "gzip"  # the copy compressed at collect time
        assert gzip.decompress(_body(response))

    # A plain name still works (an old bookmark), but is not cached for long.
    plain = anonymous.get("/static/web/site.css")
    assert plain.status_code == 200
    assert int(re.search(r"max-age=(\d+)", plain["Cache-Control"]).group(1)) < YEAR


def test_the_capture_scripts_import_each_other_by_hashed_name(collected, world, login):
    """The offline page's service worker keeps the hashed files: capture.js must import the
    hashed idb, or the page breaks with no network."""
    page = login(world.operator).get(reverse("capture:page")).content.decode()
    capture_js = re.search(r'src="/static/(capture/capture\.[0-9a-f]{12}\.js)"', page).group(1)
    source = (collected / capture_js).read_text()
    imported = re.search(r'from "\./(idb-8\.0\.4\.[0-9a-f]{12}\.js)"', source).group(1)
    worker = Client().get(reverse("capture:sw")).content.decode()
    assert f"/static/capture/{imported}" in worker


def test_serve_collects_again_only_when_a_static_file_changed(settings, tmp_path, collected):
    assert collect_if_changed() is False  # a restart with nothing changed

    extra = tmp_path / "extra"
    (extra / "web").mkdir(parents=True)
    banner = extra / "web" / "banner.css"
    banner.write_text("body { color: red; }")
    settings.STATICFILES_DIRS = [extra]
    assert collect_if_changed() is True  # a new file
    assert collect_if_changed() is False
    stat = banner.stat()
    banner.write_text("body { color: navy; margin: 0 }")  # an upgrade, at the old time
    os.utime(banner, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert collect_if_changed() is True
    hashed = json.loads((collected / "staticfiles.json").read_text())["paths"]["web/banner.css"]
    assert (collected / hashed).read_text() == "body { color: navy; margin: 0 }"
