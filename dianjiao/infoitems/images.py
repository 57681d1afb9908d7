"""Is an upload a real JPG or PNG image, and small enough? Pillow reads the bytes: a file's name
and declared type are only the uploader's word."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 6
ALLOWED_FORMATS = {"JPEG", "PNG"}


def not_image_message() -> str:
    return _("只能上传图片（JPG、PNG）")


def check_photo(file) -> None:
    """A ValidationError (Chinese, plain list) if `file` is not a JPG/PNG image of at most 5 MB."""
    size = getattr(file, "size", None) or 0
    if not size:
        raise ValidationError(not_image_message())
    if size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("图片“%(name)s”超过 5 MB 上限，请压缩后再上传") % {"name": getattr(file, "name", "")}
        )
    try:
        file.seek(0)
        with Image.open(file) as img:
            fmt = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(not_image_message()) from None
    finally:
        file.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(not_image_message())


def check_photos(files) -> None:
    files = list(files)
    if len(files) > MAX_PHOTOS:
        raise ValidationError({"photos": _("最多上传 %(n)s 张照片") % {"n": MAX_PHOTOS}})
    errors = []
    for f in files:
        try:
            check_photo(f)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"photos": errors})
