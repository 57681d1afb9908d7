import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png(name="photo.png", size=(8, 8)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def jpg(name="photo.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def not_image(name="report.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 not an image at all" * 10, content_type="image/png")


def send(world, *, user=None, village=None, title="红星村开展党员电教活动", photos=(), at=None):
    from dianjiao.infoitems.services import item_send

    return item_send(
        user=user or world.operator,
        village=village or world.village,
        title=title,
        text="本月组织党员收看电教片两次。",
        category="news",
        photos=list(photos),
        at=at,
    )
