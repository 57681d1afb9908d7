"""Is an upload a video, and is it small enough? Pure checks, no models.

A browser's declared content type and a file name are both the uploader's word, so the first
bytes are read as well: a renamed document or program is refused whatever it calls itself.
"""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dianjiao.lib.sizes import size_label

# Extension -> the content type the file is served with.
VIDEO_TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
    ".mov": "video/quicktime",
    ".mkv": "video/x-matroska",
    ".avi": "video/x-msvideo",
    ".mpg": "video/mpeg",
    ".mpeg": "video/mpeg",
    ".vob": "video/mpeg",
    ".ts": "video/mp2t",
    ".flv": "video/x-flv",
    ".wmv": "video/x-ms-wmv",
    ".3gp": "video/3gpp",
}
# What every browser plays in a <video> element; other formats are offered as a download.
PLAYABLE_TYPES = {"video/mp4", "video/webm", "video/ogg"}
DEFAULT_MAX_VIDEO_BYTES = 1024 * 1024 * 1024  # 1 GB, also waitress's default request-body limit
_GENERIC_TYPES = {"", "application/octet-stream", "binary/octet-stream"}
_ISO_BOXES = {b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip", b"pnot"}


def max_video_bytes() -> int:
    return int(getattr(settings, "DIANJIAO_MAX_VIDEO_BYTES", DEFAULT_MAX_VIDEO_BYTES))


def looks_like_video(head: bytes) -> bool:
    """Whether the first bytes are those of a common video container."""
    if len(head) >= 8 and head[4:8] in _ISO_BOXES:  # MP4, MOV, M4V, 3GP
        return True
    signatures = (
        b"\x1a\x45\xdf\xa3",  # Matroska, WebM
        b"OggS",  # Ogg (OGV)
        b"FLV",
        b"\x00\x00\x01\xba",  # MPEG program stream (MPG, VOB)
        b"\x00\x00\x01\xb3",  # MPEG elementary stream
        b"\x30\x26\xb2\x75\x8e\x66\xcf\x11",  # ASF (WMV)
    )
    if head.startswith(signatures):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return True
    return len(head) > 188 and head[0] == 0x47 and head[188] == 0x47  # MPEG transport stream


def check_upload(file) -> tuple[str, str]:
    """(extension, content type to serve) of an uploaded video, or a ValidationError on "file"
    saying in Chinese what is wrong with it."""
    name = getattr(file, "name", "") or ""
    ext = os.path.splitext(name)[1].lower()
    size = getattr(file, "size", None) or 0
    limit = max_video_bytes()
    kinds = "MP4、WebM、MOV、AVI、MPG、WMV"
    if not size:
        raise ValidationError({"file": _("上传的文件是空的")})
    if ext not in VIDEO_TYPES:
        raise ValidationError(
            {
                "file": _("只能上传视频文件（%(kinds)s 等），“%(name)s”不是视频文件")
                % {"kinds": kinds, "name": name}
            }
        )
    declared = (getattr(file, "content_type", "") or "").split(";")[0].strip().lower()
    if declared not in _GENERIC_TYPES and not declared.startswith("video/"):
        raise ValidationError(
            {
                "file": _("“%(name)s”不是视频文件（文件类型为 %(type)s）")
                % {"name": name, "type": declared}
            }
        )
    if size > limit:
        raise ValidationError(
            {
                "file": _("视频文件超过 %(limit)s 上限（本文件 %(size)s），请压缩后再上传")
                % {
                    "limit": size_label(limit),
                    "size": size_label(size),
                }
            }
        )
    file.seek(0)
    head = file.read(512)
    file.seek(0)
    if not looks_like_video(head):
        raise ValidationError(
            {"file": _("“%(name)s”的内容不是视频，请上传真正的视频文件") % {"name": name}}
        )
    return ext, VIDEO_TYPES[ext]
