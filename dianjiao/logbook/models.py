"""《电教手册》, the village logbook (R10): append-only and hash-chained, like an accounting ledger.

Every entry belongs to one village's chain: seq 1, 2, 3 … with each entry's hash covering its own
canonical content and the previous entry's hash (see `chain.py`). Rows are never updated or
deleted: a mistake is fixed by a *correction*, a new entry that points at the one it corrects and
says why. Three guards keep it that way, from the outside in:

1. the model: `save()` only inserts, `delete()` and queryset `update()`/`delete()` refuse;
2. the admin is read-only;
3. the database: triggers refuse UPDATE and DELETE (migration 0002), so raw SQL and other tools
   are refused too. Whoever holds the database file can still drop the triggers; that is what
   `dianjiao verify-logbook` and the chain-head hash printed under every month are for.

Write through `services.entry_append` / `services.entry_grant_late`, never with `objects.create`.
A bulk writer (the demo) builds entries as `entry_append` would and seals each with
`chain.seal(entry)` (canonical bytes and hash in one computation) before `bulk_create`; an entry
given only its hash gets its canonical bytes computed from its fields on save/bulk_create.

SQLite trap for future migrations: Django's SQLite schema editor alters a table by rebuilding it
(CREATE new, copy, DROP old, rename), and the DROP takes the triggers with it. A migration that
alters either table must re-create the triggers afterwards; `verify-logbook` fails while they are
missing.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from dianjiao.accounts.scope import ScopedQuerySet
from dianjiao.lib.dates import cn_date

from . import chain


class AppendOnlyError(Exception):
    """An attempt to change or remove a logbook row through the ORM."""


class AppendOnlyQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} rows are append-only: update refused")

    def _update(self, values):
        raise AppendOnlyError(f"{self.model._meta.label} rows are append-only: update refused")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label} rows are append-only: delete refused")

    delete.queryset_only = True


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} rows are append-only: update refused")
        kwargs["force_insert"] = True
        kwargs.pop("force_update", None)
        kwargs.pop("update_fields", None)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} rows are append-only: delete refused")


class LateEntryException(AppendOnlyModel):
    """The station's permission to record one village's entries for one past day (补录).

    Granting is itself recorded in the village's logbook (kind OTHER, "批准补录…"), so the
    permission is part of the hash chain; entries admitted under it point here and show in red.
    """

    township = models.ForeignKey(
        "orgs.Township",
        verbose_name=_("乡镇"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    village = models.ForeignKey(
        "orgs.Village",
        verbose_name=_("村"),
        on_delete=models.PROTECT,
        related_name="late_entry_exceptions",
    )
    day = models.DateField(_("补录日期"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("批准时间"))
    reason = models.TextField(_("补录原因"))

    objects = AppendOnlyQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("补录批准")
        verbose_name_plural = pgettext_lazy("plural", "补录批准")
        ordering = ["-day", "village_id"]
        constraints = [
            models.UniqueConstraint(fields=["village", "day"], name="logbook_exception_unique_day"),
        ]

    def __str__(self):
        return f"{self.village_id} {self.day:%Y-%m-%d}"


class LogbookEntryQuerySet(AppendOnlyQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        for obj in objs:
            obj.fill_canonical()
        return super().bulk_create(objs, *args, **kwargs)


class LogbookEntry(AppendOnlyModel):
    class Kind(models.TextChoices):
        SESSION = "session", _("播放收看")
        MAKEUP = "makeup", _("补看")
        PASTORAL = "pastoral", _("牧区流动教学")
        EQUIPMENT = "equipment", _("设备检修")
        MEETING = "meeting", _("会议")
        TRAINING = "training", _("培训")
        OTHER = "other", _("其他")

    # Made on the device when the entry is captured offline (a replay is recognised by it),
    # otherwise by the server.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    township = models.ForeignKey(
        "orgs.Township",
        verbose_name=_("乡镇"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    village = models.ForeignKey(
        "orgs.Village",
        verbose_name=_("村"),
        on_delete=models.PROTECT,
        related_name="logbook_entries",
    )
    seq = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("事项"), max_length=200)
    body = models.JSONField(_("内容"), default=dict, encoder=chain.CanonicalJSONEncoder)
    occurred_at = models.DateTimeField(_("发生时间"))
    captured_at = models.DateTimeField(_("录入时间（设备）"), null=True, blank=True)
    received_at = models.DateTimeField(_("入账时间"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author_label = models.CharField(_("填写人"), max_length=150)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    reason = models.TextField(_("更正原因"), blank=True)
    late_exception = models.ForeignKey(
        LateEntryException,
        verbose_name=_("补录批准"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    source_model = models.CharField(_("来源类型"), max_length=100, blank=True)
    source_pk = models.CharField(_("来源编号"), max_length=64, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)
    # The exact bytes `hash` was computed from (chain.canonical), written with the entry, so
    # verification hashes what is stored instead of re-deriving it. Null only for a row written
    # around the model (raw SQL) or one the migration that added the column could not confirm
    # against its hash; `verify-logbook` then recomputes it from the fields, as before.
    # Nullable so that adding it is a plain ALTER TABLE on SQLite (see the trap above).
    canonical = models.BinaryField(_("规范内容"), null=True, editable=False)

    objects = LogbookEntryQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("电教手册记录")
        verbose_name_plural = pgettext_lazy("plural", "电教手册记录")
        ordering = ["village_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["village", "seq"], name="logbook_entry_unique_seq"),
        ]
        indexes = [
            models.Index(fields=["village", "occurred_at"], name="logbook_entry_village_day"),
            models.Index(fields=["source_model", "source_pk"], name="logbook_entry_source"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.title}"

    def save(self, *args, **kwargs):
        self.fill_canonical()
        super().save(*args, **kwargs)

    def fill_canonical(self) -> None:
        """The canonical bytes from the fields, for an entry whose writer set only `hash`."""
        if self.canonical is None:
            self.canonical = chain.entry_canonical(
                {f: getattr(self, f) for f in chain.HASHED_FIELDS}
            )

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None

    @property
    def is_late(self) -> bool:
        return self.late_exception_id is not None

    @property
    def captured_offline(self) -> bool:
        """Captured on the device on an earlier day than the server received it (offline)."""
        if self.captured_at is None:
            return False
        local = timezone.localtime
        return local(self.captured_at).date() != local(self.received_at).date()

    @property
    def capture_doubts(self) -> list[str]:
        """Why the device's capture time cannot be believed, if it cannot: in the future of the
        server's receipt beyond clock skew, before the thing it records happened, or longer
        before receipt than a phone may hold records (DIANJIAO_OFFLINE_MAX_DAYS). Computed from
        the stored, hashed times, so the mark can never be lost."""
        from .services import CLOCK_TOLERANCE

        c = self.captured_at
        if c is None:
            return []
        doubts = []
        if c > self.received_at + CLOCK_TOLERANCE:
            doubts.append(gettext("设备录入时间晚于服务器收到的时间，设备时钟可能不准"))
        if c < self.occurred_at - CLOCK_TOLERANCE:
            doubts.append(gettext("设备录入时间早于所记事项发生的时间"))
        max_days = settings.DIANJIAO_OFFLINE_MAX_DAYS
        if self.received_at - c > dt.timedelta(days=max_days):
            doubts.append(gettext("设备录入时间比服务器收到的时间早%(n)s天以上") % {"n": max_days})
        starts_on = self.campaign_starts_on
        if starts_on is not None and timezone.localtime(c).date() < starts_on:
            doubts.append(
                gettext("设备录入时间早于流动教学活动“%(name)s”的开始日期%(day)s")
                % {"name": self.body["campaign"].get("name", ""), "day": cn_date(starts_on)}
            )
        return doubts

    @property
    def campaign_starts_on(self) -> dt.date | None:
        """The first day of the mobile-teaching campaign at whose camp the entry was captured,
        when the entry names one (a pastoral session sent from the capture page)."""
        campaign = self.body.get("campaign") if isinstance(self.body, dict) else None
        if not isinstance(campaign, dict):
            return None
        try:
            return dt.date.fromisoformat(str(campaign.get("starts_on")))
        except ValueError:
            return None

    @property
    def text(self) -> str:
        """The free text of the entry, when its body has one (the pages' "内容" column)."""
        value = self.body.get("text", "") if isinstance(self.body, dict) else ""
        return value if isinstance(value, str) else ""


class CaptureReview(AppendOnlyModel):
    """The station's review of an entry whose device capture time is doubtful
    (LogbookEntry.capture_doubts). The entry and its red mark stay as they are: the review is a
    record of its own, saying who looked at it, when, and what they found."""

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
    entry = models.ForeignKey(
        LogbookEntry,
        verbose_name=_("手册记录"),
        on_delete=models.PROTECT,
        related_name="capture_reviews",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("核查时间"))
    note = models.TextField(_("核查说明"))

    objects = AppendOnlyQuerySet.as_manager()
    scope_township_path = "township"
    scope_village_path = "village"

    class Meta:
        verbose_name = _("录入时间核查")
        verbose_name_plural = _("录入时间核查")
        ordering = ["reviewed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry"], name="logbook_capture_review_once"),
        ]

    def __str__(self):
        return f"{self.entry_id} {self.reviewed_at:%Y-%m-%d}"
