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


def _camp(world):
    """A campaign from 10 Nov 2026 whose camp is 阿克达拉村's summer-pasture point."""
    from dianjiao.pastoral import services as pastoral

    campaign = pastoral.campaign_create(
        user=world.station,
        township=world.township,
        name="2026年冬季转场流动教学",
        starts_on=dt.date(2026, 11, 10),
        ends_on=dt.date(2026, 11, 30),
        target_hours=30,
    )
    pastoral.point_add(
        user=world.station,
        campaign=campaign,
        name="乌伦古河冬牧场",
        river_area="ulungur",
        villages=[world.pastoral],
    )
    return campaign


def _at_the_camp(cast, clock, *, kind, held, captured, received):
    w = cast.world
    clock.at = local(2026, 11, 1, 7, 0)
    phone = Phone("other_op")
    clock.at = received
    data = session_payload(
        cast,
        point=w.pastoral_point.pk,
        kind=kind,
        held_at=held.isoformat(),
        captured_at=captured.isoformat(),
        attendance=[{"member": w.pastoral_member.pk, "status": "present"}],
        guests=[],
    )
    return phone.post("/api/v1/sessions", data)


def test_a_capture_time_before_the_campaign_began_is_marked_for_review(world, cast, clock, login):
    # The phone's clock says 5 Nov, days before the campaign at this camp began (10 Nov); the
    # record reaches the server during the campaign. Nothing else about the times is odd.
    _camp(world)
    held, captured = local(2026, 11, 5, 10, 0), local(2026, 11, 5, 11, 30)
    r = _at_the_camp(
        cast, clock, kind="pastoral", held=held, captured=captured, received=local(2026, 11, 15, 9)
    )
    assert r.status_code == 201, r.content
    entry = LogbookEntry.objects.get()
    assert entry.late_exception is None  # kept, never dropped
    assert entry.capture_doubts == [
        "设备录入时间早于流动教学活动“2026年冬季转场流动教学”的开始日期2026年11月10日"
    ]
    station = login(world.station)
    listed = station.get("/logbook/exceptions/")
    assert [e.pk for e in listed.context["doubtful"]] == [entry.pk]
    assert "开始日期2026年11月10日" in listed.content.decode()
    book = station.get(f"/logbook/?village={world.pastoral.pk}&month=2026-11").content.decode()
    assert "录入时间存疑，待电教站核查" in book


def test_a_capture_during_the_campaign_or_not_at_a_camp_session_is_not_doubted(
    world, cast, clock, login
):
    _camp(world)
    during = local(2026, 11, 12, 10, 0)
    r = _at_the_camp(
        cast,
        clock,
        kind="pastoral",
        held=during,
        captured=during + dt.timedelta(hours=1),
        received=local(2026, 11, 15, 9),
    )
    assert r.status_code == 201, r.content
    # A monthly showing at the same point before the campaign is no campaign session.
    before = local(2026, 11, 5, 10, 0)
    r = _at_the_camp(
        cast,
        clock,
        kind="monthly",
        held=before,
        captured=before + dt.timedelta(hours=1),
        received=local(2026, 11, 15, 9),
    )
    assert r.status_code == 201, r.content
    assert [e.capture_doubts for e in LogbookEntry.objects.all()] == [[], []]
    assert not login(world.station).get("/logbook/exceptions/").context["doubtful"]
