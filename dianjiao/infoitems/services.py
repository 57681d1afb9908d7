"""Writes to information items: a village sends (or resends after a return); the station adopts,
returns with a reason, publishes. Keyword-only, one transaction each, `full_clean()`, Chinese
refusals keyed by field. The audit trail records every save with its actor."""

import datetime as dt
import os
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dianjiao.accounts.models import User
from dianjiao.accounts.scope import require_station, require_village_writer
from dianjiao.lib import dates
from dianjiao.orgs.models import Village

from . import images
from .models import InfoItem, InfoItemPhoto, InfoItemVersion


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def item_send(
    *,
    user: User,
    village: Village | None = None,
    title: str,
    text: str,
    category: str,
    photos: Sequence = (),
    item: InfoItem | None = None,
    at: dt.datetime | None = None,
) -> InfoItem:
    """Send a new item for `village`, or resend a returned `item` as its next version."""
    now = at or dates.now()
    if item is not None:
        village = item.village
    if village is None:
        raise ValidationError({"village": _("请选择报送村")})
    require_village_writer(
        user, village, denied=_("您不能替%(village)s报送") % {"village": village.name}
    )
    photos = list(photos)
    images.check_photos(photos)
    kept = [(f, images.web_copy(f)) for f in photos]  # what is stored and served
    with transaction.atomic():
        if item is None:
            item = InfoItem(
                township_id=village.township_id, village=village, sent_at=now, sent_by=user
            )
            number = 1
        else:
            item = InfoItem.objects.select_for_update().get(pk=item.pk)
            if item.status != InfoItem.Status.RETURNED:
                raise ValidationError({"item": _("只有被退回的信息才能修改后重新报送")})
            number = item.versions.count() + 1
            item.status = InfoItem.Status.SENT
        item.title, item.category = (title or "").strip(), category
        version = InfoItemVersion(
            item=item,
            number=number,
            title=item.title,
            text=(text or "").strip(),
            category=category,
            sent_at=now,
            sent_by=user,
        )
        version.full_clean(exclude=["item"])
        _save(item)
        version.item = item
        _save(version)
        for f, copy in kept:
            photo = InfoItemPhoto(
                version=version, original_name=os.path.basename(f.name or "")[:200]
            )
            photo.image.save(copy.name, copy, save=False)
            photo.save()
    return item


def _locked(item: InfoItem, user: User) -> InfoItem:
    require_station(user, item.township_id)
    return InfoItem.objects.select_for_update().get(pk=item.pk)


def item_adopt(*, item: InfoItem, user: User, at: dt.datetime | None = None) -> InfoItem:
    with transaction.atomic():
        item = _locked(item, user)
        if item.status != InfoItem.Status.SENT:
            raise ValidationError({"status": _("只有待审核的信息可以采用")})
        item.status, item.adopted_at, item.adopted_by = (
            InfoItem.Status.ADOPTED,
            at or dates.now(),
            user,
        )
        return _save(item)


def item_return(
    *, item: InfoItem, user: User, reason: str, at: dt.datetime | None = None
) -> InfoItem:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回必须填写理由")})
    with transaction.atomic():
        item = _locked(item, user)
        if item.status not in (InfoItem.Status.SENT, InfoItem.Status.ADOPTED):
            raise ValidationError(
                {
                    "status": _("该信息已%(status)s，不能退回")
                    % {"status": item.get_status_display()}
                }
            )
        item.status, item.returned_at, item.returned_by = (
            InfoItem.Status.RETURNED,
            at or dates.now(),
            user,
        )
        item.return_reason = reason
        item.adopted_at = item.adopted_by = None
        return _save(item)


def item_publish(*, item: InfoItem, user: User, at: dt.datetime | None = None) -> InfoItem:
    with transaction.atomic():
        item = _locked(item, user)
        if item.status != InfoItem.Status.ADOPTED:
            raise ValidationError({"status": _("只有已采用的信息才能发布")})
        item.status, item.published_at, item.published_by = (
            InfoItem.Status.PUBLISHED,
            at or dates.now(),
            user,
        )
        return _save(item)
