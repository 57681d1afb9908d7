"""Issuing, checking and revoking the API's device tokens.

`token_issue` goes through Django's `authenticate`, so django-axes counts its failures and locks
it out exactly as it locks out the login page (the same AXES_* settings, the same records)."""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dianjiao.accounts.scope import is_station
from dianjiao.lib import dates

from .models import ApiToken, token_digest

# How often last_used_at is written: not on every request, a phone syncing fifty records would
# otherwise write the token row fifty times.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


class LockedOut(Exception):
    """Too many failed attempts for this username and address (django-axes)."""


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.DIANJIAO_API_TOKEN_DAYS)


def token_issue(*, request, username: str, password: str, device_name: str) -> tuple[str, ApiToken]:
    """Check the credentials (counted by django-axes) and issue a token; return (raw, token).

    Raises ValidationError (bad credentials, no device name) or LockedOut."""
    device_name = _device_name(device_name)
    user = authenticate(request, username=username or "", password=password or "")
    if getattr(request, "axes_locked_out", False):
        raise LockedOut
    if user is None or not user.is_active:
        raise ValidationError({"__all__": _("用户名或密码不正确")})
    return _issue(user, device_name)


def token_issue_for(*, user, device_name: str) -> tuple[str, ApiToken]:
    """A token for a user already signed in (the capture page, through the browser session)."""
    device_name = _device_name(device_name)
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied
    return _issue(user, device_name)


def _device_name(device_name: str) -> str:
    device_name = (device_name or "").strip()
    if not device_name:
        raise ValidationError({"device_name": _("请填写设备名称")})
    if len(device_name) > 80:
        raise ValidationError({"device_name": _("设备名称不能超过80字")})
    return device_name


def _issue(user, device_name: str) -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    now = dates.now()
    with transaction.atomic():
        token = ApiToken(
            user=user,
            township_id=user.township_id,
            device_name=device_name,
            digest=token_digest(raw),
            prefix=raw[:8],
            created_at=now,
            expires_at=now + token_lifetime(),
        )
        token.full_clean(exclude=["digest", "prefix"])
        token.save()
    return raw, token


def token_user(raw: str):
    """The active user a raw token stands for, or None (unknown, expired, revoked)."""
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.usable().select_related("user").filter(digest=token_digest(raw)).first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def tokens_for(user):
    """The tokens `user` may see and revoke: their own; the station also its township's."""
    qs = ApiToken.objects.select_related("user", "revoked_by")
    if user.is_superuser:
        return qs
    if is_station(user) and user.township_id:
        return qs.filter(township_id=user.township_id) | qs.filter(user=user)
    return qs.filter(user=user)


def token_revoke(*, user, token: ApiToken) -> ApiToken:
    """Withdraw a token: by its user, or by the station of its township."""
    if not tokens_for(user).filter(pk=token.pk).exists():
        raise PermissionDenied(_("不能撤销这个令牌"))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at, token.revoked_by = dates.now(), user
            token.save(update_fields=["revoked_at", "revoked_by"])
    return token
