"""`remind`: the day's digests, each (user, day, channel) sent at most once; and the profile."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dianjiao.accounts.models import User
from dianjiao.accounts.scope import require_station
from dianjiao.lib import dates

from . import digest as digests
from .channels import CHANNELS, ChannelError
from .models import Channel, Digest, ReminderProfile
from .validators import is_mobile, validate_phone

# A row left "sending" by a run that died is tried again after this long (it may then arrive
# twice, which is better than never; it is never recorded as sent without an answer).
STALE_SENDING = dt.timedelta(minutes=15)


def _hhmm(text: str) -> dt.time:
    hours, minutes = text.strip().split(":")
    return dt.time(int(hours), int(minutes))


def daily_time() -> dt.time:
    return _hhmm(settings.DIANJIAO_REMIND_AT or "00:00")


def in_quiet_hours(at: dt.time) -> bool:
    """Whether `at` falls in DIANJIAO_QUIET_HOURS ("21:00-08:00"; empty: never)."""
    if not settings.DIANJIAO_QUIET_HOURS:
        return False
    start, end = (_hhmm(p) for p in settings.DIANJIAO_QUIET_HOURS.split("-"))
    return (start <= at or at < end) if start > end else (start <= at < end)


@dataclass
class Outcome:
    user: object
    channel: str
    status: str  # sent, failed, deferred, unreachable, would-send
    detail: str = ""


@dataclass
class Run:
    day: dt.date
    not_yet: bool = False
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]


def recipients(only=None):
    users = (
        User.objects.filter(is_active=True, is_superuser=False, role__in=digests.RECIPIENT_ROLES)
        .select_related("reminder_profile", "township", "village")
        .order_by("township_id", "village_id", "pk")
    )
    return users.filter(pk=only.pk) if only is not None else users


def profile_of(user) -> ReminderProfile | None:
    return getattr(user, "reminder_profile", None)


def remind(*, now: dt.datetime | None = None, dry_run: bool = False, only=None, force=False) -> Run:
    """Send the digests of today (the local date of `now`) that were not sent yet. Before the
    daily time nothing is sent unless `force`; in quiet hours SMS waits for the next run."""
    now = timezone.localtime(now or dates.now())
    run = Run(now.date())
    if not force and now.time() < daily_time():
        run.not_yet = True
        return run
    quiet = in_quiet_hours(now.time())
    done = set(
        Digest.objects.filter(day=run.day, status=Digest.Status.SENT).values_list(
            "user_id", "channel"
        )
    )
    for user in recipients(only):
        profile = profile_of(user)
        chosen = profile.channels() if profile else []
        pending = [c for c in chosen if (user.pk, c) not in done]
        if chosen and not pending and not dry_run:
            continue  # everything of today already went out
        language = profile.language if profile else settings.LANGUAGE_CODE
        try:
            with translation.override(language):
                digest = digests.build(user, day=run.day, record=not dry_run)
                message = digests._render(digest) if digest.items else None
        except Exception as exc:  # one user's failure does not stop the others
            run.outcomes.append(Outcome(user, "", "failed", str(exc)[:300]))
            continue
        if message is None:
            continue
        if dry_run:  # the digest once, whatever the channels, then who could not get it
            run.outcomes.append(
                Outcome(user, "", "would-send", f"{message.subject}\n{message.body}")
            )
        if not chosen:
            run.outcomes.append(Outcome(user, "", "unreachable", _("未选择提醒方式")))
            continue
        for name in pending:
            channel = CHANNELS[name]
            address, why = channel.address(user, profile)
            if address is None:
                run.outcomes.append(Outcome(user, name, "unreachable", why))
                continue
            if dry_run:
                continue
            run.outcomes.append(_deliver(user, name, address, digest, message, now, quiet))
    return run


def _deliver(user, name, address, digest, message, now, quiet) -> Outcome:
    shown = digests.masked(name, address)
    fields = {
        "address": shown,
        "subject": message.subject,
        "body": message.body,  # the whole list, also for an SMS that named only its start
        "items": len(digest.items),
        "overdue": digest.overdue,
        "escalated": digest.escalated,
    }
    if quiet and name == Channel.SMS:
        _save(user, digest.day, name, status=Digest.Status.DEFERRED, **fields)
        return Outcome(user, name, "deferred", _("夜间免打扰"))
    row = _claim(user, digest.day, name, now, fields)
    if row is None:
        return Outcome(user, name, "skipped", _("另一次运行正在发送或已发送"))
    try:
        if name == Channel.WECOM:
            CHANNELS[name].send(address, message, mobile=user.phone)
        else:
            CHANNELS[name].send(address, message)
    except Exception as exc:  # ChannelError, or a backend that broke: never recorded as sent
        error = str(exc) if isinstance(exc, ChannelError) else f"{type(exc).__name__}: {exc}"
        row.status, row.error = Digest.Status.FAILED, error[:300]
        row.save(update_fields=["status", "error", "updated_at"])
        return Outcome(user, name, "failed", row.error)
    row.status, row.error, row.sent_at = Digest.Status.SENT, "", dates.now()
    row.save(update_fields=["status", "error", "sent_at", "updated_at"])
    return Outcome(user, name, "sent", shown)


def _save(user, day, channel, *, status, **fields):
    """Record a digest that waits (quiet hours); one that was sent or is being sent stays so."""
    row, created = Digest.objects.get_or_create(
        user=user, day=day, channel=channel, defaults={"status": status, **fields}
    )
    if not created and row.status in (Digest.Status.DEFERRED, Digest.Status.FAILED):
        for k, v in fields.items():
            setattr(row, k, v)
        row.status = status
        row.save()


def _claim(user, day, channel, now, fields) -> Digest | None:
    """Mark (user, day, channel) as being sent by this run; None when it was sent already or
    another run is sending it."""
    with transaction.atomic():
        row = Digest.objects.select_for_update().filter(user=user, day=day, channel=channel).first()
        if row is None:
            try:
                with transaction.atomic():
                    return Digest.objects.create(
                        user=user,
                        day=day,
                        channel=channel,
                        status=Digest.Status.SENDING,
                        attempts=1,
                        **fields,
                    )
            except IntegrityError:
                return None
        if row.status == Digest.Status.SENT:
            return None
        if row.status == Digest.Status.SENDING and row.updated_at > now - STALE_SENDING:
            return None
        for k, v in fields.items():
            setattr(row, k, v)
        row.status, row.attempts = Digest.Status.SENDING, row.attempts + 1
        row.save()
        return row


def profile_update(
    *,
    user,
    target,
    phone: str,
    email: str,
    by_email: bool,
    by_sms: bool,
    by_wecom: bool,
    wecom_webhook: str,
    language: str,
) -> ReminderProfile:
    """`target`'s phone, e-mail and reminder channels, changed by themselves or their station."""
    if user.pk != target.pk:
        require_station(user, target.township_id)
    phone, email, wecom_webhook = phone.strip(), email.strip(), wecom_webhook.strip()
    errors = {}
    try:
        validate_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if by_sms and "phone" not in errors and not is_mobile(phone):
        errors["phone"] = [_("选择短信提醒需要填写11位手机号")]
    if by_email and not email:
        errors["email"] = [_("选择邮件提醒需要填写邮箱")]
    if by_wecom and not wecom_webhook:
        errors["wecom_webhook"] = [_("选择企业微信群提醒需要填写群机器人地址")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target.phone, target.email = phone, email
        target.full_clean(exclude=["password"])
        target.save(update_fields=["phone", "email"])
        profile, _created = ReminderProfile.objects.get_or_create(user=target)
        profile.by_email, profile.by_sms, profile.by_wecom = by_email, by_sms, by_wecom
        profile.wecom_webhook, profile.language = wecom_webhook, language
        profile.full_clean()
        profile.save()
    return profile
