import io

from django.urls import reverse
from openpyxl import load_workbook

from dianjiao.infoitems import services
from dianjiao.infoitems.models import InfoItem
from tests.infoitems.helpers import jpg, not_image, png, send


def _post_send(client, **files):
    data = {
        "title": "红星村冬季电教",
        "category": "innovation",
        "text": "流动播放进牧点。",
        **files,
    }
    return client.post(reverse("infoitems:send"), data)


def test_it_sends_through_the_form(world, login):
    response = _post_send(login(world.operator), photos=[png(), jpg()])
    item = InfoItem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "infoitems:detail", args=[item.pk]
    )
    assert item.village == world.village and item.versions.get().photos.count() == 2


def test_it_shows_the_image_error_next_to_the_field(world, login):
    response = _post_send(login(world.operator), photos=[not_image()])
    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == ["只能上传图片（JPG、PNG）"]
    assert "只能上传图片（JPG、PNG）" in response.content.decode()
    assert not InfoItem.objects.exists()


def test_it_shows_the_size_error_next_to_the_field(world, login, monkeypatch):
    monkeypatch.setattr("dianjiao.infoitems.images.MAX_PHOTO_BYTES", 50)
    response = _post_send(login(world.operator), photos=[png(size=(64, 64))])
    assert "5 MB" in response.context["form"].errors["photos"][0]
    assert not InfoItem.objects.exists()


def test_it_refuses_read_only_roles_to_send(world, login):
    for persona in (world.leader, world.inspector, world.county_viewer):
        assert _post_send(login(persona)).status_code == 403
    assert not InfoItem.objects.exists()


def test_it_hides_an_item_from_another_village(world, login):
    item = send(world, photos=[png()])
    photo = item.versions.get().photos.get()
    client = login(world.other_op)
    assert client.get(reverse("infoitems:detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("infoitems:photo", args=[photo.pk])).status_code == 404
    assert client.post(reverse("infoitems:resend", args=[item.pk])).status_code == 404


def test_it_refuses_read_only_roles_to_review(world, login):
    item = send(world)
    for persona in (world.leader, world.inspector, world.county_viewer):
        client = login(persona)
        for name in ("infoitems:adopt", "infoitems:publish"):
            assert client.post(reverse(name, args=[item.pk])).status_code == 403
        assert (
            client.post(reverse("infoitems:return", args=[item.pk]), {"reason": "x"}).status_code
            == 403
        )
    item.refresh_from_db()
    assert item.status == "sent"


def test_it_walks_an_item_through_review(world, login):
    item = send(world)
    client = login(world.station)
    assert (
        client.post(reverse("infoitems:return", args=[item.pk]), {"reason": ""})
        .context["form"]
        .errors["reason"]
    )
    client.post(reverse("infoitems:publish", args=[item.pk]))  # not adopted: refused
    item.refresh_from_db()
    assert item.status == "sent"
    client.post(reverse("infoitems:adopt", args=[item.pk]))
    client.post(reverse("infoitems:publish", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == "published" and item.published_by == world.station


def test_it_resends_after_a_return_keeping_versions(world, login):
    item = send(world, title="初稿")
    services.item_return(item=item, user=world.station, reason="请补充照片")
    client = login(world.operator)
    page = client.get(reverse("infoitems:detail", args=[item.pk]))
    assert "请补充照片" in page.content.decode()
    response = client.post(
        reverse("infoitems:resend", args=[item.pk]),
        {"title": "修改稿", "category": "news", "text": "补充后", "photos": [png()]},
    )
    assert response.status_code == 302
    assert list(item.versions.order_by("number").values_list("title", flat=True)) == [
        "初稿",
        "修改稿",
    ]
    page = client.get(reverse("infoitems:detail", args=[item.pk])).content.decode()
    assert "修改稿" in page and "初稿" in page


def test_it_serves_photos_through_scope(world, login):
    item = send(world, photos=[png()])
    photo = item.versions.get().photos.get()
    url = reverse("infoitems:photo", args=[photo.pk])
    response = login(world.station).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert login(world.outsider).get(url).status_code == 404


def test_it_shows_published_items_to_every_village_of_the_township(world, login):
    item = send(world, title="已发布的经验")
    services.item_adopt(item=item, user=world.station)
    services.item_publish(item=item, user=world.station)
    hidden = send(world, title="未发布的稿件")
    for persona in (world.other_op, world.county_viewer, world.leader):
        client = login(persona)
        page = client.get(reverse("infoitems:published")).content.decode()
        assert "已发布的经验" in page and "未发布的稿件" not in page
        assert client.get(reverse("infoitems:detail", args=[item.pk])).status_code == 200
    assert (
        login(world.other_op).get(reverse("infoitems:detail", args=[hidden.pk])).status_code == 404
    )
    assert (
        "已发布的经验"
        not in login(world.outsider).get(reverse("infoitems:published")).content.decode()
    )


def test_it_filters_the_queue(world, login):
    send(world, title="红星村一月信息")
    from tests.factories import user

    op2 = user("op2", "operator", village_obj=world.pastoral)
    send(world, user=op2, village=world.pastoral, title="牧业村信息")
    client = login(world.station)
    page = client.get(reverse("infoitems:list"), {"village": world.pastoral.pk}).content.decode()
    assert "牧业村信息" in page and "红星村一月信息" not in page
    page = client.get(reverse("infoitems:list"), {"q": "一月"}).content.decode()
    assert "红星村一月信息" in page and "牧业村信息" not in page
    page = client.get(reverse("infoitems:list"), {"status": "published"}).content.decode()
    assert "红星村一月信息" not in page
    page = client.get(reverse("infoitems:list"), {"month": "2001-01"}).content.decode()
    assert "红星村一月信息" not in page


def test_it_exports_the_queue(world, login):
    item = send(world, title="导出测试")
    services.item_return(item=item, user=world.station, reason="太短")
    response = login(world.station).get(reverse("infoitems:export"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "标题", "类别", "报送村")
    assert (
        rows[1][1] == "导出测试"
        and rows[1][3] == "红星村"
        and rows[1][7] == "已退回"
        and rows[1][9] == "太短"
    )
    assert len(rows) == 2


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_it_lists_in_a_fixed_number_of_queries(world, login):
    client = login(world.station)
    for n in (1, 6):
        for i in range(n):
            item = send(world, title=f"信息{n}-{i}", photos=[png()])
            services.item_adopt(item=item, user=world.station)
            services.item_publish(item=item, user=world.station)
        counts = [
            _queries(client, reverse(name))
            for name in ("infoitems:list", "infoitems:published", "infoitems:export")
        ]
        if n == 1:
            first = counts
    assert counts == first


def test_it_shows_an_item_with_photos_and_versions_in_a_fixed_number_of_queries(world, login):
    client = login(world.station)
    item = send(world, photos=[png()])
    url = reverse("infoitems:detail", args=[item.pk])
    few = _queries(client, url)
    services.item_return(item=item, user=world.station, reason="补充")
    services.item_send(
        user=world.operator,
        item=item,
        title="第二稿",
        text="正文",
        category="news",
        photos=[png(), jpg()],
    )
    services.item_return(item=item, user=world.station, reason="再补充")
    services.item_send(
        user=world.operator, item=item, title="第三稿", text="正文", category="news", photos=[jpg()]
    )
    assert _queries(client, url) == few
    page = client.get(url).content.decode()
    photo = item.versions.get(number=3).photos.get()
    assert reverse("infoitems:photo", args=[photo.pk]) in page
    assert "第二稿" in page and "第三稿" in page and "/media/" not in page
