"""Is an upload a real JPG or PNG image, small enough in bytes and in pixels? Pillow reads the
bytes: a file's name and declared type are only the uploader's word.

A photo is bounded before it is decoded: a 1 KB PNG can declare 12,000 x 12,000 pixels, and
whoever decodes it (the server re-encoding it, a reviewer's browser showing it) pays for
144 million. The size in the header is checked first; what is kept is a web copy, at most
MAX_SIDE pixels on the long side, turned upright and without EXIF (which carries the camera's
GPS position), and that copy is what the photo page serves.
"""

import io
import os
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 6
ALLOWED_FORMATS = {"JPEG", "PNG"}
MAX_PIXELS = 40_000_000  # a 40-megapixel camera; anything more is not a photo of a meeting
MAX_SIDE = 2560  # the web copy's long side
# Pillow's own guard, for every image opened in this process: it warns above this and refuses
# above twice this (DecompressionBombError), even where a caller forgets to check.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_BROKEN = (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError)


def not_image_message() -> str:
    return _("只能上传图片（JPG、PNG）")


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("图片“%(name)s”尺寸过大：最多 4000 万像素（如 8000×5000），请缩小后再上传")
        % {"name": name}
    )


def _open(file):
    """The image, opened (header only, nothing decoded) and bounded in pixels."""
    name = os.path.basename(getattr(file, "name", "") or "")
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked just below
        try:
            img = Image.open(file)
        except Image.DecompressionBombError:
            raise _too_many_pixels(name) from None
    width, height = img.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(name)  # not closed: Pillow would close the caller's file too
    return img


def check_photo(file) -> None:
    """A ValidationError (Chinese, plain list) unless `file` is a JPG/PNG image of at most 5 MB and
    MAX_PIXELS pixels."""
    size = getattr(file, "size", None) or 0
    if not size:
        raise ValidationError(not_image_message())
    if size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("图片“%(name)s”超过 5 MB 上限，请压缩后再上传") % {"name": getattr(file, "name", "")}
        )
    try:
        with _open(file) as img:
            fmt = img.format
            img.verify()
    except _BROKEN:
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


def web_copy(file) -> ContentFile:
    """The photo to keep: upright, at most MAX_SIDE on the long side, no EXIF or other metadata,
    in its own format (JPEG, or PNG, which may be transparent). Call after check_photo."""
    stem = os.path.splitext(os.path.basename(getattr(file, "name", "") or ""))[0] or "photo"
    try:
        with _open(file) as img:
            fmt = img.format
            if fmt == "JPEG":
                img.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode big JPEGs at 1/2, 1/4, 1/8 scale
            upright = ImageOps.exif_transpose(img)
            upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            icc = img.info.get("icc_profile")
            out = io.BytesIO()
            if fmt == "JPEG":
                if upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGB")
                upright.save(out, "JPEG", quality=85, optimize=True, icc_profile=icc)
                ext = ".jpg"
            else:
                upright.save(out, "PNG", icc_profile=icc)
                ext = ".png"
    except _BROKEN:
        raise ValidationError({"photos": [not_image_message()]}) from None
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from None
    finally:
        file.seek(0)
    return ContentFile(out.getvalue(), name=stem + ext)
