"""Re-reads every village's chain from the database and checks it; `dianjiao verify-logbook`.

What is checked, entry by entry in (village, seq) order, stopping at the first problem:
  - seq starts at 1 and has no gaps (a deleted entry leaves one; so does a reordering);
  - prev_hash is the hash of the entry before (genesis: 64 zeros);
  - the hash recomputed from the stored values equals the stored hash (an edited entry);
  - a correction points at an earlier entry of the same village;
  - a late entry's exception exists, is for that village and day, and its grant was itself
    recorded earlier in the same book with the same day and reason.
then that no chain is shorter than the audit trail remembers (every entry's creation is also an
AuditEvent, written in the same transaction: a chain whose last seq is below the highest seq the
trail recorded for that village has lost its tail), and that the append-only triggers are
present and enabled.

It streams (an iterator over plain values, a few extra queries per correction or late entry
only), so memory stays flat however long the books are.

What a hash chain cannot see on its own: removing the *last* entries of a chain (the audit trail
catches that, unless it was edited too), or rewriting a whole chain with freshly computed hashes,
both by someone holding the database file. Against those the chain head hash printed at the foot
of each month's book (and filed on paper) is the anchor: compare it with the book's current head
for that period. (The audit check is one-sided on purpose: a trail that remembers *less* than the
book, e.g. after old audit events were archived, is not an error.)
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import IntegerField, Max
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


def check_audit_tails(last_seq: dict[int, int]) -> Problem | None:
    """One aggregate query: the highest seq the audit trail saw created, per village."""
    from dianjiao.audit.models import AuditEvent

    remembered = (
        AuditEvent.objects.filter(model="logbook.logbookentry", action="create")
        .annotate(
            v=Cast(KeyTextTransform("village_id", "data"), IntegerField()),
            s=Cast(KeyTextTransform("seq", "data"), IntegerField()),
        )
        .values("v")
        .annotate(top=Max("s"))
        .order_by("v")
        .values_list("v", "top")
    )
    for village_id, top in remembered:
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


def verify_all(*, chunk_size: int = 2000) -> Result:
    result = Result()
    village_id, expected_seq, prev_hash = None, 1, chain.GENESIS
    grants: dict = {}
    last_seq: dict[int, int] = {}  # one number per village: flat enough
    rows = (
        LogbookEntry.objects.order_by("village_id", "seq")
        .values(*_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    for row in rows:
        if row["village_id"] != village_id:
            village_id, expected_seq, prev_hash = row["village_id"], 1, chain.GENESIS
            grants.clear()
            result.villages += 1
        result.entries += 1
        what = None
        if row["seq"] != expected_seq:
            if row["seq"] < expected_seq:
                what = _("序号重复或倒退：应为第 %(seq)s 条") % {"seq": expected_seq}
            elif row["seq"] == expected_seq + 1:
                what = _("序号不连续：缺少第 %(seq)s 条（记录被删除）") % {"seq": expected_seq}
            else:
                what = _("序号不连续：缺少第 %(first)s–%(last)s 条（记录被删除）") % {
                    "first": expected_seq,
                    "last": row["seq"] - 1,
                }
        elif row["prev_hash"] != prev_hash:
            what = _("前一条哈希对不上：链条在此断开（记录被删除、插入或调换了顺序）")
        else:
            try:
                recomputed = chain.entry_hash(row)
            except (TypeError, ValueError) as exc:
                recomputed, what = None, _("内容无法规范化：%(error)s") % {"error": exc}
            if what is None and recomputed != row["hash"]:
                what = _("内容与哈希不符：记录在写入后被改动过")
        if what is None and row["corrects_id"] is not None:
            what = _check_correction(row)
        if what is None and row["late_exception_id"] is not None:
            what = _check_late(row, grants)
        if what is not None:
            result.problem = Problem(row["village_id"], row["seq"], str(row["id"]), what)
            return result
        expected_seq, prev_hash = row["seq"] + 1, row["hash"]
        last_seq[village_id] = row["seq"]
    if problem := check_audit_tails(last_seq):
        result.problem = problem
        return result
    if what := check_triggers():
        result.problem = Problem(None, None, None, what)
    return result
