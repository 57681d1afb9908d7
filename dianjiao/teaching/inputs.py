"""Reading what a client sent into plain, checked values, for the teaching services.

The record-a-session page, the offline sync (decoded JSON) and the demo pass the same inputs:
ids or model objects, ISO strings or datetimes, tuples or dicts. These helpers turn them into one
shape (the *Input dataclasses) or refuse with a Chinese message keyed by the field; the rules
about what the values mean stay in `services`.
"""

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def aware(value) -> bool:
    return isinstance(value, dt.datetime) and timezone.is_aware(value)


def parse_uuid(value) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationError({"client_id": _("记录编号无效")}) from None


def pk_of(value):
    return getattr(value, "pk", value)


def clean_text(value) -> str:
    return str(value or "").strip()


@dataclass
class AttendanceInput:
    status: str
    reason: str
    makes_up_for: str | None


def attendance_input(attendance: Mapping) -> dict[int, AttendanceInput]:
    out = {}
    for member_id, value in (attendance or {}).items():
        if isinstance(value, Mapping):
            status, reason, target = (
                value.get("status"),
                value.get("reason"),
                value.get("makes_up_for"),
            )
        else:
            value = tuple(value)
            status = value[0] if value else ""
            reason = value[1] if len(value) > 1 else ""
            target = value[2] if len(value) > 2 else None
        try:
            key = int(pk_of(member_id))
        except (TypeError, ValueError):
            raise ValidationError(
                {"attendance": _("党员编号无效：%(id)s") % {"id": member_id}}
            ) from None
        out[key] = AttendanceInput(
            clean_text(status),
            clean_text(reason),
            None if target in (None, "") else str(pk_of(target)),
        )
    return out


def guests_input(guests) -> list[tuple[str, str]]:
    out = []
    for g in guests or ():
        name, note = (g.get("name"), g.get("note")) if isinstance(g, Mapping) else (*g, "")[:2]
        name, note = clean_text(name), clean_text(note)
        if name or note:
            out.append((name, note))
    return out


@dataclass
class TaskInput:
    member: int | None
    group: str
    task: str
    due_on: dt.date | None


@dataclass
class FourRingInput:
    preparation: str = ""
    prepared_at: dt.datetime | None = None
    prompts: str = ""
    record_notes: str = ""
    discussion: str = ""
    speakers: list[int] = field(default_factory=list)
    practice: list[TaskInput] = field(default_factory=list)


def parse_datetime(value) -> dt.datetime | None:
    """An ISO string (from the sync's JSON) or a datetime; awareness is checked by the rules."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value) if value else None
    return value or None


def task_input(t) -> TaskInput:
    due = t.get("due_on")
    if isinstance(due, str):
        try:
            due = dt.date.fromisoformat(due)
        except ValueError:
            due = None
    member = t.get("member")
    return TaskInput(
        member=int(pk_of(member)) if member not in (None, "") else None,
        group=clean_text(t.get("group")),
        task=clean_text(t.get("task")),
        due_on=due,
    )


def four_ring_input(four_ring: Mapping | None) -> FourRingInput:
    """Keys: preparation, prepared_at (aware datetime), prompts, record_notes, discussion,
    speakers (member ids), practice (dicts: member id or group name, task, due_on)."""
    fr = four_ring or {}
    try:
        prepared_at = parse_datetime(fr.get("prepared_at"))
        practice = [task_input(t) for t in fr.get("practice") or ()]
        speakers = sorted({int(pk_of(m)) for m in fr.get("speakers") or ()})
    except (TypeError, ValueError, AttributeError):
        raise ValidationError({"four_ring": _("四环教学记录的格式无效")}) from None
    return FourRingInput(
        preparation=clean_text(fr.get("preparation")),
        prepared_at=prepared_at or None,
        prompts=clean_text(fr.get("prompts")),
        record_notes=clean_text(fr.get("record_notes")),
        discussion=clean_text(fr.get("discussion")),
        speakers=speakers,
        practice=[t for t in practice if t.member or t.group or t.task],
    )
