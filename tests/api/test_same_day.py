"""The same-day rule judged by the capture time (issue 13, part 3): a session captured at the camp
on day 1 and synced on day 4 is a same-day entry, both times kept and shown; a capture time that
cannot be believed is stored all the same and marked in red for the station's review."""

import datetime as dt

from dianjiao.logbook.models import LogbookEntry
from tests.api.conftest import Phone, local, session_payload


def _send_later(cast, clock, held, captured, received):
    clock.at = local(2026, 11, 1, 7, 0)
    phone = Phone("operator")  # the token was taken before leaving for the camp
    clock.at = received
    data = session_payload(cast, held_at=held.isoformat(), captured_at=captured.isoformat())
    return phone.post("/api/v1/sessions", data)


def test_a_session_captured_on_the_day_and_synced_three_days_later_is_same_day(
    world, cast, clock, login
):
    held, captured = local(2026, 11, 2, 10, 0), local(2026, 11, 2, 11, 40)
    r = _send_later(cast, clock, held, captured, received=local(2026, 11, 5, 18, 0))
    assert r.status_code == 201, r.content
    entry = LogbookEntry.objects.get()
    assert entry.late_exception is None
    assert (entry.occurred_at, entry.captured_at) == (held, captured)
    assert entry.captured_offline and entry.capture_doubts == []
    page = login(world.operator).get("/logbook/?month=2026-11").content.decode()
    assert "设备录入于 11月2日 11:40" in page
    assert "录入时间存疑" not in page


def test_a_session_captured_on_a_later_day_still_needs_the_stations_exception(world, cast, clock):
    held, captured = local(2026, 11, 2, 10, 0), local(2026, 11, 3, 9, 0)
    r = _send_later(cast, clock, held, captured, received=local(2026, 11, 5, 18, 0))
    assert r.status_code == 422
    assert "须当天填写" in r.json()["errors"]["held_at"][0]
    assert not LogbookEntry.objects.exists()


def test_an_implausible_capture_time_is_kept_and_marked_for_review(world, cast, clock, login):
    # Captured "before" the showing it records: the phone's clock was wrong.
    held, captured = local(2026, 11, 2, 10, 0), local(2026, 11, 2, 6, 0)
    r = _send_later(cast, clock, held, captured, received=local(2026, 11, 5, 18, 0))
    assert r.status_code == 201
    entry = LogbookEntry.objects.get()
    assert entry.capture_doubts == ["设备录入时间早于所记事项发生的时间"]
    station = login(world.station)
    assert "录入时间存疑，待电教站核查" in station.get("/logbook/?month=2026-11").content.decode()
    listed = station.get("/logbook/exceptions/")
    assert [e.pk for e in listed.context["doubtful"]] == [entry.pk]


def test_a_record_held_longer_than_a_phone_may_hold_it_is_marked(world, cast, clock, settings):
    settings.DIANJIAO_OFFLINE_MAX_DAYS = 2
    held, captured = local(2026, 11, 2, 10, 0), local(2026, 11, 2, 11, 0)
    r = _send_later(cast, clock, held, captured, received=local(2026, 11, 5, 18, 0))
    assert r.status_code == 201
    assert LogbookEntry.objects.get().capture_doubts == ["设备录入时间比服务器收到的时间早2天以上"]


def test_a_phone_clock_a_year_ahead_is_a_clear_error_not_a_record(world, cast, clock):
    clock.at = local(2026, 11, 29, 10, 0)
    ahead = clock.at + dt.timedelta(days=365)
    data = session_payload(cast, held_at=ahead.isoformat(), captured_at=ahead.isoformat())
    r = Phone("operator").post("/api/v1/sessions", data)
    assert r.status_code == 422
    assert r.json()["errors"]["held_at"] == ["收看时间不能晚于现在：只能登记已经举行的收看"]
    assert not LogbookEntry.objects.exists()
