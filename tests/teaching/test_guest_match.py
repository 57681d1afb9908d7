"""Guests recorded by name at a showing, matched by the station to a roster member
(services.guest_match): the viewing then counts for that member, in their learning record, their
village's coverage and monthly summary; the logbook says so; only the township's station may."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.audit.models import AuditEvent
from dianjiao.compliance import compute
from dianjiao.logbook.models import LogbookEntry
from dianjiao.teaching import selectors, services
from dianjiao.teaching.models import Attendance, Guest
from tests import factories
from tests.teaching.conftest import ABSENT, PRESENT, TODAY, local, record


@pytest.fixture
def camp(world, cast, clock):
    """努尔兰 (阿克达拉村) missed his own point's showing at 08:00 but watched at 红星村's at
    09:00, where he was written down as a guest by name."""
    herder = factories.member(world.pastoral, "巴特尔", world.pastoral_point)
    own = record(
        cast,
        author=world.other_op,
        village=world.pastoral,
        point=world.pastoral_point,
        held_at=local(2026, 11, 29, 8, 0),
        attendance={world.pastoral_member.pk: (ABSENT, ""), herder.pk: (PRESENT, "")},
    )
    seen = record(cast, guests=[{"name": "努尔兰", "note": "阿克达拉村牧民"}])
    return own, seen, seen.guests.get()


def _learning(world):
    return {
        r.member.pk: r
        for r in selectors.village_learning(world.station, world.pastoral, year=2026, as_of=TODAY)
    }[world.pastoral_member.pk]


def _coverage(world):
    row = next(
        r
        for r in compute.compliance(world.station, year=2026, as_of=TODAY).rows
        if r.village == world.pastoral
    )
    cell = row.cells[10]
    return cell.present, cell.expected


def test_a_matched_guest_counts_for_the_member(world, camp):
    _own, seen, guest = camp
    assert _learning(world).attended == 0
    assert _coverage(world) == (1, 2)
    assert selectors.month_summary(world.pastoral, 2026, 11)["members_covered"] == 1

    attendance = services.guest_match(
        user=world.station, guest=guest, member=world.pastoral_member, note="本人确认"
    )

    assert (attendance.session, attendance.member) == (seen, world.pastoral_member)
    assert attendance.status == Attendance.Status.PRESENT and attendance.expected is False
    guest.refresh_from_db()
    assert (guest.member, guest.attendance, guest.matched_by) == (
        world.pastoral_member,
        attendance,
        world.station,
    )
    assert guest.name == "努尔兰"  # the name as written at the camp stays
    assert _learning(world).attended == 1
    assert _coverage(world) == (2, 2)
    summary = selectors.month_summary(world.pastoral, 2026, 11)
    assert summary["members_covered"] == 2 and summary["uncovered"] == []
    # 红星村's own rate is untouched: he was not expected there.
    seen = type(seen).objects.with_figures().get(pk=seen.pk)
    assert (seen.expected_count, seen.present_expected_count) == (4, 4)
    # The logbook keeps the session's entry and appends a correction saying who it was.
    correction = LogbookEntry.objects.get(corrects=seen.entry)
    assert "努尔兰·叶尔肯" in correction.body["text"] and correction.reason == "本人确认"
    assert AuditEvent.objects.filter(
        model="teaching.guest", object_pk=str(guest.pk), action="update"
    ).exists()


@pytest.mark.parametrize("who", ["operator", "other_op", "leader", "outsider", "county_viewer"])
def test_only_the_townships_station_matches(world, camp, who):
    _own, _seen, guest = camp
    with pytest.raises(PermissionDenied):
        services.guest_match(user=getattr(world, who), guest=guest, member=world.pastoral_member)
    guest.refresh_from_db()
    assert guest.member is None
    assert not Attendance.objects.filter(member=world.pastoral_member, expected=False).exists()


def test_a_guest_is_matched_once_and_never_onto_a_second_row(world, cast, camp):
    _own, seen, guest = camp
    # 张三 is on 红星村's list already (present): a guest cannot become him.
    with pytest.raises(ValidationError) as exc:
        services.guest_match(user=world.station, guest=guest, member=world.member)
    assert "已在本场出勤名单中" in str(exc.value)
    # Another township's member is not the station's to name.
    with pytest.raises(ValidationError):
        services.guest_match(user=world.station, guest=guest, member=world.far_member)
    services.guest_match(user=world.station, guest=guest, member=world.pastoral_member)
    with pytest.raises(ValidationError) as exc:
        services.guest_match(user=world.station, guest=guest, member=world.pastoral_member)
    assert "已认定" in str(exc.value)
    assert Attendance.objects.filter(session=seen).count() == 5


def test_the_station_page_lists_searches_and_matches(world, camp, login):
    _own, seen, guest = camp
    client = login(world.station)
    page = client.get("/teaching/guests/")
    assert page.status_code == 200 and "努尔兰" in page.content.decode()
    search = client.get("/teaching/guests/", {"guest": guest.pk, "q": "nel"})  # pinyin initials
    assert f'value="{world.pastoral_member.pk}"' in search.content.decode()
    refused = client.post(
        "/teaching/guests/", {"guest": guest.pk, "q": "张", "member": world.member.pk}
    )
    assert refused.status_code == 200 and "已在本场出勤名单中" in refused.content.decode()
    done = client.post(
        "/teaching/guests/", {"guest": guest.pk, "member": world.pastoral_member.pk, "note": ""}
    )
    assert done.status_code == 302
    assert Guest.objects.get(pk=guest.pk).member == world.pastoral_member
    assert "努尔兰</td>" not in client.get("/teaching/guests/").content.decode()
    detail = client.get(f"/teaching/{seen.pk}/").content.decode()
    assert "已认定为努尔兰·叶尔肯" in detail


@pytest.mark.parametrize("who", ["operator", "leader", "county_viewer", "inspector"])
def test_the_page_is_the_stations_only(world, camp, login, who):
    assert login(getattr(world, who)).get("/teaching/guests/").status_code == 403
