"""What goes into one user's digest of one day.

The items are the home page's to-dos (the one selector, imported here and nowhere else in this
app, so the digest and the home page never disagree), routed by role:
- a village operator gets every to-do of the village;
- the station gets its own to-dos (reviews, the year's plan) and, escalated, every village's
  to-do overdue for DIANJIAO_ESCALATE_STATION_DAYS days or more;
- the party-committee leader gets, escalated, what is overdue for DIANJIAO_ESCALATE_LEADER_DAYS.
Other roles get no digest.

A to-do says whether it is overdue but not since when, so the first day each overdue to-do was
seen is kept (OverdueItem) and escalation counts from there."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dianjiao.accounts.models import Role
from dianjiao.compliance.todos import Todo
from dianjiao.oversight.todo_list import todos  # the home page's list: the one source

from .channels import Message
from .models import OverdueItem

RECIPIENT_ROLES = {Role.VILLAGE_OPERATOR, Role.STATION_ADMIN, Role.LEADER}
SMS_ITEMS = 3  # an SMS names the first few items and links to the rest


@dataclass
class Item:
    todo: Todo
    key: str
    overdue_days: int = 0  # since first seen overdue; 0 when not overdue or first seen today
    escalated: bool = False

    @property
    def text(self) -> str:
        if self.todo.village is None:
            return self.todo.text
        return _("%(village)s：%(text)s") % {
            "village": self.todo.village.name,
            "text": self.todo.text,
        }

    def url(self) -> str:
        base = settings.DIANJIAO_SITE_URL.rstrip("/")
        if not self.todo.url_name:
            return base + "/"
        try:
            path = reverse(self.todo.url_name)
        except NoReverseMatch:
            return base + "/"
        return base + path + (f"?{self.todo.query}" if self.todo.query else "")


@dataclass
class Digest:
    user: object
    day: dt.date
    items: list[Item] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(i.todo.overdue for i in self.items)

    @property
    def escalated(self) -> int:
        return sum(i.escalated for i in self.items)


def item_key(user, todo: Todo) -> str:
    """Stable from day to day: the village and the link (its query names the month, quarter or
    year), or the text for a to-do without a link."""
    where = f"v{todo.village.pk}" if todo.village else f"t{user.township_id}"
    return f"{where}|{todo.url_name}|{todo.query}|{'' if todo.url_name else todo.text}"[:400]


def overdue_since(keys: set[str]) -> dict[str, dt.date]:
    return dict(OverdueItem.objects.filter(key__in=keys).values_list("key", "first_seen"))


def note_overdue(user, items: list[Item], day: dt.date) -> None:
    """Keep the first day each overdue item was seen; an item that was not seen for more than a
    week (done, then due again) starts counting afresh. Three queries whatever the items."""
    overdue = {i.key: i for i in items if i.todo.overdue}
    if not overdue:
        return
    rows = {r.key: r for r in OverdueItem.objects.filter(key__in=overdue)}
    OverdueItem.objects.bulk_create(
        [
            OverdueItem(
                key=key,
                township_id=user.township_id,
                text=item.text[:300],
                first_seen=day,
                last_seen=day,
            )
            for key, item in overdue.items()
            if key not in rows
        ],
        ignore_conflicts=True,  # another run noted it a moment ago: its first day stands
    )
    stale = [r for r in rows.values() if r.last_seen < day]
    for row in stale:
        if (day - row.last_seen).days > 7:
            row.first_seen = day
        row.last_seen = day
    OverdueItem.objects.bulk_update(stale, ["first_seen", "last_seen"])


def _soon(todo: Todo, day: dt.date) -> bool:
    """Overdue, or due within DIANJIAO_REMIND_SOON_DAYS. A to-do without a due date (reviews
    waiting, members without a point, the year's plans: work with no day of its own) is sent
    every day it is listed, as before to-dos carried dates."""
    due = getattr(todo, "due", None)
    if todo.overdue or due is None:
        return True
    return (due - day).days <= settings.DIANJIAO_REMIND_SOON_DAYS


def build(user, *, day: dt.date, record: bool = True) -> Digest:
    """`user`'s digest of `day` in their language (`record`: remember the overdue items)."""
    if not user.is_active or user.role not in RECIPIENT_ROLES or user.is_superuser:
        return Digest(user, day)
    items = [Item(t, item_key(user, t)) for t in todos(user, as_of=day) if _soon(t, day)]
    if record:
        note_overdue(user, items, day)
    since = overdue_since({i.key for i in items if i.todo.overdue})
    for i in items:
        if i.todo.overdue and i.key in since:
            i.overdue_days = (day - since[i.key]).days
    if user.role == Role.VILLAGE_OPERATOR:
        chosen = items
    elif user.role == Role.STATION_ADMIN:
        limit = settings.DIANJIAO_ESCALATE_STATION_DAYS
        chosen = [i for i in items if i.todo.village is None or i.overdue_days >= limit]
    else:
        limit = settings.DIANJIAO_ESCALATE_LEADER_DAYS
        chosen = [i for i in items if i.todo.village is not None and i.overdue_days >= limit]
    if user.role != Role.VILLAGE_OPERATOR:
        for i in chosen:
            i.escalated = i.todo.village is not None
    return Digest(user, day, chosen)


def language_of(user) -> str:
    profile = getattr(user, "reminder_profile", None)
    return profile.language if profile else settings.LANGUAGE_CODE


def render(digest: Digest, language: str) -> Message:
    """The digest as words, in `language`."""
    with translation.override(language):
        return _render(digest)


def _render(digest: Digest) -> Message:
    user, n = digest.user, len(digest.items)
    day = date_format(digest.day, _("Y年n月j日"))
    site = settings.DIANJIAO_SITE_URL.rstrip("/") + "/"
    subject = ngettext(
        "【电教】%(day)s待办提醒：%(n)d项（逾期%(overdue)d项）",
        "【电教】%(day)s待办提醒：%(n)d项（逾期%(overdue)d项）",
        n,
    ) % {"day": day, "n": n, "overdue": digest.overdue}
    lines = [_("%(name)s，您好！截至%(day)s，以下事项需要办理：") % {"name": user, "day": day}, ""]
    for k, item in enumerate(digest.items, start=1):
        mark = _("【逾期】") if item.todo.overdue else ""
        lines.append(f"{k}. {mark}{item.text}")
        due = getattr(item.todo, "due", None)
        if due is not None and not getattr(item.todo, "due_in_text", False):
            lines.append("   " + _("截止日期：%(day)s") % {"day": date_format(due, _("Y年n月j日"))})
        if item.escalated:
            lines.append(
                "   "
                + ngettext(
                    "已逾期%(days)d天，督办提醒", "已逾期%(days)d天，督办提醒", item.overdue_days
                )
                % {"days": item.overdue_days}
            )
        lines.append("   " + item.url())
    lines += ["", _("登录电教系统查看全部待办：%(url)s") % {"url": site}]
    first = "；".join(i.text for i in digest.items[:SMS_ITEMS])
    more = _("等%(n)d项") % {"n": n} if n > SMS_ITEMS else ""
    short = _("【电教】%(name)s：%(items)s%(more)s。详见 %(url)s") % {
        "name": user,
        "items": first,
        "more": more,
        "url": site,
    }
    params = {"name": str(user), "count": n, "overdue": digest.overdue, "url": site}
    return Message(subject[:200], "\n".join(lines), short, params)


def masked(channel: str, address: str) -> str:
    """What the log shows of an address: a robot's host, never its path or key."""
    if channel == "wecom":
        return urlsplit(address).hostname or ""
    return address[:200]
