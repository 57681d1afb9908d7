"""Reads for the teaching pages and reports. Each runs a fixed number of queries, whatever the
number of members or sessions (pinned by assertNumQueries tests)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext

from dianjiao.films.models import Film
from dianjiao.lib.dates import (
    local_month,
    midnight,
    month_bounds,
    month_days,
    months_ended,
    months_label,
    year_bounds,
)
from dianjiao.lib.forms import trim_search
from dianjiao.members.models import Member, on_roster_between
from dianjiao.orgs.models import Village

from .models import Attendance, Guest, MonthlyFeedback, ViewingSession
from .plan import YEARLY_VIEWING_TARGET, prorated_target, viewing_target, viewing_targets

Status = Attendance.Status
COUNTED = ViewingSession.COUNTED_KINDS

# R8: each month's viewings are fed back to the station "within the month". Sending opens on the
# month's last FEEDBACK_DAYS_BEFORE_END days, so the month's last sessions can still be included,
# and stays open after the month ends; a feedback sent after its month is marked late (逾期).
FEEDBACK_DAYS_BEFORE_END = 5


def feedback_opens_on(year: int, month: int) -> dt.date:
    """The first day a month's feedback can be sent."""
    return month_days(year, month)[1] - dt.timedelta(days=FEEDBACK_DAYS_BEFORE_END - 1)


def default_feedback_month(today: dt.date) -> tuple[int, int]:
    """This month once its feedback window has opened, else last month."""
    if today >= feedback_opens_on(today.year, today.month):
        return today.year, today.month
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------


def session_list(
    user, *, q: str = "", village=None, month: tuple[int, int] | None = None, kind: str = ""
):
    """The sessions `user` sees, newest first; a page of them takes the list's figures with
    `with_figures` (FiguresPaginator's `figures`)."""
    sessions = ViewingSession.objects.visible_to(user)
    q = trim_search(q)
    if q:
        film_match = Film.sessions.through.objects.filter(
            viewingsession=OuterRef("pk"), film__title__contains=q
        )
        sessions = sessions.filter(Q(Exists(film_match)) | Q(point__name__contains=q))
    if village is not None:
        sessions = sessions.filter(village=village)
    if month:
        start, end = month_bounds(*month)
        sessions = sessions.filter(held_at__gte=start, held_at__lt=end)
    if kind:
        sessions = sessions.filter(kind=kind)
    return sessions.order_by("-held_at", "pk")


def expected_members(point):
    """Who is expected at a session at `point`: its active members, today."""
    return Member.objects.filter(point=point, active=True).order_by("name_pinyin", "pk")


def makeup_candidates(village, *, as_of: dt.date) -> list[tuple[Member, list[ViewingSession]]]:
    """Active members of `village` who missed a counted session in the past year and have not
    made it up yet, each with those sessions (oldest first). One query."""
    since = midnight(as_of - dt.timedelta(days=365))
    made_up = Attendance.objects.filter(
        member=OuterRef("member"),
        makes_up_for=OuterRef("session"),
        status=Status.PRESENT,
    )
    rows = (
        Attendance.objects.filter(
            session__village=village,
            session__kind__in=COUNTED,
            session__held_at__gte=since,
            member__active=True,
        )
        .exclude(status=Status.PRESENT)
        .filter(~Exists(made_up))
        .select_related("member", "session")
        .order_by("member__name_pinyin", "member_id", "session__held_at")
    )
    out: dict[int, tuple[Member, list]] = {}
    for row in rows:
        out.setdefault(row.member_id, (row.member, []))[1].append(row.session)
    return list(out.values())


# ---------------------------------------------------------------------------------------------
# A member's learning record (R6: one viewing a month, 12 a year)
# ---------------------------------------------------------------------------------------------


@dataclass
class LearningRecord:
    member: Member
    year: int
    target: int  # the yearly target, prorated by the months on the roster (plan.prorated_target)
    due_months: list[int]  # months that have ended while the member was on the roster
    attended: int = 0  # present at monthly / key-film / pastoral sessions (each one)
    made_up: int = 0  # present at a make-up of a session of this year they had missed
    months_attended: set = field(default_factory=set)
    months_made_up: set = field(default_factory=set)
    roster_months: list[int] = field(default_factory=lambda: list(range(1, 13)))

    @property
    def months_covered(self) -> list[int]:
        """Months with a viewing or a make-up: at most one counts per calendar month."""
        return sorted(self.months_attended | self.months_made_up)

    @property
    def covered(self) -> int:
        return len(self.months_covered)

    @property
    def missed_months(self) -> list[int]:
        covered = set(self.months_covered)
        return [m for m in self.due_months if m not in covered]

    @property
    def missed_label(self) -> str:
        return months_label(self.missed_months)

    @property
    def behind(self) -> bool:
        return self.covered < len(self.due_months)

    @property
    def remaining(self) -> int:
        return max(self.target - self.covered, 0)

    @property
    def part_year(self) -> bool:
        """On the roster for part of the year only: the target is prorated."""
        return len(self.roster_months) < 12

    @property
    def roster_note(self) -> str:
        """Why the target is less than the year's: "11月起在册", "6月离册", "3—6月在册"."""
        months = self.roster_months
        if not self.part_year or not months:
            return ""
        first, last = months[0], months[-1]
        if last == 12:
            return gettext("%(month)d月起在册") % {"month": first}
        if first == 1:
            return gettext("%(month)d月离册") % {"month": last}
        return gettext("%(first)d—%(last)d月在册") % {"first": first, "last": last}


def _due_months(member: Member, year: int, as_of: dt.date) -> list[int]:
    on_roster = set(member.months_on_roster(year))
    return [m for m in months_ended(year, as_of) if m in on_roster]


def learning_records(
    members, *, year: int, as_of: dt.date, targets: dict[int, int] | None = None
) -> list[LearningRecord]:
    """One record per member of `members` (a list) for `year`, from one query of attendance.
    `targets` maps a village id to its township's viewing target; without it, one more query
    reads the year's target (viewing_target)."""
    default = viewing_target(year) if targets is None else YEARLY_VIEWING_TARGET
    targets = targets or {}
    records = {}
    for m in members:
        roster_months = m.months_on_roster(year)
        records[m.pk] = LearningRecord(
            member=m,
            year=year,
            target=prorated_target(targets.get(m.village_id, default), len(roster_months)),
            due_months=_due_months(m, year, as_of),
            roster_months=roster_months,
        )
    if not records:
        return []
    start, end = year_bounds(year)
    rows = (
        Attendance.objects.filter(member_id__in=list(records), status=Status.PRESENT)
        .filter(
            Q(session__kind__in=COUNTED, session__held_at__gte=start, session__held_at__lt=end)
            | Q(
                session__kind=ViewingSession.Kind.MAKEUP,
                makes_up_for__held_at__gte=start,
                makes_up_for__held_at__lt=end,
            )
        )
        .values_list("member_id", "session__kind", "session__held_at", "makes_up_for__held_at")
    )
    for member_id, kind, held_at, made_up_for in rows:
        record = records[member_id]
        if kind == ViewingSession.Kind.MAKEUP:
            record.made_up += 1
            record.months_made_up.add(local_month(made_up_for)[1])
        else:
            record.attended += 1
            record.months_attended.add(local_month(held_at)[1])
    return list(records.values())


def _on_roster_in_year(year: int):
    return on_roster_between(dt.date(year, 1, 1), dt.date(year, 12, 31))


def village_learning(user, village, *, year: int, as_of: dt.date) -> list[LearningRecord]:
    """The learning record of every member on `village`'s roster in `year`, those who came or
    left during the year included with their prorated targets (three queries: members, the
    township's target, attendance)."""
    members = list(
        Member.objects.visible_to(user)
        .filter(_on_roster_in_year(year), village=village)
        .order_by("name_pinyin", "pk")
    )
    targets = {village.pk: viewing_target(year, village.township_id)}
    return learning_records(members, year=year, as_of=as_of, targets=targets)


@dataclass
class VillageBehind:
    village: Village
    members: int
    behind: list[LearningRecord]


def behind_target(user, *, year: int, as_of: dt.date, village=None) -> list[VillageBehind]:
    """Per village the user sees, the members whose covered months are fewer than the months
    ended so far while they were on the roster (four queries, whatever the number of villages
    and members). Members who left during the year are counted for their months on the roster."""
    villages = Village.objects.visible_to(user)
    if village is not None:
        villages = villages.filter(pk=village.pk)
    villages = list(villages)
    members = list(
        Member.objects.visible_to(user)
        .filter(_on_roster_in_year(year), village__in=villages)
        .order_by("name_pinyin", "pk")
    )
    by_village: dict[int, list[LearningRecord]] = {v.pk: [] for v in villages}
    counts = dict.fromkeys(by_village, 0)
    township_targets = viewing_targets(year, {v.township_id for v in villages}) if members else {}
    targets = {v.pk: township_targets[v.township_id] for v in villages} if members else {}
    for record in (
        learning_records(members, year=year, as_of=as_of, targets=targets) if members else []
    ):
        counts[record.member.village_id] += 1
        if record.behind:
            by_village[record.member.village_id].append(record)
    return [VillageBehind(v, counts[v.pk], by_village[v.pk]) for v in villages]


# ---------------------------------------------------------------------------------------------
# A village's month (R8 feedback)
# ---------------------------------------------------------------------------------------------


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def month_summary(village, year: int, month: int) -> dict:
    """What a village did in a month, from the records (four queries). JSON-ready: it is stored
    in the feedback as sent. Percentages are of the EXPECTED members (rate) and of the members
    on the roster (coverage), and say so."""
    start, end = month_bounds(year, month)
    sessions = list(
        ViewingSession.objects.filter(village=village, held_at__gte=start, held_at__lt=end)
        .with_figures()
        .order_by("held_at", "pk")
    )
    first, last = month_days(year, month)
    members = list(  # on the roster for at least a day of the month: the coverage's whole
        Member.objects.filter(on_roster_between(first, last), village=village)
        .exclude(joined_on__gt=last)
        .order_by("name_pinyin", "pk")
        .values_list("pk", "name")
    )
    covered = set(
        # The village's members who watched anywhere: at another village's showing too (a
        # herder at a pastoral point, a guest matched by the station).
        Attendance.objects.filter(member__village=village, status=Status.PRESENT)
        .filter(
            Q(session__kind__in=COUNTED, session__held_at__gte=start, session__held_at__lt=end)
            | Q(
                session__kind=ViewingSession.Kind.MAKEUP,
                makes_up_for__held_at__gte=start,
                makes_up_for__held_at__lt=end,
            )
        )
        .values_list("member_id", flat=True)
    )
    return month_summary_from_rows(sessions, members, covered, year=year, month=month)


def month_summary_from_rows(sessions, members, covered, *, year: int, month: int) -> dict:
    """`month_summary`'s dict from rows already read (no query): `sessions`, the village's
    sessions of the month in held order ("held_at", "pk"), each with the counts `with_figures()`
    annotates; `members`, (pk, name) of the members on the roster for at least a day of the
    month, in roster order; `covered`, the pks of the village's members present at a counted
    session of the month or at a make-up of one."""
    counted = [s for s in sessions if s.kind in COUNTED]
    key = [s for s in sessions if s.is_key]
    incomplete = [s for s in key if s.four_ring_missing]
    expected = sum(s.expected_count for s in counted)
    present = sum(s.present_expected_count for s in counted)
    by_kind = {}
    for s in sessions:
        by_kind[s.get_kind_display()] = by_kind.get(s.get_kind_display(), 0) + 1
    makeups = [s for s in sessions if s.kind == ViewingSession.Kind.MAKEUP]
    n_covered = sum(1 for pk, _name in members if pk in covered)
    return {
        "year": year,
        "month": month,
        "sessions": len(sessions),
        "by_kind": by_kind,
        "minutes": sum(s.duration_minutes for s in sessions),
        "key_sessions": len(key),
        "four_ring_complete": len(key) - len(incomplete),
        "four_ring_incomplete": [
            {
                "id": str(s.pk),
                "held_at": f"{timezone.localtime(s.held_at):%Y-%m-%d %H:%M}",
                "missing": s.four_ring_missing,
            }
            for s in incomplete
        ],
        "late_sessions": sum(1 for s in sessions if s.is_late),
        "expected": expected,
        "present": present,
        "attendance_pct": _pct(present, expected),
        "makeups": len(makeups),
        "makeup_present": sum(s.present_count for s in makeups),
        "members": len(members),
        "members_covered": n_covered,
        "coverage_pct": _pct(n_covered, len(members)),
        "uncovered": [name for pk, name in members if pk not in covered],
    }


@dataclass
class FeedbackStatus:
    village: Village
    latest: MonthlyFeedback | None
    versions: int


def feedback_status(user, *, year: int, month: int) -> list[FeedbackStatus]:
    """Every village the user sees, with its latest feedback for the month or none (two queries)."""
    villages = list(Village.objects.visible_to(user))
    latest: dict[int, MonthlyFeedback] = {}
    versions: dict[int, int] = {}
    for fb in (
        MonthlyFeedback.objects.visible_to(user)
        .filter(year=year, month=month)
        .select_related("sent_by")
        .order_by("version")
    ):
        latest[fb.village_id] = fb
        versions[fb.village_id] = versions.get(fb.village_id, 0) + 1
    return [FeedbackStatus(v, latest.get(v.pk), versions.get(v.pk, 0)) for v in villages]


def feedback_history(user, village):
    return (
        MonthlyFeedback.objects.visible_to(user)
        .filter(village=village)
        .select_related("sent_by")
        .order_by("-year", "-month", "-version")
    )


def unmatched_guests(user, township_id: int):
    """The guests of the township's sessions not yet matched to a roster member, newest
    session first (one query)."""
    return (
        Guest.objects.visible_to(user)
        .filter(member__isnull=True, session__township_id=township_id)
        .select_related("session__village", "session__point")
        .order_by("-session__held_at", "pk")
    )


def guest_candidates(user, township_id: int, text: str, *, limit: int = 20) -> list[Member]:
    """Active members of the township whose name, pinyin or initials match `text` (one query)."""
    text = (text or "").strip()
    if not text:
        return []
    return list(
        Member.objects.visible_to(user)
        .filter(township_id=township_id, active=True)
        .search(text)
        .select_related("village", "point")
        .order_by("name_pinyin", "pk")[:limit]
    )
