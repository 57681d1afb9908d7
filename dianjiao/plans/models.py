"""The year's plan of a township (R1, R6, R8, R11–R14) and each village's own AV work plan (R1).

Targets are typed here once; compliance is always computed from the records (dianjiao.compliance).
The tables keep the names they had in the former `planning` app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dianjiao.accounts.scope import ScopedQuerySet


class AnnualPlan(models.Model):
    township = models.ForeignKey(
        "orgs.Township", verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    viewings_per_member = models.PositiveSmallIntegerField(
        _("每名党员全年收看次数"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    key_films = models.ManyToManyField(
        "films.Film", verbose_name=_("年度重点片"), blank=True, related_name="+"
    )
    info_items_per_village_month = models.PositiveSmallIntegerField(
        _("每村每月信息条数"), default=1, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    quarterly_report_due_days = models.PositiveSmallIntegerField(
        _("季度报告截止（季末后天数）"),
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(90)],
    )
    joint_meetings = models.PositiveSmallIntegerField(
        _("全年联席会议次数"), default=4, validators=[MinValueValidator(0), MaxValueValidator(52)]
    )
    summary_meetings = models.PositiveSmallIntegerField(
        _("全年调研总结会次数"), default=2, validators=[MinValueValidator(0), MaxValueValidator(12)]
    )
    trainings = models.PositiveSmallIntegerField(
        _("全年培训次数"), default=1, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    pastoral_hours = models.PositiveSmallIntegerField(
        _("牧区流动教学学时"),
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(2000)],
    )
    monthly_inspection = models.BooleanField(_("每月检查每个播放点"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = None  # the township's plan, every village reads it

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        db_table = "planning_annualplan"
        ordering = ["-year", "township_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year"], name="planning_annualplan_unique_year"
            )
        ]

    def __str__(self):
        return f"{self.township} {self.year}"

    def clean(self):
        super().clean()
        if self.pastoral_hours and self.pastoral_hours < 30:
            raise ValidationError(
                {"pastoral_hours": _("牧区流动教学学时不得少于30学时（可填0表示本乡镇无牧区）")}
            )


class VillageWorkPlan(models.Model):
    """A village's annual AV-education work plan (R1). A resubmission is a new version."""

    township = models.ForeignKey(
        "orgs.Township",
        verbose_name=_("乡镇"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    village = models.ForeignKey(
        "orgs.Village", verbose_name=_("村"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    text = models.TextField(_("工作计划"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"))

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("村电教工作计划")
        verbose_name_plural = _("村电教工作计划")
        db_table = "planning_villageworkplan"
        ordering = ["-year", "village_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "version"], name="planning_workplan_unique_version"
            )
        ]

    def __str__(self):
        return f"{self.village} {self.year} v{self.version}"

    def save(self, *args, **kwargs):
        self.township_id = self.village.township_id
        super().save(*args, **kwargs)
