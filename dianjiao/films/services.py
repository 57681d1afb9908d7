"""Writes to the film library: the catalogue, copies, announcements, requests and loans.

Every function is keyword-only, runs in one transaction, validates with `full_clean()` and says
what is wrong in Chinese, keyed by the field it is about (a `ValidationError` with a dict), so a
form can show it next to that field. The audit trail records every save with its actor.

`at`, where a function takes it, back-dates the action: for the demo's year of history and for
entering paper records. Pages never pass it, so what a user does is stamped with the clock.

Who may do what: the station (乡电教站管理员) keeps the catalogue and copies, publishes
announcements, approves, dispatches and takes copies back; a village's operator asks for films
and confirms receipt. Read-only roles may do none of it (403).
"""

import datetime as dt
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from dianjiao.accounts.models import Role, User
from dianjiao.accounts.scope import require_station, require_village_writer, require_write
from dianjiao.lib.i18n import in_record_language
from dianjiao.orgs.models import Township, Village

from . import video
from .models import (
    Announcement,
    Film,
    FilmCopy,
    FilmRequest,
    FilmRequestLine,
    Language,
    Loan,
    Theme,
)

FILM_FIELDS = (
    "title",
    "series",
    "producer",
    "year",
    "duration_minutes",
    "is_key_film",
    "synopsis",
    "prep_notes",
    "prompts",
    "discussion_questions",
    "active",
)
COPY_FIELDS = ("inventory_no", "medium", "language", "condition", "note")


def copy_out_message() -> str:
    return _("该拷贝已被借出，请选择其他在站的拷贝")


# --- helpers ------------------------------------------------------------------------------


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _day(at: dt.datetime) -> dt.date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def cn_date(day: dt.date | dt.datetime) -> str:
    """2026年3月5日, as Chinese pages write dates (a datetime is taken in the configured zone)."""
    if isinstance(day, dt.datetime):
        day = _day(day)
    return dateformat.format(day, _("Y年n月j日"))


def _save(obj, **clean_kwargs):
    obj.full_clean(**clean_kwargs)
    obj.save()
    return obj


# --- catalogue ----------------------------------------------------------------------------


def _check_title(film: Film) -> None:
    film.title = (film.title or "").strip().strip("《》")
    if (
        film.title
        and Film.objects.filter(township_id=film.township_id, title=film.title)
        .exclude(pk=film.pk)
        .exists()
    ):
        raise ValidationError(
            {"title": _("片库中已有《%(title)s》，不能重复登记") % {"title": film.title}}
        )


def film_create(
    *,
    user: User,
    title: str,
    duration_minutes: int,
    township: Township | None = None,
    series: str = "",
    producer: str = "",
    year: int | None = None,
    themes: Iterable[Theme] = (),
    languages: Iterable[Language] = (),
    is_key_film: bool = False,
    synopsis: str = "",
    prep_notes: str = "",
    prompts: str = "",
    discussion_questions: str = "",
    active: bool = True,
) -> Film:
    require_station(user)
    township = township or user.township
    if township is None:
        raise ValidationError({"township": _("请指定片库所属的乡镇")})
    require_station(user, township.pk)
    film = Film(
        township=township,
        title=title,
        series=series,
        producer=producer,
        year=year,
        duration_minutes=duration_minutes,
        is_key_film=is_key_film,
        synopsis=synopsis,
        prep_notes=prep_notes,
        prompts=prompts,
        discussion_questions=discussion_questions,
        active=active,
    )
    with transaction.atomic():
        _check_title(film)
        _save(film)
        film.themes.set(themes)
        film.languages.set(languages)
    return film


def film_update(*, film: Film, user: User, **changes: Any) -> Film:
    """Change the catalogue entry; `changes` are Film fields, `themes` and `languages`."""
    require_station(user, film.township_id)
    unknown = set(changes) - set(FILM_FIELDS) - {"themes", "languages"}
    if unknown:
        raise TypeError(f"film_update() got unexpected fields: {sorted(unknown)}")
    themes, languages = changes.pop("themes", None), changes.pop("languages", None)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(film, name, value)
        _check_title(film)
        _save(film)
        if themes is not None:
            film.themes.set(themes)
        if languages is not None:
            film.languages.set(languages)
    return film


# --- copies -------------------------------------------------------------------------------


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
    require_station(user, film.township_id)
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
        _save(copy)
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
        _save(copy)
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
            _save(copy)
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
    at = _now(at)
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
            _save(loan)
            _settle_request(loan.line.request if loan.line_id else None)
        copy.status, copy.written_off_at, copy.written_off_by = status, at, user
        copy.written_off_reason = reason[:200]
        _save(copy)
    return copy


# --- announcements ------------------------------------------------------------------------


def _check_films_for_township(films: list[Film], township_id: int, field: str) -> None:
    for film in films:
        if film.township_id != township_id:
            raise ValidationError({field: _("%(film)s不在本乡片库中") % {"film": film}})
        if not film.active:
            raise ValidationError({field: _("%(film)s已停用，不能选用") % {"film": film}})


def announcement_publish(
    *,
    user: User,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    films: Iterable[Film],
    note: str = "",
    township: Township | None = None,
    at: dt.datetime | None = None,
) -> Announcement:
    """Publish 供片信息: the films the station will supply for a coming period."""
    require_station(user)
    township = township or user.township
    if township is None:
        raise ValidationError({"township": _("请指定乡镇")})
    require_station(user, township.pk)
    at = _now(at)
    films = list(films)
    if not films:
        raise ValidationError({"films": _("请至少选择一部电教片")})
    _check_films_for_township(films, township.pk, "films")
    if period_end and period_end < _day(at):
        raise ValidationError({"period_end": _("供片期已经结束，请填写即将到来的时段")})
    announcement = Announcement(
        township=township,
        title=(title or "").strip(),
        period_start=period_start,
        period_end=period_end,
        note=note,
        published_at=at,
        published_by=user,
    )
    with transaction.atomic():
        _save(announcement)
        announcement.films.set(films)
    return announcement


# --- requests -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LineSpec:
    """One film asked for, and the day the village plans to show it."""

    film: Film
    wanted_on: dt.date


def request_create(
    *,
    village: Village,
    author: User,
    lines: Iterable[LineSpec | tuple[Film, dt.date]],
    note: str = "",
    source: str = "",
    at: dt.datetime | None = None,
) -> FilmRequest:
    """A village asks for films. `lines` are LineSpecs or (film, wanted_on) pairs; `source` says
    where the request came from (e.g. a quarter's broadcast plan, which creates requests here)."""
    require_village_writer(author, village)
    at = _now(at)
    specs = [line if isinstance(line, LineSpec) else LineSpec(*line) for line in lines]
    if not specs:
        raise ValidationError({"lines": _("请至少选择一部电教片")})
    seen: set[int] = set()
    for spec in specs:
        if spec.film.pk in seen:
            raise ValidationError(
                {"lines": _("%(film)s重复了，每部片子申请一次即可") % {"film": spec.film}}
            )
        seen.add(spec.film.pk)
        if spec.wanted_on is None or spec.wanted_on < _day(at):
            raise ValidationError(
                {"lines": _("%(film)s的计划放映日期不能早于今天") % {"film": spec.film}}
            )
    _check_films_for_township([s.film for s in specs], village.township_id, "lines")
    with transaction.atomic():
        film_request = _save(
            FilmRequest(
                village=village,
                requested_by=author,
                requested_at=at,
                note=note,
                source=source[:200],
                township_id=village.township_id,
            )
        )
        for spec in specs:
            _save(FilmRequestLine(request=film_request, film=spec.film, wanted_on=spec.wanted_on))
    return film_request


def _lock_request(film_request: FilmRequest, user: User) -> FilmRequest:
    require_station(user, film_request.township_id)
    locked = (
        FilmRequest.objects.select_for_update().select_related("village").get(pk=film_request.pk)
    )
    if locked.status != FilmRequest.Status.REQUESTED:
        raise ValidationError(
            {
                "status": _("该申请已处理（%(status)s），不能再审批")
                % {
                    "status": locked.get_status_display(),
                }
            }
        )
    return locked


def request_approve(
    *, film_request: FilmRequest, user: User, at: dt.datetime | None = None
) -> FilmRequest:
    with transaction.atomic():
        locked = _lock_request(film_request, user)
        locked.status, locked.decided_at, locked.decided_by = (
            FilmRequest.Status.APPROVED,
            _now(at),
            user,
        )
        return _save(locked)


def request_reject(
    *,
    film_request: FilmRequest,
    user: User,
    reason: str,
    at: dt.datetime | None = None,
) -> FilmRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("驳回申请时请写明理由，村里才知道怎么改")})
    with transaction.atomic():
        locked = _lock_request(film_request, user)
        locked.status, locked.decided_at, locked.decided_by = (
            FilmRequest.Status.REJECTED,
            _now(at),
            user,
        )
        locked.reject_reason = reason[:200]
        return _save(locked)


def _settle_request(film_request: FilmRequest | None) -> None:
    """Dispatched once every line has gone out; completed once every copy has come back."""
    if film_request is None:
        return
    lines = list(FilmRequestLine.objects.filter(request=film_request).select_related("loan"))
    loans = [getattr(line, "loan", None) for line in lines]
    if any(loan is None for loan in loans):
        return
    status = (
        FilmRequest.Status.COMPLETED
        if all(not loan.is_open for loan in loans)
        else FilmRequest.Status.DISPATCHED
    )
    if film_request.status != status:
        film_request.status = status
        _save(film_request)


# --- loans --------------------------------------------------------------------------------


def loan_dispatch(
    *,
    copy: FilmCopy,
    user: User,
    due_on: dt.date,
    line: FilmRequestLine | None = None,
    village: Village | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Loan:
    """Lend a copy to a village until `due_on`, for a line of an approved request or directly.

    The copy's row is locked first (SELECT … FOR UPDATE; on SQLite the IMMEDIATE transaction
    takes the write lock at BEGIN), so of two staff dispatching the last copy at the same moment
    one waits for the other and is then told it is out. The partial unique constraint on open
    loans is the floor under this check."""
    require_station(user, copy.township_id)
    at = _now(at)
    try:
        with transaction.atomic():
            copy = FilmCopy.objects.select_for_update().select_related("film").get(pk=copy.pk)
            if (
                copy.status == FilmCopy.Status.LOANED
                or Loan.objects.open().filter(copy=copy).exists()
            ):
                raise ValidationError({"copy": copy_out_message()})
            if copy.is_retired:
                raise ValidationError(
                    {
                        "copy": _("该拷贝已%(status)s，不能借出")
                        % {"status": copy.get_status_display()}
                    }
                )
            if copy.medium == FilmCopy.Medium.FILE:
                raise ValidationError(
                    {"copy": _("数字文件不用借出：村电教员在片目页面即可在线播放")}
                )
            film_request = None
            if line is not None:
                line = FilmRequestLine.objects.select_related("request__village", "film").get(
                    pk=line.pk
                )
                film_request = FilmRequest.objects.select_for_update().get(pk=line.request_id)
                if Loan.objects.filter(line=line).exists():
                    raise ValidationError({"line": _("该申请片目已经发放过拷贝")})
                if film_request.status != FilmRequest.Status.APPROVED:
                    raise ValidationError(
                        {
                            "line": _("该申请%(status)s，不能发放")
                            % {"status": film_request.get_status_display()}
                        }
                    )
                if line.film_id != copy.film_id:
                    raise ValidationError(
                        {
                            "copy": _("拷贝是%(copy)s，而申请的是%(film)s")
                            % {"copy": copy.film, "film": line.film}
                        }
                    )
                if village is not None and village.pk != line.request.village_id:
                    raise ValidationError(
                        {
                            "village": _("该申请来自%(village)s")
                            % {"village": line.request.village.name}
                        }
                    )
                village = line.request.village
            if village is None:
                raise ValidationError({"village": _("请选择借片的村")})
            if village.township_id != copy.township_id:
                raise ValidationError({"village": _("只能借给本乡的村")})
            if due_on is None or due_on < _day(at):
                raise ValidationError(
                    {
                        "due_on": _("应还日期不能早于发放日期（%(day)s）")
                        % {"day": cn_date(_day(at))}
                    }
                )
            loan = _save(
                Loan(
                    copy=copy,
                    village=village,
                    line=line,
                    dispatched_at=at,
                    dispatched_by=user,
                    due_on=due_on,
                    note=note,
                    township_id=copy.township_id,
                )
            )
            copy.status = FilmCopy.Status.LOANED
            _save(copy)
            _settle_request(film_request)
    except IntegrityError as exc:
        # Only reached if two dispatches slipped past the lock (a database without row locks).
        if "copy" in str(exc):
            raise ValidationError({"copy": copy_out_message()}) from None
        raise
    return loan


def may_confirm_receipt(user, loan: Loan) -> bool:
    """Receipt is the village's word that the copy arrived, so only its own operator gives it;
    the station that sent the copy cannot sign for it."""
    return bool(
        user.is_authenticated
        and user.role_can_write
        and (
            user.is_superuser
            or (user.role == Role.VILLAGE_OPERATOR and user.village_id == loan.village_id)
        )
    )


def loan_confirm_receipt(*, loan: Loan, user: User, at: dt.datetime | None = None) -> Loan:
    """The village says the copy has arrived: only its own operator may say so."""
    require_write(user)
    if not may_confirm_receipt(user, loan):
        raise PermissionDenied(_("只有借片村的电教员可以确认收到"))
    at = _now(at)
    with transaction.atomic():
        loan = (
            Loan.objects.select_for_update().select_related("copy__film", "village").get(pk=loan.pk)
        )
        if not loan.is_open:
            raise ValidationError({"loan": _("该拷贝已归还，无需再确认收到")})
        if loan.received_at is not None:
            raise ValidationError(
                {
                    "loan": _("已于%(day)s确认收到，无需重复确认")
                    % {"day": cn_date(loan.received_at)}
                }
            )
        if at < loan.dispatched_at:
            raise ValidationError({"loan": _("签收时间不能早于发放时间")})
        loan.received_at, loan.received_by = at, user
        return _save(loan)


def loan_return(
    *,
    user: User,
    loan: Loan | None = None,
    copy: FilmCopy | None = None,
    condition: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> Loan:
    """The station takes a copy back: name the loan (a row of the list) or the copy (the disc in
    hand). `condition`, if given, becomes the copy's condition."""
    if (loan is None) == (copy is None):
        raise TypeError("loan_return() needs exactly one of loan= or copy=")
    copy_id = loan.copy_id if loan is not None else copy.pk
    township_id = loan.township_id if loan is not None else copy.township_id
    require_station(user, township_id)
    at = _now(at)
    with transaction.atomic():
        locked_copy = FilmCopy.objects.select_for_update().select_related("film").get(pk=copy_id)
        if loan is not None:
            loan = Loan.objects.select_for_update().select_related("village").get(pk=loan.pk)
            if not loan.is_open:
                raise ValidationError(
                    {
                        "loan": _("该拷贝已于%(day)s归还，不能重复登记归还")
                        % {
                            "day": cn_date(loan.returned_at),
                        }
                    }
                )
        else:
            loan = (
                Loan.objects.select_for_update()
                .open()
                .filter(copy=locked_copy)
                .select_related("village")
                .first()
            )
            if loan is None:
                last = Loan.objects.filter(copy=locked_copy).order_by("-returned_at").first()
                if last is None:
                    raise ValidationError({"copy": _("该拷贝从未借出，无需登记归还")})
                raise ValidationError(
                    {
                        "copy": _("该拷贝已于%(day)s归还，不能重复登记归还")
                        % {
                            "day": cn_date(last.returned_at),
                        }
                    }
                )
        if at < loan.dispatched_at:
            raise ValidationError({"loan": _("归还时间不能早于发放时间")})
        if condition and condition not in FilmCopy.Condition.values:
            raise ValidationError({"condition": _("请选择拷贝的状况")})
        loan.returned_at, loan.returned_to = at, user
        loan.return_condition, loan.return_note = condition, (note or "")[:200]
        _save(loan)
        locked_copy.status = FilmCopy.Status.SHELF
        if condition:
            locked_copy.condition = condition
        _save(locked_copy)
        _settle_request(loan.line.request if loan.line_id else None)
    return loan
