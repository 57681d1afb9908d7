"""The demo history's viewing sessions, written in bulk.

`teaching.services.session_record` writes a session row by row (a save and an audit event for
every attendance row, a query for the chain head, five queries for the logbook summary); for the
demo's year of about six hundred sessions and twenty thousand attendance rows that was most of the
first run. `SessionWriter.session(...)` makes the same records in memory instead, checking what
the service checks (the point is the village's, the members are the village's and on the roll,
every expected member is accounted for, someone came, a key film was prepared before it was shown,
speakers were there, a make-up makes up a session the member missed, earlier), with the same
logbook entry: the body is the service's own `session_summary_from_rows` of the rows in memory,
the title `_entry_title`'s, the chain continues from its head (`bulk.Chains`). `flush()` writes
everything with a few INSERTs per table, and the audit trail's events with them.

The writer is run under the demo clock (`dates.simulated_now`) like the service: the session's
and the entry's `received_at` is the clock's now. tests/demo/test_teaching.py compares each
session's stored entry with what `session_summary` says of it, so the two cannot drift apart.
"""

import uuid

from django.conf import settings
from django.utils import timezone, translation

from dianjiao.lib import dates
from dianjiao.teaching import services
from dianjiao.teaching.inputs import attendance_input, four_ring_input, guests_input
from dianjiao.teaching.models import Attendance, PracticeTask, ViewingSession

from . import bulk

Kind = ViewingSession.Kind
Status = Attendance.Status


def _through(field_name: str):
    field = ViewingSession._meta.get_field(field_name)
    through = field.remote_field.through
    return through, f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"


class SessionWriter:
    def __init__(self):
        self.chains = bulk.Chains()
        self.sessions: list[ViewingSession] = []
        self.attendance: list[Attendance] = []
        self.tasks: list[PracticeTask] = []
        self.links: dict[str, list] = {"films": [], "speakers": []}
        self.rows: dict[uuid.UUID, list[Attendance]] = {}  # every session's rows, for make-ups
        self.held: dict[uuid.UUID, ViewingSession] = {}
        self.written = 0
        self._index_of, self._index, self._indexed = None, {}, 0

    # -- one session ---------------------------------------------------------------------------

    def session(
        self,
        *,
        author,
        village,
        point,
        held_at,
        kind,
        films,
        duration_minutes: int,
        attendance,
        members: dict,
        four_ring=None,
        teaching_minutes: int = 0,
    ) -> ViewingSession:
        """Record one session in memory (see the module's docstring); `members` maps a member's
        pk to the Member of every member named in `attendance` or `four_ring`."""
        with translation.override(settings.LANGUAGE_CODE):
            return self._session(
                author=author,
                village=village,
                point=point,
                held_at=held_at,
                kind=kind,
                films=list(films),
                duration_minutes=duration_minutes,
                att=attendance_input(attendance),
                fr=four_ring_input(four_ring),
                members=members,
                teaching_minutes=teaching_minutes,
            )

    def _at_point(self, members: dict, point_id: int) -> list:
        """The (pk, member) pairs of `members` whose point is `point_id`, indexed once per
        members dict (the history passes the same one for every session)."""
        if self._index_of is not members or self._indexed != len(members):
            self._index_of, self._index, self._indexed = members, {}, len(members)
            for pk, m in members.items():
                self._index.setdefault(m.point_id, []).append((pk, m))
        return self._index.get(point_id, ())

    def _check(self, *, village, point, held_at, kind, films, att, fr, members) -> set[int]:
        """The service's refusals that the demo could run into; returns the expected members."""
        problems = []
        if point.village_id != village.pk or not point.active:
            problems.append("播放点不属于该村或已停用")
        if not films or any(f.township_id != village.township_id for f in films):
            problems.append("影片不在本乡片库")
        for pk, a in att.items():
            m = members[pk]
            if m.village_id != village.pk or not m.active:
                problems.append(f"{m.name} 不是本村在册党员")
            if a.status not in Status.values or (a.status == Status.EXCUSED) != bool(a.reason):
                problems.append(f"{m.name} 的出勤或请假原因无效")
        day = timezone.localtime(held_at).date()
        if kind == Kind.MAKEUP:
            expected = set(att)
            for pk, a in att.items():
                target = self.held.get(uuid.UUID(a.makes_up_for)) if a.makes_up_for else None
                missed = target is not None and any(
                    r.member_id == pk and r.status != Status.PRESENT for r in self.rows[target.pk]
                )
                if not missed or target.village_id != village.pk or target.held_at >= held_at:
                    problems.append(f"{members[pk].name} 的补看没有对应一场缺席的收看")
        else:
            expected = {
                pk
                for pk, m in self._at_point(members, point.pk)
                if m.active
                and m.joined_on <= day
                and m.on_roster_since <= day  # as teaching.services._check
            }
            if expected - set(att):
                problems.append("有应到党员没有登记出勤")
            if any(a.makes_up_for for a in att.values()):
                problems.append("只有补看才关联被补看的场次")
        present = {pk for pk, a in att.items() if a.status == Status.PRESENT}
        if not present:
            problems.append("没有任何人到场")
        is_key = kind == Kind.KEY_FILM or any(f.is_key_film for f in films)
        if is_key and not (fr.preparation and fr.prepared_at and fr.prepared_at < held_at):
            problems.append(services.preparation_rule())
        if set(fr.speakers) - present:
            problems.append("讨论发言人没有到场")
        if problems:
            raise ValueError(f"演示数据不合规则（{village.name} {held_at}）：{'；'.join(problems)}")
        return expected

    def _session(
        self,
        *,
        author,
        village,
        point,
        held_at,
        kind,
        films,
        duration_minutes,
        att,
        fr,
        members,
        teaching_minutes,
    ) -> ViewingSession:
        expected = self._check(
            village=village,
            point=point,
            held_at=held_at,
            kind=kind,
            films=films,
            att=att,
            fr=fr,
            members=members,
        )
        now = dates.now()
        session = ViewingSession(
            id=uuid.uuid4(),
            village=village,
            point=point,
            held_at=held_at,
            duration_minutes=duration_minutes,
            teaching_minutes=teaching_minutes,
            kind=kind,
            operator=author,
            received_at=now,
            submission_hash=services._submission_hash(
                author=author,
                village=village,
                point=point,
                held_at=held_at,
                kind=kind,
                film_ids=[f.pk for f in films],
                duration_minutes=duration_minutes,
                attendance=att,
                guests=guests_input(()),
                four_ring=fr,
                notes="",
                captured_at=None,
                teaching_minutes=teaching_minutes,
            ),
            preparation=fr.preparation,
            prepared_at=fr.prepared_at,
            prompts=fr.prompts,
            record_notes=fr.record_notes,
            discussion=fr.discussion,
            key_session=kind == Kind.KEY_FILM or any(f.is_key_film for f in films),
        )
        session.township_id = village.township_id  # as ViewingSession.save() does
        session.full_clean(
            exclude=["village", "point", "operator", "entry"],
            validate_unique=False,
            validate_constraints=False,
        )
        rows = [
            bulk.instance(
                Attendance,
                {"session": session, "member": members[pk]},
                id=None,
                session_id=session.pk,
                member_id=pk,
                expected=pk in expected,
                status=a.status,
                excuse_reason=a.reason,
                makes_up_for_id=uuid.UUID(a.makes_up_for) if a.makes_up_for else None,
            )
            for pk, a in sorted(att.items())
        ]
        tasks = []
        for t in fr.practice:
            task = PracticeTask(
                session=session,
                member=members[t.member] if t.member else None,
                group_name=t.group,
                task=t.task,
                due_on=t.due_on,
            )
            task.full_clean(exclude=["session", "member"])
            tasks.append(task)
        speakers = sorted((members[pk] for pk in fr.speakers), key=lambda m: m.name_pinyin)
        entry = self.chains.append(
            village=village,
            kind=session.logbook_kind,
            title=services._entry_title(session, films),
            body=summary(session, films, rows, tasks, speakers),
            occurred_at=held_at,
            received_at=now,
            author=author,
            source=session,
        )
        session.entry = entry
        self.sessions.append(session)
        self.attendance += rows
        self.tasks += tasks
        self.links["films"] += [(session.pk, f.pk) for f in films]
        self.links["speakers"] += [(session.pk, m.pk) for m in speakers]
        self.rows[session.pk] = rows
        self.held[session.pk] = session
        return session

    # -- writing ---------------------------------------------------------------------------------

    def flush(self) -> int:
        """Write what is pending: entries, sessions, attendance, films and speakers, tasks."""
        n = len(self.sessions)
        self.chains.flush()
        bulk.create(ViewingSession, self.sessions)
        bulk.create(Attendance, self.attendance)
        for name, pairs in self.links.items():
            through, left, right = _through(name)
            bulk.insert(through, [through(**{left: s, right: o}) for s, o in pairs])
        bulk.create(PracticeTask, self.tasks)
        self.sessions, self.attendance, self.tasks = [], [], []
        self.links = {"films": [], "speakers": []}
        self.written += n
        return n


def summary(session, films, rows, tasks, speakers) -> dict:
    """`teaching.services.session_summary(session)`, from the rows in memory (no guests in the
    demo history): sorted as the service reads them, then its own `session_summary_from_rows`.
    Called in the record language."""
    return services.session_summary_from_rows(
        session,
        rows=sorted(rows, key=lambda r: (r.member.name_pinyin, r.member_id)),
        films=films,
        guests=[],
        tasks=sorted(tasks, key=lambda t: t.due_on),
        speakers=speakers,
    )
