"""The offline capture page, as the issue's "done means" tells it: opened online once, the phone
goes offline, a session with attendance is recorded, the page is reloaded still offline (the record
is there and counted as waiting), the phone comes back online, and the session is on the server
exactly once; replaying the same sync does not double it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dianjiao.teaching.models import Attendance, ViewingSession
from tests.browser.conftest import PHONE
from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.factories import PASSWORD, World
from tests.teaching.conftest import Cast, record

pytestmark = pytest.mark.browser

OUTBOX_JS = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("dianjiao-capture");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const get = open.result.transaction("outbox").objectStore("outbox").getAll();
    get.onsuccess = () => { resolve(get.result); open.result.close(); };
  };
})"""


def _member(page, name):
    return page.locator(".member", has=page.locator(".who", has_text=name))


def test_a_session_recorded_offline_survives_a_reload_and_syncs_exactly_once(
    transactional_db, live_server, new_context
):
    Cast(World())  # live_server serves from another thread: the rows must be committed
    context = new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    login_via_form(page, live_server, "operator", PASSWORD)

    # Online once: the page, its files, the bootstrap data and a device token are kept.
    page.goto(f"{live_server.url}/capture/")
    expect(page.locator("#ready")).to_have_attribute("data-state", "ready", timeout=30000)
    expect(page.locator("#pending-count")).to_have_text("0")

    context.set_offline(True)
    expect(page.locator("#net")).to_have_text("离线")
    page.locator("#s-films").get_by_text("农村实用技术：冬季舍饲养羊").click()
    page.get_by_label("时长（分钟）").fill("90")
    page.get_by_label("其中授课（分钟）").fill("30")
    _member(page, "张三").get_by_role("button", name="到场").click()
    _member(page, "李梅").get_by_role("button", name="到场").click()
    # Search by pinyin initials: 王五 is wangwu, "ww".
    page.get_by_placeholder("按拼音首字母或姓名查找").fill("ww")
    expect(page.locator(".member")).to_have_count(1)
    _member(page, "王五").get_by_role("button", name="请假").click()
    page.get_by_placeholder("按拼音首字母或姓名查找").fill("")
    expect(page.locator("#s-count")).to_have_text("到场 2 / 应到 4")
    page.get_by_role("button", name="保存到手机").first.click()
    expect(page.locator("#pending-count")).to_have_text("1")
    assert not ViewingSession.objects.exists()
    shot(page, "capture-offline-390")
    assert horizontal_overflow(page) <= 0

    # Reloaded with no network: the service worker serves the page, IndexedDB keeps the record.
    page.reload()
    expect(page.locator("#pending-count")).to_have_text("1")
    expect(page.locator("#outbox li")).to_have_count(1)
    expect(page.locator("#outbox li")).to_contain_text("到场 2 / 应到 4")
    [kept] = page.evaluate(OUTBOX_JS)
    assert kept["owner"] == "operator"

    # Back online: it syncs by itself, and leaves the phone only after the server's answer.
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#pending-count")).to_have_text("0", timeout=15000)
    session = ViewingSession.objects.get()
    assert str(session.pk) == kept["payload"]["id"]
    assert (session.duration_minutes, session.teaching_minutes) == (90, 30)
    assert Attendance.objects.filter(session=session, status="present").count() == 2
    assert page.evaluate(OUTBOX_JS) == []

    # The same sync again (an answer lost on the way): 200 with the stored record, no double.
    status = page.evaluate(
        """async (payload) => {
            const token = await new Promise((resolve) => {
              const open = indexedDB.open("dianjiao-capture");
              open.onsuccess = () => {
                const get = open.result.transaction("kv").objectStore("kv").get("token:operator");
                get.onsuccess = () => resolve(get.result);
              };
            });
            const r = await fetch("/api/v1/sessions", {method: "POST", credentials: "omit",
              headers: {"Content-Type": "application/json", Authorization: "Bearer " + token},
              body: JSON.stringify(payload)});
            return r.status;
        }""",
        kept["payload"],
    )
    assert status == 200
    assert ViewingSession.objects.count() == 1
    context.close()


PUT_JS = """(record) => new Promise((resolve, reject) => {
  const open = indexedDB.open("dianjiao-capture");
  open.onsuccess = () => {
    const tx = open.result.transaction("outbox", "readwrite");
    tx.objectStore("outbox").put(record);
    tx.oncomplete = () => { open.result.close(); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
})"""


def test_a_conflict_is_shown_with_both_versions_and_each_operator_sees_their_own(
    transactional_db, live_server, new_context
):
    cast = Cast(World())
    context = new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    login_via_form(page, live_server, "operator", PASSWORD)
    page.goto(f"{live_server.url}/capture/")
    expect(page.locator("#ready")).to_have_attribute("data-state", "ready", timeout=30000)

    stored = record(cast, held_at=timezone.now())
    w = cast.world
    sent = {
        "id": str(stored.pk),
        "point": w.point.pk,
        "held_at": timezone.localtime(stored.held_at).isoformat(),
        "kind": "monthly",
        "films": [cast.film.pk],
        "duration_minutes": 45,  # the server holds 60
        "attendance": [
            {"member": m.pk, "status": "present"}
            for m in (cast.zhang, cast.li, cast.wang, cast.zhao)
        ],
    }
    page.evaluate(
        PUT_JS,
        {
            "id": sent["id"],
            "owner": "operator",
            "kind": "session",
            "payload": sent,
            "created": "2026-11-29T00:00:00Z",
            "state": "pending",
        },
    )
    # Another operator's record on the same phone: kept, not shown, not sent as this operator.
    page.evaluate(
        PUT_JS,
        {
            "id": "6f1f3a52-5d0e-4b8e-9a51-1f4f3b3c2d10",
            "owner": "other_op",
            "kind": "info",
            "payload": {"id": "6f1f3a52-5d0e-4b8e-9a51-1f4f3b3c2d10", "title": "x", "text": "y"},
            "created": "2026-11-29T00:00:00Z",
            "state": "pending",
        },
    )
    page.get_by_role("button", name="立即同步").click()
    conflict = page.locator("#outbox li[data-state=conflict]")
    expect(conflict).to_contain_text("手机上的版本")
    expect(conflict).to_contain_text("服务器上的版本")
    expect(conflict).to_contain_text("45 分钟")
    expect(conflict).to_contain_text("60 分钟")
    expect(page.locator("#pending-count")).to_have_text("1")
    owners = sorted(r["owner"] for r in page.evaluate(OUTBOX_JS))
    assert owners == ["operator", "other_op"]
    assert ViewingSession.objects.get().duration_minutes == 60
    context.close()
