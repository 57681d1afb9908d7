"""POST /api/v1/info-items: the same create / replay / conflict contract, through item_send."""

import base64
import io
import uuid

from PIL import Image

from dianjiao.api.models import ClientSubmission
from dianjiao.infoitems.models import InfoItem, InfoItemPhoto
from tests.api.conftest import Phone


def _photo() -> str:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, "JPEG")
    return base64.b64encode(buf.getvalue()).decode()


def _item(**overrides):
    data = {
        "id": str(uuid.uuid4()),
        "title": "夏牧场流动播放点开展党员教育",
        "text": "11月29日，在乌伦古河夏牧场组织转场党员收看《榜样8》。",
        "category": "news",
        "photos": [{"name": "camp.jpg", "data": _photo()}],
    }
    data.update(overrides)
    return data


def test_it_sends_an_item_with_its_photo_and_answers_201(world, clock):
    r = Phone("operator").post("/api/v1/info-items", _item())
    assert r.status_code == 201, r.content
    item = InfoItem.objects.get()
    assert (item.village, item.sent_by, item.status) == (world.village, world.operator, "sent")
    assert r.json()["item"] == item.pk and r.json()["photos"] == 1
    assert InfoItemPhoto.objects.count() == 1


def test_a_replay_answers_200_with_the_same_body_and_stores_nothing_new(world, clock):
    phone = Phone("operator")
    data = _item()
    first = phone.post("/api/v1/info-items", data)
    again = phone.post("/api/v1/info-items", data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert InfoItem.objects.count() == 1 and ClientSubmission.objects.count() == 1


def test_a_replay_with_other_content_is_409_with_both_versions(world, clock):
    phone = Phone("operator")
    data = _item()
    phone.post("/api/v1/info-items", data)
    r = phone.post("/api/v1/info-items", {**data, "title": "改过的标题"})
    assert r.status_code == 409
    assert r.json()["stored"]["title"] == data["title"]
    assert r.json()["sent"]["title"] == "改过的标题"
    assert InfoItem.objects.count() == 1


def test_invalid_content_is_422_per_field(world, clock):
    r = Phone("operator").post("/api/v1/info-items", _item(title=" "))
    assert r.status_code == 422
    assert "title" in r.json()["errors"]
    r = Phone("operator").post(
        "/api/v1/info-items", _item(photos=[{"name": "x.jpg", "data": "!!"}])
    )
    assert r.status_code == 422 and r.json()["errors"] == {"photos.0": ["图片数据无效"]}
    assert not InfoItem.objects.exists()


def test_scope_another_village_is_404_a_read_only_role_403(world, clock):
    assert (
        Phone("operator").post("/api/v1/info-items", _item(village=world.pastoral.pk)).status_code
        == 404
    )
    assert (
        Phone("inspector").post("/api/v1/info-items", _item(village=world.village.pk)).status_code
        == 403
    )
    assert not InfoItem.objects.exists()
