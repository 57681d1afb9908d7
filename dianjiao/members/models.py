"""The party-member roster (R2, R6): every member must be reached by a viewing point."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import dateformat
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from dianjiao.accounts.scope import ScopedQuerySet
from dianjiao.lib import idcard, names, pinyin
from dianjiao.lib.dates import today, years_between
from dianjiao.lib.forms import trim_search


class MemberQuerySet(ScopedQuerySet):
    def search(self, text: str):
        """Name, full pinyin or initials: `zs`, `zhangsan` and `张` all find 张三; also ID and phone."""
        text = trim_search(text)
        if not text:
            return self
        key = text.lower().replace(" ", "")
        return self.filter(
            Q(name__contains=text)
            | Q(name_pinyin__startswith=key)
            | Q(name_initials__startswith=key)
            | Q(id_number__startswith=text.upper())
            | Q(phone__startswith=text)
        )

    def active(self):
        return self.filter(active=True)


class Member(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class Category(models.TextChoices):
        FULL = "full", _("正式党员")
        PROBATIONARY = "probationary", _("预备党员")

    class Mobility(models.TextChoices):
        RESIDENT = "resident", _("常住")
        PASTORAL = "pastoral", _("牧业转场")
        MIGRANT = "migrant", _("流动党员")

    township = models.ForeignKey(
        "orgs.Township",
        verbose_name=_("乡镇"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    village = models.ForeignKey(
        "orgs.Village",
        verbose_name=_("所在党支部"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    point = models.ForeignKey(
        "orgs.ViewingPoint",
        verbose_name=_("收看播放点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(max_length=200, editable=False, db_index=True)
    name_initials = models.CharField(max_length=50, editable=False, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"))
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    category = models.CharField(
        _("党员类别"), max_length=20, choices=Category.choices, default=Category.FULL
    )
    joined_on = models.DateField(_("入党时间"))
    mobility = models.CharField(
        _("流动情况"), max_length=20, choices=Mobility.choices, default=Mobility.RESIDENT
    )
    active = models.BooleanField(_("在册"), default=True)
    # The day the member came onto this township's roster (registered, imported or moved in from
    # elsewhere): the yearly viewing target counts from that month (R6), never from 入党时间.
    # Moving between villages of the roster keeps it.
    on_roster_since = models.DateField(
        _("在册起始日期"),
        default=today,
        help_text=_("登记或导入花名册之日；应看次数从这个月算起"),
    )
    left_on = models.DateField(_("离册日期"), null=True, blank=True)
    left_reason = models.CharField(_("离册原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = pgettext_lazy("plural", "党员")
        ordering = ["village__sort_order", "village__name", "name_pinyin", "pk"]
        indexes = [models.Index(fields=["village", "active"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.id_number = idcard.normalise(self.id_number)
        self.name = names.normalise(self.name)
        self.name_pinyin, self.name_initials = pinyin.keys(self.name)
        self.township_id = self.village.township_id
        super().save(*args, **kwargs)

    def clean(self):
        errors: dict[str, str] = {}
        self.id_number = idcard.normalise(self.id_number)
        try:
            birth, gender = idcard.parse(self.id_number)
        except idcard.IdNumberError as exc:
            errors["id_number"] = str(exc)
        else:
            if self.birth_date and self.birth_date != birth:
                errors["birth_date"] = _("出生日期与身份证号不一致（身份证号为%(date)s）") % {
                    "date": dateformat.format(birth, gettext("Y年m月d日")),
                }
            if self.gender and self.gender != gender:
                errors["gender"] = _("性别与身份证号不一致")
        now = today()
        for field in ("birth_date", "joined_on", "left_on", "on_roster_since"):
            value = getattr(self, field)
            if value and value > now:
                errors[field] = _("日期不能晚于今天")
        if (
            self.birth_date
            and self.joined_on
            and "joined_on" not in errors
            and years_between(self.birth_date, self.joined_on) < 18
        ):
            errors["joined_on"] = _("入党时应年满18周岁")
        if self.point_id and self.village_id and self.point.village_id != self.village_id:
            errors["point"] = _("播放点“%(point)s”不属于%(village)s，只能选择本村的播放点") % {
                "point": self.point.name,
                "village": self.village.name,
            }
        if (
            self.left_on
            and self.on_roster_since
            and "left_on" not in errors
            and self.left_on < self.on_roster_since
        ):
            errors["left_on"] = _("离册日期不能早于在册起始日期")
        if not self.active and not self.left_on:
            errors["left_on"] = _("离册的党员须填写离册日期")
        if errors:
            raise ValidationError(errors)

    @property
    def age(self) -> int:
        return years_between(self.birth_date, today())

    def months_on_roster(self, year: int) -> list[int]:
        """The months of `year` the member was on the roster for at least a day: from the month
        of `on_roster_since` (or of 入党时间, when later) to the month of `left_on`, both
        included. A member's viewings are expected in these months only (R6)."""
        first, last = 1, 12
        since = max(d for d in (self.on_roster_since, self.joined_on, dt.date.min) if d)
        if since.year > year:
            return []
        if since.year == year:
            first = since.month
        if self.left_on is not None:
            if self.left_on.year < year:
                return []
            if self.left_on.year == year:
                last = self.left_on.month
        return list(range(first, last + 1))


def on_roster_between(first: dt.date, last: dt.date) -> Q:
    """Members on the roster on at least one day from `first` to `last`, left ones included."""
    return Q(on_roster_since__lte=last) & (Q(active=True) | Q(left_on__gte=first))


class RosterImportQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """An upload is its uploader's draft until confirmed: nobody else may see or confirm it,
        not even an administrator of the same township (they upload their own)."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(uploaded_by=user)


class RosterImport(models.Model):
    """An uploaded 花名册 kept between preview and confirmation (see services.roster_import_*).

    The file is parsed once, at upload, within the bounds of dianjiao.lib.uploads; `sheet` keeps
    the rows it read (roster_xlsx.sheet_to_json), so the preview and the confirmation validate
    those rows against the database without ever opening the file again. The file itself is not
    kept. `sheet` is written with a queryset update, never through save(): the audit trail records
    every save of the instance as JSON, and a roster's ID numbers do not belong there. It is
    cleared once the batch is applied or discarded, so ID numbers do not linger in uploads.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        APPLIED = "applied", _("已导入")
        REJECTED = "rejected", _("已放弃")

    uploaded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    filename = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    sheet = models.JSONField(null=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    result = models.JSONField(_("导入结果"), default=dict, blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("花名册导入")
        verbose_name_plural = pgettext_lazy("plural", "花名册导入")
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return self.filename


class RosterImportRow(models.Model):
    """A member an applied import created or updated, and the row of the file it came from:
    which import (who uploaded and confirmed it, when) brought which member onto the roster.

    Written in bulk with the members it lists, and audited with them as one AuditEvent
    (action "import") of the RosterImport, whose data repeats the rows with the values saved."""

    class Action(models.TextChoices):
        CREATE = "create", _("新增")
        UPDATE = "update", _("更新")

    batch = models.ForeignKey(
        RosterImport, verbose_name=_("花名册导入"), on_delete=models.PROTECT, related_name="rows"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="import_rows"
    )
    row = models.PositiveIntegerField(_("行号"))
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)

    class Meta:
        verbose_name = _("导入的行")
        verbose_name_plural = pgettext_lazy("plural", "导入的行")
        ordering = ("batch", "row")

    def __str__(self):
        return f"{self.batch_id}:{self.row}"
