"""Viewing sessions (播放收看), the four-ring record of key films, attendance, make-ups (R6, R8, R13).

A session is written once, by `services.session_record`, together with its entry in the village's
《电教手册》 in the same transaction. Later changes (practice outcomes, corrections) go through
the services too, and each leaves a correction entry in the logbook: the rows here hold the
current state, the logbook holds the history.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dianjiao.accounts.scope import ScopedQuerySet
from dianjiao.logbook.models import LogbookEntry


class FourRing:
    """The five steps the plan calls the four-ring method, as the pages name them."""

    PREPARATION = _("播前有备课")
    PROMPTS = _("播中有提示")
    RECORD = _("收看有记录")
    DISCUSSION = _("看后有讨论")
    PRACTICE = _("学过有实践")
    LABELS = {
        "preparation": PREPARATION,
        "prompts": PROMPTS,
        "record": RECORD,
        "discussion": DISCUSSION,
        "practice": PRACTICE,
    }


def _count_of(queryset, path: str = "session"):
    """Rows of `queryset` per session, as a subquery: no join fan-out, one query for a page."""
    sub = (
        queryset.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


class SessionQuerySet(ScopedQuerySet):
    def with_figures(self):
        """The counts every list shows (expected, present, four-ring parts), in the same query,
        plus the films in one more: a page of sessions costs two queries, whatever its size."""
        att = Attendance.objects.all()
        present = att.filter(status=Attendance.Status.PRESENT)
        speakers = ViewingSession.speakers.through.objects.all()
        return (
            self.select_related("village", "point", "operator", "entry")
            # The entry's stored content (8 KB a session at a large village) is the logbook's
            # to read; a session shows only whether it was a late entry.
            .defer("entry__body", "entry__canonical")
            .prefetch_related("films")
            .annotate(
                n_expected=_count_of(att.filter(expected=True)),
                n_present_expected=_count_of(present.filter(expected=True)),
                n_present=_count_of(present),
                n_excused=_count_of(att.filter(expected=True, status=Attendance.Status.EXCUSED)),
                n_guests=_count_of(Guest.objects.all()),
                n_speakers=_count_of(speakers, "viewingsession"),
                n_tasks=_count_of(PracticeTask.objects.all()),
            )
        )

    def with_four_ring(self):
        """Only what `four_ring_complete` reads: the four-ring texts and times, and the counts of
        those present, speakers and practice tasks, in the same query. For judging many key
        sessions at once (the compliance matrix), without their films, entries or attendance."""
        present = Attendance.objects.filter(status=Attendance.Status.PRESENT)
        speakers = ViewingSession.speakers.through.objects.all()
        return self.only(
            "village",
            "held_at",
            "key_session",
            "preparation",
            "prepared_at",
            "prompts",
            "record_notes",
            "discussion",
        ).annotate(
            n_present=_count_of(present),
            n_speakers=_count_of(speakers, "viewingsession"),
            n_tasks=_count_of(PracticeTask.objects.all()),
        )


class ViewingSession(models.Model):
    """One showing of one or more films to members at a point (播放收看)."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("月度收看")
        KEY_FILM = "key_film", _("重点片教学")
        MAKEUP = "makeup", _("补看")
        PASTORAL = "pastoral", _("牧区流动教学")
        OTHER = "other", _("其他")

    # What counts toward a member's one viewing a month (R6); a make-up counts for the month of
    # the session it makes up for, "other" (e.g. a showing for visitors) not at all.
    COUNTED_KINDS = (Kind.MONTHLY, Kind.KEY_FILM, Kind.PASTORAL)

    # Made on the device when captured offline (a replay is recognised by it), else by the server.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    township = models.ForeignKey(
        "orgs.Township",
        verbose_name=_("乡镇"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    village = models.ForeignKey(
        "orgs.Village",
        verbose_name=_("村"),
        on_delete=models.PROTECT,
        related_name="viewing_sessions",
    )
    point = models.ForeignKey(
        "orgs.ViewingPoint",
        verbose_name=_("播放点"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    held_at = models.DateTimeField(_("收看时间"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("时长（分钟）"),
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    # Of the duration, the minutes of teaching (授课) rather than of showing films (播放): R13 counts
    # both toward its hours, and the pastoral ledger shows them apart. Viewing = duration − this.
    teaching_minutes = models.PositiveSmallIntegerField(
        _("其中授课（分钟）"), default=0, validators=[MaxValueValidator(24 * 60)]
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.MONTHLY)
    # The township's catalogue (dianjiao.films); its usage page (usage.py) counts showings through "sessions".
    films = models.ManyToManyField("films.Film", verbose_name=_("影片"), related_name="sessions")
    # Fixed when the session is recorded: a film marked key later (the next year's plan) does not
    # turn a past showing into a key-film session whose four rings were never asked for.
    key_session = models.BooleanField(_("重点片教学"), default=False, editable=False)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    captured_at = models.DateTimeField(_("录入时间（设备）"), null=True, blank=True)
    received_at = models.DateTimeField(_("入账时间"))
    notes = models.TextField(_("备注"), blank=True)
    entry = models.OneToOneField(
        "logbook.LogbookEntry",
        verbose_name=_("手册记录"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # sha256 of what the client sent: a replay of the same id must repeat it exactly.
    submission_hash = models.CharField(max_length=64, editable=False)

    # The four-ring record (key films). Prompts, record notes, discussion and practice can be
    # completed later only by a correction (services.session_correct), which the logbook shows.
    preparation = models.TextField(_("播前备课内容"), blank=True)
    prepared_at = models.DateTimeField(_("备课时间"), null=True, blank=True)
    prompts = models.TextField(_("播中提示"), blank=True)
    record_notes = models.TextField(_("收看记录"), blank=True)
    discussion = models.TextField(_("讨论情况"), blank=True)
    speakers = models.ManyToManyField(
        "members.Member",
        verbose_name=_("发言党员"),
        blank=True,
        related_name="+",
    )

    objects = SessionQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("播放收看")
        verbose_name_plural = _("播放收看")
        ordering = ["-held_at", "pk"]
        indexes = [
            # A village's sessions by date (its operator's list, its month's figures).
            models.Index(fields=["village", "held_at"], name="session_village_held"),
            # A township's (its station's) sessions by date, and a county's township by
            # township: a month's or a year's sessions (the to-do list, compliance) read as a
            # range instead of every session of the township, the sessions list in date order.
            models.Index(fields=["township", "held_at"], name="session_township_held"),
        ]

    def __str__(self):
        if not self.held_at:
            return str(self.pk)
        when = dateformat.format(timezone.localtime(self.held_at), gettext("Y年n月j日 H:i"))
        return f"{when} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        self.township_id = self.village.township_id
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.point_id and self.village_id and self.point.village_id != self.village_id:
            errors["point"] = _("播放点“%(point)s”不属于%(village)s") % {
                "point": self.point.name,
                "village": self.village.name,
            }
        if (self.teaching_minutes or 0) > (self.duration_minutes or 0):
            errors["teaching_minutes"] = _("授课时间不能超过总时长")
        if self.prepared_at and self.held_at and self.prepared_at >= self.held_at:
            errors["prepared_at"] = _("备课时间必须早于播放时间（播前有备课）")
        if errors:
            raise ValidationError(errors)

    # -- derived values (use the annotations of `with_figures()` when present) --

    def _figure(self, name: str, compute):
        value = self.__dict__.get(name)
        return compute() if value is None else value

    @property
    def viewing_minutes(self) -> int:
        """The minutes of showing films (播放): the duration less the teaching (授课)."""
        return (self.duration_minutes or 0) - (self.teaching_minutes or 0)

    @property
    def is_key(self) -> bool:
        """Taught with the four-ring method: a key-film session, or a key film shown (as the
        library marked it when the session was recorded)."""
        return self.key_session

    @property
    def expected_count(self) -> int:
        return self._figure("n_expected", lambda: self.attendances.filter(expected=True).count())

    @property
    def present_expected_count(self) -> int:
        return self._figure(
            "n_present_expected",
            lambda: self.attendances.filter(
                expected=True, status=Attendance.Status.PRESENT
            ).count(),
        )

    @property
    def present_count(self) -> int:
        """Everyone on the roster who came, expected here or not (guests apart)."""
        return self._figure(
            "n_present", lambda: self.attendances.filter(status=Attendance.Status.PRESENT).count()
        )

    @property
    def attendance_pct(self) -> float | None:
        """到课率: present ÷ EXPECTED members, never ÷ those who came."""
        n = self.expected_count
        return round(100 * self.present_expected_count / n, 1) if n else None

    @property
    def four_ring_status(self) -> dict[str, bool]:
        """Each step of the four-ring method: done or not (whatever the kind of session)."""
        n_speakers = self._figure("n_speakers", lambda: self.speakers.count())
        return {
            "preparation": bool(
                self.preparation.strip() and self.prepared_at and self.prepared_at < self.held_at
            ),
            "prompts": bool(self.prompts.strip()),
            "record": bool(self.present_count and self.record_notes.strip()),
            "discussion": bool(self.discussion.strip() and n_speakers),
            "practice": bool(self._figure("n_tasks", lambda: self.practice_tasks.count())),
        }

    @property
    def four_ring_missing(self) -> list[str]:
        """The steps of the four-ring method this key session lacks ([] if not a key session)."""
        if not self.is_key:
            return []
        return [
            str(FourRing.LABELS[step]) for step, done in self.four_ring_status.items() if not done
        ]

    @property
    def four_ring_complete(self) -> bool:
        return not self.four_ring_missing

    @property
    def is_late(self) -> bool:
        """Recorded on a later day under the station's late-entry exception (补录): shown, never hidden."""
        return bool(self.entry_id and self.entry.late_exception_id)

    @property
    def logbook_kind(self) -> str:
        return {
            self.Kind.MAKEUP: LogbookEntry.Kind.MAKEUP,
            self.Kind.PASTORAL: LogbookEntry.Kind.PASTORAL,
        }.get(self.kind, LogbookEntry.Kind.SESSION)


class Attendance(models.Model):
    """One member at one session. Every member expected there gets a row, so the list answers
    "who is missing?" as readily as "who came?"."""

    class Status(models.TextChoices):
        PRESENT = "present", _("到场")
        EXCUSED = "excused", _("请假")
        ABSENT = "absent", _("缺席")

    class Reason(models.TextChoices):
        HERDING = "herding", _("放牧转场")
        MIGRANT = "migrant", _("外出务工")
        ILLNESS = "illness", _("生病")
        OTHER = "other", _("其他")

    session = models.ForeignKey(
        ViewingSession,
        verbose_name=_("播放收看"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    # On the session's expected list when it was recorded (active, and at the session's point; for
    # a make-up, invited to it). Stored, so a later roster change does not rewrite history.
    expected = models.BooleanField(_("应到"), default=True)
    status = models.CharField(_("出勤"), max_length=10, choices=Status.choices)
    excuse_reason = models.CharField(
        _("请假原因"), max_length=10, choices=Reason.choices, blank=True
    )
    makes_up_for = models.ForeignKey(
        ViewingSession,
        verbose_name=_("补看的场次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="makeups",
    )

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "session__township"
    scope_village_path = "session__village"

    class Meta:
        verbose_name = _("出勤")
        verbose_name_plural = _("出勤")
        ordering = ["session_id", "member__name_pinyin", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_unique_member")
        ]
        indexes = [models.Index(fields=["member", "status"], name="attendance_member_status")]

    def __str__(self):
        return f"{self.member} {self.get_status_display()}"

    def clean(self):
        errors = {}
        if self.status == self.Status.EXCUSED and not self.excuse_reason:
            errors["excuse_reason"] = _("请假须选择原因")
        if self.status != self.Status.EXCUSED and self.excuse_reason:
            errors["excuse_reason"] = _("只有请假才填写请假原因")
        if errors:
            raise ValidationError(errors)


class Guest(models.Model):
    """Someone not on the roster who watched (a member of another branch, a villager)."""

    session = models.ForeignKey(
        ViewingSession, verbose_name=_("播放收看"), on_delete=models.CASCADE, related_name="guests"
    )
    name = models.CharField(_("姓名"), max_length=50)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # Matched later by the station to a roster member (services.guest_match): the attendance it
    # then recorded for that member makes the viewing count in their learning record.
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("认定为党员"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendance = models.OneToOneField(
        Attendance,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="from_guest",
    )
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matched_at = models.DateTimeField(_("认定时间"), null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "session__township"
    scope_village_path = "session__village"

    class Meta:
        verbose_name = _("列席人员")
        verbose_name_plural = _("列席人员")
        ordering = ["session_id", "pk"]

    def __str__(self):
        return self.name


class PracticeTask(models.Model):
    """学过有实践: what a member (or a group) undertakes after a key film, and later what came of it."""

    session = models.ForeignKey(
        ViewingSession,
        verbose_name=_("播放收看"),
        on_delete=models.CASCADE,
        related_name="practice_tasks",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group_name = models.CharField(_("小组"), max_length=80, blank=True)
    task = models.TextField(_("实践任务"))
    due_on = models.DateField(_("完成期限"))
    outcome = models.TextField(_("实践成效"), blank=True)
    outcome_recorded_at = models.DateTimeField(_("成效记录时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "session__township"
    scope_village_path = "session__village"

    class Meta:
        verbose_name = _("实践任务")
        verbose_name_plural = _("实践任务")
        ordering = ["session_id", "due_on", "pk"]

    def __str__(self):
        return f"{self.who}：{self.task[:30]}"

    @property
    def who(self) -> str:
        return self.member.name if self.member_id else self.group_name

    def clean(self):
        if bool(self.member_id) == bool(self.group_name.strip()):
            raise ValidationError({"member": _("实践任务须落实到一名党员或一个小组（二选一）")})


class MonthlyFeedback(models.Model):
    """A village's report of one month's viewings to the station (R8: 每月收看情况当月反馈).

    The summary is computed from the records at sending time, never typed. Sending again makes a
    new version; earlier versions are kept."""

    township = models.ForeignKey(
        "orgs.Township",
        verbose_name=_("乡镇"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    village = models.ForeignKey(
        "orgs.Village",
        verbose_name=_("村"),
        on_delete=models.PROTECT,
        related_name="monthly_feedback",
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(
        _("月"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    summary = models.JSONField(_("收看情况"), default=dict)
    note = models.TextField(_("说明"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("报送时间"))

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("月度收看反馈")
        verbose_name_plural = _("月度收看反馈")
        ordering = ["-year", "-month", "village_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "month", "version"], name="feedback_unique_version"
            ),
        ]

    def __str__(self):
        return gettext("%(village)s %(year)s年%(month)s月（第%(version)s版）") % {
            "village": self.village,
            "year": self.year,
            "month": self.month,
            "version": self.version,
        }

    def save(self, *args, **kwargs):
        self.township_id = self.village.township_id
        super().save(*args, **kwargs)

    @property
    def is_late(self) -> bool:
        """Sent after the month ended: R8 asks for it within the month."""
        local = timezone.localtime(self.sent_at).date()
        return (local.year, local.month) > (self.year, self.month)


class MonthlyCoverage(models.Model):
    """Per village and calendar month: the members expected at a counted viewing, and of them
    those who watched one (R1's coverage). Derived from the attendance and kept in step with it
    by the services, in the same transaction (rollups.py), so that the compliance pages read a
    year's figures instead of counting the year's attendance on every view. `dianjiao rollups`
    compares it with the attendance and rebuilds it."""

    village = models.ForeignKey(
        "orgs.Village", verbose_name=_("村"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    expected = models.PositiveIntegerField(_("应看人数"), default=0)
    present = models.PositiveIntegerField(_("实看人数"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "village__township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("月度覆盖汇总")
        verbose_name_plural = _("月度覆盖汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "month"], name="coverage_one_per_village_month"
            ),
        ]

    def __str__(self):
        return f"{self.village_id} {self.year}-{self.month:02d}"
