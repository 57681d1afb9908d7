"""Records every write to the project's own models as an AuditEvent.

Signals rather than calls in each service, so that admin edits, services, imports and commands
are all covered by one mechanism. The acting user comes from a context variable that the
middleware (web requests) or `acting_as` (commands, background work) sets.
"""

import contextlib
import contextvars
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save

_actor: contextvars.ContextVar[tuple] = contextvars.ContextVar(
    "audit_actor", default=(None, "", None)
)
_SKIP_FIELDS = {"password"}


@contextlib.contextmanager
def acting_as(user=None, label: str = "", ip: str | None = None):
    token = _actor.set((user, label or (user.get_username() if user else ""), ip))
    try:
        yield
    finally:
        _actor.reset(token)


def _audited(sender) -> bool:
    return sender.__module__.startswith("dianjiao.") and sender._meta.app_label != "audit"


def snapshot(instance) -> dict:
    data = {}
    for f in instance._meta.concrete_fields:
        if f.attname in _SKIP_FIELDS:
            continue
        value = getattr(instance, f.attname)
        if isinstance(value, FieldFile):
            value = value.name
        elif isinstance(value, bytes | memoryview):
            value = f"<{len(value)} bytes>"  # file contents belong in their table, not the trail
        data[f.attname] = value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record(instance, action: str, data: dict | None = None):
    """Write one event about `instance` by the current actor, as the signals do; `data` instead
    of the instance's snapshot, for a write the signals do not see (a bulk import saves its rows
    with bulk operations and is recorded as one event that lists them)."""
    from .models import AuditEvent

    user, label, ip = _actor.get()
    return AuditEvent.objects.create(
        actor=user if user is not None and user.pk else None,
        actor_label=label[:150] or "system",
        ip=ip,
        action=action,
        model=instance._meta.label_lower,
        object_pk=str(instance.pk),
        object_repr=str(instance)[:200],
        data=snapshot(instance) if data is None else data,
    )


def _record(instance, action: str) -> None:
    record(instance, action)


def _on_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not _audited(sender):
        return
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # a login is not an edit of the account
    _record(instance, "create" if created else "update")


def _on_delete(sender, instance, **kwargs):
    if _audited(sender):
        _record(instance, "delete")


def connect() -> None:
    post_save.connect(_on_save, dispatch_uid="dianjiao-audit-save")
    post_delete.connect(_on_delete, dispatch_uid="dianjiao-audit-delete")
