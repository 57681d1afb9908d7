"""Reads for the station's reminder page and the home page."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from dianjiao.accounts.models import User

from .channels import CHANNELS
from .digest import RECIPIENT_ROLES
from .models import Channel, Digest


def digests(viewer, *, q: str = "", channel: str = "", status: str = "", day=None):
    """The digest records of the users `viewer` sees, newest first, filtered."""
    rows = Digest.objects.visible_to(viewer).select_related("user", "user__village")
    if q := q.strip()[:50]:
        rows = rows.filter(
            Q(user__full_name__icontains=q) | Q(user__username__icontains=q) | Q(body__icontains=q)
        )
    if channel:
        rows = rows.filter(channel=channel)
    if status:
        rows = rows.filter(status=status)
    if day:
        rows = rows.filter(day=day)
    return rows.order_by("-day", "user__village_id", "user_id", "channel")


@dataclass
class Unreachable:
    user: User
    reasons: list[str]
    reachable_by: list[str]  # the channels that do work

    @property
    def none_work(self) -> bool:
        return not self.reachable_by


def unreachable(viewer) -> list[Unreachable]:
    """The users who get digests (operators, the station, the leader) of `viewer`'s township
    for whom a chosen channel cannot work, or who chose none. One query."""
    users = User.objects.filter(
        is_active=True, is_superuser=False, role__in=RECIPIENT_ROLES
    ).select_related("reminder_profile", "village")
    if not viewer.is_superuser:
        users = users.filter(township_id=viewer.township_id) if viewer.township_id else users.none()
    out = []
    for user in users.order_by("village_id", "username"):
        profile = getattr(user, "reminder_profile", None)
        chosen = profile.channels() if profile else []
        reasons, working = [], []
        for name in chosen:
            address, why = CHANNELS[name].address(user, profile)
            if address:
                working.append(Channel(name).label)
            else:
                reasons.append(why)
        if not chosen:
            reasons.append(_("未选择提醒方式"))
        if reasons:
            out.append(Unreachable(user, reasons, working))
    return out


def recent_for(user, limit: int = 3):
    """What was sent to `user` lately, for the home page."""
    return list(
        Digest.objects.filter(user=user, status=Digest.Status.SENT).order_by("-sent_at")[:limit]
    )
