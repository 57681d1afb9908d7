import datetime as dt

from django.utils import timezone

from dianjiao.infoitems import services
from dianjiao.infoitems.selectors import items_per_village_month
from tests.factories import user
from tests.infoitems.helpers import send


def _at(month, day=10):
    return timezone.make_aware(dt.datetime(2026, month, day, 10))


def test_it_counts_items_per_village_and_month(world, django_assert_num_queries):
    pastoral_op = user("pastoral_op2", "operator", village_obj=world.pastoral)
    send(world, at=_at(1))
    send(world, at=_at(1, 20))
    returned = send(world, at=_at(2))
    services.item_return(item=returned, user=world.station, reason="补充照片", at=_at(2, 12))
    # resent in March: still one item, counted in February when it was first sent
    services.item_send(
        user=world.operator, item=returned, title="修改稿", text="正文", category="news", at=_at(3)
    )
    send(world, user=pastoral_op, village=world.pastoral, at=_at(2))
    send(world, at=timezone.make_aware(dt.datetime(2025, 12, 30, 10)))  # another year
    send(world, user=world.outsider, village=world.far_village, at=_at(1))  # another township
    with django_assert_num_queries(1):
        counts = items_per_village_month(world.township, 2026)
    assert counts == {
        (world.village.pk, 1): 2,
        (world.village.pk, 2): 1,
        (world.pastoral.pk, 2): 1,
    }


def test_visible_to_adds_the_townships_published_items_and_nothing_else(world):
    """`visible_to` is the one read scope: a village reads its own items and every published
    item of its township; another village's unsent, adopted or returned items stay hidden, so do
    other townships' published items, and what it reads of others it may not change."""
    from dianjiao.infoitems.models import InfoItem
    from dianjiao.infoitems.selectors import items_for, published_for

    def published(item, station=world.station):
        services.item_adopt(item=item, user=station)
        return services.item_publish(item=item, user=station)

    mine = send(world, user=world.other_op, village=world.pastoral, title="牧业村自己的")
    theirs_published = published(send(world, title="红星村已发布"))
    theirs_sent = send(world, title="红星村待审核")
    theirs_adopted = services.item_adopt(item=send(world, title="红星村已采用"), user=world.station)
    theirs_returned = services.item_return(
        item=send(world, title="红星村已退回"), user=world.station, reason="补充"
    )
    far_op = user("far_op", "operator", village_obj=world.far_village)
    far_published = published(
        send(world, user=far_op, village=world.far_village, title="外乡已发布"), world.outsider
    )

    visible = set(InfoItem.objects.visible_to(world.other_op))
    assert mine in visible and theirs_published in visible
    assert not visible & {theirs_sent, theirs_adopted, theirs_returned}
    assert far_published not in visible
    assert set(InfoItem.objects.writable_by(world.other_op)) == {mine}
    assert set(items_for(world.other_op)) == {mine}
    assert set(published_for(world.other_op)) == {theirs_published}
    # The station, the leader: the whole township as before; the outsider: only its own.
    assert set(InfoItem.objects.visible_to(world.leader)) == {
        mine,
        theirs_published,
        theirs_sent,
        theirs_adopted,
        theirs_returned,
    }
    assert set(InfoItem.objects.visible_to(world.outsider)) == {far_published}
    assert set(InfoItem.objects.visible_to(far_op)) == {far_published}
