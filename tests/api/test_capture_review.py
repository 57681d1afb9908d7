"""The station reviews an entry whose device capture time is doubtful: the entry and its red
mark stay, a review record says who looked, when and what they found (append-only)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.logbook import services
from dianjiao.logbook.models import AppendOnlyError, CaptureReview, LogbookEntry
from tests.api.conftest import local
from tests.api.test_same_day import _send_later


@pytest.fixture
def doubtful(world, cast, clock):
    held, captured = local(2026, 11, 2, 10, 0), local(2026, 11, 2, 6, 0)
    r = _send_later(cast, clock, held, captured, received=local(2026, 11, 5, 18, 0))
    assert r.status_code == 201
    entry = LogbookEntry.objects.get()
    assert entry.capture_doubts
    return entry


def test_the_station_marks_it_reviewed_and_the_mark_stays(world, doubtful, login, clock):
    station = login(world.station)
    page = station.get("/logbook/exceptions/").content.decode()
    assert "标为已核查" in page
    r = station.post(f"/logbook/{doubtful.pk}/review-capture/", {"note": "电话核实：手机时间错了"})
    assert r.status_code == 302
    review = CaptureReview.objects.get()
    assert (review.entry, review.reviewed_by, review.note) == (
        doubtful,
        world.station,
        "电话核实：手机时间错了",
    )
    assert review.reviewed_at == clock.at
    # The entry is unchanged and still listed, now with who reviewed it and what they found.
    entry = LogbookEntry.objects.get()
    assert entry.capture_doubts == doubtful.capture_doubts and entry.hash == doubtful.hash
    page = station.get("/logbook/exceptions/")
    assert [e.pk for e in page.context["doubtful"]] == [entry.pk]
    text = page.content.decode()
    assert "已核查" in text and "电话核实：手机时间错了" in text and "review-capture/" not in text
    # A review is not edited or removed afterwards.
    with pytest.raises(AppendOnlyError):
        review.save()
    with pytest.raises(AppendOnlyError):
        CaptureReview.objects.update(note="x")


def test_a_review_needs_a_note_and_happens_once(world, doubtful):
    with pytest.raises(ValidationError):
        services.entry_review_capture(user=world.station, entry=doubtful, note=" ")
    services.entry_review_capture(user=world.station, entry=doubtful, note="已核实")
    with pytest.raises(ValidationError):
        services.entry_review_capture(user=world.station, entry=doubtful, note="再核一次")
    assert CaptureReview.objects.count() == 1


@pytest.mark.parametrize("who", ["operator", "leader", "outsider"])
def test_only_the_townships_station_reviews(world, doubtful, who):
    with pytest.raises(PermissionDenied):
        services.entry_review_capture(user=getattr(world, who), entry=doubtful, note="看过了")
    assert not CaptureReview.objects.exists()


def test_the_page_refuses_others(world, doubtful, login):
    url = f"/logbook/{doubtful.pk}/review-capture/"
    assert login(world.operator).post(url, {"note": "x"}).status_code == 403
    assert login(world.leader).post(url, {"note": "x"}).status_code == 403
    assert login(world.outsider).post(url, {"note": "x"}).status_code == 404
    assert not CaptureReview.objects.exists()
