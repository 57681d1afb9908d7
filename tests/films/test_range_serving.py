"""Playing a digital copy: the file is served with HTTP ranges so the player can seek."""

import pytest
from django.urls import reverse

from dianjiao.films import services
from dianjiao.films.ranges import RangeNotSatisfiable, parse_range
from tests.films.helpers import MP4_HEAD, digital_copy, film

BODY = MP4_HEAD + bytes(range(256)) * 40  # 10,264 bytes, every range recognisable
SIZE = len(BODY)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, SIZE - 1)),
        ("bytes=-500", (SIZE - 500, SIZE - 1)),
        ("bytes=-99999", (0, SIZE - 1)),  # a suffix longer than the file is the whole file
        ("bytes=5000-99999", (5000, SIZE - 1)),  # the end is clipped to the file
        ("bytes = 10 - 20", (10, 20)),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file, as RFC 9110 allows
        ("items=0-10", None),  # another unit is ignored
        ("bytes=abc", None),
        ("bytes=-", None),
    ],
)
def test_it_reads_range_headers(header, expected):
    assert parse_range(header, SIZE) == expected


@pytest.mark.parametrize(
    "header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0", "bytes=20-10"]
)
def test_it_refuses_ranges_outside_the_file(header):
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, SIZE)


@pytest.fixture
def video(world):
    return digital_copy(world, film(world, "榜样7"), content=BODY, name="榜样7.mp4")


def _get(client, copy, **headers):
    response = client.get(reverse("films:copy_video", args=[copy.pk]), headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_it_sends_the_whole_file_and_says_ranges_are_welcome(world, login, video):
    response, body = _get(login(world.operator), video)

    assert response.status_code == 200 and body == BODY
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(SIZE)
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_it_sends_the_first_bytes(world, login, video):
    response, body = _get(login(world.operator), video, Range="bytes=0-99")

    assert response.status_code == 206
    assert body == BODY[:100]
    assert response["Content-Range"] == f"bytes 0-99/{SIZE}"
    assert response["Content-Length"] == "100"


def test_it_sends_a_range_from_the_middle(world, login, video):
    response, body = _get(login(world.operator), video, Range="bytes=4000-7999")

    assert response.status_code == 206 and body == BODY[4000:8000]
    assert response["Content-Range"] == f"bytes 4000-7999/{SIZE}"


def test_it_sends_the_rest_from_a_point_when_the_player_seeks(world, login, video):
    response, body = _get(login(world.operator), video, Range="bytes=10000-")

    assert response.status_code == 206 and body == BODY[10000:]
    assert response["Content-Range"] == f"bytes 10000-{SIZE - 1}/{SIZE}"


def test_it_sends_a_suffix_range(world, login, video):
    response, body = _get(login(world.operator), video, Range="bytes=-264")

    assert response.status_code == 206 and body == BODY[-264:]
    assert response["Content-Range"] == f"bytes {SIZE - 264}-{SIZE - 1}/{SIZE}"


def test_it_answers_416_to_a_range_past_the_end(world, login, video):
    response, body = _get(login(world.operator), video, Range=f"bytes={SIZE}-")

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert body == b""


def test_it_sends_the_whole_file_when_the_clients_copy_is_stale(world, login, video):
    client = login(world.operator)
    etag = _get(client, video)[0]["ETag"]

    assert _get(client, video, Range="bytes=0-9", **{"If-Range": etag})[0].status_code == 206
    stale, body = _get(client, video, Range="bytes=0-9", **{"If-Range": '"something-else"'})
    assert stale.status_code == 200 and body == BODY


def test_it_offers_a_download(world, login, video):
    response = login(world.station).get(
        reverse("films:copy_video", args=[video.pk]) + "?download=1"
    )
    assert (
        response["Content-Disposition"]
        == "attachment; filename=\"video.mp4\"; filename*=UTF-8''%E6%A6%9C%E6%A0%B77.mp4"
    )


def test_it_plays_only_to_users_in_scope(world, login, video):
    assert (
        _get(login(world.other_op), video)[0].status_code == 200
    )  # the catalogue is township-wide
    assert _get(login(world.county_viewer), video)[0].status_code == 200
    assert _get(login(world.outsider), video)[0].status_code == 404


def test_it_stops_playing_a_written_off_copy(world, login, video):
    services.copy_write_off(
        copy=video, user=world.station, reason="内容已过时", status="written_off"
    )
    assert _get(login(world.operator), video)[0].status_code == 404


def test_it_answers_404_when_the_file_is_gone(world, login, video, settings):
    (settings.MEDIA_ROOT / video.file_name).unlink()
    assert _get(login(world.operator), video)[0].status_code == 404
