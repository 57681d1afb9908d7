"""Is an upload a training material we keep, and small enough? Pure checks, no models.

A training's materials are the documents handed out (slides, texts, forms) and photos of the
blackboard: PDF, Word, PowerPoint, Excel (and WPS's own formats), plain text, JPG and PNG. The
name's extension and the browser's content type are the uploader's word, so the first bytes are
read as well: a program renamed to 讲义.pdf is refused. The size limit is the project's upload
limit (DIANJIAO_MAX_UPLOAD_BYTES), checked before anything is read."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dianjiao.lib.sizes import size_label

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt, older WPS files
_ZIP = b"PK\x03\x04"  # .docx, .xlsx, .pptx, newer WPS files
_PDF = b"%PDF-"
_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"

# extension -> (the content type it is served with, the first bytes it may start with)
TYPES = {
    ".pdf": ("application/pdf", (_PDF,)),
    ".doc": ("application/msword", (_OLE,)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (_ZIP,),
    ),
    ".ppt": ("application/vnd.ms-powerpoint", (_OLE,)),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (_ZIP,),
    ),
    ".xls": ("application/vnd.ms-excel", (_OLE,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".wps": ("application/vnd.ms-works", (_OLE, _ZIP)),
    ".dps": ("application/vnd.ms-powerpoint", (_OLE, _ZIP)),
    ".et": ("application/vnd.ms-excel", (_OLE, _ZIP)),
    ".txt": ("text/plain; charset=utf-8", ()),
    ".jpg": ("image/jpeg", (_JPEG,)),
    ".jpeg": ("image/jpeg", (_JPEG,)),
    ".png": ("image/png", (_PNG,)),
}
KINDS = ("PDF", "Word", "PPT", "Excel", "WPS", "TXT", "JPG", "PNG")


def kinds() -> str:
    """The kinds a person recognises, listed in the reader's language."""
    return _("、").join(KINDS)


def max_bytes() -> int:
    return int(settings.DIANJIAO_MAX_UPLOAD_BYTES)


def check_upload(file) -> tuple[str, str]:
    """(extension, content type to serve) of an uploaded material, or a ValidationError on
    "file" saying in Chinese what is wrong with it."""
    name = os.path.basename(getattr(file, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    size = getattr(file, "size", None) or 0
    if not size:
        raise ValidationError({"file": _("上传的文件是空的")})
    if size > max_bytes():
        raise ValidationError(
            {
                "file": _("文件“%(name)s”超过 %(limit)s 上限，请压缩或拆分后再上传")
                % {"name": name, "limit": size_label(max_bytes())}
            }
        )
    if ext not in TYPES:
        raise ValidationError(
            {
                "file": _("只能上传培训资料（%(kinds)s），“%(name)s”不是其中一种")
                % {"kinds": kinds(), "name": name}
            }
        )
    content_type, starts = TYPES[ext]
    file.seek(0)
    head = file.read(512)
    file.seek(0)
    if starts and not head.startswith(starts):
        raise ValidationError(
            {"file": _("文件“%(name)s”的内容与扩展名不符，请检查后再上传") % {"name": name}}
        )
    if not starts and b"\x00" in head:  # text: no NUL bytes
        raise ValidationError({"file": _("文件“%(name)s”不是文本文件") % {"name": name}})
    return ext, content_type
