"""Re-reads every village's chain from the database and checks it; `dianjiao verify-logbook`.

What is checked, entry by entry in (village, seq) order, stopping at the first problem:
  - seq starts at 1 and has no gaps (a deleted entry leaves one; so does a reordering);
  - prev_hash is the hash of the entry before (genesis: 64 zeros);
  - the stored canonical bytes hash to the stored hash (edited canonical bytes), and they say
    what the entry's fields say (an edited field): together, the hash of the fields' canonical
    form is the stored hash, which is what this check always was;
  - a correction points at an earlier entry of the same village;
  - a late entry's exception exists, is for that village and day, and its grant was itself
    recorded earlier in the same book with the same day and reason.
then that no chain is shorter than the audit trail remembers (every entry's creation is also an
AuditEvent, written in the same transaction: a chain whose last seq is below the highest seq the
trail recorded for that village has lost its tail), and that the append-only triggers are
present and enabled.

How it stays close to the cost of reading and hashing the stored bytes: the canonical bytes are
stored with each entry (written once, `chain.seal`), so Python only hashes them and follows the
links. Whether they still agree with the entry's fields is asked of the database in the same
SELECT, per row, in C: on SQLite the canonical bytes are rebuilt by string concatenation from
the columns (the body column holds the canonical text, `chain.CanonicalJSONEncoder`) and compared
byte for byte; on PostgreSQL the stored bytes are parsed as jsonb and compared, as text, with a
jsonb object built from the columns. A row the database does not confirm (an old entry whose body
text predates the encoder, a null `canonical`, a real change) is decided in Python by recomputing
its canonical form from its fields exactly as before, so the fast path can only ever be stricter
than the old check, never looser. Each village's chain is read by one streaming query (a
server-side cursor on PostgreSQL), so memory stays flat however long the books are; the villages
can be shared among several processes (`jobs`).

What a hash chain cannot see on its own: removing the *last* entries of a chain (the audit trail
catches that, unless it was edited too), or rewriting a whole chain with freshly computed hashes,
both by someone holding the database file. Against those the chain head hash printed at the foot
of each month's book (and filed on paper) is the anchor: compare it with the book's current head
for that period. (The audit check is one-sided on purpose: a trail that remembers *less* than the
book, e.g. after old audit events were archived, is not an error.)
"""

import contextlib
import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Count, IntegerField, Max, Min, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from . import chain
from .models import LateEntryException, LogbookEntry

SQLITE_TRIGGERS = {
    "logbook_entry_no_update",
    "logbook_entry_no_delete",
    "logbook_exception_no_update",
    "logbook_exception_no_delete",
}
POSTGRES_TRIGGERS = {"logbook_entry_append_only", "logbook_exception_append_only"}

_FIELDS = tuple(dict.fromkeys((*chain.HASHED_FIELDS, "hash")))


@dataclass
class Problem:
    village_id: int | None
    seq: int | None
    entry_id: str | None
    what: str

    def describe(self) -> str:
        if self.village_id is None:
            return self.what
        from dianjiao.orgs.models import Village

        name = (
            Village.objects.filter(pk=self.village_id).values_list("name", flat=True).first() or "?"
        )
        return _(
            "%(name)s（村编号 %(village_id)s）第 %(seq)s 条，记录编号 %(entry_id)s：%(what)s"
        ) % {
            "name": name,
            "village_id": self.village_id,
            "seq": self.seq,
            "entry_id": self.entry_id,
            "what": self.what,
        }


@dataclass
class Result:
    villages: int = 0
    entries: int = 0
    problem: Problem | None = None
    # Entries the database did not confirm and Python decided by recomputing them from their
    # fields (see the module's docstring): zero for books written by this version.
    recomputed: int = 0
    last_seq: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.problem is None


def _check_correction(row) -> str | None:
    ok = LogbookEntry.objects.filter(
        pk=row["corrects_id"],
        village_id=row["village_id"],
        seq__lt=row["seq"],
    ).exists()
    return (
        None
        if ok
        else _("更正的记录 %(id)s 不存在，或不是本村此前的记录") % {"id": row["corrects_id"]}
    )


def _check_late(row, grants: dict) -> str | None:
    exc_id = row["late_exception_id"]
    if exc_id not in grants:
        grants.clear()  # one village's few exceptions at a time: memory stays flat
        exception = (
            LateEntryException.objects.filter(pk=exc_id)
            .values("village_id", "day", "reason")
            .first()
        )
        grant = (
            LogbookEntry.objects.filter(
                village_id=row["village_id"],
                source_model="logbook.lateentryexception",
                source_pk=str(exc_id),
            )
            .values("seq", "body")
            .first()
        )
        grants[exc_id] = (exception, grant)
    exception, grant = grants[exc_id]
    if exception is None:
        return _("所依据的补录批准 %(id)s 不存在") % {"id": exc_id}
    if exception["village_id"] != row["village_id"]:
        return _("所依据的补录批准 %(id)s 不是本村的") % {"id": exc_id}
    if exception["day"] != timezone.localtime(row["occurred_at"]).date():
        return _("所依据的补录批准 %(id)s 的日期与记录的发生日期不符") % {"id": exc_id}
    if grant is None or grant["seq"] >= row["seq"]:
        return _("补录批准 %(id)s 没有在此前记入本村手册") % {"id": exc_id}
    body = grant["body"] if isinstance(grant["body"], dict) else {}
    if body.get("day") != exception["day"].isoformat() or body.get("reason") != exception["reason"]:
        return _("补录批准 %(id)s 的内容与手册中的批准记录不符") % {"id": exc_id}
    return None


def check_audit_tails(
    last_seq: dict[int, int], villages=None, exclude=frozenset()
) -> Problem | None:
    """One aggregate query: the highest seq the audit trail saw created, per village (of
    `villages` only, when given, and not of `exclude`), among the entries whose row is gone.

    Only those can make a chain shorter than the trail remembers (an entry still present is
    in its chain, where the scan has checked its seq against its sealed bytes), and only their
    audit snapshots are opened: parsing every entry's snapshot, bodies and all, cost more than
    the whole chain scan at county scale. It also makes the check indifferent to entries
    appended while it runs: their rows are there."""
    from dianjiao.audit.models import AuditEvent

    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    if connection.vendor == "sqlite":
        key = f"replace({table}.object_pk, '-', '')"
    else:
        key = (
            f"CASE WHEN {table}.object_pk ~ '^[0-9a-fA-F-]{{32,36}}$'"
            f" THEN {table}.object_pk::uuid END"
        )
    gone = f"NOT EXISTS (SELECT 1 FROM logbook_logbookentry e WHERE e.id = {key})"
    events = AuditEvent.objects.filter(model="logbook.logbookentry", action="create").extra(
        where=[gone]
    )
    remembered = (
        events.annotate(
            v=Cast(KeyTextTransform("village_id", "data"), IntegerField()),
            s=Cast(KeyTextTransform("seq", "data"), IntegerField()),
        )
        .values("v")
        .annotate(top=Max("s"))
        .order_by("v")
        .values_list("v", "top")
    )
    for village_id, top in remembered:
        if (villages is not None and village_id not in villages) or village_id in exclude:
            continue
        have = last_seq.get(village_id, 0)
        if village_id is not None and top is not None and top > have:
            missing = (
                AuditEvent.objects.filter(
                    model="logbook.logbookentry",
                    action="create",
                    data__village_id=village_id,
                    data__seq=have + 1,
                )
                .values_list("object_pk", flat=True)
                .first()
            )
            return Problem(
                village_id,
                have + 1,
                missing,
                _("操作记录显示本村手册曾有第 %(top)s 条，现在只到第 %(have)s 条：末尾的记录被删除")
                % {"top": top, "have": have},
            )
    return None


def check_triggers() -> str | None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = SQLITE_TRIGGERS
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
            )
            expected = POSTGRES_TRIGGERS
        else:
            return _("不支持的数据库：%(vendor)s") % {"vendor": connection.vendor}
        present = {name for (name,) in cursor.fetchall()}
    missing = sorted(expected - present)
    if missing:
        return _("数据库中禁止修改、删除手册记录的触发器缺失或已停用：%(triggers)s") % {
            "triggers": _("、").join(missing)
        }
    return None


# --- The per-row agreement of the stored canonical bytes with the fields, asked of the database.
# One SQL expression per key of the canonical object (chain.canonical), in its sorted key order.


def _sqlite_string(column):
    return f"json_quote({column})"


def _sqlite_id(column):
    return f"""CASE WHEN {column} IS NULL THEN 'null' ELSE '"' || {column} || '"' END"""


def _sqlite_uuid(column):
    # Django keeps UUIDs on SQLite as 32 hex digits; the canonical form has the hyphens.
    parts = " || '-' || ".join(
        f"substr({column}, {a}, {n})" for a, n in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
    )
    return f"""CASE WHEN {column} IS NULL THEN 'null' ELSE '"' || {parts} || '"' END"""


def _sqlite_time(column):
    # Stored as str() of the naive UTC datetime: "YYYY-MM-DD HH:MM:SS[.ffffff]".
    return (
        f"""CASE WHEN {column} IS NULL THEN 'null' ELSE '"' || replace({column}, ' ', 'T')"""
        f""" || CASE WHEN length({column}) = 19 THEN '.000000' ELSE '' END || '+00:00"' END"""
    )


SQLITE_PARTS = {
    "id": _sqlite_uuid("id"),
    "village_id": _sqlite_id("village_id"),
    "township_id": _sqlite_id("township_id"),
    "seq": "seq",
    "kind": _sqlite_string("kind"),
    "title": _sqlite_string("title"),
    "body": "body",
    "occurred_at": _sqlite_time("occurred_at"),
    "captured_at": _sqlite_time("captured_at"),
    "received_at": _sqlite_time("received_at"),
    "author_id": _sqlite_id("author_id"),
    "author_label": _sqlite_string("author_label"),
    "corrects_id": _sqlite_uuid("corrects_id"),
    "reason": _sqlite_string("reason"),
    "late_exception_id": _sqlite_id("late_exception_id"),
    "source_model": _sqlite_string("source_model"),
    "source_pk": _sqlite_string("source_pk"),
    "prev_hash": _sqlite_string("prev_hash"),
}


def _pg_time(column):
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""


PG_PARTS = {
    "id": "id::text",
    "village_id": "village_id::text",
    "township_id": "township_id::text",
    "seq": "seq",
    "kind": "kind",
    "title": "title",
    "body": "body",
    "occurred_at": _pg_time("occurred_at"),
    "captured_at": _pg_time("captured_at"),
    "received_at": _pg_time("received_at"),
    "author_id": "author_id::text",
    "author_label": "author_label",
    "corrects_id": "corrects_id::text",
    "reason": "reason",
    "late_exception_id": "late_exception_id::text",
    "source_model": "source_model",
    "source_pk": "source_pk",
    "prev_hash": "prev_hash",
}
assert set(SQLITE_PARTS) == set(PG_PARTS) == set(chain.HASHED_FIELDS)


def agreement_sql(vendor: str) -> str:
    """A boolean SQL expression over a logbook row: do its stored canonical bytes say exactly
    what its columns say? (NULL when there are no stored bytes.)"""
    keys = sorted(chain.HASHED_FIELDS)
    if vendor == "sqlite":
        pieces = [f"'{{\"{keys[0]}\":' || {SQLITE_PARTS[keys[0]]}"]
        pieces += [f"',\"{k}\":' || {SQLITE_PARTS[k]}" for k in keys[1:]]
        return f"canonical = CAST({' || '.join(pieces)} || '}}' AS BLOB)"
    if vendor == "postgresql":
        # jsonb equality: types must match (true is not 1, "1" is not 1); numbers compare by
        # value, so 1 and 1.0 are equal here, as they always were to this check (the old
        # recomputation normalised 1.0 to 1 before hashing). Comparing the two as text instead
        # would cost twice as much for nothing the chain does not already see.
        built = ", ".join(f"'{k}', {PG_PARTS[k]}" for k in keys)
        return f"convert_from(canonical, 'UTF8')::jsonb = jsonb_build_object({built})"
    raise DatabaseError(f"unsupported database: {vendor}")


_COLUMNS = "id, seq, prev_hash, hash, canonical, corrects_id, late_exception_id"


def _scan_sql(vendor: str, *, agreement: bool, upper: bool) -> str:
    agrees = agreement_sql(vendor) if agreement else "NULL"
    bound = " AND seq <= %s" if upper else ""
    return (
        f"SELECT {_COLUMNS}, {agrees} FROM logbook_logbookentry"
        f" WHERE village_id = %s AND seq >= %s{bound} ORDER BY seq"
    )


@dataclass(frozen=True)
class Span:
    """The part of one village's chain to check: seq `first`..`last` (None: to the end), whose
    entry `first` must link to `anchor` (the hash of entry first-1, or genesis)."""

    village_id: int
    first: int = 1
    last: int | None = None
    anchor: str | None = chain.GENESIS
    entries: int = 0


def _entry_row(entry_id) -> dict:
    return LogbookEntry.objects.values(*_FIELDS).get(pk=entry_id)


def _recompute(entry_id, stored) -> str | None:
    """The old check, for one entry the database did not confirm: its canonical form computed
    from its fields in Python. None when that equals the stored bytes (or, with none stored, its
    hash is the stored hash)."""
    row = _entry_row(entry_id)
    try:
        canonical = chain.entry_canonical(row)
    except (TypeError, ValueError) as exc:
        return _("内容无法规范化：%(error)s") % {"error": exc}
    if isinstance(stored, str):
        stored = stored.encode()
    same = (
        chain.leaf_hash(canonical) == row["hash"] if stored is None else canonical == bytes(stored)
    )
    return None if same else _("内容与哈希不符：记录在写入后被改动过")


def _digest(stored) -> str:
    if stored.__class__ is not bytes:  # a memoryview; or text an attacker put in the column
        stored = stored.encode() if isinstance(stored, str) else bytes(stored)
    return hashlib.sha256(chain.LEAF_PREFIX + stored).hexdigest()


class _Restart(Exception):
    """The database could not evaluate the agreement for some row (stored bytes that are not
    UTF-8 JSON, on PostgreSQL): that village is read again with the check made in Python."""


def _scan(span: Span, result: Result, progress, *, agreement: bool = True) -> Problem | None:
    vendor = connection.vendor
    sql = _scan_sql(vendor, agreement=agreement, upper=span.last is not None)
    params = [span.village_id, span.first] + ([span.last] if span.last is not None else [])
    expected_seq, prev_hash = span.first, span.anchor
    grants: dict = {}
    checked = 0
    cursor = connection.chunked_cursor()
    try:
        try:
            cursor.execute(sql, params)
        except DatabaseError:
            raise _Restart from None
        while True:
            try:
                rows = cursor.fetchmany(2000)
            except DatabaseError:
                raise _Restart from None
            if not rows:
                break
            for entry_id, seq, row_prev, row_hash, stored, corrects_id, late_id, agrees in rows:
                checked += 1
                what = None
                if seq != expected_seq:
                    if seq < expected_seq:
                        what = _("序号重复或倒退：应为第 %(seq)s 条") % {"seq": expected_seq}
                    elif seq == expected_seq + 1:
                        what = _("序号不连续：缺少第 %(seq)s 条（记录被删除）") % {
                            "seq": expected_seq
                        }
                    else:
                        what = _("序号不连续：缺少第 %(first)s–%(last)s 条（记录被删除）") % {
                            "first": expected_seq,
                            "last": seq - 1,
                        }
                elif row_prev != prev_hash and prev_hash is not None:
                    what = _("前一条哈希对不上：链条在此断开（记录被删除、插入或调换了顺序）")
                elif stored is not None and _digest(stored) != row_hash:
                    what = _("内容与哈希不符：保存的规范内容与哈希对不上，被改动过")
                elif not agrees:
                    result.recomputed += 1
                    what = _recompute(entry_id, stored)
                if what is None and (corrects_id is not None or late_id is not None):
                    row = _entry_row(entry_id)
                    if corrects_id is not None:
                        what = _check_correction(row)
                    if what is None and late_id is not None:
                        what = _check_late(row, grants)
                if what is not None:
                    result.entries += checked
                    return Problem(span.village_id, seq, str(uuid.UUID(str(entry_id))), what)
                expected_seq, prev_hash = seq + 1, row_hash
            if progress:
                progress(len(rows))
    finally:
        cursor.close()
    result.entries += checked
    if checked:
        result.last_seq[span.village_id] = expected_seq - 1
    return None


def check_spans(
    spans: list[Span], progress: Callable[[int], None] | None = None, *, tails=False
) -> Result:
    """Check each span in order and stop at the first problem (this process, its connection);
    then, with `tails`, that the audit trail remembers no entry beyond these villages' ends."""
    result = Result()
    for span in spans:
        result.villages += 1
        try:
            with _savepoint():
                problem = _scan(span, result, progress)
        except _Restart:
            problem = _scan(span, result, progress, agreement=False)
        if problem is not None:
            result.problem = problem
            return result
    if tails:
        result.problem = check_audit_tails(result.last_seq, {s.village_id for s in spans})
    return result


def spans_for(*, villages=None, date_from=None, date_to=None) -> list[Span]:
    """The parts of the books to check: whole chains of `villages` (ids; all when None), or, with
    a date range (local dates of occurred_at, both ends included), for each village the run of
    seqs from its first to its last entry in the range, linked to the entry before it."""
    entries = LogbookEntry.objects.all()
    if villages is not None:
        entries = entries.filter(village_id__in=villages)
    if date_from is None and date_to is None:
        rows = (
            entries.values("village_id")
            .annotate(n=Count("pk"))
            .order_by("village_id")
            .values_list("village_id", "n")
        )
        return [Span(village_id, entries=n) for village_id, n in rows]
    zone = timezone.get_current_timezone()
    if date_from is not None:
        entries = entries.filter(
            occurred_at__gte=dt.datetime.combine(date_from, dt.time(), tzinfo=zone)
        )
    if date_to is not None:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        entries = entries.filter(occurred_at__lt=end)
    rows = list(
        entries.values("village_id")
        .annotate(first=Min("seq"), last=Max("seq"))
        .order_by("village_id")
        .values_list("village_id", "first", "last")
    )
    anchors = {}
    if rows:
        anchor_q = Q()
        for village_id, first, _last in rows:
            if first > 1:
                anchor_q |= Q(village_id=village_id, seq=first - 1)
        if anchor_q:
            anchors = {
                (v, s): h
                for v, s, h in LogbookEntry.objects.filter(anchor_q).values_list(
                    "village_id", "seq", "hash"
                )
            }
    spans = []
    for village_id, first, last in rows:
        anchor = chain.GENESIS if first == 1 else anchors.get((village_id, first - 1))
        if anchor is None:  # the entry before the range is gone: the gap is reported at `first`
            first, anchor = first - 1, None
        spans.append(Span(village_id, first, last, anchor, last - first + 1))
    return spans


def _split(spans: list[Span], jobs: int) -> list[list[Span]]:
    """Contiguous runs of villages with about the same number of entries each."""
    total = sum(s.entries for s in spans) or 1
    groups: list[list[Span]] = [[]]
    done = 0
    for span in spans:
        if groups[-1] and done >= total * len(groups) / jobs and len(groups) < jobs:
            groups.append([])
        groups[-1].append(span)
        done += span.entries
    return groups


def _worker(spans: list[Span], tails: bool) -> Result:
    """Run in a child process: a connection of its own, opened afresh."""
    connections.close_all()
    try:
        with _snapshot():
            return check_spans(spans, tails=tails)
    finally:
        connections.close_all()


def _savepoint():
    """On PostgreSQL a failed statement spoils the transaction: each village's query runs in a
    savepoint so that it can be read again. (SQLite needs none, and Django's would be a BEGIN
    IMMEDIATE inside the read transaction of `_snapshot`.)"""
    if connection.vendor == "postgresql":
        return transaction.atomic()
    return contextlib.nullcontext()


@contextlib.contextmanager
def _snapshot():
    """One consistent view of the books for the whole check, where that can be had without
    taking a write lock: a read transaction on SQLite (a plain BEGIN: Django's own would be
    BEGIN IMMEDIATE), a repeatable-read transaction on PostgreSQL. Inside an enclosing
    transaction (tests), that one is used."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")


def _parallel(groups: list[list[Span]], progress, tails: bool) -> Result:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    connections.close_all()  # children must not share the parent's connection
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=len(groups), mp_context=context) as pool:
        results = list(pool.map(_worker, groups, [tails] * len(groups)))
    merged = Result()
    for part in results:  # groups are in village order: the first problem is the first found
        merged.villages += part.villages
        merged.entries += part.entries
        merged.recomputed += part.recomputed
        merged.last_seq.update(part.last_seq)
        if part.problem is not None and merged.problem is None:
            merged.problem = part.problem
        if progress:
            progress(part.entries)
    return merged


def verify_all(
    *,
    villages=None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Check the books (all of them by default; see `spans_for` for the filters), in `jobs`
    processes. `progress(done, total)` is called as entries are checked.

    Each process reads one consistent snapshot (`_snapshot`), and the audit trail is compared
    within the same snapshot as the chains it is compared with, so entries appended while the
    check runs are neither missed nor mistaken for a lost tail. A lost tail is only visible from
    the end of the book: not with an upper date bound."""
    done = 0
    tails = date_to is None
    wanted = set(villages) if villages is not None else None

    def step(n):
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    # Workers are forked (they inherit the loaded project): where there is no fork (Windows),
    # one process does it all.
    parallel = jobs > 1 and not connection.in_atomic_block and _can_fork()
    with _snapshot():
        spans = spans_for(villages=villages, date_from=date_from, date_to=date_to)
        total = sum(s.entries for s in spans)
        # Villages the audit trail knows and that have no entries left at all.
        have = {s.village_id for s in spans}
        problem = check_audit_tails({}, wanted, exclude=have) if tails else None
        if problem is not None:
            return Result(problem=problem)
        parallel = parallel and len(spans) > 1
        if not parallel:
            result = check_spans(spans, step, tails=tails)
    if parallel:
        result = _parallel(_split(spans, min(jobs, len(spans))), step, tails)
    if result.problem is None and (what := check_triggers()):
        result.problem = Problem(None, None, None, what)
    return result


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
