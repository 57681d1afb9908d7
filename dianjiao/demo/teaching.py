"""A year of viewing history for the demo township, made by the rules of the real services.

`build_history(rng, township=..., as_of=...)` records, for the twelve months up to `as_of`:
one viewing a month at every active point (a key film with the four-ring record each quarter;
牧区流动教学 at pastoral points in the migration season, with teaching time, and a second camp
session in the migration months whose monthly showing is the key film), attendance drawn per member (a few
chronic absentees, herders away in summer, migrant workers away), make-ups for some of those who
missed, one village that skipped a month altogether, a few key films whose four rings are left
incomplete, practice outcomes and one attendance correction (logbook corrections), and last
month's feedback from most villages.

The gaps can be planned instead of drawn: `skips` (village name -> set of (year, month)) lists the
months in which a village holds no viewing and no make-up, and `careless` (village names) the only
villages that leave some key films' four rings incomplete. The demo builder passes its plan of the
year (dianjiao.demo.plan_year) this way, so the compliance pages show a deliberate picture.

How the past gets in. Each historical session is recorded under `dates.simulated_now(...)`, the
demo-only clock, set to an hour after the showing: so every entry is same-day on its own day, and
the logbook's hash chain is built as it would have been. The sessions are written in bulk by
`sessions.SessionWriter`, which checks what `teaching.services.session_record` checks and makes
the same logbook entries (a few INSERTs instead of a save per attendance row). One story is told
the real way, through the services: the session of the day before `as_of` in the first village is entered a day
late, after the station admin grants a late-entry exception (shown in red, as R10 wants).
Corrections, practice outcomes and feedback are dated now, as real ones are.

`as_of` must not be after today (the services refuse the future).
"""

import dataclasses
import datetime as dt
import random

from django.utils import timezone

from dianjiao.accounts.models import Role, User
from dianjiao.films.models import Film
from dianjiao.films.services import film_create
from dianjiao.lib import dates
from dianjiao.logbook.services import entry_grant_late
from dianjiao.members.models import Member
from dianjiao.orgs.models import ViewingPoint, Village
from dianjiao.teaching import rollups, selectors, services
from dianjiao.teaching.models import Attendance, ViewingSession

from .sessions import SessionWriter

REAL_LATE_REASON = "昨晚收看结束后停电断网，未能当天录入，次日补录"
KEY_MONTHS = {3, 6, 9, 12}  # a key film each quarter
MIGRATION_MONTHS = {5, 6, 7, 8, 9, 10}  # herders are on the summer pastures
TEACHING_MINUTES = (30, 40, 45, 60)  # taught at a herders' camp before the film (授课)
# Used only when the township's library (dianjiao.films, built first by the demo) is empty.
FALLBACK_FILMS = [
    # (title, key film, minutes)
    ("榜样8", True, 95),
    ("新时代农村基层党组织建设", True, 60),
    ("农村实用技术：冬季舍饲养羊", False, 45),
    ("牧区草场科学管理", False, 40),
]
Status = Attendance.Status
Kind = ViewingSession.Kind


@dataclasses.dataclass
class HistoryReport:
    sessions: int = 0
    makeups: int = 0
    exceptions: int = 0
    corrections: int = 0
    incomplete_key_sessions: int = 0
    feedback: int = 0
    skipped: tuple[str, int, int] | None = None  # (village, year, month) with no viewing


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime(day.year, day.month, day.day, hour, minute), timezone.get_default_timezone()
    )


def _months(as_of: dt.date, n: int = 12) -> list[tuple[int, int]]:
    """The `n` months up to and including as_of's, oldest first."""
    out, (y, m) = [], (as_of.year, as_of.month)
    for _ in range(n):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def _films(township, station) -> tuple[list[Film], list[Film]]:
    """The township's active key films and other films, from its library."""
    films = list(Film.objects.filter(township=township, active=True).order_by("pk"))
    if not any(f.is_key_film for f in films) or all(f.is_key_film for f in films):
        taken = {f.title for f in Film.objects.filter(township=township)}
        for title, key, minutes in FALLBACK_FILMS:
            if title not in taken:
                films.append(
                    film_create(
                        user=station,
                        township=township,
                        title=title,
                        is_key_film=key,
                        duration_minutes=minutes,
                    )
                )
    return [f for f in films if f.is_key_film], [f for f in films if not f.is_key_film]


class _History:
    def __init__(
        self, rng: random.Random, township, as_of: dt.date, skips=None, careless=None, months=12
    ):
        today = dates.today()
        if as_of > today:
            raise ValueError(
                "as_of must not be after today: the services refuse sessions in the future"
            )
        self.rng, self.township, self.as_of, self.today = rng, township, as_of, today
        self.n_months = months
        self.station = (
            User.objects.filter(
                role=Role.STATION_ADMIN, township=township, is_active=True, is_superuser=False
            )
            .order_by("pk")
            .first()
        )
        if self.station is None:
            raise ValueError(f"{township} has no station admin to grant the late-entry exceptions")
        self.operators = {
            u.village_id: u
            for u in User.objects.filter(
                role=Role.VILLAGE_OPERATOR, village__township=township, is_active=True
            ).order_by("pk")
        }
        self.key_films, self.films = _films(township, self.station)
        self.report = HistoryReport()
        # Members who seldom come (about one in fifteen): the behind-target list is never empty.
        self.absentee: set[int] = set()
        self.real_late_granted = False
        self.late_story_village = None
        self.planned_skips = skips  # None: one village skips one month, drawn below
        self.careless = careless
        self.skips: dict[str, frozenset[tuple[int, int]]] = {}
        self.writer = SessionWriter()
        self.by_pk: dict[int, Member] = {}
        self.attendance_of: dict = {}  # session pk -> its Attendance rows (members attached)
        self.films_of: dict = {}
        self.complete: set = set()  # key-film sessions whose four rings were all written

    def _skipped(self, village, year: int, month: int) -> bool:
        return (year, month) in self.skips.get(village.name, ())

    # -- the one place where the past is let in --------------------------------------------

    def _admit_past_day(self, village, day: dt.date) -> bool:
        """True when this session is the story's one late entry, admitted by an exception."""
        late_day = self.as_of - dt.timedelta(days=1)
        if village != self.late_story_village or day != late_day or self.real_late_granted:
            return False
        self.flush()  # the services below read the chain's head from the database
        if day < self.today:
            entry_grant_late(
                village=village, day=day, granted_by=self.station, reason=REAL_LATE_REASON
            )
            self.report.exceptions += 1
        self.real_late_granted = True
        return True

    # -- attendance ------------------------------------------------------------------------

    def _status(self, member: Member, month: int) -> tuple[str, str]:
        r = self.rng.random()
        if member.mobility == Member.Mobility.MIGRANT:
            return (Status.PRESENT, "") if r < 0.2 else (Status.EXCUSED, Attendance.Reason.MIGRANT)
        if member.pk in self.absentee:
            return (Status.PRESENT, "") if r < 0.45 else (Status.ABSENT, "")
        if member.mobility == Member.Mobility.PASTORAL and month in MIGRATION_MONTHS and r < 0.25:
            return Status.EXCUSED, Attendance.Reason.HERDING
        if r < 0.9:
            return Status.PRESENT, ""
        if r < 0.95:
            return Status.EXCUSED, self.rng.choice(
                [Attendance.Reason.ILLNESS, Attendance.Reason.OTHER]
            )
        return Status.ABSENT, ""

    def _four_ring(
        self,
        members: list[Member],
        attendance: dict,
        held_at: dt.datetime,
        film: Film,
        complete: bool,
    ) -> dict:
        present = [m for m in members if attendance[m.pk][0] == Status.PRESENT]
        fr = {
            "preparation": f"学习《{film.title}》内容简介，结合本村实际拟定讨论题",
            "prepared_at": held_at - dt.timedelta(days=1, hours=2),
        }
        if not complete:
            return fr  # prepared, then nothing written down: shows as 四环不完整
        speakers = self.rng.sample(present, min(len(present), self.rng.randint(2, 4)))
        fr.update(
            {
                "prompts": "播放中在关键情节处暂停，提示大家联系本村实际思考",
                "record_notes": "收看秩序良好，党员认真做了笔记",
                "discussion": "围绕影片谈体会，大家表示要在产业发展和服务群众中发挥党员作用",
                "speakers": [m.pk for m in speakers],
                "practice": [
                    {
                        "member": speakers[0].pk if speakers else None,
                        "group": "" if speakers else "党员先锋岗",
                        "task": self.rng.choice(
                            [
                                "帮助一户困难群众解决实际困难",
                                "带头参加村里的环境整治",
                                "向两户牧民宣讲草场保护政策",
                            ]
                        ),
                        "due_on": held_at.date() + dt.timedelta(days=30),
                    }
                ],
            }
        )
        return fr

    # -- sessions --------------------------------------------------------------------------

    def _record(
        self,
        village,
        point,
        held_at,
        kind,
        films,
        attendance,
        four_ring=None,
        teaching_minutes: int = 0,
        extra: int = 15,
    ) -> ViewingSession | None:
        day = timezone.localtime(held_at).date()
        if held_at >= timezone.now():
            return None
        duration = sum(f.duration_minutes for f in films) + teaching_minutes + extra
        author = self.operators.get(village.pk, self.station)
        if self._admit_past_day(village, day):
            # The one real late entry goes through the service, on the real clock, after the
            # station's exception (everything written so far was flushed first).
            session = services.session_record(
                author=author,
                village=village,
                point=point,
                held_at=held_at,
                kind=kind,
                films=films,
                duration_minutes=duration,
                teaching_minutes=teaching_minutes,
                attendance=attendance,
                four_ring=four_ring,
                notes="",
            )
            self.remember(session, list(session.attendances.select_related("member")), films)
        else:
            with dates.simulated_now(min(held_at + dt.timedelta(hours=1), timezone.now())):
                session = self.writer.session(
                    author=author,
                    village=village,
                    point=point,
                    held_at=held_at,
                    kind=kind,
                    films=films,
                    duration_minutes=duration,
                    teaching_minutes=teaching_minutes,
                    attendance=attendance,
                    four_ring=four_ring,
                    members=self.by_pk,
                )
            self.remember(session, self.writer.rows[session.pk], films)
        self.report.sessions += 1
        return session

    def remember(self, session, rows, films) -> None:
        self.attendance_of[session.pk] = rows
        self.films_of[session.pk] = list(films)

    def flush(self) -> None:
        self.writer.flush()

    def _month_at_point(self, village, point, members, year, month) -> ViewingSession | None:
        first, last = selectors.month_days(year, month)
        last = min(last, self.as_of - dt.timedelta(days=1))  # history ends the day before as_of
        if last < first:
            return None
        day = first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))
        if village == self.late_story_village and last == self.as_of - dt.timedelta(days=1):
            day = last  # the session recorded a day late for a real reason (see _admit_past_day)
        held_at = _aware(day, self.rng.choice([10, 15, 20]), self.rng.choice([0, 30]))
        expected = [m for m in members if m.joined_on <= day]
        if not expected:
            return None
        attendance = {m.pk: self._status(m, month) for m in expected}
        if not any(s == Status.PRESENT for s, _r in attendance.values()):
            attendance[expected[0].pk] = (Status.PRESENT, "")
        four_ring = None
        if month in KEY_MONTHS:
            kind, film = Kind.KEY_FILM, self.rng.choice(self.key_films)
            films = [film]
            r = self.rng.random()
            complete = (
                r > 0.2 if self.careless is None else (village.name not in self.careless or r > 0.5)
            )
            four_ring = self._four_ring(expected, attendance, held_at, film, complete)
            self.report.incomplete_key_sessions += not complete
        else:
            kind = (
                Kind.PASTORAL
                if point.kind == ViewingPoint.Kind.PASTORAL and month in MIGRATION_MONTHS
                else Kind.MONTHLY
            )
            films = self.rng.sample(
                self.films, min(len(self.films), 2 if self.rng.random() < 0.3 else 1)
            )
            complete = False
        teaching = self.rng.choice(TEACHING_MINUTES) if kind == Kind.PASTORAL else 0
        session = self._record(
            village, point, held_at, kind, films, attendance, four_ring, teaching_minutes=teaching
        )
        if session is not None and complete:
            self.complete.add(session.pk)
        return session

    def _camp_session(self, village, point, members, year, month) -> ViewingSession | None:
        """牧区流动教学 at a herders' camp in a migration month whose monthly showing was the
        key film: the station and the village's operator teach (policy, the Party's history,
        animal husbandry) and show a film, so every migration month has its camp session."""
        first, last = selectors.month_days(year, month)
        last = min(last, self.as_of - dt.timedelta(days=1))
        if last < first:
            return None
        day = first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))
        held_at = _aware(day, self.rng.choice([11, 16, 21]), self.rng.choice([0, 30]))
        expected = [m for m in members if m.joined_on <= day]
        if not expected:
            return None
        attendance = {m.pk: self._status(m, month) for m in expected}
        if not any(s == Status.PRESENT for s, _r in attendance.values()):
            attendance[expected[0].pk] = (Status.PRESENT, "")
        films = self.rng.sample(self.films, min(len(self.films), 1))
        return self._record(
            village,
            point,
            held_at,
            Kind.PASTORAL,
            films,
            attendance,
            teaching_minutes=self.rng.choice(TEACHING_MINUTES),
        )

    def _makeup(self, village, point, missed: ViewingSession) -> None:
        """About half of those who missed a showing make it up one to three weeks later."""
        rows = [
            r
            for r in self.attendance_of[missed.pk]
            if r.status != Status.PRESENT and r.member.mobility != Member.Mobility.MIGRANT
        ]
        invited = [r for r in rows if self.rng.random() < 0.5]
        if not invited:
            return
        held_at = missed.held_at + dt.timedelta(days=self.rng.randint(7, 21), hours=1)
        local = timezone.localtime(held_at).date()
        if local >= min(self.as_of, self.today) or self._skipped(village, local.year, local.month):
            return
        attendance = {r.member_id: (Status.PRESENT, "", missed.pk) for r in invited}
        films = self.films_of[missed.pk]
        # A make-up of a key film is taught with the four rings too.
        four_ring = (
            self._four_ring([r.member for r in invited], attendance, held_at, films[0], True)
            if missed.is_key
            else None
        )
        session = self._record(village, point, held_at, Kind.MAKEUP, films, attendance, four_ring)
        self.report.makeups += session is not None

    def build(self, progress=lambda village: None) -> HistoryReport:
        villages = list(
            Village.objects.filter(township=self.township).order_by("sort_order", "name")
        )
        months = _months(self.as_of, self.n_months)
        members = list(
            Member.objects.filter(village__in=villages, active=True, point__isnull=False).order_by(
                "pk"
            )
        )
        self.by_pk = {m.pk: m for m in members}
        self.absentee = {m.pk for m in members if self.rng.random() < 1 / 15}
        self.late_story_village = villages[0] if villages else None
        if self.planned_skips is not None:
            self.skips = {name: frozenset(ms) for name, ms in self.planned_skips.items()}
        else:
            # One village skips one month (not the first, not the running one): a gap the station sees.
            skip_village = self.rng.choice(villages) if villages else None
            skip_month = self.rng.choice(months[2:-1]) if len(months) > 3 else None
            if skip_village and skip_month:
                self.report.skipped = (skip_village.name, *skip_month)
                self.skips = {skip_village.name: frozenset([skip_month])}
        key_sessions: list[ViewingSession] = []
        for village in villages:
            points = list(ViewingPoint.objects.filter(village=village, active=True).order_by("pk"))
            for year, month in months:
                if self._skipped(village, year, month):
                    continue
                for point in points:
                    at_point = [m for m in members if m.point_id == point.pk]
                    if not at_point:
                        continue
                    session = self._month_at_point(village, point, at_point, year, month)
                    if session is None:
                        continue
                    if session.kind == Kind.KEY_FILM and session.pk in self.complete:
                        key_sessions.append(session)
                    self._makeup(village, point, session)
                    if (
                        session.kind == Kind.KEY_FILM
                        and point.kind == ViewingPoint.Kind.PASTORAL
                        and month in MIGRATION_MONTHS
                    ):
                        self._camp_session(village, point, at_point, year, month)
            progress(village.name)
        self.flush()
        self._corrections(key_sessions)
        self._feedback(villages)
        return self.report

    # -- later changes and feedback ----------------------------------------------------------

    def _corrections(self, key_sessions: list[ViewingSession]) -> None:
        for session in self.rng.sample(key_sessions, min(3, len(key_sessions))):
            tasks = list(session.practice_tasks.all())
            if tasks:
                services.practice_record_outcome(
                    author=self.operators.get(session.village_id, self.station),
                    session=session,
                    outcomes={t.pk: "已完成，群众反映良好" for t in tasks},
                )
                self.report.corrections += 1
        absent = (
            Attendance.objects.filter(
                session__village__township=self.township, status=Status.ABSENT, expected=True
            )
            .exclude(session__kind=Kind.MAKEUP)
            .select_related("session", "session__village")
            .order_by("session__held_at", "pk")
            .first()
        )
        if absent is not None:
            services.session_correct(
                author=self.operators.get(absent.session.village_id, self.station),
                session=absent.session,
                reason="核实后更正：该党员当天已向支部请假（生病）",
                attendance={absent.member_id: (Status.EXCUSED, Attendance.Reason.ILLNESS)},
            )
            self.report.corrections += 1

    def _feedback(self, villages) -> None:
        """Last month's feedback from most villages; one or two have not sent it yet (nor does a
        village that held no viewing that month)."""
        year, month = selectors.default_feedback_month(self.today)
        for village in villages:
            if self.rng.random() < 0.8 and not self._skipped(village, year, month):
                services.feedback_send(
                    author=self.operators.get(village.pk, self.station),
                    village=village,
                    year=year,
                    month=month,
                    note=self.rng.choice(["", "部分牧民转场未能参加，已安排补看", "设备运行正常"]),
                )
                self.report.feedback += 1


def build_history(
    rng: random.Random,
    *,
    township,
    as_of: dt.date,
    skips=None,
    careless=None,
    months: int = 12,
    progress=lambda village: None,
) -> HistoryReport:
    """Record a year of viewing sessions in `township` up to `as_of` through the services (see
    the module's docstring for how past days are admitted, and for `skips` and `careless`).
    `months` is the length of the history, the running month last (twelve for the demo township,
    years at the larger scales, dianjiao.demo.scale). Deterministic for a given rng seed and database. Call it inside one transaction if
    all-or-nothing is wanted."""
    report = _History(rng, township, as_of, skips, careless, months).build(progress)
    # The sessions were written in bulk, past the services that keep the coverage per month.
    rollups.rebuild(township.villages.values_list("pk", flat=True))
    return report
