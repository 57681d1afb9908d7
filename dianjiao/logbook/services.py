"""Writes to the logbook. Every entry, from a page, the API, the offline sync or another app's
service (teaching's viewing sessions), goes through `entry_append`, so R10 lives in one place.

Rules, checked in this order inside one transaction; a refusal writes nothing:

1. the author may write in the village (its operator, the station admin of its township, or a
   superuser), else PermissionDenied;
2. a replay of a client-made id: same content returns the stored entry, different content raises
   ConflictError (ODK Central's rule). This comes *before* the same-day rule on purpose: a phone
   that sent yesterday's entry and never saw the answer must get "already stored", not a refusal;
3. occurred_at is aware and not in the future (5 minutes' clock tolerance);
4. same day (R10): the local date of occurred_at is today, or the station granted a late-entry
   exception for that village and day, in which case the entry carries it and shows in red;
5. a correction points at an entry of the same village and gives a reason.

Corrections: a correction is a new entry made *now* about an older one. Its own occurred_at is
when the correction is made (normally now) and the same-day rule applies to that, not to the
corrected entry; so an entry of last month can be corrected today, and the book shows both, the
correction dated today. The corrected content (the right date, place, number) goes in the
correction's title and body. Back-dating a correction needs an exception like any other entry.
"""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dianjiao.accounts.scope import require_station, require_village_writer
from dianjiao.lib import dates
from dianjiao.lib.i18n import in_record_language
from dianjiao.orgs.models import Village

from . import chain
from .models import CaptureReview, LateEntryException, LogbookEntry

CLOCK_TOLERANCE = dt.timedelta(minutes=5)


class ConflictError(Exception):
    """A replay of a client-made id with content different from what was stored (HTTP 409).

    `entry` is the stored record only when the author may see it. An id already taken where the
    author may not look (another village's entry, sent as a client id) gives a conflict without
    a record and with a message that names nothing: it must not confirm that a record exists."""

    def __init__(self, entry: LogbookEntry | None):
        self.entry = entry
        if entry is None:
            super().__init__(hidden_conflict_message())
        else:
            super().__init__(_("编号 %(id)s 的记录已存在且内容不同") % {"id": entry.pk})


def hidden_conflict_message() -> str:
    return _("这份表单的记录编号不能使用，这次提交没有保存：请重新打开表单填写")


def visible_or_none(queryset, record, user):
    """`record` if `user` may see it, else None (one query, asked only on a conflict)."""
    return record if queryset.visible_to(user).filter(pk=record.pk).exists() else None


def _source(source) -> tuple[str, str]:
    """A model instance, or a (model label, pk) pair, or None."""
    if source is None:
        return "", ""
    if isinstance(source, tuple | list):
        label, pk = source
        return str(label), str(pk)
    return source._meta.label_lower, str(source.pk)


def _lock_chain(village) -> None:
    """Serialise appends to one village's chain. PostgreSQL: a row lock on the village, held to
    the end of the transaction. SQLite: a no-op here, because the settings open every transaction
    with BEGIN IMMEDIATE, which already holds the database's single write lock. The unique
    (village, seq) constraint is the backstop either way."""
    if connection.vendor != "sqlite":
        Village.objects.select_for_update().filter(pk=village.pk).values_list("pk").get()


def _submission(
    *,
    village_id,
    kind,
    title,
    body,
    occurred_at,
    captured_at,
    author_id,
    corrects_id,
    reason,
    source_model,
    source_pk,
) -> bytes:
    """What a client sent, canonically: the part a replay must repeat exactly."""
    return chain.dumps(
        {
            "village_id": str(village_id),
            "kind": kind,
            "title": title,
            "body": body,
            "occurred_at": chain.utc_iso(occurred_at),
            "captured_at": chain.utc_iso(captured_at),
            "author_id": str(author_id),
            "corrects_id": None if corrects_id is None else str(corrects_id),
            "reason": reason,
            "source_model": source_model,
            "source_pk": source_pk,
        }
    )


def _entry_submission(entry: LogbookEntry) -> bytes:
    return _submission(
        village_id=entry.village_id,
        kind=entry.kind,
        title=entry.title,
        body=entry.body,
        occurred_at=entry.occurred_at,
        captured_at=entry.captured_at,
        author_id=entry.author_id,
        corrects_id=entry.corrects_id,
        reason=entry.reason,
        source_model=entry.source_model,
        source_pk=entry.source_pk,
    )


def _clean_inputs(*, kind, title, body, occurred_at, captured_at, corrects, reason) -> tuple:
    """Checks that need no database; returns (title, body, reason) as they will be stored."""
    errors: dict[str, str] = {}
    if kind not in LogbookEntry.Kind.values:
        errors["kind"] = _("记录类别无效")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写事项")
    elif len(title) > 200:
        errors["title"] = _("事项不能超过200字")
    elif "\x00" in title:
        errors["title"] = _("事项中含有不可见的空字符")
    try:
        body = chain.normalise_body(body if body is not None else {})
    except chain.BodyError as exc:
        errors["body"] = str(exc)
    if not isinstance(occurred_at, dt.datetime) or timezone.is_naive(occurred_at):
        errors["occurred_at"] = _("发生时间必须是带时区的日期时间")
    elif occurred_at > dates.now() + CLOCK_TOLERANCE:
        errors["occurred_at"] = _("发生时间不能晚于现在")
    if captured_at is not None and (
        not isinstance(captured_at, dt.datetime) or timezone.is_naive(captured_at)
    ):
        errors["captured_at"] = _("录入时间必须是带时区的日期时间")
    reason = (reason or "").strip()
    if "\x00" in reason:
        errors["reason"] = _("原因中含有不可见的空字符")
    elif corrects is not None and not reason:
        errors["reason"] = _("更正记录必须说明更正原因")
    if errors:
        raise ValidationError(errors)
    return title, body, reason


def _late_exception_for(village, occurred_at, captured_at=None) -> LateEntryException | None:
    """None for today's entries; the exception for a past day; ValidationError otherwise."""
    day = timezone.localtime(occurred_at).date()
    if day == dates.today():
        return None
    if captured_at is not None and timezone.localtime(captured_at).date() == day:
        # Captured on the day, on a phone with no network, received days later: a same-day
        # entry, judged by its capture time, with both times kept. A capture time that cannot
        # be believed is not refused (nothing is lost): LogbookEntry.capture_doubts shows it in
        # red for the station's review.
        return None
    exception = LateEntryException.objects.filter(village=village, day=day).first()
    if exception is None:
        raise ValidationError(
            {
                "occurred_at": _(
                    "《电教手册》须当天填写：%(day)s的记录需要乡电教站管理员先批准补录"
                )
                % {"day": dates.cn_date(day)}
            }
        )
    return exception


def entry_append(
    *,
    village,
    kind: str,
    title: str,
    body: dict,
    occurred_at: dt.datetime,
    author,
    client_id: uuid.UUID | None = None,
    captured_at: dt.datetime | None = None,
    corrects: LogbookEntry | None = None,
    reason: str = "",
    source=None,
) -> LogbookEntry:
    """Append one entry to `village`'s logbook and return it (or the stored one, for a replay).

    Raises ValidationError (messages keyed by field), PermissionDenied, or ConflictError.
    `source` is the record the entry is about: a model instance or a ("app.model", pk) pair.
    """
    source_model, source_pk = _source(source)
    if client_id is not None and not isinstance(client_id, uuid.UUID):
        try:
            client_id = uuid.UUID(str(client_id))
        except ValueError:
            raise ValidationError({"id": _("记录编号无效")}) from None
    with transaction.atomic():
        require_village_writer(author, village, denied=_("没有在该村填写《电教手册》的权限"))
        _lock_chain(village)
        if client_id is not None:
            existing = LogbookEntry.objects.filter(pk=client_id).first()
            if existing is not None:
                if visible_or_none(LogbookEntry.objects, existing, author) is None:
                    raise ConflictError(None)  # taken elsewhere: say nothing about it
                return _replay(
                    existing,
                    village=village,
                    kind=kind,
                    title=title,
                    body=body,
                    occurred_at=occurred_at,
                    captured_at=captured_at,
                    author=author,
                    corrects=corrects,
                    reason=reason,
                    source_model=source_model,
                    source_pk=source_pk,
                )
        title, body, reason = _clean_inputs(
            kind=kind,
            title=title,
            body=body,
            occurred_at=occurred_at,
            captured_at=captured_at,
            corrects=corrects,
            reason=reason,
        )
        late_exception = _late_exception_for(village, occurred_at, captured_at)
        if corrects is not None and corrects.village_id != village.pk:
            raise ValidationError({"corrects": _("只能更正本村的记录")})

        head = (
            LogbookEntry.objects.filter(village_id=village.pk)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, chain.GENESIS)
        entry = LogbookEntry(
            id=client_id or uuid.uuid4(),
            township_id=village.township_id,
            village=village,
            seq=seq,
            kind=kind,
            title=title,
            body=body,
            occurred_at=occurred_at,
            captured_at=captured_at,
            received_at=dates.now(),
            author=author,
            author_label=str(author)[:150],
            corrects=corrects,
            reason=reason,
            late_exception=late_exception,
            source_model=source_model,
            source_pk=source_pk,
            prev_hash=prev_hash,
        )
        chain.seal(entry)
        entry.save()
    return entry


def _replay(
    existing: LogbookEntry,
    *,
    village,
    kind,
    title,
    body,
    occurred_at,
    captured_at,
    author,
    corrects,
    reason,
    source_model,
    source_pk,
) -> LogbookEntry:
    try:
        sent = _submission(
            village_id=village.pk,
            kind=kind,
            title=(title or "").strip(),
            body=chain.normalise_body(body if body is not None else {}),
            occurred_at=occurred_at,
            captured_at=captured_at,
            author_id=author.pk,
            corrects_id=corrects.pk if corrects is not None else None,
            reason=(reason or "").strip(),
            source_model=source_model,
            source_pk=source_pk,
        )
    except (chain.BodyError, ValueError, AttributeError):
        raise ConflictError(existing) from None
    if sent != _entry_submission(existing):
        raise ConflictError(existing)
    return existing


@in_record_language
def entry_grant_late(*, village, day: dt.date, granted_by, reason: str) -> LateEntryException:
    """Let `village` record entries for the past `day` (补录). Only the station admin of the
    village's township (or a superuser) grants; the grant is written into the village's logbook
    as an entry of today (kind OTHER), so it is sealed in the chain and printed with the month.
    That entry is about today's act of granting, so it never needs an exception itself."""
    require_station(granted_by, village.township_id, denied=_("只有本乡电教站管理员可以批准补录"))
    reason = (reason or "").strip()
    errors = {}
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        errors["day"] = _("请填写补录日期")
    elif day >= dates.today():
        errors["day"] = _("补录日期必须是今天以前的日期")
    if not reason:
        errors["reason"] = _("请说明补录原因")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_chain(village)
        if LateEntryException.objects.filter(village=village, day=day).exists():
            raise ValidationError({"day": _("%(day)s已批准过补录") % {"day": dates.cn_date(day)}})
        now = dates.now()
        exception = LateEntryException(
            township_id=village.township_id,
            village=village,
            day=day,
            granted_by=granted_by,
            granted_at=now,
            reason=reason,
        )
        exception.save()
        entry_append(
            village=village,
            kind=LogbookEntry.Kind.OTHER,
            title=_("批准补录%(day)s的记录") % {"day": dates.cn_date(day)},
            body={"day": day.isoformat(), "reason": reason, "exception_id": exception.pk},
            occurred_at=now,
            author=granted_by,
            source=exception,
        )
    return exception


def entry_review_capture(*, user, entry: LogbookEntry, note: str) -> CaptureReview:
    """The station marks an entry with a doubtful capture time as reviewed, with a note. The
    entry is not changed (append-only): the review is a new record, once per entry, and the
    entry's mark stays visible beside it."""
    require_station(user, entry.village.township_id, denied=_("只有本乡电教站管理员可以核查"))
    note = (note or "").strip()
    if not entry.capture_doubts:
        raise ValidationError({"__all__": _("该记录的录入时间没有疑问，无需核查")})
    if not note:
        raise ValidationError({"note": _("请写明核查情况")})
    with transaction.atomic():
        _lock_chain(entry.village)
        if CaptureReview.objects.filter(entry=entry).exists():
            raise ValidationError({"__all__": _("该记录已核查过")})
        review = CaptureReview(
            township_id=entry.village.township_id,
            village=entry.village,
            entry=entry,
            reviewed_by=user,
            reviewed_at=dates.now(),
            note=note,
        )
        review.full_clean(exclude=["township"])
        review.save()
    return review
