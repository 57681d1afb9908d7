"""POST /api/v1/sessions and GET /api/v1/sessions/{id}: create, replay, conflict, scope, refusals.

The API calls teaching.services.session_record; these stories check the HTTP contract around it."""

import uuid

from django.test import Client

from dianjiao.logbook.models import LogbookEntry
from dianjiao.teaching.models import Attendance, Guest, ViewingSession
from tests.api.conftest import Phone, session_payload


def test_it_stores_a_session_and_answers_201_with_it(world, cast, clock):
    phone = Phone("operator")
    data = session_payload(cast)
    r = phone.post("/api/v1/sessions", data)
    assert r.status_code == 201, r.content
    body = r.json()
    session = ViewingSession.objects.get()
    assert body["id"] == data["id"] == str(session.pk)
    assert (body["duration_minutes"], body["teaching_minutes"], body["viewing_minutes"]) == (
        90,
        30,
        60,
    )
    assert session.teaching_minutes == 30 and session.operator == world.operator
    assert {a["name"]: a["status"] for a in body["attendance"]} == {
        "张三": "present",
        "李梅": "present",
        "王五": "excused",
        "赵六": "absent",
    }
    assert body["guests"] == [{"name": "巴合提别克", "note": "邻村牧民"}]
    # The logbook entry is written with it, and shows both times.
    entry = LogbookEntry.objects.get(pk=body["logbook_entry"])
    assert entry.captured_at == session.captured_at
    assert entry.body["teaching_minutes"] == 30


def test_a_replay_with_the_same_content_answers_200_with_the_same_body(world, cast, clock):
    phone = Phone("operator")
    data = session_payload(cast)
    first = phone.post("/api/v1/sessions", data)
    clock.tick(hours=3)  # the phone never heard the first answer and sends again later
    again = phone.post("/api/v1/sessions", data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert ViewingSession.objects.count() == 1
    assert Attendance.objects.count() == 4 and Guest.objects.count() == 1
    assert LogbookEntry.objects.count() == 1


def test_a_replay_with_other_content_is_409_with_both_versions(world, cast, clock):
    phone = Phone("operator")
    data = session_payload(cast)
    phone.post("/api/v1/sessions", data)
    changed = {**data, "duration_minutes": 120}
    r = phone.post("/api/v1/sessions", changed)
    assert r.status_code == 409
    body = r.json()
    assert body["stored"]["duration_minutes"] == 90
    assert body["sent"]["duration_minutes"] == 120
    assert body["sent"]["id"] == data["id"]
    assert ViewingSession.objects.get().duration_minutes == 90


def test_invalid_content_is_422_with_a_message_per_field(world, cast, clock):
    phone = Phone("operator")
    data = session_payload(cast, duration_minutes=20, teaching_minutes=30)
    data["attendance"] = data["attendance"][:3]  # 赵六 is expected and not accounted for
    r = phone.post("/api/v1/sessions", data)
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert errors["teaching_minutes"] == ["授课时间应在0分钟到总时长之间"]
    assert "赵六" in errors["attendance"][0]
    assert not ViewingSession.objects.exists()


def test_the_messages_are_in_the_callers_language(world, cast, clock):
    phone = Phone("operator", language="en")
    data = session_payload(cast, films=[])
    r = phone.post("/api/v1/sessions", data)
    assert r.status_code == 422
    assert r.json()["errors"]["films"] == ["Please choose at least one film"]
    bad = session_payload(cast, held_at="2026-11-29T09:00:00", kind="party")
    del bad["point"]
    errors = phone.post("/api/v1/sessions", bad).json()["errors"]
    assert errors["point"] == ["Required"]
    assert errors["kind"] == ["Not one of the allowed values"]
    assert errors["held_at"][0].startswith("The time needs its time zone")
    zh = Phone("operator").post("/api/v1/sessions", bad).json()["errors"]
    assert zh["point"] == ["必填"]


def test_shape_errors_name_the_nested_field(world, cast, clock):
    data = session_payload(cast)
    data["attendance"][1]["status"] = "asleep"
    r = Phone("operator").post("/api/v1/sessions", data)
    assert r.status_code == 422
    assert r.json()["errors"] == {"attendance.1.status": ["不是可选的值"]}


def test_a_member_of_another_village_is_refused_and_nothing_is_stored(world, cast, clock):
    data = session_payload(cast)
    data["attendance"].append({"member": world.far_member.pk, "status": "present"})
    r = Phone("operator").post("/api/v1/sessions", data)
    assert r.status_code == 422
    assert "李四 不是本村党员" in r.json()["errors"]["attendance"]
    assert not ViewingSession.objects.exists()


def test_another_villages_point_is_404(world, cast, clock):
    data = session_payload(cast, point=world.pastoral_point.pk)
    assert Phone("operator").post("/api/v1/sessions", data).status_code == 404
    data = session_payload(cast)
    assert Phone("outsider").post("/api/v1/sessions", data).status_code == 404
    assert not ViewingSession.objects.exists()


def test_a_read_only_role_is_403(world, cast, clock):
    for username in ("inspector", "leader"):
        r = Phone(username).post("/api/v1/sessions", session_payload(cast))
        assert r.status_code == 403, username
    assert not ViewingSession.objects.exists()


def test_the_station_may_record_for_a_village_of_its_township(world, cast, clock):
    r = Phone("station").post("/api/v1/sessions", session_payload(cast))
    assert r.status_code == 201
    assert ViewingSession.objects.get().village == world.village


def test_an_id_taken_in_another_village_is_409_showing_nothing_of_it(world, cast, clock):
    data = session_payload(cast)
    assert Phone("operator").post("/api/v1/sessions", data).status_code == 201
    other = session_payload(cast, id=data["id"], point=world.pastoral_point.pk)
    r = Phone("other_op").post("/api/v1/sessions", other)
    assert r.status_code == 409
    assert r.json()["stored"] is None


def test_it_reads_a_session_back_within_scope(world, cast, clock):
    phone = Phone("operator")
    created = phone.post("/api/v1/sessions", session_payload(cast)).json()
    r = phone.get(f"/api/v1/sessions/{created['id']}")
    assert r.status_code == 200 and r.json() == created
    assert Phone("county").get(f"/api/v1/sessions/{created['id']}").status_code == 200
    assert Phone("other_op").get(f"/api/v1/sessions/{created['id']}").status_code == 404
    assert Phone("outsider").get(f"/api/v1/sessions/{created['id']}").status_code == 404
    assert phone.get(f"/api/v1/sessions/{uuid.uuid4()}").status_code == 404


def test_a_browser_session_works_and_keeps_the_csrf_check(world, cast, clock):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.operator, backend="django.contrib.auth.backends.ModelBackend")
    assert browser.get("/api/v1/bootstrap").status_code == 200
    # A POST riding on the session cookie without the CSRF token is refused.
    r = browser.post("/api/v1/sessions", session_payload(cast), content_type="application/json")
    assert r.status_code in (401, 403)
    assert not ViewingSession.objects.exists()
    browser.get("/")
    token = browser.cookies["csrftoken"].value
    r = browser.post(
        "/api/v1/sessions",
        session_payload(cast),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert r.status_code == 201
