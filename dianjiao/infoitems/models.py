"""Information items (电教信息, R14): a village sends news or experience; the station adopts,
returns with a reason, and publishes. A resend after a return is a new version: earlier versions
are kept, never overwritten."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dianjiao.accounts.scope import ScopedQuerySet, can_write, scope_q


class InfoItemQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The scope, plus what is published in the user's township: every village of the
        township reads the published items, not only the village that sent them."""
        q = scope_q(self.model, user)
        if q is None:
            return self.none()
        if user.township_id:
            q |= Q(status=InfoItem.Status.PUBLISHED, township_id=user.township_id)
        return self.filter(q)

    def writable_by(self, user):
        """What `user` may change: the scope alone (another village's published item is read,
        never changed)."""
        q = scope_q(self.model, user)
        return self.filter(q) if q is not None and can_write(user) else self.none()


class InfoItem(models.Model):
    class Category(models.TextChoices):
        NEWS = "news", _("工作动态")
        EXPERIENCE = "experience", _("典型经验")
        INNOVATION = "innovation", _("创新做法")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        SENT = "sent", _("待审核")
        ADOPTED = "adopted", _("已采用")
        RETURNED = "returned", _("已退回")
        PUBLISHED = "published", _("已发布")

    township = models.ForeignKey(
        "orgs.Township",
        verbose_name=_("乡镇"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    village = models.ForeignKey(
        "orgs.Village",
        verbose_name=_("报送村"),
        on_delete=models.PROTECT,
        related_name="info_items",
    )
    # The current version's words; each version keeps its own copy.
    title = models.CharField(_("标题"), max_length=200)
    category = models.CharField(
        _("类别"), max_length=12, choices=Category.choices, default=Category.NEWS
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SENT)
    # First sending: the month an item counts for (a resend does not count again).
    sent_at = models.DateTimeField(_("报送时间"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("采用人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("退回人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = InfoItemQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("电教信息")
        verbose_name_plural = pgettext_lazy("plural", "电教信息")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["township", "sent_at"], name="infoitem_township_sent")]

    def __str__(self):
        return self.title


def photo_path(photo, filename):
    return f"infoitems/{photo.version.item.township_id}/{photo.version.item_id}/{filename}"


class InfoItemVersion(models.Model):
    """One sending of an item: the first, or a resend after a return."""

    item = models.ForeignKey(
        InfoItem, verbose_name=_("电教信息"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    category = models.CharField(_("类别"), max_length=12, choices=InfoItem.Category.choices)
    sent_at = models.DateTimeField(_("报送时间"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "item__township"
    scope_village_path = "item__village"

    class Meta:
        verbose_name = _("电教信息版本")
        verbose_name_plural = pgettext_lazy("plural", "电教信息版本")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="infoitem_version_unique")
        ]

    def __str__(self):
        return f"{self.title} (v{self.number})"


class InfoItemPhoto(models.Model):
    version = models.ForeignKey(
        InfoItemVersion, verbose_name=_("版本"), on_delete=models.PROTECT, related_name="photos"
    )
    image = models.ImageField(_("照片"), upload_to=photo_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = pgettext_lazy("plural", "照片")
        ordering = ["version", "pk"]

    def __str__(self):
        return self.original_name or self.image.name
