"""Uploads are bounded before they are parsed.

A zip-based file (.xlsx, .docx) is a small archive that can claim to hold a great deal: a 1 MB
.xlsx whose shared strings inflate to 1 GB costs the server minutes and gigabytes once a parser
opens it. `check_zip` reads only the archive's central directory, never a member's content, and
refuses an archive whose declared sizes, compression ratios or number of parts are out of bounds.
The declared sizes are a real bound, not the uploader's word: Python's zipfile stops inflating a
member at its declared size (and then fails its CRC), and openpyxl reads through zipfile.

    check_zip(content)                  # raises UploadRefused, with a message for the user
    check_zip(content, XLSX_LIMITS)
"""

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

MB = 1024 * 1024


class UploadRefused(ValueError):
    """The upload is refused before it is parsed; the message is for the user."""


@dataclass(frozen=True)
class ZipLimits:
    max_parts: int
    max_part_bytes: int  # declared uncompressed size of any one member
    max_total_bytes: int  # declared uncompressed size of all members together
    max_ratio: int  # uncompressed : compressed, for members big enough to matter
    ratio_floor_bytes: int = 1 * MB  # small members may compress as well as they like


# A 5,000-member roster is about 3 MB of sheet XML and 1 MB of shared strings, compressing 5 to 20
# times; an .xlsx saved by Excel or WPS has a dozen to a few dozen parts.
XLSX_LIMITS = ZipLimits(
    max_parts=500,
    max_part_bytes=40 * MB,
    max_total_bytes=80 * MB,
    max_ratio=100,
)


def _mb(n: int) -> str:
    return f"{n / MB:.0f} MB"


def check_zip(content: bytes, limits: ZipLimits = XLSX_LIMITS) -> None:
    """Refuse (UploadRefused) a zip archive that would inflate beyond `limits`, or is no zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UploadRefused(_("无法读取该文件：文件已损坏或不是 Excel（.xlsx）文件")) from None
    if len(infos) > limits.max_parts:
        raise UploadRefused(
            _("文件包含的部件过多（%(n)s 个，上限 %(max)s 个），请另存为普通的 .xlsx 文件后再上传")
            % {"n": len(infos), "max": limits.max_parts}
        )
    total = 0
    for info in infos:
        size = max(0, info.file_size)
        total += size
        if size > limits.max_part_bytes:
            raise UploadRefused(
                _("文件解压后过大（其中一部分达 %(size)s，上限 %(max)s），请删去无关内容后再上传")
                % {"size": _mb(size), "max": _mb(limits.max_part_bytes)}
            )
        if size > limits.ratio_floor_bytes and size > limits.max_ratio * max(1, info.compress_size):
            raise UploadRefused(
                _("文件的压缩比异常（解压后是原来的 %(ratio)s 倍），不像正常的表格文件，已拒绝")
                % {"ratio": size // max(1, info.compress_size)}
            )
    if total > limits.max_total_bytes:
        raise UploadRefused(
            _("文件解压后过大（共 %(size)s，上限 %(max)s），请删去无关的工作表后再上传")
            % {"size": _mb(total), "max": _mb(limits.max_total_bytes)}
        )
