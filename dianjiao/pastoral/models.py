"""Pastoral mobile teaching campaigns (R13): in a migration season the station leads the pastoral
villages' operators to the herders' camps (pastoral points) to teach and show films, at least the
plan's hours of teaching plus viewing.

A session belongs to a campaign's point when it is a pastoral session (kind "pastoral") held at
one of the point's viewing points (each village's mobile point that sets up at the camp) within
the campaign's dates. Nothing is copied: the ledger sums the sessions themselves, so a correction
of a session shows in the ledger at once."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dianjiao.accounts.scope import ScopedQuerySet


class Campaign(models.Model):
    township = models.ForeignKey(
        "orgs.Township", verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    # From the year's plan when the campaign is created (AnnualPlan.pastoral_hours), then its own.
    target_hours = models.PositiveSmallIntegerField(
        _("目标学时"), default=30, validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), blank=True, related_name="+"
    )
    notes = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = None  # the township's campaign: every village may read it

    class Meta:
        verbose_name = _("流动教学活动")
        verbose_name_plural = _("流动教学活动")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "name"], name="pastoral_campaign_unique_name"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="pastoral_campaign_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})
        if self.starts_on and self.ends_on and (self.ends_on - self.starts_on).days > 366:
            raise ValidationError({"ends_on": _("一次流动教学活动不能超过一年")})

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def is_open_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class PastoralPoint(models.Model):
    """A herders' camp where the campaign teaches: where it is, and whose herders gather there."""

    class River(models.TextChoices):
        ULUNGUR = "ulungur", _("乌伦古河流域")
        IRTYSH = "irtysh", _("额尔齐斯河流域")
        OTHER = "other", _("其他")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("流动教学活动"), on_delete=models.PROTECT, related_name="points"
    )
    name = models.CharField(_("牧业点名称"), max_length=100)
    river_area = models.CharField(_("流域"), max_length=10, choices=River.choices)
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    villages = models.ManyToManyField("orgs.Village", verbose_name=_("牧业村"), related_name="+")
    # The villages' mobile points that set up at this camp: a session there counts for it.
    viewing_points = models.ManyToManyField(
        "orgs.ViewingPoint", verbose_name=_("各村流动播放点"), related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "campaign__township"
    scope_village_path = None

    class Meta:
        verbose_name = _("牧业点")
        verbose_name_plural = _("牧业点")
        ordering = ["campaign_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="pastoral_point_unique_name")
        ]

    def __str__(self):
        return self.name
