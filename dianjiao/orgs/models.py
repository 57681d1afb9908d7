"""County > township > village (one party branch each) > viewing points > equipment (R2)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dianjiao.accounts.scope import ScopedQuerySet
from dianjiao.lib.dates import today


class County(models.Model):
    name = models.CharField(_("县名"), max_length=50, unique=True)
    area_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = None  # a county is seen by everyone scoped inside it
    scope_county_path = ""

    class Meta:
        verbose_name = _("县")
        verbose_name_plural = pgettext_lazy("plural", "县")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Township(models.Model):
    county = models.ForeignKey(
        County, verbose_name=_("县"), on_delete=models.PROTECT, related_name="townships"
    )
    name = models.CharField(_("乡镇名"), max_length=50)
    station_name = models.CharField(_("电教站名称"), max_length=80, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = ""

    class Meta:
        verbose_name = _("乡镇")
        verbose_name_plural = pgettext_lazy("plural", "乡镇")
        ordering = ["county__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="township_unique_name")
        ]

    def __str__(self):
        return self.name


class Village(models.Model):
    """A village and its party branch: the unit that is assessed."""

    township = models.ForeignKey(
        Township, verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="villages"
    )
    name = models.CharField(_("村名"), max_length=50)
    branch_name = models.CharField(_("党支部名称"), max_length=80)
    is_pastoral = models.BooleanField(_("牧业村"), default=False)
    secretary = models.CharField(_("支部书记"), max_length=50, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = ""

    class Meta:
        verbose_name = _("村（党支部）")
        verbose_name_plural = pgettext_lazy("plural", "村（党支部）")
        ordering = ["township_id", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="village_unique_name")
        ]

    def __str__(self):
        return self.name


class ViewingPoint(models.Model):
    class Kind(models.TextChoices):
        CLASSROOM = "classroom", _("固定电教室")
        DEMONSTRATION = "demonstration", _("示范播放点")
        PASTORAL = "pastoral", _("牧业播放点")

    village = models.ForeignKey(
        Village, verbose_name=_("所属村"), on_delete=models.PROTECT, related_name="points"
    )
    township = models.ForeignKey(
        Township, verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    name = models.CharField(_("播放点名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.CLASSROOM)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    seasonal_place = models.CharField(
        _("季节性驻地"),
        max_length=120,
        blank=True,
        help_text=_("牧业播放点随转场所在的地方，如乌伦古河夏牧场"),
    )
    operator_name = models.CharField(_("电教员"), max_length=50, blank=True)
    active = models.BooleanField(_("在用"), default=True)
    # Where the roster import places a new member of the village whose row names no point, when
    # the village has more than one point in use (at most one per village; services.point_save).
    is_default = models.BooleanField(
        _("默认播放点"),
        default=False,
        help_text=_("导入花名册时，未填收看播放点的本村党员安排到这里"),
    )

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("播放点")
        verbose_name_plural = pgettext_lazy("plural", "播放点")
        ordering = ["village__sort_order", "village__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="point_unique_name"),
            models.UniqueConstraint(
                fields=["village"],
                condition=models.Q(is_default=True),
                name="point_one_default_per_village",
            ),
        ]

    def __str__(self):
        return f"{self.village.name}·{self.name}" if self.village_id else self.name

    def save(self, *args, **kwargs):
        self.township_id = self.village.township_id
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.kind == self.Kind.PASTORAL and not self.seasonal_place:
            errors["seasonal_place"] = _("牧业播放点须填写季节性驻地（如乌伦古河夏牧场）")
        if self.is_default and not self.active:
            errors["is_default"] = _("停用的播放点不能作为默认播放点")
        if errors:
            raise ValidationError(errors)


class Equipment(models.Model):
    class Kind(models.TextChoices):
        TV = "tv", _("电视机")
        PLAYER = "player", _("影碟机")
        SATELLITE = "satellite", _("卫星接收设备")
        PROJECTOR = "projector", _("投影仪")
        COMPUTER = "computer", _("电脑")
        SCREEN = "screen", _("幕布")
        SPEAKER = "speaker", _("音响")
        GENERATOR = "generator", _("发电机/太阳能电源")
        OTHER = "other", _("其他")

    class Condition(models.TextChoices):
        GOOD = "good", _("完好")
        FAULTY = "faulty", _("故障")
        REPAIRING = "repairing", _("维修中")
        RETIRED = "retired", _("已报废")

    OUT_OF_ORDER = (Condition.FAULTY, Condition.REPAIRING)

    point = models.ForeignKey(
        ViewingPoint, verbose_name=_("播放点"), on_delete=models.PROTECT, related_name="equipment"
    )
    township = models.ForeignKey(
        Township, verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    village = models.ForeignKey(
        Village, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("设备类别"), max_length=20, choices=Kind.choices)
    model_name = models.CharField(_("品牌型号"), max_length=100, blank=True)
    serial = models.CharField(_("编号"), max_length=60, blank=True)
    condition = models.CharField(
        _("状况"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )
    acquired_on = models.DateField(_("配备日期"), null=True, blank=True)
    last_checked_on = models.DateField(_("最近检查"), null=True, blank=True)
    repair_notes = models.TextField(_("维修记录"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("设备")
        verbose_name_plural = pgettext_lazy("plural", "设备")
        ordering = ["point_id", "kind", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.model_name}".strip()

    def save(self, *args, **kwargs):
        self.village_id = self.point.village_id
        self.township_id = self.point.township_id
        super().save(*args, **kwargs)

    @property
    def out_of_order(self) -> bool:
        return self.condition in self.OUT_OF_ORDER

    def clean(self):
        errors = {}
        for field in ("acquired_on", "last_checked_on"):
            value = getattr(self, field)
            if value and value > today():
                errors[field] = _("日期不能晚于今天")
        if self.condition in self.OUT_OF_ORDER and not self.repair_notes:
            errors["repair_notes"] = _("设备故障或维修中时，请写明故障情况或维修记录")
        if errors:
            raise ValidationError(errors)
