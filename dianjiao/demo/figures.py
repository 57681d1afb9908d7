"""A township's monthly and quarterly figures for the demo's plan year, read once.

The plan year's feedback stores each village's `teaching.selectors.month_summary` of each month,
and its quarterly reports `reports.services.compute_figures` of each quarter: four queries and
three per call, once per village and month (twice or three times per report). At the larger
scales (a thousand villages) those calls were the plan year's cost. `Figures` reads the sessions,
their counts, the films, the members and the presences of all the villages of a window in a few
queries, and `month_summary` and `quarter` hand them to the services' own computing
(`selectors.month_summary_from_rows`, `reports.services.figures_from_sessions`): the same
sessions (ViewingSession instances given the same counts that `with_figures()` annotates, so
the model's own properties judge the four rings and the late entries), in the same order.
tests/demo/test_figures.py compares both with the services' own functions on a built township.

Call it after the history is written: it is a snapshot of the records when it is made.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone, translation

from dianjiao.lib.dates import midnight, month_bounds, month_days
from dianjiao.members.models import Member
from dianjiao.reports.models import quarter_bounds
from dianjiao.reports.services import figures_from_sessions
from dianjiao.teaching.models import Attendance, PracticeTask, ViewingSession
from dianjiao.teaching.selectors import month_summary_from_rows

COUNTED = ViewingSession.COUNTED_KINDS
Status = Attendance.Status


def _month(value) -> tuple[int, int]:
    local = timezone.localtime(value)
    return local.year, local.month


class Figures:
    """The records of `villages` in `months` ((year, month) pairs, oldest first; the window is
    from the first to the last of them), see the module."""

    def __init__(self, villages, months):
        self.villages = list(villages)
        ids = [v.pk for v in self.villages]
        start, end = month_bounds(*months[0])[0], month_bounds(*months[-1])[1]
        self.start, self.end = start, end
        sessions = list(
            ViewingSession.objects.filter(village__in=ids, held_at__gte=start, held_at__lt=end)
            .select_related("entry")
            .defer("entry__body", "entry__canonical")
            .prefetch_related("films")
            .order_by("held_at", "pk")
        )
        counts: dict = defaultdict(lambda: [0, 0, 0])  # expected, present expected, present
        for session_id, expected, status in Attendance.objects.filter(
            session__village__in=ids, session__held_at__gte=start, session__held_at__lt=end
        ).values_list("session_id", "expected", "status"):
            c = counts[session_id]
            c[0] += expected
            c[1] += expected and status == Status.PRESENT
            c[2] += status == Status.PRESENT
        speakers = dict(
            ViewingSession.speakers.through.objects.filter(
                viewingsession__village__in=ids,
                viewingsession__held_at__gte=start,
                viewingsession__held_at__lt=end,
            )
            .values("viewingsession")
            .annotate(n=Count("pk"))
            .values_list("viewingsession", "n")
        )
        tasks = dict(
            PracticeTask.objects.filter(
                session__village__in=ids, session__held_at__gte=start, session__held_at__lt=end
            )
            .values("session")
            .annotate(n=Count("pk"))
            .values_list("session", "n")
        )
        self.sessions: dict[int, list[ViewingSession]] = defaultdict(list)  # village -> held order
        for s in sessions:
            c = counts[s.pk]
            s.n_expected, s.n_present_expected, s.n_present = c
            s.n_speakers, s.n_tasks = speakers.get(s.pk, 0), tasks.get(s.pk, 0)
            s.n_guests = 0  # not read by the figures
            self.sessions[s.village_id].append(s)
        # Members ordered as month_summary orders them (by the database's collation).
        self.members: dict[int, list] = defaultdict(list)
        for row in (
            Member.objects.filter(village__in=ids)
            .order_by("name_pinyin", "pk")
            .values_list(
                "pk", "village_id", "name", "on_roster_since", "active", "left_on", "joined_on"
            )
        ):
            self.members[row[1]].append(row)
        # Presences of the villages' members counted for a month of the window: at a counted
        # session held in it (at any village's point), or a make-up of a session held in it.
        self.covered: dict = defaultdict(set)  # (village, year, month) -> member pks
        for member_id, village_id, kind, held_at, made_up_held_at in (
            Attendance.objects.filter(member__village__in=ids, status=Status.PRESENT)
            .filter(
                Q(session__held_at__gte=start, session__held_at__lt=end)
                | Q(makes_up_for__held_at__gte=start, makes_up_for__held_at__lt=end)
            )
            .values_list(
                "member_id",
                "member__village_id",
                "session__kind",
                "session__held_at",
                "makes_up_for__held_at",
            )
        ):
            if kind in COUNTED and start <= held_at < end:
                self.covered[(village_id, *_month(held_at))].add(member_id)
            elif (
                kind == ViewingSession.Kind.MAKEUP
                and made_up_held_at is not None
                and start <= made_up_held_at < end
            ):
                self.covered[(village_id, *_month(made_up_held_at))].add(member_id)

    def _between(self, village, start, end) -> list[ViewingSession]:
        if not (self.start <= start and end <= self.end):
            raise ValueError(f"{start:%Y-%m}..{end:%Y-%m} is outside the figures' window")
        return [s for s in self.sessions.get(village.pk, ()) if start <= s.held_at < end]

    def month_summary(self, village, year: int, month: int) -> dict:
        """`teaching.selectors.month_summary(village, year, month)`, from the records read."""
        with translation.override(settings.LANGUAGE_CODE):  # as feedback_send runs it
            return self._month_summary(village, year, month)

    def _month_summary(self, village, year: int, month: int) -> dict:
        sessions = self._between(village, *month_bounds(year, month))
        first, last = month_days(year, month)
        members = [
            (pk, name)
            for pk, _v, name, since, active, left_on, joined in self.members.get(village.pk, ())
            if since <= last
            and (active or (left_on is not None and left_on >= first))
            and not (joined is not None and joined > last)
        ]
        covered = self.covered.get((village.pk, year, month), set())
        return month_summary_from_rows(sessions, members, covered, year=year, month=month)

    def quarter(self, village, year: int, quarter: int) -> dict:
        """`reports.services.compute_figures(village, year, quarter)`, from the records read."""
        start, end = quarter_bounds(year, quarter)
        sessions = self._between(village, midnight(start), midnight(end))
        return figures_from_sessions(sessions, year, quarter)
