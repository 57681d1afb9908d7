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
