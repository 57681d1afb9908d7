"""Device tokens of the JSON API, and the ledger of client-made ids it answers replays from.

A token is shown once, when issued; only its SHA-256 is stored, so a copy of the database does
not let anyone act as the phone. Tokens are revoked, never deleted: the list shows which phone
held which token and when it was withdrawn."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dianjiao.accounts.scope import ScopedQuerySet


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(ScopedQuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    # The user's township when issued, so the station lists and revokes its own users' tokens.
    township = models.ForeignKey(
        "orgs.Township",
        verbose_name=_("乡镇"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    device_name = models.CharField(_("设备名称"), max_length=80)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the token, enough to tell two tokens apart on the list.
    prefix = models.CharField(_("令牌开头"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("签发时间"))
    expires_at = models.DateTimeField(_("有效期至"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "user__village"

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return f"{self.device_name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ClientSubmission(models.Model):
    """A record sent with a client-made id through the API, for the records whose own tables have
    no such id (information items): a replay with the same content answers the stored record, one
    with different content is a conflict. Written in the same transaction as the record."""

    class Kind(models.TextChoices):
        INFO_ITEM = "info_item", _("电教信息")

    id = models.UUIDField(primary_key=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.CharField(max_length=64)
    submission_hash = models.CharField(max_length=64)
    # What was sent, as decoded JSON: a 409 shows it beside what is stored.
    payload = models.JSONField(default=dict)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()

    class Meta:
        verbose_name = _("客户端提交")
        verbose_name_plural = _("客户端提交")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="api_submission_unique_object"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.id}"


class Upload(models.Model):
    """A session's own footage or photos (摄录的实况), received by the tus 1.0 resumable-upload
    protocol (views_tus.py). Each PATCH is kept as a part in the default storage until the last
    byte arrives; then the parts are joined into `path`, checked against the SHA-256 the client
    declared, and the upload is complete (linked to its session as AV material) or failed (the file
    kept, so the station can see what arrived; never silently dropped)."""

    class Status(models.TextChoices):
        RECEIVING = "receiving", _("上传中")
        COMPLETE = "complete", _("已完成")
        FAILED = "failed", _("校验失败")

    id = models.UUIDField(primary_key=True, editable=False)
    session = models.ForeignKey(
        "teaching.ViewingSession",
        verbose_name=_("播放收看"),
        on_delete=models.PROTECT,
        related_name="uploads",
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filename = models.CharField(_("文件名"), max_length=200)
    length = models.BigIntegerField(_("大小（字节）"))
    offset = models.BigIntegerField(_("已收到（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The joined file in the default storage, once complete (or failed).
    path = models.CharField(_("存储位置"), max_length=300, blank=True)
    # The received parts, in order: [[offset, storage name], …].
    parts = models.JSONField(default=list, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.RECEIVING
    )
    failure = models.CharField(_("失败原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("开始时间"))
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_township_path = "session__township"
    scope_village_path = "session__village"

    class Meta:
        verbose_name = _("实况录像上传")
        verbose_name_plural = _("实况录像上传")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")

    @property
    def content_type(self) -> str:
        import mimetypes

        return mimetypes.guess_type(self.filename)[0] or "application/octet-stream"
