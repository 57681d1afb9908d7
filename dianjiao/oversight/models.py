"""The station's oversight loop (R9, R8, R12, R4, R2, R7, R3): inspect with a versioned, scored
checklist; follow every failed item to its rectification by the village; circulate the results in
a bulletin the party-committee leader approves; assess each branch at year end. Beside it the
meetings, trainings and demonstration units the annual plan counts.

Nothing here is edited in place once it counts: a submitted inspection is corrected by a new
version, a published assessment by an amendment kept beside the original score."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dianjiao.accounts.scope import ScopedQuerySet

USER = settings.AUTH_USER_MODEL


def _user(label, **kw):
    return models.ForeignKey(
        USER, verbose_name=label, on_delete=models.PROTECT, related_name="+", **kw
    )


def _township():
    return models.ForeignKey(
        "orgs.Township",
        verbose_name=_("乡镇"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )


# ---------------------------------------------------------------- checklists


class ChecklistTemplate(models.Model):
    """One version of the township's inspection checklist. A change is a new version; the
    inspections keep the version they used."""

    township = _township()
    version = models.PositiveSmallIntegerField(_("版本"))
    title = models.CharField(_("名称"), max_length=100)
    created_by = _user(_("制定人"))
    created_at = models.DateTimeField(_("制定时间"))

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = None

    class Meta:
        verbose_name = _("检查细则")
        verbose_name_plural = pgettext_lazy("plural", "检查细则")
        ordering = ["township_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["township", "version"], name="oversight_template_ver")
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"


class ChecklistItem(models.Model):
    class Source(models.TextChoices):
        NONE = "", _("现场检查")
        VIEWING = "viewing", _("当月组织收看")
        FOUR_RING = "four_ring", _("重点片四环教学记录完整")
        FEEDBACK = "feedback", _("上月收看情况已反馈")
        INFO = "info", _("当月电教信息已报送")

    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("检查细则"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("检查项目"), max_length=200)
    max_score = models.PositiveSmallIntegerField(
        _("分值"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    guidance = models.TextField(_("评分说明"), blank=True)
    source = models.CharField(
        _("由记录预填"), max_length=12, choices=Source.choices, default="", blank=True
    )

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "template__township"
    scope_village_path = None

    class Meta:
        verbose_name = _("检查项目")
        verbose_name_plural = pgettext_lazy("plural", "检查项目")
        ordering = ["template", "order"]

    def __str__(self):
        return self.text


# ---------------------------------------------------------------- inspections


class Inspection(models.Model):
    """One inspection by the station (R9), of a viewing point or of a whole village (no point).

    MONTHLY_COVERS: "every classroom checked every month" counts a point as checked in a month
    when that month has a current monthly inspection of the point, or of its whole village (the
    inspector went through all of the village's classrooms in one visit). The plan's progress and
    the to-do list of unchecked points both read it so (oversight.selectors)."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("月查")
        SPECIAL = "special", _("半年专项检查")
        ANNUAL = "annual", _("年查")

    township = _township()
    village = models.ForeignKey(
        "orgs.Village", verbose_name=_("村"), on_delete=models.PROTECT, related_name="+"
    )
    point = models.ForeignKey(
        "orgs.ViewingPoint",
        verbose_name=_("播放点"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("检查类别"), max_length=10, choices=Kind.choices)
    inspected_on = models.DateField(_("检查日期"))
    inspector = _user(_("检查人"))
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("检查细则"), on_delete=models.PROTECT, related_name="+"
    )
    observation = models.TextField(_("检查情况"), blank=True)
    score = models.PositiveSmallIntegerField(_("得分"), default=0)
    max_score = models.PositiveSmallIntegerField(_("满分"), default=0)
    # A correction is a new version; the earlier one stays, no longer current.
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的检查"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    correction_reason = models.TextField(_("更正原因"), blank=True)
    current = models.BooleanField(_("现行版本"), default=True)
    submitted_at = models.DateTimeField(_("提交时间"))

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = pgettext_lazy("plural", "检查")
        ordering = ["-inspected_on", "-pk"]
        indexes = [
            models.Index(fields=["township", "inspected_on"], name="oversight_insp_township_day")
        ]

    def __str__(self):
        return f"{self.village} {self.inspected_on} {self.get_kind_display()}"

    @property
    def percent(self) -> float | None:
        return round(100 * self.score / self.max_score, 1) if self.max_score else None


class InspectionResult(models.Model):
    class Status(models.TextChoices):
        MEETS = "meets", _("达标")
        PARTLY = "partly", _("部分达标")
        FAILS = "fails", _("不达标")
        NA = "na", _("不适用")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.PROTECT, related_name="results"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("检查项目"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("结论"), max_length=8, choices=Status.choices)
    score = models.PositiveSmallIntegerField(_("得分"), default=0)
    note = models.TextField(_("说明"), blank=True)
    # What the records said, when the item is answered by them; an override keeps its reason.
    record_status = models.CharField(
        _("记录显示"), max_length=8, choices=Status.choices, blank=True
    )
    override_reason = models.TextField(_("不采用记录的理由"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "inspection__township"
    scope_village_path = "inspection__village"

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = pgettext_lazy("plural", "检查结果")
        ordering = ["inspection", "item__order"]

    def __str__(self):
        return f"{self.item}: {self.get_status_display()}"


def photo_path(photo, filename):
    return f"oversight/{photo.inspection.township_id}/{photo.inspection_id}/{filename}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.PROTECT, related_name="photos"
    )
    image = models.ImageField(_("照片"), upload_to=photo_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "inspection__township"
    scope_village_path = "inspection__village"

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = pgettext_lazy("plural", "检查照片")
        ordering = ["inspection", "pk"]

    def __str__(self):
        return self.original_name or self.image.name


def evidence_path(rect, filename):
    return f"oversight/{rect.township_id}/rectifications/{filename}"


class Rectification(models.Model):
    """A failed item, followed to its fix: the village responds with evidence, the station
    accepts or sends it back."""

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        SUBMITTED = "submitted", _("已报整改")
        RETURNED = "returned", _("退回重改")
        ACCEPTED = "accepted", _("已验收")

    township = _township()
    village = models.ForeignKey(
        "orgs.Village", verbose_name=_("整改村"), on_delete=models.PROTECT, related_name="+"
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.PROTECT, related_name="rectifications"
    )
    result = models.ForeignKey(
        InspectionResult, verbose_name=_("检查结果"), on_delete=models.PROTECT, related_name="+"
    )
    problem = models.CharField(_("问题"), max_length=300)
    due_on = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="open")
    response = models.TextField(_("整改情况"), blank=True)
    evidence_photo = models.ImageField(
        _("整改照片"), upload_to=evidence_path, max_length=300, blank=True
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = _user(_("报送人"), null=True, blank=True)
    decided_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    decided_by = _user(_("验收人"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("整改")
        verbose_name_plural = pgettext_lazy("plural", "整改")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.village} {self.problem}"

    def overdue_on(self, day) -> bool:
        return self.status in (self.Status.OPEN, self.Status.RETURNED) and day > self.due_on


# ---------------------------------------------------------------- bulletins


class Bulletin(models.Model):
    class Period(models.TextChoices):
        MONTH = "month", _("月度")
        HALF = "half", _("半年")
        YEAR = "year", _("年度")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审批")
        RETURNED = "returned", _("已退回")
        ISSUED = "issued", _("已印发")

    township = _township()
    period = models.CharField(_("期间"), max_length=6, choices=Period.choices)
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    # The month (1-12) or the half (1-2); 0 for a year.
    part = models.PositiveSmallIntegerField(
        _("月份/半年"), default=0, validators=[MaxValueValidator(12)]
    )
    number = models.CharField(_("文号"), max_length=50, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("总体情况"), blank=True)
    good_practice = models.TextField(_("好的做法"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    # [{"village": id, "name": str, "score": float|None, "inspections": n}, …] best first.
    ranking = models.JSONField(_("排名"), default=list, blank=True)
    rectifications_due = models.JSONField(_("待整改事项"), default=list, blank=True)
    # {"village id": {"name", "count", "head"}} as of the period's end, taken when issued.
    checkpoints = models.JSONField(_("手册链头"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="draft")
    drafted_by = _user(_("起草人"))
    drafted_at = models.DateTimeField(_("起草时间"))
    return_reason = models.TextField(_("退回理由"), blank=True)
    approved_by = _user(_("审批人"), null=True, blank=True)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = None  # issued to every village of the township

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = pgettext_lazy("plural", "通报")
        ordering = ["-year", "-drafted_at", "-pk"]

    def __str__(self):
        return self.title


# ---------------------------------------------------------------- assessment


class Assessment(models.Model):
    """A township's year-end proposed AV-work scores (R9), draft until the leader publishes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已公布")

    township = _township()
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    # {"inspections": 30, "viewing": 20, …}: points per component, set by the station per year.
    weights = models.JSONField(_("权重"), default=dict)
    candidates = models.PositiveSmallIntegerField(
        _("先进党支部候选数"), default=2, validators=[MaxValueValidator(50)]
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="draft")
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    computed_by = _user(_("计算人"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_by = _user(_("公布人"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = None

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = pgettext_lazy("plural", "年度考核")
        ordering = ["-year", "township_id"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="oversight_assessment_year")
        ]

    def __str__(self):
        return f"{self.township} {self.year}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("年度考核"), on_delete=models.PROTECT, related_name="scores"
    )
    village = models.ForeignKey(
        "orgs.Village", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    # {component: {"rate": 0-100 or None, "points": float, "weight": n, "detail": str}}
    components = models.JSONField(_("分项"), default=dict)
    rank = models.PositiveSmallIntegerField(_("名次"))
    candidate = models.BooleanField(_("先进候选"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "assessment__township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = pgettext_lazy("plural", "考核得分")
        ordering = ["assessment", "rank", "village__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "village"], name="oversight_score_once")
        ]

    def __str__(self):
        return f"{self.village} {self.score}"


class AssessmentAmendment(models.Model):
    score = models.ForeignKey(
        AssessmentScore,
        verbose_name=_("考核得分"),
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    old_score = models.DecimalField(_("原得分"), max_digits=5, decimal_places=1)
    new_score = models.DecimalField(
        _("更正后得分"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    reason = models.TextField(_("更正理由"))
    amended_by = _user(_("更正人"))
    amended_at = models.DateTimeField(_("更正时间"))

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "score__assessment__township"
    scope_village_path = "score__village"

    class Meta:
        verbose_name = _("考核更正")
        verbose_name_plural = pgettext_lazy("plural", "考核更正")
        ordering = ["score", "amended_at"]

    def __str__(self):
        return f"{self.score.village} {self.old_score}→{self.new_score}"


# ---------------------------------------------------------------- meetings and trainings


class Meeting(models.Model):
    class Kind(models.TextChoices):
        JOINT = "joint", _("季度联席会议")
        SUMMARY = "summary", _("半年调研总结会")

    township = _township()
    kind = models.CharField(_("会议类别"), max_length=8, choices=Kind.choices)
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=100)
    agenda = models.TextField(_("议程"))
    minutes = models.TextField(_("会议纪要"), blank=True)
    convened_by = _user(_("召集人"))
    convened_at = models.DateTimeField(_("登记时间"))

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = None

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = pgettext_lazy("plural", "会议")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()}"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="attendance"
    )
    village = models.ForeignKey(
        "orgs.Village", verbose_name=_("村"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("电教员"), max_length=50)
    present = models.BooleanField(_("出席"), default=True)
    absence_reason = models.CharField(_("缺席原因"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "meeting__township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("会议出席")
        verbose_name_plural = pgettext_lazy("plural", "会议出席")
        ordering = ["meeting", "village__sort_order", "pk"]

    def __str__(self):
        return self.name


class ActionItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="actions"
    )
    township = _township()
    village = models.ForeignKey(
        "orgs.Village",
        verbose_name=_("责任村"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("空表示由电教站负责"),
    )
    text = models.CharField(_("议定事项"), max_length=300)
    due_on = models.DateField(_("完成期限"))
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    closed_by = _user(_("办结人"), null=True, blank=True)
    closing_note = models.TextField(_("办理情况"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = None  # decisions of the meeting: every village reads them

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = pgettext_lazy("plural", "议定事项")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.text


class Training(models.Model):
    class Kind(models.TextChoices):
        THEORY = "theory", _("坐下来学理论")
        FIELD = "field", _("走出去取经验")

    township = _township()
    kind = models.CharField(_("培训形式"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("培训内容"), max_length=200)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    hours = models.DecimalField(
        _("学时"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5)]
    )
    trainers = models.CharField(_("授课人"), max_length=200)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    recorded_by = _user(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"))

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = None

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = pgettext_lazy("plural", "培训")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return self.title


class TrainingAttendance(models.Model):
    training = models.ForeignKey(
        Training, verbose_name=_("培训"), on_delete=models.PROTECT, related_name="attendance"
    )
    village = models.ForeignKey(
        "orgs.Village", verbose_name=_("村"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("电教干部"), max_length=50)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "training__township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("培训学员")
        verbose_name_plural = pgettext_lazy("plural", "培训学员")
        ordering = ["training", "village__sort_order", "name"]

    def __str__(self):
        return self.name


def material_path(material, filename):
    return f"oversight/{material.training.township_id}/trainings/{material.training_id}/{filename}"


class TrainingMaterial(models.Model):
    """A file handed out at a training (slides, texts, forms). Never deleted: a material that
    should no longer be handed out is withdrawn, with a reason, and stays in the history."""

    training = models.ForeignKey(
        Training, verbose_name=_("培训"), on_delete=models.PROTECT, related_name="materials"
    )
    title = models.CharField(_("资料名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=material_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    uploaded_by = _user(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = _user(_("撤回人"), null=True, blank=True)
    withdraw_reason = models.TextField(_("撤回理由"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "training__township"
    scope_village_path = None  # the training's: every village of the township reads it

    class Meta:
        verbose_name = _("培训资料")
        verbose_name_plural = pgettext_lazy("plural", "培训资料")
        ordering = ["training", "uploaded_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


# ---------------------------------------------------------------- demonstration units


class DemoUnit(models.Model):
    """A demonstration viewing point (R2) or a science-and-technology demonstration village or
    household (R7), from candidate to its naming at year end."""

    class Kind(models.TextChoices):
        POINT = "point", _("示范播放点")
        VILLAGE = "village", _("科技示范村")
        HOUSEHOLD = "household", _("科技示范户")

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("候选")
        NAMED = "named", _("已命名")

    township = _township()
    village = models.ForeignKey(
        "orgs.Village", verbose_name=_("村"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    point = models.ForeignKey(
        "orgs.ViewingPoint",
        verbose_name=_("播放点"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    household = models.CharField(_("示范户户主"), max_length=50, blank=True)
    criteria = models.TextField(_("县定标准"), blank=True)
    sponsor = models.CharField(_("包村单位"), max_length=100, blank=True)
    contribution = models.TextField(_("包村单位投入"), blank=True)
    evidence = models.TextField(_("示范成效"), blank=True)
    guidance_visits = models.TextField(_("电教站指导记录"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="candidate")
    named_on = models.DateField(_("命名日期"), null=True, blank=True)
    plaque_on = models.DateField(_("挂牌日期"), null=True, blank=True)
    recorded_by = _user(_("登记人"))

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("示范单位")
        verbose_name_plural = pgettext_lazy("plural", "示范单位")
        ordering = ["-year", "kind", "village__sort_order", "pk"]

    def __str__(self):
        if self.kind == self.Kind.HOUSEHOLD and self.household:
            return f"{self.village.name} {self.household}"
        if self.kind == self.Kind.POINT and self.point_id:
            return str(self.point)
        return self.village.name
