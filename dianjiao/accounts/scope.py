"""The one way data is scoped to a user: `Model.objects.visible_to(user)` and `get_for_user`.

Each scoped model names the lookup from itself to its Township (`scope_township_path`) and to its
Village (`scope_village_path`); "" means the model is that node itself, None that it has no such
link (a township-wide record, such as a film, which every village of the township may read).
Every page, export and API call goes through these two functions, and a test walks every URL.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from dianjiao.lib.forms import out_of_int_range

from .models import Role


def _eq(path: str, pk) -> Q:
    return Q(**{path or "pk": pk})


def scope_q(model, user) -> Q | None:
    """The filter for what `user` may see of `model`; None means nothing."""
    from .models import Role

    if not (user and user.is_authenticated and user.is_active):
        return None
    if user.is_superuser:
        return Q()
    tp = getattr(model, "scope_township_path", None)
    vp = getattr(model, "scope_village_path", None)
    if model._meta.label_lower == "orgs.county":
        return _eq("", user.county_id) if user.county_id else None
    if user.role == Role.COUNTY_VIEWER:
        return (
            Q(**{f"{tp}__county" if tp else "county": user.county_id}) if user.county_id else None
        )
    if user.role == Role.VILLAGE_OPERATOR:
        if not user.village_id:
            return None
        if vp is not None:
            return _eq(vp, user.village_id)
        return _eq(tp, user.township_id)
    # station administrator, party-committee leader, inspector: the whole township
    return _eq(tp, user.township_id) if user.township_id else None


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = scope_q(self.model, user)
        return self.none() if q is None else self.filter(q)

    def writable_by(self, user):
        """What `user` may change: their scope, if their role writes at all."""
        return self.visible_to(user) if can_write(user) else self.none()


def can_write(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role_can_write))


def is_station(user, township=None) -> bool:
    """The township station's administrator (or a superuser): keeps the library, reviews what
    the villages send. With `township` (a Township or its id), the station of that township."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if user.role != Role.STATION_ADMIN:
        return False
    return township is None or user.township_id == getattr(township, "pk", township)


def is_operator(user, village=None) -> bool:
    """A village's own operator (电教员), or a superuser. With `village` (a Village or its id),
    the operator of that village; the township's station is not one."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if user.role != Role.VILLAGE_OPERATOR or not user.village_id:
        return False
    return village is None or user.village_id == getattr(village, "pk", village)


def may_write_village(user, village) -> bool:
    """Whether `user` may change `village`'s records: its operator, its township's station, a
    superuser. Read-only roles never may."""
    if not (user and user.is_authenticated and user.is_active and can_write(user)):
        return False
    if user.is_superuser:
        return True
    if user.role == Role.VILLAGE_OPERATOR:
        return user.village_id == village.pk
    return user.role == Role.STATION_ADMIN and user.township_id == village.township_id


# The write rules. Every service calls one of these before it changes anything; views only ask
# `is_station` / `may_write_village` to decide which buttons to show.


def require_write(user) -> None:
    """403 for a read-only role (county viewer, leader, inspector) asking to change anything."""
    if not (user and user.is_authenticated and user.is_active and can_write(user)):
        raise PermissionDenied(_("只读角色不能修改数据"))


def require_station(user, township=None, *, denied: str | None = None) -> None:
    """403 unless `user` is the station (of `township`, a Township or its id, when given)."""
    require_write(user)
    if not is_station(user):
        raise PermissionDenied(denied or _("只有乡电教站管理员可以进行此操作"))
    if not is_station(user, township):
        raise PermissionDenied(denied or _("只能管理本乡的数据"))


def require_village_writer(user, village, *, denied: str | None = None) -> None:
    """403 unless `user` may change `village`'s records (see `may_write_village`)."""
    require_write(user)
    if not may_write_village(user, village):
        raise PermissionDenied(denied or _("您不能替%(village)s办理") % {"village": village.name})


def get_for_user(request, queryset, pk, *, write: bool = False):
    """The object `pk` if the user may see it (404 otherwise, so outsiders learn nothing), and
    403 when a read-only role asks to change it."""
    if isinstance(queryset, type):
        queryset = queryset.objects.all()
    if out_of_int_range(pk):  # 10**30 from a query string: unknown, not a database error
        raise Http404
    try:
        obj = queryset.visible_to(request.user).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None
    if write:
        require_write(request.user)
    return obj


# Narrow write rules of the oversight loop (R9, R12): the inspector records inspections, the
# party-committee leader convenes meetings, approves bulletins and publishes the assessment.
# Neither role becomes a general writer: `can_write` stays False for both.


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def may_inspect(user, township=None) -> bool:
    """Whether `user` records inspections: a township's inspector or its station (who also plans
    and records checks), or a superuser. With `township` (a Township or its id), in that
    township."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if user.role not in (Role.INSPECTOR, Role.STATION_ADMIN):
        return False
    return township is None or user.township_id == getattr(township, "pk", township)


def require_inspector(user, township, *, denied: str | None = None) -> None:
    """403 unless `user` may record an inspection in `township` (a Township or its id): see
    `may_inspect`."""
    if not may_inspect(user):
        raise PermissionDenied(denied or _("只有检查员或电教站管理员可以登记检查"))
    if not may_inspect(user, township):
        raise PermissionDenied(denied or _("只能检查本乡的播放点"))


def is_leader(user, township=None) -> bool:
    """The township's party-committee leader (or a superuser)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if user.role != Role.LEADER:
        return False
    return township is None or user.township_id == getattr(township, "pk", township)


def require_leader(user, township, *, denied: str | None = None) -> None:
    """403 unless `user` is the party-committee leader of `township` (or a superuser)."""
    if not is_leader(user):
        raise PermissionDenied(denied or _("只有乡党委领导可以进行此操作"))
    if not is_leader(user, township):
        raise PermissionDenied(denied or _("只能审批本乡的事项"))
