"""Copies of a film (discs, files): registered, changed, given a video, written off."""

import datetime as dt
import os
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dianjiao.accounts.models import User
from dianjiao.accounts.scope import require_station
from dianjiao.films import video
from dianjiao.films.models import (
    Film,
    FilmCopy,
    Language,
    Loan,
)
from dianjiao.lib.dates import cn_date
from dianjiao.lib.i18n import in_record_language

from . import requests
from .common import now_or, save

COPY_FIELDS = ("inventory_no", "medium", "language", "condition", "note")


def copy_out_message() -> str:
    return _("该拷贝已被借出，请选择其他在站的拷贝")


def _check_inventory_no(copy: FilmCopy) -> None:
    copy.inventory_no = (copy.inventory_no or "").strip().upper()
    if not copy.inventory_no:
        return  # full_clean says it is required
    taken = (
        FilmCopy.objects.filter(township_id=copy.film.township_id, inventory_no=copy.inventory_no)
        .exclude(pk=copy.pk)
        .select_related("film")
        .first()
    )
    if taken:
        raise ValidationError(
            {
                "inventory_no": _("库存编号“%(no)s”已被%(film)s的拷贝使用")
                % {
                    "no": copy.inventory_no,
                    "film": taken.film,
                }
            }
        )


def only_language(film: Film) -> Language | None:
    """The film's language when the catalogue gives it exactly one: what a copy registered
    without a language is in."""
    languages = list(film.languages.all()[:2])
    return languages[0] if len(languages) == 1 else None


def copy_create(
    *,
    user: User,
    film: Film,
    inventory_no: str,
    medium: str = FilmCopy.Medium.DVD,
    language: Language | None = None,
    condition: str = FilmCopy.Condition.GOOD,
    note: str = "",
) -> FilmCopy:
    """Register a copy; without a `language` it is in the film's only language, if it has one."""
    require_station(user, film.township_id)
    if language is None:
        language = only_language(film)
    copy = FilmCopy(
        film=film,
        inventory_no=inventory_no,
        medium=medium,
        language=language,
        condition=condition,
        note=note,
    )
    copy.township_id = film.township_id
    with transaction.atomic():
        _check_inventory_no(copy)
        save(copy)
    return copy


def copy_update(*, copy: FilmCopy, user: User, **changes: Any) -> FilmCopy:
    require_station(user, copy.township_id)
    unknown = set(changes) - set(COPY_FIELDS)
    if unknown:
        raise TypeError(f"copy_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        copy = FilmCopy.objects.select_for_update().select_related("film").get(pk=copy.pk)
        if copy.is_retired:
            raise ValidationError(
                {
                    "copy": _("该拷贝已%(status)s，不能再修改")
                    % {"status": copy.get_status_display()}
                }
            )
        for name, value in changes.items():
            setattr(copy, name, value)
        if copy.medium != FilmCopy.Medium.FILE and copy.has_video:
            raise ValidationError({"medium": _("该拷贝已上传视频文件，介质只能是“数字文件”")})
        if copy.medium == FilmCopy.Medium.FILE and copy.status == FilmCopy.Status.LOANED:
            raise ValidationError({"medium": _("借出中的拷贝不能改为数字文件")})
        _check_inventory_no(copy)
        save(copy)
    return copy


def copy_attach_video(*, copy: FilmCopy, user: User, file) -> FilmCopy:
    """Store an uploaded video for a digital copy under MEDIA_ROOT/films/, replacing any before.

    The file's name in storage is kept in a CharField, not a FileField: the audit trail writes
    each save as JSON, and a FieldFile does not serialise (the trail would fail every save)."""
    require_station(user, copy.township_id)
    if copy.medium != FilmCopy.Medium.FILE:
        raise ValidationError(
            {"file": _("只有介质为“数字文件”的拷贝可以上传视频，请先修改拷贝的介质")}
        )
    if copy.is_retired:
        raise ValidationError(
            {"file": _("该拷贝已%(status)s，不能上传视频") % {"status": copy.get_status_display()}}
        )
    ext, content_type = video.check_upload(file)
    original = os.path.basename(getattr(file, "name", "") or "")[-255:]
    stored = default_storage.save(f"films/{copy.township_id}/{uuid.uuid4().hex}{ext}", file)
    try:
        with transaction.atomic():
            copy = FilmCopy.objects.select_for_update().select_related("film").get(pk=copy.pk)
            previous = copy.file_name
            copy.file_name, copy.file_original_name, copy.file_type = stored, original, content_type
            copy.file_size = default_storage.size(stored)
            copy.file_uploaded_at = timezone.now()
            save(copy)
            if previous:
                transaction.on_commit(lambda: default_storage.delete(previous))
    except BaseException:
        default_storage.delete(stored)  # nothing points at it: do not leave it on the disk
        raise
    return copy


@in_record_language
def copy_write_off(
    *,
    copy: FilmCopy,
    user: User,
    reason: str,
    status: str = FilmCopy.Status.LOST,
    at: dt.datetime | None = None,
) -> FilmCopy:
    """Mark a copy lost (遗失) or written off (注销), with the reason; it is never deleted. A copy
    lost while on loan closes that loan, marked as lost, so it is not chased as overdue."""
    require_station(user, copy.township_id)
    at = now_or(at)
    reason = (reason or "").strip()
    if status not in FilmCopy.RETIRED:
        raise ValidationError({"status": _("请选择“遗失”或“注销”")})
    if not reason:
        raise ValidationError({"reason": _("请填写遗失或注销的原因")})
    with transaction.atomic():
        copy = FilmCopy.objects.select_for_update().select_related("film").get(pk=copy.pk)
        if copy.is_retired:
            raise ValidationError(
                {
                    "copy": _("该拷贝已于%(day)s%(status)s")
                    % {
                        "day": cn_date(copy.written_off_at),
                        "status": copy.get_status_display(),
                    }
                }
            )
        loan = Loan.objects.open().filter(copy=copy).select_related("line__request").first()
        if loan is not None:
            loan.returned_at, loan.returned_to, loan.lost = at, user, True
            loan.return_note = _("%(status)s：%(reason)s") % {
                "status": FilmCopy.Status(status).label,
                "reason": reason,
            }
            save(loan)
            requests.request_settle(loan.line.request if loan.line_id else None)
        copy.status, copy.written_off_at, copy.written_off_by = status, at, user
        copy.written_off_reason = reason[:200]
        save(copy)
    return copy
