"""The camp's footage from the capture page (issue 13, part 5): once a session is on the server,
the operator attaches a video to it; tus-js-client (vendored) uploads it in chunks with the
SHA-256 the page computed. The phone loses its network mid-upload, the page is reloaded with no
network (the file and the upload's URL wait in IndexedDB), the network comes back, and the upload
resumes from the server's offset: one upload on the server, complete, its checksum verified."""

import hashlib
import os
import time

import pytest
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from dianjiao.api import uploads, views
from dianjiao.api.models import Upload
from dianjiao.teaching.models import ViewingSession
from tests.browser.conftest import PHONE
from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.factories import PASSWORD, World
from tests.teaching.conftest import Cast

pytestmark = pytest.mark.browser

CHUNK = 64 * 1024


def _record_and_sync(page):
    page.locator("#s-films").get_by_text("农村实用技术：冬季舍饲养羊").click()
    page.get_by_label("时长（分钟）").fill("90")
    member = page.locator(".member", has=page.locator(".who", has_text="张三"))
    member.get_by_role("button", name="到场").click()
    page.get_by_role("button", name="保存到手机").first.click()
    # Synced (online, at once): it leaves the outbox and is offered for footage.
    expect(page.locator("#footage li")).to_have_count(1, timeout=15000)
    expect(page.locator("#pending-count")).to_have_text("0")


def test_footage_uploads_after_the_session_synced_and_resumes_after_a_cut_and_a_reload(
    transactional_db, live_server, new_context, monkeypatch
):
    Cast(World())
    monkeypatch.setattr(views, "UPLOAD_CHUNK_BYTES", CHUNK)
    # Each chunk takes a moment on the server, as over a weak connection: time to cut it off.
    received, heads = [], []
    append, upload_for = uploads.upload_append, uploads.upload_for

    def slow_append(**kwargs):
        time.sleep(0.4)
        result = append(**kwargs)
        received.append(result.offset)
        return result

    def counting_upload_for(user, pk, *, write):
        if not write:
            heads.append(pk)
        return upload_for(user, pk, write=write)

    monkeypatch.setattr(uploads, "upload_append", slow_append)
    monkeypatch.setattr(uploads, "upload_for", counting_upload_for)

    context = new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    login_via_form(page, live_server, "operator", PASSWORD)
    page.goto(f"{live_server.url}/capture/")
    expect(page.locator("#ready")).to_have_attribute("data-state", "ready", timeout=30000)

    # Before the session is on the server, there is nothing to attach footage to.
    expect(page.locator("#footage-none")).to_be_visible()
    _record_and_sync(page)
    session = ViewingSession.objects.get()
    synced = page.locator(f"#footage li[data-session='{session.pk}']")
    expect(synced).to_contain_text("90 分钟")

    data = os.urandom(8 * CHUNK + 1234)
    synced.locator("input[type=file]").set_input_files(
        {"name": "毡房放映实况.mp4", "mimeType": "video/mp4", "buffer": data}
    )
    item = page.locator(".footage-item")
    expect(item).to_have_attribute("data-state", "uploading", timeout=15000)
    # The first chunks arrive, then the signal is lost.
    deadline = time.monotonic() + 15
    while len(received) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    context.set_offline(True)
    expect(item).to_have_attribute("data-state", "paused", timeout=15000)
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.RECEIVING
    assert 0 < upload.offset < len(data)
    shot(page, "capture-footage-paused-390")
    assert horizontal_overflow(page) <= 0

    # Reloaded with no network: the file and the upload's URL are still on the phone.
    page.reload()
    item = page.locator(".footage-item")
    expect(item).to_have_attribute("data-state", "paused", timeout=15000)
    expect(item).to_contain_text("毡房放映实况.mp4")
    expect(item.get_by_role("button", name="继续上传")).to_be_visible()
    heads_before = len(heads)

    # Back online: it asks the server where it stopped (HEAD) and goes on from there.
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(item).to_have_attribute("data-state", "complete", timeout=30000)
    expect(item).to_contain_text("已上传，校验无误")
    assert len(heads) > heads_before
    upload = Upload.objects.get()  # still one: resumed, not started again
    assert upload.status == Upload.Status.COMPLETE
    assert (upload.offset, upload.length) == (len(data), len(data))
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    assert upload.session_id == session.pk and upload.filename == "毡房放映实况.mp4"
    with default_storage.open(upload.path, "rb") as f:
        assert f.read() == data
    shot(page, "capture-footage-complete-390")
    context.close()


def test_a_file_the_server_refuses_is_shown_not_dropped(
    transactional_db, live_server, new_context, settings
):
    Cast(World())
    settings.DIANJIAO_UPLOAD_MAX_BYTES = 1000
    context = new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    login_via_form(page, live_server, "operator", PASSWORD)
    page.goto(f"{live_server.url}/capture/")
    expect(page.locator("#ready")).to_have_attribute("data-state", "ready", timeout=30000)
    _record_and_sync(page)
    page.locator("#footage input[type=file]").set_input_files(
        {"name": "too-big.mp4", "mimeType": "video/mp4", "buffer": os.urandom(5000)}
    )
    item = page.locator(".footage-item")
    expect(item).to_have_attribute("data-state", "failed", timeout=15000)
    expect(item).to_contain_text("文件过大")
    expect(item.get_by_role("button", name="重新上传")).to_be_visible()
    assert not Upload.objects.exists()
    context.close()


def test_the_library_lists_the_footage_on_a_phone_and_a_pc(
    transactional_db, live_server, new_context
):
    import io

    from tests.api.conftest import Phone, session_payload

    cast = Cast(World())
    w = cast.world
    data = session_payload(cast)
    assert Phone("operator").post("/api/v1/sessions", data).status_code == 201
    footage = os.urandom(5000)
    upload = uploads.upload_create(
        user=w.operator,
        session_id=data["id"],
        filename="夏牧场毡房放映实况-第一天.mp4",
        length=len(footage),
        sha256=hashlib.sha256(footage).hexdigest(),
    )
    uploads.upload_append(user=w.operator, upload=upload, offset=0, stream=io.BytesIO(footage))

    for name, size in (("phone", PHONE), ("pc", {"width": 1280, "height": 800})):
        context = new_context(viewport=size)
        page = context.new_page()
        login_via_form(page, live_server, "station", PASSWORD)
        page.goto(f"{live_server.url}/films/")
        page.locator(".subnav").get_by_role("link", name="摄录的实况").click()
        entry = page.locator(".footage-entry")
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text("红星村·村委会电教室")
        expect(entry).to_contain_text("夏牧场毡房放映实况-第一天.mp4")
        entry.locator("summary", has_text="播放").click()
        video = entry.locator("video")
        expect(video).to_be_visible()
        assert video.get_attribute("src") == f"/api/v1/uploads/{upload.pk}/file"
        shot(page, f"films-footage-{name}")
        assert horizontal_overflow(page) <= 0
        page.goto(f"{live_server.url}/")
        shot(page, f"home-todos-due-{name}")
        context.close()
