"""Writes of viewing sessions, practice outcomes and monthly feedback.

The record-a-session page, the offline sync (a JSON endpoint, later) and the demo all call these
functions, so each rule lives here once:

- `session_record` writes the session, one attendance row per expected member, guests, the
  four-ring record, and the village's logbook entry (kind SESSION / MAKEUP / PASTORAL) in one
  transaction. The logbook's own refusals (R10: the same day, unless the station granted a
  late-entry exception; nothing in the future) therefore refuse the whole session: there is
  never a session without its entry, nor an entry without its session.
- Later changes (`practice_record_outcome`, `session_correct`) update the session's rows and
  append a correction entry (corrects = the session's entry, with a reason): the rows hold the
  current state, the logbook the history.
- A client-made id makes a submission idempotent (ODK Central's rule): the same content again
  returns the stored session, different content raises `SessionConflictError` (HTTP 409).

Inputs are plain values so the sync can pass decoded JSON: films as Film objects or ids, the
attendance as {member_id: (status, excuse_reason[, makes_up_for])}, guests as (name, note) pairs
or {"name", "note"} dicts, the four-ring record as a dict (see `inputs.four_ring_input`, where all of them are read).
"""

import datetime as dt
import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dianjiao.accounts.scope import require_station, require_village_writer
from dianjiao.films.models import Film
from dianjiao.lib import dates
from dianjiao.lib.dates import cn_date
from dianjiao.lib.i18n import in_record_language
from dianjiao.logbook.services import (
    CLOCK_TOLERANCE,
    ConflictError,
    entry_append,
    hidden_conflict_message,
    visible_or_none,
)
from dianjiao.members.models import Member, on_roster_between
from dianjiao.orgs.models import Village

from . import rollups, selectors
from .inputs import (
    FourRingInput,
    attendance_input,
    aware,
    clean_text,
    four_ring_input,
    guests_input,
    parse_datetime,
    parse_uuid,
    pk_of,
    task_input,
)
from .models import Attendance, Guest, MonthlyFeedback, PracticeTask, ViewingSession

Kind = ViewingSession.Kind
Status = Attendance.Status

FEEDBACK_DAYS_BEFORE_END = selectors.FEEDBACK_DAYS_BEFORE_END
feedback_opens_on = selectors.feedback_opens_on


def preparation_rule() -> str:
    return _("重点片须先备课：请填写播前备课内容和备课时间")


class SessionConflictError(ConflictError):
    """A replay of a session's client-made id with different content. `session` is None when the
    id is taken where the author may not look (see ConflictError): nothing about it is said."""

    def __init__(self, session: ViewingSession | None):
        self.session = session
        self.entry = session.entry if session is not None else None
        if session is None:
            Exception.__init__(self, hidden_conflict_message())
        else:
            Exception.__init__(self, _("该记录已被他人修改/已存在，请刷新后核对"))


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _name_list(names: Iterable[str]) -> str:
    return _("、").join(names)


def _lock_village(village) -> None:
    """Serialise writes in one village (version numbers, replays). SQLite: BEGIN IMMEDIATE
    already holds the single write lock (see settings); PostgreSQL: a row lock on the village."""
    if connection.vendor != "sqlite":
        Village.objects.select_for_update().filter(pk=village.pk).values_list("pk").get()


def _hash(data) -> str:
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def _iso(value):
    return (
        value.astimezone(dt.UTC).isoformat()
        if aware(value)
        else (None if value is None else str(value))
    )


def _submission_hash(
    *,
    author,
    village,
    point,
    held_at,
    kind,
    film_ids,
    duration_minutes,
    attendance,
    guests,
    four_ring: FourRingInput,
    notes,
    captured_at,
    teaching_minutes=0,
) -> str:
    """What a client sent, canonically: the part a replay of the same id must repeat exactly."""
    # Teaching minutes join the hash only when given, so submissions without them hash as before.
    teaching = {"teaching": teaching_minutes} if teaching_minutes else {}
    return _hash(
        {
            **teaching,
            "author": author.pk,
            "village": village.pk,
            "point": pk_of(point),
            "held_at": _iso(held_at),
            "kind": kind,
            "films": sorted(str(f) for f in film_ids),
            "duration": duration_minutes,
            "attendance": sorted(
                [str(k), v.status, v.reason, v.makes_up_for] for k, v in attendance.items()
            ),
            "guests": guests,
            "notes": clean_text(notes),
            "captured_at": _iso(captured_at),
            "four_ring": {
                **{
                    k: getattr(four_ring, k)
                    for k in ("preparation", "prompts", "record_notes", "discussion", "speakers")
                },
                "prepared_at": _iso(four_ring.prepared_at),
                "practice": [
                    [t.member, t.group, t.task, str(t.due_on)] for t in four_ring.practice
                ],
            },
        }
    )


# ---------------------------------------------------------------------------------------------
# Recording a session
# ---------------------------------------------------------------------------------------------


@in_record_language
def session_record(
    *,
    author,
    village,
    point,
    held_at: dt.datetime,
    kind: str,
    films: Iterable,
    duration_minutes: int,
    attendance: Mapping,
    guests: Iterable = (),
    four_ring: Mapping | None = None,
    notes: str = "",
    client_id: uuid.UUID | None = None,
    captured_at: dt.datetime | None = None,
    teaching_minutes: int = 0,
    campaign: Mapping | None = None,
) -> ViewingSession:
    """Record one viewing session and its logbook entry; return it (or the stored one, for a replay).

    `campaign` ({"id", "name", "starts_on"}) names the mobile-teaching campaign at whose camp the
    session was captured (the API finds it): the logbook entry keeps it, so a capture time before
    the campaign began is marked for the station's review (LogbookEntry.capture_doubts).

    Raises ValidationError (Chinese messages keyed by field: held_at, point, films, kind,
    duration_minutes, attendance, guests, preparation, prepared_at, speakers, practice),
    PermissionDenied, or SessionConflictError.
    """
    client_id = parse_uuid(client_id)
    film_ids = [pk_of(f) for f in films or ()]
    att = attendance_input(attendance)
    guest_rows = guests_input(guests)
    fr = four_ring_input(four_ring)
    submission = _submission_hash(
        author=author,
        village=village,
        point=point,
        held_at=held_at,
        kind=kind,
        film_ids=film_ids,
        duration_minutes=duration_minutes,
        attendance=att,
        guests=guest_rows,
        four_ring=fr,
        notes=notes,
        captured_at=captured_at,
        teaching_minutes=teaching_minutes,
    )
    try:
        with transaction.atomic():
            require_village_writer(author, village, denied=_("没有在该村登记播放收看的权限"))
            _lock_village(village)
            if client_id is not None:
                existing = (
                    ViewingSession.objects.select_related("entry").filter(pk=client_id).first()
                )
                if existing is not None:
                    return _replay(existing, submission, author)
            return _record(
                author=author,
                village=village,
                point=point,
                held_at=held_at,
                kind=kind,
                film_ids=film_ids,
                duration_minutes=duration_minutes,
                att=att,
                guest_rows=guest_rows,
                fr=fr,
                notes=clean_text(notes),
                client_id=client_id,
                captured_at=captured_at,
                submission=submission,
                teaching_minutes=teaching_minutes,
                campaign=campaign,
            )
    except IntegrityError:
        # Two phones replaying one id at the same moment on PostgreSQL: the second insert waits
        # for the first transaction and then fails on the primary key. Answer it as a replay.
        existing = (
            ViewingSession.objects.select_related("entry").filter(pk=client_id).first()
            if client_id
            else None
        )
        if existing is None:
            raise
        return _replay(existing, submission, author)


def _replay(existing: ViewingSession, submission: str, author) -> ViewingSession:
    if existing.submission_hash != submission:
        # Another village's session answers like any conflict, without saying it exists.
        raise SessionConflictError(visible_or_none(ViewingSession.objects, existing, author))
    return existing


@dataclass
class _Checked:
    films: list
    members: dict
    expected_ids: set
    is_key: bool


def _check(
    *,
    village,
    point,
    held_at,
    kind,
    film_ids,
    duration_minutes,
    att,
    guest_rows,
    fr,
    captured_at,
    teaching_minutes=0,
) -> _Checked:
    """Every refusal that needs no logbook, gathered so the form shows them all at once."""
    errors: dict[str, list[str]] = defaultdict(list)
    now = dates.now()
    if kind not in Kind.values:
        errors["kind"].append(_("请选择收看类别"))
    if point is None:
        errors["point"].append(_("请选择播放点"))
    elif point.village_id != village.pk:
        errors["point"].append(
            _("播放点“%(point)s”不属于%(village)s") % {"point": point.name, "village": village.name}
        )
    elif not point.active:
        errors["point"].append(_("播放点“%(point)s”已停用") % {"point": point.name})
    if not aware(held_at):
        errors["held_at"].append(_("请填写收看时间"))
    elif held_at > now + CLOCK_TOLERANCE:
        errors["held_at"].append(_("收看时间不能晚于现在：只能登记已经举行的收看"))
    if captured_at is not None and not aware(captured_at):
        errors["captured_at"].append(_("录入时间必须是带时区的日期时间"))
    if not isinstance(duration_minutes, int) or not 1 <= duration_minutes <= 24 * 60:
        errors["duration_minutes"].append(_("时长应在1到1440分钟之间"))
    elif not isinstance(teaching_minutes, int) or not 0 <= teaching_minutes <= duration_minutes:
        errors["teaching_minutes"].append(_("授课时间应在0分钟到总时长之间"))

    films = list(Film.objects.filter(pk__in=film_ids, township_id=village.township_id))
    if not film_ids:
        errors["films"].append(_("请至少选择一部影片"))
    elif len(films) != len(set(film_ids)):
        errors["films"].append(_("所选影片不在本乡的片库中"))
    is_key = kind == Kind.KEY_FILM or any(f.is_key_film for f in films)

    # Attendance: members of this village only; every expected member accounted for.
    wanted = set(att) | set(fr.speakers) | {t.member for t in fr.practice if t.member}
    members = Member.objects.select_related("village").in_bulk(wanted)
    for member_id in sorted(wanted - members.keys()):
        errors["attendance"].append(_("找不到编号为 %(id)s 的党员") % {"id": member_id})
    for m in members.values():
        if m.village_id != village.pk:
            errors["attendance"].append(_("%(name)s 不是本村党员") % {"name": m.name})
        elif m.pk in att and not m.active:
            errors["attendance"].append(_("%(name)s 已离册，不能登记出勤") % {"name": m.name})
    if kind == Kind.MAKEUP:
        expected_ids = set(att)  # a make-up expects those invited to make up
    elif point is not None and point.village_id == village.pk:
        # Expected: the point's active members who were members, and on the roster, on the day
        # (a late-recorded session does not expect someone who joined the party or was
        # registered afterwards).
        day = timezone.localtime(held_at).date() if aware(held_at) else dates.today()
        expected_ids = set(
            Member.objects.filter(
                point=point, active=True, joined_on__lte=day, on_roster_since__lte=day
            ).values_list("pk", flat=True)
        )
        missing = Member.objects.filter(pk__in=expected_ids - set(att)).order_by("name_pinyin")
        if missing:
            errors["attendance"].append(
                _(
                    "以下应到党员还没有登记到场、请假或缺席：%(names)s（名单可能刚有变动，请刷新后核对）"
                )
                % {"names": _name_list(m.name for m in missing)}
            )
    else:
        expected_ids = set()
    for member_id, a in att.items():
        name = members[member_id].name if member_id in members else str(member_id)
        if a.status not in Status.values:
            errors["attendance"].append(_("%(name)s 的出勤情况无效") % {"name": name})
        elif a.status == Status.EXCUSED and not a.reason:
            errors["attendance"].append(_("%(name)s 请假须选择原因") % {"name": name})
        elif a.reason and a.reason not in Attendance.Reason.values:
            errors["attendance"].append(_("%(name)s 的请假原因无效") % {"name": name})
        elif a.reason and a.status != Status.EXCUSED:
            errors["attendance"].append(_("%(name)s 不是请假，不填请假原因") % {"name": name})
    _check_makeups(errors, village=village, held_at=held_at, kind=kind, att=att, members=members)
    present = {k for k, a in att.items() if a.status == Status.PRESENT}
    if not present and not guest_rows:
        errors["attendance"].append(_("没有任何人到场，不能登记为一场收看"))
    for name, _note in guest_rows:
        if not name:
            errors["guests"].append(_("列席人员须填写姓名"))
        elif len(name) > 50:
            errors["guests"].append(_("列席人员姓名不能超过50字"))

    # The four-ring record: preparation is the one step refused outright for a key film,
    # because it cannot be made up afterwards; the rest show as 四环不完整 until corrected.
    if fr.prepared_at is not None and not aware(fr.prepared_at):
        errors["prepared_at"].append(_("请填写备课时间"))
    elif is_key and not (fr.preparation and fr.prepared_at):
        errors["preparation"].append(preparation_rule())
    elif fr.prepared_at and aware(held_at) and fr.prepared_at >= held_at:
        errors["prepared_at"].append(_("备课时间必须早于播放时间（播前有备课）"))
    for member_id in fr.speakers:
        if member_id in members and member_id not in present:
            errors["speakers"].append(
                _("%(name)s 没有到场，不能记为讨论发言人") % {"name": members[member_id].name}
            )
    for t in fr.practice:
        if bool(t.member) == bool(t.group):
            errors["practice"].append(_("实践任务须落实到一名党员或一个小组（二选一）"))
        if not t.task:
            errors["practice"].append(_("请填写实践任务的内容"))
        if t.due_on is None:
            errors["practice"].append(_("请填写实践任务的完成期限"))
        elif aware(held_at) and t.due_on < timezone.localtime(held_at).date():
            errors["practice"].append(_("完成期限不能早于收看日期"))
    if errors:
        raise ValidationError({k: list(dict.fromkeys(v)) for k, v in errors.items()})
    return _Checked(films=films, members=members, expected_ids=expected_ids, is_key=is_key)


def _check_makeups(errors, *, village, held_at, kind, att, members) -> None:
    """A present make-up names the earlier session of this village the member missed, once."""
    targets = {a.makes_up_for for a in att.values() if a.makes_up_for}
    if kind != Kind.MAKEUP:
        if targets:
            errors["attendance"].append(_("只有补看才关联被补看的场次"))
        return
    for member_id, a in att.items():
        if a.status == Status.PRESENT and not a.makes_up_for and member_id in members:
            errors["attendance"].append(
                _("%(name)s 补看须选择补的是哪一场") % {"name": members[member_id].name}
            )
    if not targets:
        return
    try:
        sessions = ViewingSession.objects.in_bulk([uuid.UUID(t) for t in targets])
    except ValueError:
        errors["attendance"].append(_("被补看的场次编号无效"))
        return
    missed = {
        (str(s), m)
        for s, m in Attendance.objects.filter(
            session__in=sessions.values(),
            member__in=att.keys(),
        )
        .exclude(status=Status.PRESENT)
        .values_list("session_id", "member_id")
    }
    done = {
        (str(s), m)
        for s, m in Attendance.objects.filter(
            makes_up_for__in=sessions.values(),
            member__in=att.keys(),
            status=Status.PRESENT,
        ).values_list("makes_up_for_id", "member_id")
    }
    for member_id, a in att.items():
        if not a.makes_up_for or member_id not in members:
            continue
        name, target = members[member_id].name, sessions.get(uuid.UUID(a.makes_up_for))
        if target is None or target.village_id != village.pk:
            errors["attendance"].append(_("%(name)s 补看的场次不是本村的收看") % {"name": name})
        elif target.kind not in ViewingSession.COUNTED_KINDS:
            errors["attendance"].append(
                _("%(name)s：只能补看月度、重点片或牧区流动教学的场次") % {"name": name}
            )
        elif aware(held_at) and target.held_at >= held_at:
            errors["attendance"].append(_("%(name)s：补看须在被补的场次之后") % {"name": name})
        elif (a.makes_up_for, member_id) not in missed:
            errors["attendance"].append(
                _("%(name)s 没有缺席%(day)s的收看，无须补看")
                % {"name": name, "day": cn_date(timezone.localtime(target.held_at).date())}
            )
        elif a.status == Status.PRESENT and (a.makes_up_for, member_id) in done:
            errors["attendance"].append(
                _("%(name)s 已经补看过%(day)s的收看")
                % {"name": name, "day": cn_date(timezone.localtime(target.held_at).date())}
            )


def _record(
    *,
    author,
    village,
    point,
    held_at,
    kind,
    film_ids,
    duration_minutes,
    att,
    guest_rows,
    fr,
    notes,
    client_id,
    captured_at,
    submission,
    teaching_minutes=0,
    campaign=None,
) -> ViewingSession:
    checked = _check(
        village=village,
        point=point,
        held_at=held_at,
        kind=kind,
        film_ids=film_ids,
        duration_minutes=duration_minutes,
        att=att,
        guest_rows=guest_rows,
        fr=fr,
        captured_at=captured_at,
        teaching_minutes=teaching_minutes,
    )
    session = ViewingSession(
        id=client_id or uuid.uuid4(),
        village=village,
        point=point,
        held_at=held_at,
        duration_minutes=duration_minutes,
        teaching_minutes=teaching_minutes,
        kind=kind,
        operator=author,
        captured_at=captured_at,
        received_at=dates.now(),
        notes=notes,
        submission_hash=submission,
        preparation=fr.preparation,
        prepared_at=fr.prepared_at,
        prompts=fr.prompts,
        record_notes=fr.record_notes,
        discussion=fr.discussion,
        key_session=checked.is_key,
    )
    session.full_clean(validate_unique=False)
    session.save(force_insert=True)
    session.films.set(checked.films)
    # One save per row rather than bulk_create: the audit trail hears of each through post_save.
    for member_id, a in sorted(att.items()):
        row = Attendance(
            session=session,
            member=checked.members[member_id],
            expected=member_id in checked.expected_ids,
            status=a.status,
            excuse_reason=a.reason,
            makes_up_for_id=uuid.UUID(a.makes_up_for) if a.makes_up_for else None,
        )
        row.full_clean(
            exclude=["session", "member", "makes_up_for"],
            validate_unique=False,
            validate_constraints=False,
        )
        row.save()
    for name, note in guest_rows:
        Guest(session=session, name=name, note=note).save()
    session.speakers.set(fr.speakers)
    for t in fr.practice:
        task = PracticeTask(
            session=session, member_id=t.member, group_name=t.group, task=t.task, due_on=t.due_on
        )
        task.full_clean(exclude=["session", "member"])
        task.save()
    rollups.refresh_session(session, {checked.members[m].village_id for m in att})

    try:
        entry = entry_append(
            village=village,
            kind=session.logbook_kind,
            title=_entry_title(session, checked.films),
            body={**session_summary(session), **({"campaign": dict(campaign)} if campaign else {})},
            occurred_at=held_at,
            author=author,
            captured_at=captured_at,
            source=session,
        )
    except ValidationError as exc:
        # The logbook's refusals name its own fields; the session's form knows them as these.
        names = {"occurred_at": "held_at", "captured_at": "captured_at"}
        raise ValidationError(
            {names.get(k, "__all__"): v for k, v in exc.message_dict.items()}
        ) from None
    session.entry = entry
    session.save(update_fields=["entry"])
    return session


def _entry_title(session, films) -> str:
    titles = "".join(f"《{f.title}》" for f in films)
    return f"{session.get_kind_display()}：{titles}"[:200]


def session_summary(session: ViewingSession) -> dict:
    """The canonical content of a session for its logbook entry: what was shown, to whom, who
    came and who did not (by name), and the four-ring record. `text` is the line the book prints."""
    rows = list(
        session.attendances.select_related("member", "makes_up_for").order_by(
            "member__name_pinyin", "pk"
        )
    )
    films = list(session.films.all())
    guests = list(session.guests.all())
    tasks = list(session.practice_tasks.select_related("member"))
    speakers = list(session.speakers.order_by("name_pinyin"))
    return session_summary_from_rows(
        session, rows=rows, films=films, guests=guests, tasks=tasks, speakers=speakers
    )


def session_summary_from_rows(session, *, rows, films, guests, tasks, speakers) -> dict:
    """`session_summary`'s dict from the session's records already read (no query but
    `session.point` when it is not loaded), each list in
    the order the summary shows it: `rows`, its attendance rows (members loaded) by the members'
    pinyin; `films`; `guests`; `tasks`, its practice tasks by due date; `speakers`, the members
    who spoke, by pinyin. The text is in the active language."""
    expected = [r for r in rows if r.expected]
    present = [r for r in expected if r.status == Status.PRESENT]
    excused = [r for r in expected if r.status == Status.EXCUSED]
    absent = [r for r in expected if r.status == Status.ABSENT]
    extra = [r for r in rows if not r.expected and r.status == Status.PRESENT]
    pct = f"{100 * len(present) / len(expected):.1f}%" if expected else "—"
    text = [
        _(
            "%(point)s播放%(films)s，时长%(min)s分钟。应到%(n)s人，实到%(p)s人，到课率%(pct)s（实到÷应到）。"
        )
        % {
            "point": session.point.name,
            "films": "".join(f"《{f.title}》" for f in films),
            "min": session.duration_minutes,
            "n": len(expected),
            "p": len(present),
            "pct": pct,
        }
    ]
    if excused:
        text.append(
            _("请假：%(names)s。")
            % {
                "names": _name_list(
                    f"{r.member.name}（{r.get_excuse_reason_display()}）" for r in excused
                )
            }
        )
    if absent:
        text.append(_("缺席：%(names)s。") % {"names": _name_list(r.member.name for r in absent)})
    if extra:
        text.append(
            _("非本点党员到场：%(names)s。") % {"names": _name_list(r.member.name for r in extra)}
        )
    if guests:
        text.append(_("列席%(n)s人。") % {"n": len(guests)})
    return {
        "session_id": str(session.pk),
        "kind": session.kind,
        "point": {"id": session.point_id, "name": session.point.name},
        "held_at": session.held_at,
        "duration_minutes": session.duration_minutes,
        "films": [{"id": f.pk, "title": f.title, "key": f.is_key_film} for f in films],
        "expected": len(expected),
        "present": len(present),
        "attendance": [
            {
                "member_id": r.member_id,
                "name": r.member.name,
                "expected": r.expected,
                "status": r.status,
                "reason": r.excuse_reason,
                "makes_up_for": str(r.makes_up_for_id) if r.makes_up_for_id else None,
            }
            for r in rows
        ],
        "guests": [{"name": g.name, "note": g.note} for g in guests],
        "four_ring": {
            "preparation": session.preparation,
            "prepared_at": session.prepared_at,
            "prompts": session.prompts,
            "record_notes": session.record_notes,
            "discussion": session.discussion,
            "speakers": [{"member_id": m.pk, "name": m.name} for m in speakers],
            "practice": [
                {"who": t.who, "task": t.task, "due_on": t.due_on, "outcome": t.outcome}
                for t in tasks
            ],
        }
        if (session.is_key or session.preparation or session.prompts or session.discussion or tasks)
        else None,
        "notes": session.notes,
        "text": "".join(text),
        # Only when there was teaching, so the entries of other sessions read as before.
        **({"teaching_minutes": session.teaching_minutes} if session.teaching_minutes else {}),
    }


# ---------------------------------------------------------------------------------------------
# Later changes: each leaves a correction entry in the logbook
# ---------------------------------------------------------------------------------------------


def _append_correction(*, session, author, reason: str, title: str, changes: dict, text: str):
    return entry_append(
        village=session.village,
        kind=session.logbook_kind,
        title=title[:200],
        body={"session_id": str(session.pk), "changes": changes, "text": text},
        occurred_at=dates.now(),
        author=author,
        corrects=session.entry,
        reason=reason,
        source=session,
    )


@in_record_language
def practice_record_outcome(
    *, author, session: ViewingSession, outcomes: Mapping[int, str], reason: str = ""
) -> list[PracticeTask]:
    """Record what came of the practice tasks (学过有实践) after the showing: {task id: outcome}.

    Blank outcomes are left as they were. One correction entry in the logbook covers them all."""
    require_village_writer(author, session.village, denied=_("没有修改该场播放收看的权限"))
    with transaction.atomic():
        _lock_village(session.village)
        tasks = {
            t.pk: t
            for t in session.practice_tasks.select_related("member").filter(pk__in=list(outcomes))
        }
        unknown = set(map(int, outcomes)) - tasks.keys()
        if unknown:
            raise ValidationError(
                {"__all__": _("不是本场的实践任务：%(ids)s") % {"ids": sorted(unknown)}}
            )
        now, changed, lines = dates.now(), {}, []
        for task_id, outcome in outcomes.items():
            task, outcome = tasks[int(task_id)], clean_text(outcome)
            if not outcome or outcome == task.outcome:
                continue
            changed[str(task.pk)] = {
                "who": task.who,
                "task": task.task,
                "from": task.outcome,
                "to": outcome,
            }
            lines.append(f"{task.who}：{outcome}")
            task.outcome, task.outcome_recorded_at = outcome, now
            task.full_clean(exclude=["session", "member"])
            task.save()
        if not changed:
            raise ValidationError({"__all__": _("请至少填写一项新的实践成效")})
        _append_correction(
            session=session,
            author=author,
            reason=clean_text(reason) or _("记录实践成效（学过有实践）"),
            title=_("实践成效：%(session)s")
            % {"session": _entry_title(session, session.films.all())},
            changes={"practice": changed},
            text="；".join(lines),
        )
    return [tasks[int(k)] for k in changed]


TEXT_PARTS = ("preparation", "prompts", "record_notes", "discussion", "notes")


@in_record_language
def session_correct(
    *,
    author,
    session: ViewingSession,
    reason: str,
    four_ring: Mapping | None = None,
    notes: str | None = None,
    attendance: Mapping | None = None,
) -> ViewingSession:
    """Correct a recorded session (a wrong status, a four-ring step written down afterwards…),
    with a reason. Only the keys given change; `four_ring["practice"]` adds tasks. The session
    rows take the corrected values; the logbook keeps the original entry and adds the correction."""
    require_village_writer(author, session.village, denied=_("没有修改该场播放收看的权限"))
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("更正须说明原因")})
    with transaction.atomic():
        _lock_village(session.village)
        session = ViewingSession.objects.select_related("village", "point", "entry").get(
            pk=session.pk
        )
        fr = dict(four_ring or {})
        given = {k: clean_text(fr[k]) for k in TEXT_PARTS if k in fr}
        if notes is not None:
            given["notes"] = clean_text(notes)
        changes: dict = {}
        for name, value in given.items():
            if getattr(session, name) != value:
                changes[name] = {"from": getattr(session, name), "to": value}
                setattr(session, name, value)
        if "prepared_at" in fr:
            try:
                fr["prepared_at"] = parse_datetime(fr["prepared_at"])
            except (TypeError, ValueError):
                raise ValidationError({"prepared_at": _("请填写备课时间")}) from None
        if "prepared_at" in fr and fr["prepared_at"] != session.prepared_at:
            changes["prepared_at"] = {"from": session.prepared_at, "to": fr["prepared_at"]}
            session.prepared_at = fr["prepared_at"]
        errors: dict[str, list[str]] = defaultdict(list)
        rows = {r.member_id: r for r in session.attendances.select_related("member")}
        if attendance:
            for member_id, a in attendance_input(attendance).items():
                row = rows.get(member_id)
                if row is None:
                    member = Member.objects.filter(pk=member_id).first()
                    errors["attendance"].append(
                        _("%(name)s 不是本村党员") % {"name": member.name}
                        if member and member.village_id != session.village_id
                        else _("%(name)s 不在本场的名单上")
                        % {"name": member.name if member else member_id}
                    )
                    continue
                if (row.status, row.excuse_reason) == (a.status, a.reason):
                    continue
                if (
                    a.status not in Status.values
                    or (a.status == Status.EXCUSED) != bool(a.reason)
                    or (a.reason and a.reason not in Attendance.Reason.values)
                ):
                    errors["attendance"].append(
                        _("%(name)s 的出勤或请假原因无效") % {"name": row.member.name}
                    )
                    continue
                changes.setdefault("attendance", {})[str(member_id)] = {
                    "name": row.member.name,
                    "from": [row.status, row.excuse_reason],
                    "to": [a.status, a.reason],
                }
                row.status, row.excuse_reason = a.status, a.reason
        present = {m for m, r in rows.items() if r.status == Status.PRESENT}
        old_speakers = sorted(session.speakers.values_list("pk", flat=True))
        speakers = (
            sorted({int(pk_of(m)) for m in fr["speakers"] or ()}) if "speakers" in fr else None
        )
        if speakers is not None and speakers != old_speakers:
            changes["speakers"] = {"from": old_speakers, "to": speakers}
        # Whoever is (still) recorded as a speaker must be (still) present.
        absent_speakers = set(old_speakers if speakers is None else speakers) - present
        if absent_speakers:
            names = {m.pk: m.name for m in Member.objects.filter(pk__in=absent_speakers)}
            for member_id in sorted(absent_speakers):
                errors["speakers"].append(
                    _("%(name)s 没有到场，不能记为讨论发言人")
                    % {"name": names.get(member_id, member_id)}
                )
        new_tasks = [
            t
            for t in (task_input(t) for t in fr.get("practice") or ())
            if t.member or t.group or t.task
        ]
        for t in new_tasks:
            if bool(t.member) == bool(t.group) or not t.task or t.due_on is None:
                errors["practice"].append(
                    _("实践任务须写明任务、完成期限，并落实到一名党员或一个小组")
                )
            elif t.member and t.member not in rows:
                errors["practice"].append(_("实践任务只能落实到本场名单上的党员"))
        if new_tasks:
            changes["practice_added"] = [
                {"member": t.member, "group": t.group, "task": t.task, "due_on": t.due_on}
                for t in new_tasks
            ]
        if session.prepared_at is not None and not aware(session.prepared_at):
            errors["prepared_at"].append(_("请填写备课时间"))
        elif session.is_key and not (session.preparation and session.prepared_at):
            errors["preparation"].append(preparation_rule())
        elif session.prepared_at is not None and session.prepared_at >= session.held_at:
            errors["prepared_at"].append(_("备课时间必须早于播放时间（播前有备课）"))
        if errors:
            raise ValidationError({k: list(dict.fromkeys(v)) for k, v in errors.items()})
        if not changes:
            raise ValidationError({"__all__": _("没有任何改动")})

        session.full_clean(validate_unique=False)
        session.save()
        for member_id in changes.get("attendance", {}):
            rows[int(member_id)].save()
        if "attendance" in changes:
            rollups.refresh_session(
                session, {rows[int(m)].member.village_id for m in changes["attendance"]}
            )
        if speakers is not None:
            session.speakers.set(speakers)
        for t in new_tasks:
            task = PracticeTask(
                session=session,
                member_id=t.member,
                group_name=t.group,
                task=t.task,
                due_on=t.due_on,
            )
            task.full_clean(exclude=["session", "member"])
            task.save()
        _append_correction(
            session=session,
            author=author,
            reason=reason,
            title=_("更正：%(session)s") % {"session": _entry_title(session, session.films.all())},
            changes=changes,
            text=_("更正了：%(parts)s")
            % {"parts": _("、").join(str(_CHANGE_LABELS.get(k, k)) for k in changes)},
        )
    return session


_CHANGE_LABELS = {
    "preparation": gettext_lazy("播前备课"),
    "prepared_at": gettext_lazy("备课时间"),
    "prompts": gettext_lazy("播中提示"),
    "record_notes": gettext_lazy("收看记录"),
    "discussion": gettext_lazy("讨论情况"),
    "notes": gettext_lazy("备注"),
    "attendance": gettext_lazy("出勤"),
    "speakers": gettext_lazy("发言党员"),
    "practice_added": gettext_lazy("实践任务"),
}


# ---------------------------------------------------------------------------------------------
# Monthly feedback (R8)
# ---------------------------------------------------------------------------------------------


@in_record_language
def feedback_send(*, author, village, year: int, month: int, note: str = "") -> MonthlyFeedback:
    """Send `village`'s viewings of `year`-`month` to the station. The summary is computed from the
    records now. Allowed from the month's last FEEDBACK_DAYS_BEFORE_END days on (after the month
    it is still accepted, and marked late); sending again makes the next version."""
    require_village_writer(author, village, denied=_("没有在该村登记播放收看的权限"))
    if not (
        isinstance(year, int)
        and isinstance(month, int)
        and 1 <= month <= 12
        and 2000 <= year <= 2100
    ):
        raise ValidationError({"month": _("月份无效")})
    opens = feedback_opens_on(year, month)
    if dates.today() < opens:
        raise ValidationError(
            {
                "month": _(
                    "%(year)s年%(month)s月的收看情况从%(day)s起才能报送（当月最后%(n)s天或月末以后）"
                )
                % {
                    "year": year,
                    "month": month,
                    "day": cn_date(opens),
                    "n": FEEDBACK_DAYS_BEFORE_END,
                }
            }
        )
    with transaction.atomic():
        _lock_village(village)
        last = (
            MonthlyFeedback.objects.filter(village=village, year=year, month=month)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        feedback = MonthlyFeedback(
            village=village,
            year=year,
            month=month,
            version=(last or 0) + 1,
            summary=selectors.month_summary(village, year, month),
            note=clean_text(note),
            sent_by=author,
            sent_at=dates.now(),
        )
        feedback.full_clean(validate_unique=False)
        feedback.save()
    return feedback


# ---------------------------------------------------------------------------------------------
# Guests matched to the roster (R13: herders recorded by name at a camp)
# ---------------------------------------------------------------------------------------------


@in_record_language
def guest_match(*, user, guest: Guest, member: Member, note: str = "") -> Attendance:
    """The station recognises a guest of a session as `member` of its township's roster: the
    member is recorded present at that session (not expected there), so the viewing counts in
    their learning record and the coverage; the guest keeps its name and now points to them.
    The session's logbook gets a correction entry saying so. Station of the session's township
    only; a guest is matched once."""
    with transaction.atomic():
        # Locked alone (PostgreSQL locks no outer-joined rows); its session read after.
        guest = Guest.objects.select_for_update().get(pk=guest.pk)
        session = ViewingSession.objects.select_related("village", "entry").get(pk=guest.session_id)
        require_station(user, session.township_id)
        _lock_village(session.village)
        if guest.member_id is not None:
            raise ValidationError(
                {"member": _("该列席人员已认定为%(name)s") % {"name": guest.member.name}}
            )
        member = (
            Member.objects.filter(pk=member.pk, township_id=session.township_id)
            .filter(on_roster_between(session.held_at.date(), session.held_at.date()))
            .first()
        )
        if member is None:
            raise ValidationError({"member": _("请选择本乡在册的党员（收看当天在册）")})
        existing = session.attendances.filter(member=member).first()
        if existing is not None:
            raise ValidationError(
                {
                    "member": _("%(name)s已在本场出勤名单中（%(status)s），不能再认定")
                    % {"name": member.name, "status": existing.get_status_display()}
                }
            )
        attendance = Attendance(
            session=session, member=member, expected=False, status=Status.PRESENT
        )
        attendance.full_clean(exclude=["makes_up_for"])
        attendance.save()
        guest.member, guest.attendance = member, attendance
        guest.matched_by, guest.matched_at = user, dates.now()
        guest.save(update_fields=["member", "attendance", "matched_by", "matched_at"])
        rollups.refresh_session(session, {member.village_id})
        note = clean_text(note)
        text = _("列席人员“%(guest)s”认定为%(village)s党员%(name)s，计入其收看") % {
            "guest": guest.name,
            "village": member.village.name,
            "name": member.name,
        }
        if session.entry_id:
            _append_correction(
                session=session,
                author=user,
                reason=note or _("电教站认定列席人员"),
                title=_("列席人员认定：%(session)s") % {"session": str(session)},
                changes={
                    "guests": {
                        str(guest.pk): {"name": guest.name, "member": member.pk, "to": member.name}
                    }
                },
                text=text,
            )
    return attendance
