"""Writing the demo in bulk, where the services are not the point, without leaving a trace that
live use could not have left.

* `create(model, objs)`: one INSERT per batch instead of one per row, and the audit trail's
  "create" event of every row, as the post_save signal would have written it (same actor, same
  snapshot), because bulk_create sends no signals.
* `insert(model, objs)`: what bulk_create does (the fields' pre_save and database preparation, a
  multi-row INSERT, the new auto keys read back with RETURNING), without building Django's SQL
  compiler per value: at the larger scales (millions of attendance rows and their audit events)
  the compiler was most of the build. The values stored are those bulk_create would store: plain
  values (text, integers, booleans, keys to them) go in as they are, everything else through the
  field's own get_db_prep_save.
* `Chains`: the villages' logbooks (R10), appended in Python and inserted in bulk. Each entry's seq,
  prev_hash and hash are computed exactly as `logbook.services.entry_append` computes them
  (`logbook.chain.entry_hash`), continuing from the chain's head in the database, so
  `dianjiao verify-logbook` checks them like any other entries. Only INSERTs are issued: the
  append-only triggers refuse UPDATE and DELETE and nothing here needs either.
* `remembered_references()`: while the demo's one transaction runs, a foreign key that
  full_clean() has found to exist is not looked up again (the services validate every row, and
  most of their queries were "does village 3 exist?" a few thousand times over). Nothing in the
  build deletes a row, so an answer once true stays true; keys with `limit_choices_to` and
  values not yet seen are checked by Django as always.
* `constraints_checked_by_database()`: while the demo is built, full_clean() leaves unique fields
  and the models' Meta.constraints to the database. Django checks each of them with a query per
  save (a CheckConstraint too: it asks the database to evaluate the condition), about a third of
  what the services cost the demo; the database enforces every one of them anyway, on the INSERT
  or UPDATE itself, and a violation aborts the demo's one transaction (an IntegrityError instead
  of a ValidationError: nothing in the build catches either). Field and model validation
  (clean(), choices, lengths, the services' own rules) runs as always.
* `audit_buffered()`: the audit trail's events of the services' saves, as the post_save signal
  makes them (same actor, same snapshot, taken at the save), inserted in bulk when the block ends
  instead of one INSERT per save; their order is kept. Nothing in the build reads the trail.
* `hash_passwords(...)`: the demo accounts' real password hashes (the project's PBKDF2, not a fast
  hasher), computed in a background thread while the build goes on (hashlib releases the GIL).
"""

import contextlib
import datetime as dt
import decimal
import uuid
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Field, ForeignKey, Model
from django.db.models.base import ModelState

from dianjiao.audit import recorder
from dianjiao.audit.models import AuditEvent
from dianjiao.audit.recorder import _SKIP_FIELDS, _actor, snapshot
from dianjiao.logbook import chain
from dianjiao.logbook.models import LogbookEntry
from dianjiao.teaching.models import Attendance

BATCH = 500

# Values that recorder.snapshot's JSON round trip leaves as they are, and those it turns into the
# DjangoJSONEncoder's text.
_AS_IS = frozenset({str, int, bool, float, type(None)})
_AS_TEXT = (uuid.UUID, dt.date, dt.time, dt.timedelta, decimal.Decimal)
_ENCODER = DjangoJSONEncoder()


def _snapshotter(model):
    """snapshot(obj) for objects of `model`, without the JSON round trip when every value is a
    plain one (an object with anything else, a file or a JSON field's list, gets the recorder's own
    snapshot)."""
    attnames = [f.attname for f in model._meta.concrete_fields if f.attname not in _SKIP_FIELDS]

    def take(obj) -> dict:
        data = {}
        for name in attnames:
            value = getattr(obj, name)
            kind = type(value)
            if kind in _AS_IS:
                data[name] = value
            elif isinstance(value, _AS_TEXT):
                data[name] = _ENCODER.default(value)
            else:
                return snapshot(obj)
        return data

    return take


def _representer(model):
    """str(obj) for objects of `model`; an attendance row's, the most numerous, without building
    its status's choices once per row."""
    if model is Attendance:
        labels = {value: str(label) for value, label in Attendance.Status.choices}
        return lambda obj: f"{obj.member} {labels.get(obj.status, obj.status)}"
    return str


def instance(cls, related: dict, /, **values):
    """cls(**values) made as `Model.from_db` makes an instance, without `Model.__init__`'s work
    per keyword (millions of attendance rows at the larger scales): `values` are every concrete
    field's attname, `related` the objects its foreign keys point to (cached as the keywords
    would cache them)."""
    obj = cls.__new__(cls)
    obj._state = ModelState()
    obj._state.fields_cache = dict(related)
    obj.__dict__.update(values)
    return obj


def audit_events(objs, action: str = "create") -> list[AuditEvent]:
    """The events the post_save signal would write for `objs` (see recorder._record)."""
    user, label, ip = _actor.get()
    actor_id = user.pk if user is not None and user.pk else None
    actor_label = label[:150] or "system"
    takers: dict = {}
    events = []
    for obj in objs:
        model = type(obj)
        if model not in takers:
            takers[model] = (_snapshotter(model), _representer(model), obj._meta.label_lower)
        take, represent, name = takers[model]
        # AuditEvent(actor=..., ...) without Model.__init__'s work per keyword (as from_db makes
        # an instance): millions of them at the larger scales.
        event = instance(
            AuditEvent,
            {},
            id=None,
            at=None,  # auto_now_add: set when it is written
            actor_id=actor_id,
            actor_label=actor_label,
            ip=ip,
            action=action,
            model=name,
            object_pk=str(obj.pk),
            object_repr=represent(obj)[:200],
            data=take(obj),
        )
        events.append(event)
    return events


# Field types whose database preparation returns a value of the right type unchanged.
_PLAIN = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)
_PLAIN_TYPES = {
    "BooleanField": bool,
    "CharField": str,
    "EmailField": str,
    "SlugField": str,
    "TextField": str,
}


def _preparer(field):
    """value -> database value for `field`, as bulk_create's field.get_db_prep_save makes it."""
    target = field.target_field if field.is_relation else field
    internal = target.get_internal_type()
    exact = _PLAIN_TYPES.get(internal, int)

    def prepare(value):
        return field.get_db_prep_save(value, connection)

    if internal != "JSONField":  # a JSON field's None may be stored as JSON's null
        prepare_value = prepare

        def prepare(value):
            return None if value is None else prepare_value(value)

    if internal in _PLAIN:
        return lambda value: value if value is None or type(value) is exact else prepare(value)
    if internal == "UUIDField" and not connection.features.has_native_uuid_field:
        return lambda value: value.hex if type(value) is uuid.UUID else prepare(value)
    if internal == "DateTimeField" and connection.vendor == "sqlite" and settings.USE_TZ:
        # An aware datetime is stored as SQLite's adapt_datetimefield_value stores it: as text,
        # naive in the connection's zone.
        zone = connection.timezone

        def prepare_datetime(value):
            if type(value) is dt.datetime and value.tzinfo is not None:
                return str(value.astimezone(zone).replace(tzinfo=None))
            return prepare(value)

        return prepare_datetime
    return prepare


def insert(model, objs: list) -> list:
    """Write `objs` (new, unsaved) as bulk_create would, a few hundred rows per INSERT (see the
    module's docstring); objects without a key get theirs from the database."""
    if not objs:
        return objs
    opts = model._meta
    pk = opts.pk
    without_key = [obj.pk is None for obj in objs]
    returning = any(without_key)
    if returning and not all(without_key):
        raise ValueError(f"{opts.label}: some objects have keys and some do not")
    fields = [
        f
        for f in opts.concrete_fields
        if not getattr(f, "generated", False) and not (returning and f is pk)
    ]
    plan = [
        (f.attname, f if type(f).pre_save is not Field.pre_save else None, _preparer(f))
        for f in fields
    ]
    fill = getattr(model, "fill_canonical", None)
    qn = connection.ops.quote_name
    head = f"INSERT INTO {qn(opts.db_table)} ({', '.join(qn(f.column) for f in fields)}) VALUES "
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = ""
    if returning:
        tail, _params = connection.ops.returning_columns([pk])
        tail = " " + tail
    limit = connection.features.max_query_params or 100_000
    per = max(1, min(BATCH, limit // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per):
            chunk = objs[start : start + per]
            params = []
            for obj in chunk:
                if fill is not None:
                    obj.fill_canonical()
                for name, pre, prepare in plan:
                    value = pre.pre_save(obj, True) if pre is not None else getattr(obj, name)
                    params.append(prepare(value))
            cursor.execute(head + ", ".join([row] * len(chunk)) + tail, params)
            if returning:
                for obj, (key,) in zip(chunk, cursor.fetchall(), strict=True):
                    setattr(obj, pk.attname, key)
            for obj in chunk:
                obj._state.adding, obj._state.db = False, connection.alias
    return objs


def create(model, objs: list, *, audited: bool = True) -> list:
    """Insert `objs` of `model` in bulk and, when `audited`, their audit events."""
    if not objs:
        return objs
    insert(model, objs)
    if audited:
        insert(AuditEvent, audit_events(objs))
    return objs


class Chains:
    """Pending logbook entries of several villages, appended in order and written by `flush()`."""

    def __init__(self):
        self.heads: dict[int, tuple[int, str]] = {}
        self.pending: list[LogbookEntry] = []

    def _head(self, village_id: int) -> tuple[int, str]:
        if village_id not in self.heads:
            head = (
                LogbookEntry.objects.filter(village_id=village_id)
                .order_by("-seq")
                .values_list("seq", "hash")
                .first()
            )
            self.heads[village_id] = head or (0, chain.GENESIS)
        return self.heads[village_id]

    def append(
        self,
        *,
        village,
        kind: str,
        title: str,
        body: dict,
        occurred_at,
        received_at,
        author,
        source,
        captured_at=None,
    ) -> LogbookEntry:
        """The next entry of `village`'s chain, as `entry_append` would store it (not yet written)."""
        seq, prev_hash = self._head(village.pk)
        entry = LogbookEntry(
            id=uuid.uuid4(),
            township_id=village.township_id,
            village=village,
            seq=seq + 1,
            kind=kind,
            title=title.strip()[:200],
            body=chain.normalise_body(body),
            occurred_at=occurred_at,
            captured_at=captured_at,
            received_at=received_at,
            author=author,
            author_label=str(author)[:150],
            corrects=None,
            reason="",
            late_exception=None,
            source_model=source._meta.label_lower,
            source_pk=str(source.pk),
            prev_hash=prev_hash,
        )
        chain.seal(entry)  # its canonical bytes and hash, computed once
        self.heads[village.pk] = (entry.seq, entry.hash)
        self.pending.append(entry)
        return entry

    def flush(self) -> int:
        """INSERT the pending entries (and their audit events). The heads are read again from the
        database next time, so entries the services append in between are continued from."""
        n = len(self.pending)
        create(LogbookEntry, self.pending)
        self.pending, self.heads = [], {}
        return n


_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-passwords")


def hash_passwords(passwords: dict[str, str]) -> dict[str, Future]:
    """{key: Future of make_password(password)}: the project's own hasher, off the main thread."""
    return {key: _pool.submit(make_password, password) for key, password in passwords.items()}


@contextlib.contextmanager
def remembered_references():
    """See the module's docstring. Only for the demo build (one process, one transaction)."""
    original = ForeignKey.validate
    seen: set = set()

    def validate(field, value, model_instance):
        key = (field.remote_field.model, field.remote_field.field_name, value)
        if key in seen and not field.remote_field.parent_link:
            Field.validate(field, value, model_instance)  # null, blank and choices, as always
            return
        original(field, value, model_instance)
        if value is not None and not field.get_limit_choices_to():
            seen.add(key)

    ForeignKey.validate = validate
    try:
        yield
    finally:
        ForeignKey.validate = original


@contextlib.contextmanager
def constraints_checked_by_database():
    """See the module's docstring. Only for the demo build (one process, one transaction)."""
    validate_constraints, validate_unique = Model.validate_constraints, Model.validate_unique

    def left_to_database(self, exclude=None):
        return None

    Model.validate_constraints = Model.validate_unique = left_to_database
    try:
        yield
    finally:
        Model.validate_constraints, Model.validate_unique = validate_constraints, validate_unique


@contextlib.contextmanager
def audit_buffered():
    """See the module's docstring. Only for the demo build (one process, one transaction)."""
    original = recorder._record
    pending: list[AuditEvent] = []

    def record(instance, action: str) -> None:
        pending.extend(audit_events([instance], action))

    recorder._record = record
    try:
        yield
    finally:
        recorder._record = original
    insert(AuditEvent, pending)
