from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dianjiao.accounts.scope import ScopedQuerySet

from .validators import validate_webhook


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WECOM = "wecom", _("企业微信群")


class ReminderProfile(models.Model):
    """How one user wants the daily digest. Phone and e-mail are the user's own fields; the
    robot's key is not stored here (see validate_webhook)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_profile"
    )
    by_email = models.BooleanField(_("电子邮件提醒"), default=False)
    by_sms = models.BooleanField(_("短信提醒"), default=False)
    by_wecom = models.BooleanField(_("企业微信群提醒"), default=False)
    wecom_webhook = models.CharField(
        _("企业微信群机器人地址"),
        max_length=500,
        blank=True,
        validators=[validate_webhook],
        help_text=_("本村或本乡工作群的机器人 Webhook 地址；密钥写成 key=${变量名}"),
    )
    language = models.CharField(
        _("提醒语言"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "user__township"
    scope_village_path = "user__village"

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")

    def __str__(self):
        return str(self.user)

    def channels(self) -> list[str]:
        return [
            c
            for c, on in (
                (Channel.EMAIL, self.by_email),
                (Channel.SMS, self.by_sms),
                (Channel.WECOM, self.by_wecom),
            )
            if on
        ]


class Digest(models.Model):
    """One user's digest of one day on one channel: the record that makes `remind` idempotent
    and shows the station what was sent. Only SENT means the gateway accepted it."""

    class Status(models.TextChoices):
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        DEFERRED = "deferred", _("夜间免打扰，稍后发送")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("日期"))
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    address = models.CharField(_("发送到"), max_length=200, blank=True)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"), blank=True)
    items = models.PositiveIntegerField(_("事项数"), default=0)
    overdue = models.PositiveIntegerField(_("逾期数"), default=0)
    escalated = models.PositiveIntegerField(_("督办数"), default=0)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "user__township"
    scope_village_path = "user__village"

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["-day", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day", "channel"], name="reminders_one_digest_per_channel_day"
            )
        ]

    def __str__(self):
        return f"{self.user} {self.day} {self.channel}"


class OverdueItem(models.Model):
    """The first day an overdue to-do was seen, so that escalation knows how long it has been
    overdue (a to-do says only whether it is overdue)."""

    key = models.CharField(max_length=400, unique=True)
    township = models.ForeignKey(
        "orgs.Township", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=300)
    first_seen = models.DateField()
    last_seen = models.DateField()

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = None

    class Meta:
        verbose_name = _("逾期事项")
        verbose_name_plural = _("逾期事项")

    def __str__(self):
        return self.text
