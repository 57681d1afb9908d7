"""Resumable uploads of a session's footage (tus 1.0 core + creation): the rules, apart from HTTP.

Storage goes through Django's default storage only (open, save, delete), so the same code writes
to the media folder or to an S3-compatible store (README, STORAGES). Such stores cannot append to
an object, so every PATCH is saved as a part of its own; the last one triggers the join, which
streams the parts once into the final file and hashes them on the way.

Errors are raised as UploadRefused(status, message) and answered by the views with that status."""

import hashlib
import os
import tempfile
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from dianjiao.accounts.scope import require_village_writer
from dianjiao.lib import dates
from dianjiao.teaching.models import ViewingSession

from .models import Upload

CHUNK = 64 * 1024


class UploadRefused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def max_bytes() -> int:
    return settings.DIANJIAO_UPLOAD_MAX_BYTES


def _safe_filename(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/")).strip()
    return name[:200] or "video"


def upload_create(*, user, session_id: str, filename: str, length: int, sha256: str) -> Upload:
    """Start an upload for a session the user may write: nothing is stored yet but the record.

    404 for a session the user cannot see, 403 for a read-only role, 413 above the limit."""
    if length > max_bytes():
        raise UploadRefused(
            413,
            _("文件过大：%(size)s 字节，上限 %(limit)s 字节")
            % {"size": length, "limit": max_bytes()},
        )
    try:
        session = (
            ViewingSession.objects.visible_to(user)
            .select_related("village")
            .get(pk=uuid.UUID(str(session_id)))
        )
    except (ViewingSession.DoesNotExist, ValueError):
        raise Http404 from None
    require_village_writer(user, session.village)
    sha256 = (sha256 or "").strip().lower()
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise UploadRefused(400, _("须提供文件的 SHA-256（64位十六进制）"))
    with transaction.atomic():
        upload = Upload(
            id=uuid.uuid4(),
            session=session,
            uploader=user,
            filename=_safe_filename(filename),
            length=length,
            sha256=sha256,
            created_at=dates.now(),
        )
        upload.full_clean(exclude=["path", "parts"])
        upload.save()
    return upload


def upload_for(user, pk, *, write: bool) -> Upload:
    """An upload of a session the user can see (404 otherwise); with `write`, 403 for a user who
    may not change that village's records."""
    try:
        upload = Upload.objects.visible_to(user).select_related("session__village").get(pk=pk)
    except (Upload.DoesNotExist, ValueError):
        raise Http404 from None
    if write:
        require_village_writer(user, upload.session.village)
    return upload


def upload_append(*, user, upload: Upload, offset: int, stream) -> Upload:
    """Receive the bytes that follow `offset` (it must be the server's), keep them as a part and
    move the offset on; when the last byte has arrived, join and verify the file.

    A body cut off in the middle keeps what arrived: the client resumes from the new offset."""
    if upload.status != Upload.Status.RECEIVING:
        raise UploadRefused(
            409, _("该上传已结束（%(status)s）") % {"status": upload.get_status_display()}
        )
    if offset != upload.offset:
        raise UploadRefused(
            409, _("偏移量不一致：服务器已收到 %(offset)s 字节") % {"offset": upload.offset}
        )
    remaining = upload.length - upload.offset
    received = 0
    too_long = False
    with tempfile.TemporaryFile() as tmp:
        try:
            while True:
                data = stream.read(min(CHUNK, remaining - received + 1))
                if not data:
                    break
                if received + len(data) > remaining:
                    too_long = True
                    break
                tmp.write(data)
                received += len(data)
        except OSError:
            pass  # the connection broke: keep what arrived
        if too_long:
            raise UploadRefused(413, _("内容超出声明的文件大小"))
        part_name = None
        if received:
            tmp.seek(0)
            part_name = default_storage.save(
                f"uploads/parts/{upload.pk}/{offset:015d}", File(tmp, name="part")
            )
    with transaction.atomic():
        current = Upload.objects.select_for_update().get(pk=upload.pk)
        if current.offset != offset or current.status != Upload.Status.RECEIVING:
            if part_name:
                default_storage.delete(part_name)
            raise UploadRefused(
                409, _("偏移量不一致：服务器已收到 %(offset)s 字节") % {"offset": current.offset}
            )
        if part_name:
            current.parts = [*current.parts, [offset, part_name]]
            current.offset = offset + received
            # The offset moves with every part: written without an audit event each time (the
            # upload's creation and its end are audited).
            Upload.objects.filter(pk=current.pk).update(parts=current.parts, offset=current.offset)
    if current.offset == current.length:
        current = _finish(current)
    return current


def _final_name(upload: Upload) -> str:
    return f"uploads/{upload.session_id}/{upload.pk}-{upload.filename}"


def _finish(upload: Upload) -> Upload:
    """Join the parts into the final file, hashing on the way; complete or failed by the hash."""
    digest = hashlib.sha256()
    with tempfile.TemporaryFile() as tmp:
        for _offset, name in upload.parts:
            with default_storage.open(name, "rb") as part:
                while data := part.read(CHUNK):
                    digest.update(data)
                    tmp.write(data)
        tmp.seek(0)
        path = default_storage.save(_final_name(upload), File(tmp, name=upload.filename))
    for _offset, name in upload.parts:
        default_storage.delete(name)
    ok = digest.hexdigest() == upload.sha256
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        upload.path = path
        upload.parts = []
        upload.completed_at = dates.now()
        if ok:
            upload.status = Upload.Status.COMPLETE
        else:
            upload.status = Upload.Status.FAILED
            upload.failure = (
                "SHA-256 %s ≠ %s" % (digest.hexdigest()[:16], upload.sha256[:16])  # noqa: UP031
            )
        upload.save()
    return upload


def footage_of(user, session) -> list[Upload]:
    """The session's complete uploads, for its page (one query)."""
    if not user.is_authenticated:
        raise PermissionDenied
    return list(
        Upload.objects.visible_to(user).filter(session=session, status=Upload.Status.COMPLETE)
    )


def footage_list(user, *, village=None, month: tuple[int, int] | None = None, kind: str = ""):
    """Complete footage of the sessions `user` sees, for the film library's 摄录的实况 (scoped as
    the sessions: another village's operator or township sees none of ours), newest session
    first, with what the list shows (one query, and one for the sessions' films)."""
    uploads = (
        Upload.objects.visible_to(user)
        .filter(status=Upload.Status.COMPLETE)
        .exclude(path="")
        .select_related("session__village", "session__point", "uploader")
        .prefetch_related("session__films")
    )
    if village is not None:
        uploads = uploads.filter(session__village=village)
    if month:
        start, end = dates.month_bounds(*month)
        uploads = uploads.filter(session__held_at__gte=start, session__held_at__lt=end)
    if kind:
        uploads = uploads.filter(session__kind=kind)
    return uploads.order_by("-session__held_at", "created_at", "pk")
