"""The camp's footage by the tus 1.0 protocol at /api/v1/uploads/, driven by tuspy (a well-kept
client, unchanged) against the live server: interrupted at half and resumed from the server's
offset, the whole file checked by SHA-256, a too-big file refused before anything is stored,
scope and authentication as everywhere in the API."""

import base64
import hashlib
import io
import os
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from tusclient import client as tus
from tusclient.exceptions import TusCommunicationError, TusUploadFailed

from dianjiao.api import uploads
from dianjiao.api.models import Upload
from dianjiao.audit.models import AuditEvent
from tests.api.conftest import Phone, session_payload

TUS = {"Tus-Resumable": "1.0.0"}


def _session(cast, username="operator"):
    phone = Phone(username)
    data = session_payload(cast)
    r = phone.post("/api/v1/sessions", data)
    assert r.status_code == 201, r.content
    return data["id"], phone


def _stored_files(settings) -> set:
    return {str(p) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def _footage(size=256 * 1024) -> bytes:
    return os.urandom(size)


def _uploader(live_server, token, data, session_id, *, sha=None, chunk=64 * 1024, url=None):
    client = tus.TusClient(
        f"{live_server.url}/api/v1/uploads/", headers={"Authorization": f"Bearer {token}"}
    )
    return client.uploader(
        file_stream=io.BytesIO(data),
        chunk_size=chunk,
        url=url,
        metadata={
            "filename": "camp-day1.mp4",
            "session": session_id,
            "sha256": sha or hashlib.sha256(data).hexdigest(),
        },
    )


def test_an_upload_interrupted_at_half_resumes_from_the_servers_offset(
    live_server, world, cast, clock
):
    session_id, phone = _session(cast)
    data = _footage()
    first = _uploader(live_server, phone.token, data, session_id)
    first.upload(stop_at=len(data) // 2)  # the signal is lost at half
    upload = Upload.objects.get()
    assert (upload.offset, upload.status) == (len(data) // 2, Upload.Status.RECEIVING)
    assert upload.path == ""  # nothing joined yet

    # Later, a new client picks up the same URL: it asks the server (HEAD) where to go on.
    resumed = _uploader(live_server, phone.token, data, session_id, url=first.url)
    assert resumed.offset == len(data) // 2
    resumed.upload()

    upload.refresh_from_db()
    assert upload.status == Upload.Status.COMPLETE
    assert (upload.offset, upload.length) == (len(data), len(data))
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    assert str(upload.session_id) == session_id and upload.uploader == world.operator
    with default_storage.open(upload.path, "rb") as f:
        assert f.read() == data
    assert upload.parts == []  # the parts are gone once joined
    # Created and completed are audited; the offset's moves are not one event each.
    events = AuditEvent.objects.filter(model="api.upload", object_pk=str(upload.pk))
    assert sorted(events.values_list("action", flat=True)) == ["create", "update"]


def test_a_wrong_checksum_is_refused_and_the_file_kept_as_failed(live_server, world, cast, clock):
    session_id, phone = _session(cast)
    data = _footage(100_000)
    up = _uploader(live_server, phone.token, data, session_id, sha="0" * 64)
    with pytest.raises(TusUploadFailed) as exc:
        up.upload()
    assert exc.value.status_code == 460
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.FAILED and "SHA-256" in upload.failure
    with default_storage.open(upload.path, "rb") as f:
        assert f.read() == data  # kept for the station to look at, not silently dropped
    # Not AV material: the session's page does not list it, its file is not served.
    page = phone.client.get(
        f"/api/v1/uploads/{upload.pk}/file", HTTP_AUTHORIZATION=f"Bearer {phone.token}"
    )
    assert page.status_code == 404
    # A failed upload takes no more bytes.
    r = phone.client.patch(
        f"/api/v1/uploads/{upload.pk}",
        b"x",
        content_type="application/offset+octet-stream",
        HTTP_AUTHORIZATION=f"Bearer {phone.token}",
        HTTP_UPLOAD_OFFSET=str(len(data)),
        HTTP_TUS_RESUMABLE="1.0.0",
    )
    assert r.status_code == 409


def test_a_file_above_the_limit_is_refused_at_creation(live_server, world, cast, clock, settings):
    settings.DIANJIAO_UPLOAD_MAX_BYTES = 50_000
    session_id, phone = _session(cast)
    stored_before = _stored_files(settings)
    up = tus.TusClient(
        f"{live_server.url}/api/v1/uploads/", headers={"Authorization": f"Bearer {phone.token}"}
    )
    with pytest.raises(TusCommunicationError) as exc:
        up.uploader(
            file_stream=io.BytesIO(_footage(50_001)),
            metadata={"filename": "big.mp4", "session": session_id, "sha256": "a" * 64},
        ).upload()
    assert exc.value.status_code == 413
    assert not Upload.objects.exists()
    assert _stored_files(settings) == stored_before


def test_without_a_token_it_is_401(live_server, world, cast, clock):
    session_id, _phone = _session(cast)
    up = tus.TusClient(f"{live_server.url}/api/v1/uploads/")
    with pytest.raises(TusCommunicationError) as exc:
        up.uploader(
            file_stream=io.BytesIO(b"abc"),
            metadata={"filename": "a.mp4", "session": session_id, "sha256": "a" * 64},
        ).upload()
    assert exc.value.status_code == 401
    assert not Upload.objects.exists()


def test_another_villages_session_is_404(live_server, world, cast, clock):
    session_id, _phone = _session(cast)  # 红星村's session
    other = Phone("other_op")  # 阿克达拉村's operator
    data = _footage(1000)
    with pytest.raises(TusCommunicationError) as exc:
        _uploader(live_server, other.token, data, session_id).upload()
    assert exc.value.status_code == 404
    assert not Upload.objects.exists()


# -- the protocol's details, with Django's test client ------------------------------------


def _meta(**values) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def _create(client, auth, session_id, data, **extra):
    return client.post(
        "/api/v1/uploads/",
        content_type="application/offset+octet-stream",
        HTTP_AUTHORIZATION=auth,
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(len(data)),
        HTTP_UPLOAD_METADATA=_meta(
            filename="牧场.mp4", session=session_id, sha256=hashlib.sha256(data).hexdigest()
        ),
        **extra,
    )


def test_options_announce_the_protocol(world, settings):
    settings.DIANJIAO_UPLOAD_MAX_BYTES = 123456
    r = Client().options("/api/v1/uploads/")
    assert r.status_code == 204
    assert r["Tus-Version"] == "1.0.0" and r["Tus-Resumable"] == "1.0.0"
    assert r["Tus-Max-Size"] == "123456" and r["Tus-Extension"] == "creation"


def test_patch_at_the_wrong_offset_is_409_and_head_tells_the_right_one(world, cast, clock):
    session_id, phone = _session(cast)
    auth = f"Bearer {phone.token}"
    data = b"0123456789"
    r = _create(phone.client, auth, session_id, data)
    assert r.status_code == 201
    url = r["Location"]
    assert url.startswith("http://testserver/api/v1/uploads/")

    def patch(offset, body, content_type="application/offset+octet-stream"):
        return phone.client.patch(
            url,
            body,
            content_type=content_type,
            HTTP_AUTHORIZATION=auth,
            HTTP_TUS_RESUMABLE="1.0.0",
            HTTP_UPLOAD_OFFSET=str(offset),
        )

    assert patch(0, data[:4]).status_code == 204
    wrong = patch(2, data[2:])
    assert wrong.status_code == 409
    head = phone.client.head(url, HTTP_AUTHORIZATION=auth, HTTP_TUS_RESUMABLE="1.0.0")
    assert (head.status_code, head["Upload-Offset"], head["Upload-Length"]) == (200, "4", "10")
    assert patch(4, data[4:], content_type="application/json").status_code == 415
    assert patch(4, data[4:] + b"extra").status_code == 413  # beyond the declared length
    done = patch(4, data[4:])
    assert (done.status_code, done["Upload-Offset"]) == (204, "10")
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.COMPLETE and upload.filename == "牧场.mp4"
    # Without the protocol's version header: 412.
    assert phone.client.head(url, HTTP_AUTHORIZATION=auth).status_code == 412


def test_a_read_only_role_is_403(world, cast, clock):
    session_id, _phone = _session(cast)
    leader = Phone("leader")  # sees the township's sessions, changes none
    r = _create(leader.client, f"Bearer {leader.token}", session_id, b"abc")
    assert r.status_code == 403
    assert not Upload.objects.exists()


def test_the_browser_session_needs_its_csrf_token(world, cast, clock):
    session_id, _phone = _session(cast)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.operator, backend="django.contrib.auth.backends.ModelBackend")
    assert _create(browser, "", session_id, b"abc").status_code == 401
    browser.get("/capture/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    assert _create(browser, "", session_id, b"abc", HTTP_X_CSRFTOKEN=token).status_code == 201


def test_a_body_cut_off_keeps_what_arrived(world, cast, clock):
    session_id, phone = _session(cast)
    data = _footage(200_000)
    upload = uploads.upload_create(
        user=world.operator,
        session_id=session_id,
        filename="a.mp4",
        length=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )

    class Broken(io.BytesIO):
        def read(self, n=-1):
            if self.tell() >= 70_000:
                raise OSError("connection reset")
            return super().read(min(n, 70_000 - self.tell()))

    upload = uploads.upload_append(
        user=world.operator, upload=upload, offset=0, stream=Broken(data)
    )
    assert upload.offset == 70_000 and upload.status == Upload.Status.RECEIVING
    upload = uploads.upload_append(
        user=world.operator, upload=upload, offset=70_000, stream=io.BytesIO(data[70_000:])
    )
    assert upload.status == Upload.Status.COMPLETE
    with default_storage.open(upload.path, "rb") as f:
        assert f.read() == data


def test_the_footage_is_listed_on_the_session_page_and_plays_with_ranges(world, cast, clock, login):
    session_id, phone = _session(cast)
    data = _footage(10_000)
    auth = f"Bearer {phone.token}"
    url = _create(phone.client, auth, session_id, data)["Location"]
    phone.client.patch(
        url,
        data,
        content_type="application/offset+octet-stream",
        HTTP_AUTHORIZATION=auth,
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_OFFSET="0",
    )
    upload = Upload.objects.get(status=Upload.Status.COMPLETE)
    client = login(world.station)
    page = client.get(f"/teaching/{session_id}/")
    assert page.status_code == 200
    file_url = f"/api/v1/uploads/{upload.pk}/file"
    assert f'<video controls preload="metadata" src="{file_url}"'.encode() in page.content
    part = client.get(file_url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part["Content-Range"] == "bytes 100-199/10000"
    assert b"".join(part.streaming_content) == data[100:200]
    # Another township's station sees neither.
    client = login(world.outsider)
    assert client.get(file_url).status_code == 404
    assert Client().get(file_url).status_code == 401


def test_other_methods_are_405_after_the_caller_is_known(world, login):
    assert Client().get("/api/v1/uploads/").status_code == 401
    client = login(world.operator)
    r = client.get("/api/v1/uploads/")
    assert r.status_code == 405 and r["Allow"] == "OPTIONS, POST"
