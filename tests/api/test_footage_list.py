"""The film library's 摄录的实况 (issue 13, part 5): complete footage of the sessions a user
sees, by session, village and date, playable in the browser with range requests; scoped like the
sessions (outsiders never see it); a fixed number of queries whatever the footage."""

import hashlib
import io
import os

import pytest

from dianjiao.api import uploads
from dianjiao.api.models import Upload
from tests.api.conftest import Phone, local, session_payload

URL = "/films/footage/"


def _session(cast, username, **overrides) -> str:
    data = session_payload(cast, **overrides)
    r = Phone(username).post("/api/v1/sessions", data)
    assert r.status_code == 201, r.content
    return data["id"]


def _footage(user, session_id, name, *, size=3000, finish=True, sha=None) -> Upload:
    data = os.urandom(size)
    upload = uploads.upload_create(
        user=user,
        session_id=session_id,
        filename=name,
        length=size,
        sha256=sha or hashlib.sha256(data).hexdigest(),
    )
    if finish:
        upload = uploads.upload_append(user=user, upload=upload, offset=0, stream=io.BytesIO(data))
    return upload


@pytest.fixture
def library(world, cast, clock):
    """红星村: a session of 29 Nov with a video and a photo, one of 2 Nov with a video, and an
    upload cut off half-way and one whose checksum failed (neither listed). 阿克达拉村: a pastoral
    session with a video of the camp."""
    w = world
    nov29 = _session(cast, "operator")
    _footage(w.operator, nov29, "毡房放映.mp4")
    _footage(w.operator, nov29, "合影.jpg")
    half = _footage(w.operator, nov29, "未传完.mp4", finish=False)
    uploads.upload_append(
        user=w.operator, upload=half, offset=0, stream=io.BytesIO(os.urandom(1000))
    )
    _footage(w.operator, nov29, "校验失败.mp4", sha="0" * 64)
    clock.at = local(2026, 11, 2, 12, 0)
    nov2 = _session(
        cast,
        "operator",
        held_at=local(2026, 11, 2, 9, 0).isoformat(),
        captured_at=local(2026, 11, 2, 10, 0).isoformat(),
    )
    _footage(w.operator, nov2, "十一月初.mp4")
    camp = _session(
        cast,
        "other_op",
        point=w.pastoral_point.pk,
        kind="pastoral",
        held_at=local(2026, 11, 2, 9, 0).isoformat(),
        captured_at=local(2026, 11, 2, 10, 0).isoformat(),
        attendance=[{"member": w.pastoral_member.pk, "status": "present"}],
        guests=[],
    )
    _footage(w.other_op, camp, "夏牧场实况.mp4")
    clock.at = local(2026, 11, 29, 15, 0)
    return w


def _names(response) -> list[str]:
    return [u.filename for u in response.context["page_obj"]]


def test_the_station_sees_every_villages_footage_newest_session_first(library, login):
    r = login(library.station).get(URL)
    assert r.status_code == 200
    names = _names(r)
    assert sorted(names[:2]) == ["合影.jpg", "毡房放映.mp4"]  # 29 Nov
    assert sorted(names[2:]) == ["十一月初.mp4", "夏牧场实况.mp4"]  # 2 Nov
    page = r.content.decode()
    video = Upload.objects.get(filename="毡房放映.mp4")
    assert f'<video controls preload="none" src="/api/v1/uploads/{video.pk}/file">' in page
    assert "阿克达拉村·夏牧场流动播放点" in page and "牧区流动教学" in page
    assert "未传完.mp4" not in page and "校验失败.mp4" not in page


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("operator", ["十一月初.mp4", "合影.jpg", "毡房放映.mp4"]),
        ("other_op", ["夏牧场实况.mp4"]),
        ("county_viewer", ["十一月初.mp4", "合影.jpg", "夏牧场实况.mp4", "毡房放映.mp4"]),
        ("outsider", []),
    ],
)
def test_each_sees_only_the_footage_of_sessions_they_see(library, login, who, expected):
    r = login(getattr(library, who)).get(URL)
    assert r.status_code == 200
    assert sorted(_names(r)) == expected
    if not expected:
        assert "红星村" not in r.content.decode() and "阿克达拉村" not in r.content.decode()


def test_filters_by_village_month_and_kind(library, login):
    station = login(library.station)
    assert sorted(_names(station.get(URL, {"village": library.pastoral.pk}))) == ["夏牧场实况.mp4"]
    assert _names(station.get(URL, {"month": "2026-11", "kind": "pastoral"})) == ["夏牧场实况.mp4"]
    assert _names(station.get(URL, {"month": "2026-10"})) == []
    # Another township's village is no choice: the filter is refused and shows everything visible.
    far = library.far_village.pk
    assert len(_names(station.get(URL, {"village": far}))) == 4


def test_a_video_plays_with_range_requests(library, login):
    station = login(library.station)
    video = Upload.objects.get(filename="毡房放映.mp4")
    r = station.get(f"/api/v1/uploads/{video.pk}/file", HTTP_RANGE="bytes=100-199")
    assert r.status_code == 206
    assert r["Content-Range"] == f"bytes 100-199/{video.length}"
    assert len(b"".join(r.streaming_content)) == 100
    # The outsider's player gets nothing.
    assert login(library.outsider).get(f"/api/v1/uploads/{video.pk}/file").status_code == 404


def test_the_library_menu_leads_there(library, login):
    assert 'href="/films/footage/"' in login(library.operator).get("/films/").content.decode()


def test_a_fixed_number_of_queries_whatever_the_footage(
    library, cast, login, django_assert_num_queries
):
    station = login(library.station)
    station.get(URL)  # the session and the user are loaded once
    with django_assert_num_queries(9) as few:
        station.get(URL)
    for k in range(4):
        _footage(
            library.operator,
            str(Upload.objects.filter(uploader=library.operator).first().session_id),
            f"补充{k}.mp4",
        )
    with django_assert_num_queries(len(few.captured_queries)):
        r = station.get(URL)
    assert len(_names(r)) == 8
