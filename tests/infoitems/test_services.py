import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dianjiao.infoitems import services
from dianjiao.infoitems.models import InfoItem, InfoItemPhoto
from tests.infoitems.helpers import jpg, not_image, png, send


def test_it_sends_an_item_with_photos(world):
    item = send(world, photos=[png(), jpg()])
    assert item.status == InfoItem.Status.SENT
    assert item.sent_by == world.operator and item.township == world.township
    version = item.versions.get()
    assert version.number == 1 and version.photos.count() == 2


def test_it_refuses_a_non_image(world):
    with pytest.raises(ValidationError) as exc:
        send(world, photos=[not_image()])
    assert exc.value.message_dict["photos"] == ["只能上传图片（JPG、PNG）"]
    assert not InfoItem.objects.exists()


def test_it_refuses_a_too_big_photo(world, monkeypatch):
    monkeypatch.setattr("dianjiao.infoitems.images.MAX_PHOTO_BYTES", 50)
    with pytest.raises(ValidationError) as exc:
        send(world, photos=[png(size=(64, 64))])
    assert "5 MB" in exc.value.message_dict["photos"][0]


def test_it_refuses_more_than_six_photos(world):
    with pytest.raises(ValidationError):
        send(world, photos=[png(f"{i}.png") for i in range(7)])


def test_it_refuses_another_villages_operator(world):
    with pytest.raises(PermissionDenied):
        send(world, user=world.other_op)


def test_it_refuses_read_only_roles(world):
    item = send(world)
    for user in (world.leader, world.inspector, world.county_viewer):
        with pytest.raises(PermissionDenied):
            send(world, user=user)
        with pytest.raises(PermissionDenied):
            services.item_adopt(item=item, user=user)


def test_it_adopts_and_publishes(world):
    item = send(world)
    item = services.item_adopt(item=item, user=world.station)
    assert item.status == "adopted" and item.adopted_by == world.station and item.adopted_at
    item = services.item_publish(item=item, user=world.station)
    assert item.status == "published" and item.published_by == world.station and item.published_at


def test_it_refuses_to_publish_an_item_not_adopted(world):
    item = send(world)
    with pytest.raises(ValidationError) as exc:
        services.item_publish(item=item, user=world.station)
    assert "status" in exc.value.message_dict
    item.refresh_from_db()
    assert item.status == "sent" and item.published_at is None


def test_it_refuses_a_return_without_reason(world):
    item = send(world)
    with pytest.raises(ValidationError) as exc:
        services.item_return(item=item, user=world.station, reason="  ")
    assert "reason" in exc.value.message_dict


def test_it_refuses_an_operator_reviewing(world):
    item = send(world)
    with pytest.raises(PermissionDenied):
        services.item_adopt(item=item, user=world.operator)


def test_it_keeps_earlier_versions_after_a_return(world):
    item = send(world, title="初稿", photos=[png()])
    item = services.item_return(item=item, user=world.station, reason="请补充具体人数")
    assert (
        item.status == "returned"
        and item.returned_by == world.station
        and item.return_reason == "请补充具体人数"
    )
    first_sent = item.sent_at
    item = services.item_send(
        user=world.operator,
        item=item,
        title="修改稿",
        text="共有32名党员参加。",
        category="experience",
        photos=[jpg()],
    )
    assert item.status == "sent" and item.title == "修改稿" and item.sent_at == first_sent
    v1, v2 = item.versions.order_by("number")
    assert (v1.number, v1.title, v1.text) == (1, "初稿", "本月组织党员收看电教片两次。")
    assert (v2.number, v2.title, v2.category) == (2, "修改稿", "experience")
    assert InfoItemPhoto.objects.filter(version=v1).count() == 1
    assert InfoItemPhoto.objects.filter(version=v2).count() == 1


def test_it_refuses_a_resend_of_an_item_not_returned(world):
    item = send(world)
    with pytest.raises(ValidationError):
        services.item_send(user=world.operator, item=item, title="x", text="y", category="news")


def test_it_uses_the_given_time(world):
    at = timezone.make_aware(dt.datetime(2026, 3, 5, 10))
    assert send(world, at=at).sent_at == at
