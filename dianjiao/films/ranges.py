"""Serving a file with HTTP range requests (RFC 9110 §14), so a <video> element can seek.

Django's FileResponse always sends the whole file with 200. When the user drags the slider the
browser asks for `Range: bytes=N-`; without a 206 answer it cannot jump ahead (Chrome then
refuses to seek at all), and on a township's slow link waiting for the whole film is no answer.

One range per request is served; a multi-range request gets the whole file, which RFC 9110
allows and which no video player asks for anyway.
"""

import os
import re
from collections.abc import Iterator
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, parse_http_date_safe

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(Exception):
    """A well-formed range that lies outside the file: answered with 416."""


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte (inclusive) that `header` asks for in a file of `size` bytes;
    None to send the whole file (no header, another unit, several ranges, or syntax we ignore)."""
    if not header:
        return None
    match = _RANGE.match(header.replace(" ", ""))
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # a suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if end < start or start >= size:
        raise RangeNotSatisfiable
    return start, min(end, size - 1)


def _chunks(file, start: int, length: int) -> Iterator[bytes]:
    try:
        file.seek(start)
        remaining = length
        while remaining > 0:
            data = file.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        file.close()


def _if_range_holds(request, etag: str, last_modified) -> bool:
    """A Range is honoured only if the client's copy is still current (If-Range, RFC 9110 §13.1.5)."""
    value = request.headers.get("If-Range")
    if not value:
        return True
    if value.startswith(('"', "W/")):
        return value == etag
    when = parse_http_date_safe(value)
    return bool(last_modified and when is not None and when == int(last_modified.timestamp()))


def ranged_file_response(
    request,
    file,
    *,
    size: int,
    content_type: str,
    etag: str,
    last_modified=None,
    filename: str = "",
    download: bool = False,
):
    """A 200 with the whole file, a 206 with the range asked for, or a 416; `file` is an open
    binary file, closed when the response is done."""
    try:
        wanted = parse_range(request.headers.get("Range"), size)
    except RangeNotSatisfiable:
        file.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    if wanted is not None and not _if_range_holds(request, etag, last_modified):
        wanted = None
    start, end = wanted if wanted is not None else (0, size - 1)
    length = max(0, end - start + 1)
    response = StreamingHttpResponse(
        _chunks(file, start, length),
        content_type=content_type,
        status=206 if wanted is not None else 200,
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if wanted is not None:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "private, max-age=3600"  # scoped content: no shared caches
    if filename:
        kind = "attachment" if download else "inline"
        fallback = "video" + os.path.splitext(filename)[1].encode("ascii", "ignore").decode()
        response["Content-Disposition"] = (
            f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
        )
    return response
