"""Writes to the org tree's working parts: viewing points and their equipment (R2).

Keyword-only, one transaction each, validated with `full_clean()`; a refusal is a ValidationError
keyed by the field it is about, in Chinese, so a form shows it next to that field. Who may write:
the village's operator, the township's station, a superuser (`require_village_writer`); read-only
roles may not. The audit trail records every save with its actor. Nothing here deletes: a point
that is no longer used is marked not in use (`active`), equipment that is gone is 已报废.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dianjiao.accounts.models import User
from dianjiao.accounts.scope import require_village_writer

from .models import Equipment, ViewingPoint

POINT_FIELDS = (
    "village",
    "name",
    "kind",
    "address",
    "seasonal_place",
    "operator_name",
    "active",
    "is_default",
)
EQUIPMENT_FIELDS = (
    "kind",
    "model_name",
    "serial",
    "condition",
    "acquired_on",
    "last_checked_on",
    "repair_notes",
)


def point_save(*, user: User, point: ViewingPoint | None = None, **fields: Any) -> ViewingPoint:
    """Create a viewing point (no `point`; `fields` must name its `village`) or change `point`.

    `fields` are POINT_FIELDS. A point stays in the village it was made in: its members,
    equipment and sessions belong to that village, so a point "moved" elsewhere is a new point
    there (and this one is closed with active=False). A village has at most one default point
    (`is_default`, where the roster import places members whose row names no point): making this
    one the default takes the mark from the village's other point."""
    _check_fields("point_save", fields, POINT_FIELDS)
    if point is None and fields.get("village") is None:
        raise TypeError("point_save() needs the village of a new point")
    with transaction.atomic():
        if point is None:
            point = ViewingPoint()
        else:
            point = (
                ViewingPoint.objects.select_for_update(of=("self",))
                .select_related("village")
                .get(pk=point.pk)
            )
            require_village_writer(user, point.village)
            moved_to = fields.get("village")
            if moved_to is not None and moved_to.pk != point.village_id:
                require_village_writer(user, moved_to)
                raise ValidationError(
                    {
                        "village": _(
                            "播放点不能改到其他村：它的党员、设备和播放记录都属于%(village)s。"
                            "请在新村另建播放点，并把这个播放点停用"
                        )
                        % {"village": point.village.name}
                    }
                )
        for name, value in fields.items():
            setattr(point, name, value)
        require_village_writer(user, point.village)
        point.full_clean(validate_constraints=False)
        if point.is_default:
            # The other point's mark goes in the same transaction (its own save, for the trail).
            for other in (
                ViewingPoint.objects.select_for_update()
                .filter(village_id=point.village_id, is_default=True)
                .exclude(pk=point.pk)
            ):
                other.is_default = False
                other.save(update_fields=["is_default"])
        point.validate_constraints()
        point.save()
    return point


def equipment_save(
    *,
    user: User,
    equipment: Equipment | None = None,
    point: ViewingPoint | None = None,
    **fields: Any,
) -> Equipment:
    """Register equipment at `point` (no `equipment`), or change `equipment` (it stays at its
    point). `fields` are EQUIPMENT_FIELDS."""
    _check_fields("equipment_save", fields, EQUIPMENT_FIELDS)
    if (equipment is None) == (point is None):
        raise TypeError("equipment_save() takes either the point of new equipment or the equipment")
    with transaction.atomic():
        if equipment is None:
            require_village_writer(user, point.village)
            equipment = Equipment(point=point)
        else:
            equipment = (
                Equipment.objects.select_for_update(of=("self",))
                .select_related("point", "village")
                .get(pk=equipment.pk)
            )
            require_village_writer(user, equipment.village)
        for name, value in fields.items():
            setattr(equipment, name, value)
        equipment.full_clean()
        equipment.save()
    return equipment


def _check_fields(service: str, fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{service}() got unexpected fields: {sorted(unknown)}")
