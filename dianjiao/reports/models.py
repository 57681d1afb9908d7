"""R11: a village's quarterly report of viewings, with the next quarter's broadcast plan and film needs."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dianjiao.accounts.scope import ScopedQuerySet


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First day of the quarter and first day of the next one."""
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end


class QuarterlyReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已上报")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已审核")

    village = models.ForeignKey(
        "orgs.Village",
        verbose_name=_("村"),
        on_delete=models.PROTECT,
        related_name="quarterly_reports",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), choices=[(q, q) for q in (1, 2, 3, 4)])
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    narrative = models.TextField(_("工作情况"), blank=True)
    plan = models.TextField(_("下季度播放计划"), blank=True)
    film_lines = models.JSONField(_("片源需求"), default=list, blank=True)
    figures = models.JSONField(_("统计数据"), default=dict, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"))
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "village__township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("季度报告")
        verbose_name_plural = _("季度报告")
        ordering = ["-year", "-quarter", "village__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "quarter"], name="one_report_per_village_quarter"
            ),
        ]

    def __str__(self):
        return f"{self.village} {self.year}-Q{self.quarter}"


class ReportVersion(models.Model):
    """A submitted version of a report, kept as it was: never overwritten."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    narrative = models.TextField(blank=True)
    plan = models.TextField(blank=True)
    film_lines = models.JSONField(default=list)
    figures = models.JSONField(default=dict)
    submitted_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="one_version_number_per_report"
            )
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"
