"""A photo is bounded in pixels before it is decoded, and what is kept and served is a web copy
(issue 11, part 1): the issue's 12,000 x 12,000 PNG used to be stored and served as it came."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dianjiao.infoitems import images
from dianjiao.infoitems.models import InfoItem, InfoItemPhoto
from tests.infoitems.helpers import send

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def huge_png(size=(12000, 12000), name="huge.png") -> SimpleUploadedFile:
    """A few KB on the wire, `size` pixels once decoded (bilevel, so building it is cheap)."""
    buf = io.BytesIO()
    Image.new("1", size).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def camera_jpeg(size=(4000, 3000), name="IMG_0001.JPG") -> SimpleUploadedFile:
    """A camera's photo, held sideways (EXIF orientation 6) and carrying a GPS position."""
    img = Image.linear_gradient("L").resize(size).convert("RGB")
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # rotate 90° clockwise to show upright
    exif[0x010F] = "Camera Maker"
    exif.get_ifd(GPS_IFD)[2] = (47.0, 6.0, 30.0)  # GPSLatitude
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif, quality=70)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def _post(client, *photos):
    data = {"title": "红星村冬季电教", "category": "news", "text": "流动播放进牧点。"}
    return client.post(reverse("infoitems:send"), {**data, "photos": list(photos)})


def test_a_tiny_png_of_144_megapixels_is_refused_with_a_message(world, login):
    bomb = huge_png()
    assert bomb.size < 64 * 1024
    response = _post(login(world.operator), bomb)
    assert response.status_code == 200
    (message,) = response.context["form"].errors["photos"]
    assert "huge.png" in message and "4000 万像素" in message
    assert message in response.content.decode()
    assert not InfoItem.objects.exists() and not InfoItemPhoto.objects.exists()


def test_a_photo_over_the_limit_but_under_pillows_own_guard_is_refused_too(world):
    with pytest.raises(ValidationError) as exc:
        send(world, photos=[huge_png((7000, 7000), "big.png")])  # 49 Mpx
    assert "4000 万像素" in exc.value.message_dict["photos"][0]
    assert not InfoItem.objects.exists()


def test_a_big_photo_is_kept_upright_at_most_2560_px_without_exif(world, login):
    original = camera_jpeg()
    assert Image.open(io.BytesIO(original.read())).getexif()[ORIENTATION] == 6
    original.seek(0)
    item = send(world, photos=[original])
    photo = item.versions.get().photos.get()
    with photo.image.open("rb") as f:
        stored = f.read()
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG"
        assert img.size == (1920, 2560)  # turned upright, then the long side brought to 2560
        assert not img.getexif() and "exif" not in img.info
    assert photo.original_name == "IMG_0001.JPG" and photo.image.name.endswith(".jpg")

    response = login(world.station).get(reverse("infoitems:photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == stored  # the web copy is what is served


def test_a_transparent_png_stays_png_and_a_small_photo_keeps_its_size(world):
    buf = io.BytesIO()
    Image.new("RGBA", (3000, 1000), (200, 30, 30, 128)).save(buf, "PNG")
    wide = SimpleUploadedFile("banner.png", buf.getvalue(), content_type="image/png")
    small = camera_jpeg((800, 600), "small.jpg")
    item = send(world, photos=[wide, small])
    kept = {p.original_name: p for p in item.versions.get().photos.all()}
    with Image.open(kept["banner.png"].image.open("rb")) as img:
        assert (img.format, img.mode, img.size) == ("PNG", "RGBA", (2560, 853))
    with Image.open(kept["small.jpg"].image.open("rb")) as img:
        assert img.size == (600, 800) and not img.getexif()


def test_the_web_copy_refuses_what_the_header_check_refuses():
    with pytest.raises(ValidationError) as exc:
        images.web_copy(huge_png())
    assert "4000 万像素" in exc.value.message_dict["photos"][0]
