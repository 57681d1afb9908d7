"""The film library (R5, R11): the station's catalogue, every copy of every film, the films it
announces early for a coming period, the villages' requests, and the loans that carry copies out
to the villages and back.

Writes go through services.py; the status of a copy and of a request changes only there.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from dianjiao.accounts.scope import ScopedQuerySet
from dianjiao.lib.dates import today
from dianjiao.lib.forms import trim_search


def _in_language(name: str, name_en: str) -> str:
    """A list entry's name as the interface speaks: its English name in English, when it has one.
    (These are editable rows, not strings of the code, so the catalog cannot carry them.)"""
    return name_en if name_en and get_language() == "en" else name


class Theme(models.Model):
    """The year's teaching themes (先进性教育, 社会主义荣辱观 …): an editable list, kept in the admin."""

    name = models.CharField(_("主题"), max_length=50, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("教育主题")
        verbose_name_plural = pgettext_lazy("plural", "教育主题")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return _in_language(self.name, self.name_en)


class Language(models.Model):
    """A language a film is dubbed or subtitled in (普通话, 哈萨克语 …)."""

    name = models.CharField(_("语种"), max_length=30, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=50, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("语种")
        verbose_name_plural = pgettext_lazy("plural", "语种")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return _in_language(self.name, self.name_en)


class FilmQuerySet(ScopedQuerySet):
    def search(self, text: str):
        """Title, series or theme; a theme match is an EXISTS, so a film is listed once."""
        text = trim_search(text)
        if not text:
            return self
        theme = Film.themes.through.objects.filter(film=OuterRef("pk"), theme__name__contains=text)
        return self.filter(Q(title__contains=text) | Q(series__contains=text) | Exists(theme))

    def active(self):
        return self.filter(active=True)


class Film(models.Model):
    """A title in the township's catalogue (a township-wide record every village may read)."""

    township = models.ForeignKey(
        "orgs.Township", verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("片名"), max_length=120)
    series = models.CharField(_("系列"), max_length=80, blank=True, help_text=_("如《榜样》系列"))
    producer = models.CharField(_("出品单位"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(
        _("出品年份"), null=True, blank=True, validators=[MinValueValidator(1949)]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("时长（分钟）"),
        validators=[MinValueValidator(1), MaxValueValidator(1500)],
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("教育主题"), blank=True, related_name="films"
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("语种版本"), blank=True, related_name="films"
    )
    is_key_film = models.BooleanField(
        _("重点片"),
        default=False,
        help_text=_("重点片须按“四环教学法”组织收看"),
    )
    synopsis = models.TextField(_("内容简介"), blank=True)
    # The four-ring method (四环教学法) for key films: preparation, prompts, discussion.
    prep_notes = models.TextField(_("播前备课建议"), blank=True)
    prompts = models.TextField(_("播中提示"), blank=True)
    discussion_questions = models.TextField(_("看后讨论题"), blank=True)
    active = models.BooleanField(
        _("在用"), default=True, help_text=_("停用的片子不再供申请，记录仍保留")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = FilmQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = None  # the catalogue is the whole township's

    class Meta:
        verbose_name = _("电教片")
        verbose_name_plural = pgettext_lazy("plural", "电教片")
        ordering = ["series", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["township", "title"], name="films_film_unique_title")
        ]

    def __str__(self):
        return f"《{self.title}》"

    def clean(self):
        if self.year and self.year > today().year + 1:
            raise ValidationError({"year": _("出品年份不能晚于明年")})

    @property
    def has_teaching_notes(self) -> bool:
        return bool(self.prep_notes and self.prompts and self.discussion_questions)


class FilmCopy(models.Model):
    """One disc, stick or file of a film, and where it is now."""

    class Medium(models.TextChoices):
        DVD = "dvd", _("DVD光盘")
        VCD = "vcd", _("VCD光盘")
        USB = "usb", _("U盘")
        FILE = "file", _("数字文件")

    class Condition(models.TextChoices):
        GOOD = "good", _("完好")
        WORN = "worn", _("有磨损")
        DAMAGED = "damaged", _("损坏")

    class Status(models.TextChoices):
        SHELF = "shelf", _("在站")
        LOANED = "loaned", _("借出")
        LOST = "lost", _("遗失")
        WRITTEN_OFF = "written_off", _("注销")

    RETIRED = (Status.LOST, Status.WRITTEN_OFF)

    township = models.ForeignKey(
        "orgs.Township",
        verbose_name=_("乡镇"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    film = models.ForeignKey(
        Film, verbose_name=_("电教片"), on_delete=models.PROTECT, related_name="copies"
    )
    inventory_no = models.CharField(_("库存编号"), max_length=30)
    medium = models.CharField(_("介质"), max_length=10, choices=Medium.choices, default=Medium.DVD)
    language = models.ForeignKey(
        Language,
        verbose_name=_("语种"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    condition = models.CharField(
        _("状况"), max_length=10, choices=Condition.choices, default=Condition.GOOD
    )
    status = models.CharField(
        _("现在何处"), max_length=12, choices=Status.choices, default=Status.SHELF, editable=False
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # The uploaded video of a digital copy. Its name in the default storage (MEDIA_ROOT/films/...)
    # is kept in a plain CharField rather than a FileField: the audit trail snapshots every field
    # as JSON and cannot serialise a FieldFile (see services.copy_attach_video).
    file_name = models.CharField(_("视频文件"), max_length=255, blank=True, editable=False)
    file_original_name = models.CharField(_("原文件名"), max_length=255, blank=True, editable=False)
    file_type = models.CharField(_("文件类型"), max_length=50, blank=True, editable=False)
    file_size = models.BigIntegerField(_("文件大小（字节）"), null=True, blank=True, editable=False)
    file_uploaded_at = models.DateTimeField(_("上传时间"), null=True, blank=True, editable=False)
    written_off_at = models.DateTimeField(_("注销时间"), null=True, blank=True, editable=False)
    written_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("注销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    written_off_reason = models.CharField(
        _("遗失/注销原因"), max_length=200, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = None  # every village may see what the station holds; loans are scoped

    class Meta:
        verbose_name = _("拷贝")
        verbose_name_plural = pgettext_lazy("plural", "拷贝")
        ordering = ["inventory_no", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "inventory_no"], name="films_copy_unique_inventory_no"
            ),
        ]

    def __str__(self):
        return f"{self.inventory_no} {self.film}" if self.film_id else self.inventory_no

    def save(self, *args, **kwargs):
        self.township_id = self.film.township_id
        super().save(*args, **kwargs)

    @property
    def is_retired(self) -> bool:
        return self.status in self.RETIRED

    @property
    def is_lendable(self) -> bool:
        return self.status == self.Status.SHELF and self.medium != self.Medium.FILE

    @property
    def has_video(self) -> bool:
        return bool(self.file_name)

    @property
    def plays_in_browser(self) -> bool:
        from .video import PLAYABLE_TYPES

        return self.file_type in PLAYABLE_TYPES

    @property
    def current_loan(self):
        """The open loan the viewer may see (from selectors' `open_loans` prefetch), or None."""
        loans = getattr(self, "open_loans", None)
        return loans[0] if loans else None


class AnnouncementQuerySet(ScopedQuerySet):
    def current(self, on=None):
        """Announcements whose period has not yet ended: what villages should plan with."""
        return self.filter(period_end__gte=on or today())


class Announcement(models.Model):
    """供片信息: the films the station will supply for a coming period, announced early (R5)."""

    township = models.ForeignKey(
        "orgs.Township", verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=120)
    period_start = models.DateField(_("供片开始日期"))
    period_end = models.DateField(_("供片结束日期"))
    films = models.ManyToManyField(Film, verbose_name=_("供应片目"), related_name="announcements")
    note = models.TextField(_("说明"), blank=True)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AnnouncementQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = None

    class Meta:
        verbose_name = pgettext_lazy("singular", "供片信息")
        verbose_name_plural = pgettext_lazy("plural", "供片信息")
        ordering = ["period_start", "pk"]

    def __str__(self):
        return self.title

    @property
    def has_started(self) -> bool:
        return self.period_start <= today()

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("结束日期不能早于开始日期")})


class FilmRequest(models.Model):
    """A village asks for films for given dates; the station approves or rejects, then dispatches."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")
        DISPATCHED = "dispatched", _("已发放")
        COMPLETED = "completed", _("已归还")

    township = models.ForeignKey(
        "orgs.Township",
        verbose_name=_("乡镇"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    village = models.ForeignKey(
        "orgs.Village",
        verbose_name=_("申请村"),
        on_delete=models.PROTECT,
        related_name="film_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"))
    note = models.TextField(_("说明"), blank=True)
    source = models.CharField(
        _("来源"), max_length=200, blank=True, help_text=_("如“第三季度播放计划”")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reject_reason = models.CharField(_("驳回理由"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("片源申请")
        verbose_name_plural = pgettext_lazy("plural", "片源申请")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["township", "status"], name="films_request_status")]

    def __str__(self):
        if not self.village_id:
            return gettext("片源申请")
        when = f"{self.requested_at:%Y-%m-%d}" if self.requested_at else ""
        return gettext("%(village)s %(when)s 片源申请") % {
            "village": self.village.name,
            "when": when,
        }

    def save(self, *args, **kwargs):
        self.township_id = self.village.township_id
        super().save(*args, **kwargs)


class FilmRequestLine(models.Model):
    """One film of a request and the date the village wants to show it."""

    request = models.ForeignKey(
        FilmRequest, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="lines"
    )
    film = models.ForeignKey(
        Film, verbose_name=_("电教片"), on_delete=models.PROTECT, related_name="request_lines"
    )
    wanted_on = models.DateField(_("计划放映日期"))
    # The language version the village wants (普通话, 哈萨克语 …), asked where the station holds
    # copies in more than one; empty when any will do (a request made from a quarterly plan).
    language = models.ForeignKey(
        Language,
        verbose_name=_("所需语种"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "request__township"
    scope_village_path = "request__village"

    class Meta:
        verbose_name = _("申请片目")
        verbose_name_plural = pgettext_lazy("plural", "申请片目")
        ordering = ["wanted_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "film"], name="films_line_unique_film")
        ]

    def __str__(self):
        return (
            f"{self.film} {self.wanted_on:%Y-%m-%d}"
            if self.film_id and self.wanted_on
            else str(self.pk)
        )


class LoanQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(returned_at__isnull=True)

    def overdue(self, on=None):
        return self.open().filter(due_on__lt=on or today())


class Loan(models.Model):
    """A copy lent to a village: dispatched, received, returned; each step dated and signed."""

    township = models.ForeignKey(
        "orgs.Township",
        verbose_name=_("乡镇"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    village = models.ForeignKey(
        "orgs.Village",
        verbose_name=_("借片村"),
        on_delete=models.PROTECT,
        related_name="film_loans",
    )
    copy = models.ForeignKey(
        FilmCopy, verbose_name=_("拷贝"), on_delete=models.PROTECT, related_name="loans"
    )
    line = models.OneToOneField(
        FilmRequestLine,
        verbose_name=_("申请片目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loan",
    )
    dispatched_at = models.DateTimeField(_("发放时间"))
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发放人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("应还日期"))
    # The language of the copy sent, kept with the loan: the copy's own may be corrected later.
    language = models.ForeignKey(
        Language,
        verbose_name=_("发放语种"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("归还时间"), null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收回经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_condition = models.CharField(
        _("归还时状况"), max_length=10, choices=FilmCopy.Condition.choices, blank=True
    )
    return_note = models.CharField(_("归还备注"), max_length=200, blank=True)
    lost = models.BooleanField(_("借出期间遗失或注销"), default=False)

    objects = LoanQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = pgettext_lazy("singular", "借片记录")
        verbose_name_plural = pgettext_lazy("plural", "借片记录")
        ordering = ["-dispatched_at", "-pk"]
        indexes = [
            models.Index(fields=["township", "returned_at", "due_on"], name="films_loan_open_due")
        ]
        constraints = [
            # A copy is in one place at a time: at most one loan of it is open. The service
            # checks first under a row lock; this is the floor under that check.
            models.UniqueConstraint(
                fields=["copy"],
                condition=Q(returned_at__isnull=True),
                name="films_loan_one_open_per_copy",
                violation_error_message=_("该拷贝已被借出"),
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True)
                | Q(returned_at__gte=models.F("dispatched_at")),
                name="films_loan_returned_after_dispatch",
            ),
            models.CheckConstraint(
                condition=Q(received_at__isnull=True)
                | Q(received_at__gte=models.F("dispatched_at")),
                name="films_loan_received_after_dispatch",
            ),
        ]

    def __str__(self):
        return (
            f"{self.copy} → {self.village.name}"
            if self.copy_id and self.village_id
            else str(self.pk)
        )

    def save(self, *args, **kwargs):
        self.township_id = self.copy.township_id
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.returned_at is None

    @property
    def days_overdue(self) -> int:
        if not self.is_open or not self.due_on:
            return 0
        return max(0, (today() - self.due_on).days)

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0
