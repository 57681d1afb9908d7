"""The JSON API at /api/v1/ (django-ninja): the phone's sync and county integration.

Every write calls the same service as the pages (teaching.services.session_record,
infoitems.services.item_send), so the rules live there once; this module only translates JSON to
those calls and their refusals to HTTP: PermissionDenied 403, an unseen object 404, a replay with
other content 409 (with both versions), ValidationError 422 (messages per field, in the caller's
language)."""

import base64
import binascii
import hashlib
import json
import uuid

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from dianjiao.accounts.scope import can_write
from dianjiao.audit.recorder import acting_as
from dianjiao.films.models import Film
from dianjiao.infoitems import services as infoitem_services
from dianjiao.infoitems.models import InfoItem
from dianjiao.lib import dates
from dianjiao.members.models import Member
from dianjiao.orgs.models import ViewingPoint, Village
from dianjiao.pastoral import selectors as pastoral_selectors
from dianjiao.teaching import services as teaching_services
from dianjiao.teaching.models import ViewingSession

from . import schemas as s
from . import tokens
from .auth import API_AUTH, Session
from .models import ApiToken, ClientSubmission

api = NinjaAPI(
    title="Dianjiao sync API",
    version="1",
    description=(
        "Offline capture and county integration for 电教. Authenticate with "
        "`POST /api/v1/auth/token`, then send `Authorization: Bearer <token>` (a logged-in "
        "browser session works too). Records carry an id made on the device: the same content "
        "again answers 200 with the stored record, other content 409 with both versions."
    ),
    auth=API_AUTH,
    urls_namespace="api",
)


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def _error(request, status: int, detail: str, **extra):
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def _messages_of(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in exc.message_dict[field]] for field in exc.error_dict}
    return {"__all__": [str(m) for m in exc.messages]}


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("必填")
    if kind == "timezone_aware":
        return _("时间须带时区，如 2026-11-29T10:00:00+08:00")
    if kind == "literal_error":
        return _("不是可选的值")
    if kind in ("string_too_long", "too_long"):
        return _("内容过长")
    if kind == "json_invalid":
        return _("不是有效的JSON")
    return _("格式无效")


@api.exception_handler(NinjaValidationError)
def _on_invalid_json(request, exc):
    """Shape errors found before any service runs, keyed by the field's path (attendance.0.status)."""
    errors: dict[str, list[str]] = {}
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path"):
            loc = loc[1:]
        if loc and loc[0] == "payload":
            loc = loc[1:]
        errors.setdefault(".".join(loc) or "__all__", []).append(_pydantic_message(e))
    return _error(request, 422, _("提交的内容有误，请按提示修改"), errors=errors)


@api.exception_handler(DjangoValidationError)
def _on_refused(request, exc):
    return _error(request, 422, _("提交的内容有误，请按提示修改"), errors=_messages_of(exc))


@api.exception_handler(PermissionDenied)
def _on_denied(request, exc):
    return _error(request, 403, str(exc) or _("没有权限"))


@api.exception_handler(Http404)
def _on_missing(request, exc):
    return _error(request, 404, _("未找到"))


@api.exception_handler(AuthenticationError)
def _on_unauthenticated(request, exc):
    response = _error(request, 401, _("请先登录或提供有效的令牌"))
    response["WWW-Authenticate"] = 'Bearer realm="dianjiao"'
    return response


@api.exception_handler(tokens.LockedOut)
def _on_locked_out(request, exc):
    # django-axes' middleware answers the request with its lockout response (see auth.py).
    return _error(request, 429, _("该账号已暂时锁定"))


def _acting(request):
    """The caller as the actor of every audited write (the middleware saw no session user)."""
    return acting_as(request.user, ip=request.META.get("REMOTE_ADDR"))


COMMON = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.FieldErrors}


# ---------------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------------


@api.post(
    "/auth/token",
    auth=None,
    response={201: s.TokenOut, 401: s.Error, 422: s.FieldErrors, 429: s.Error},
    tags=["auth"],
)
def token_create(request, payload: s.TokenIn):
    """Exchange a username and password for a device token. Failures count toward the same
    lockout as the login page."""
    try:
        raw, token = tokens.token_issue(
            request=request,
            username=payload.username,
            password=payload.password,
            device_name=payload.device_name,
        )
    except DjangoValidationError as exc:
        if "__all__" in getattr(exc, "error_dict", {}):
            return Status(401, {"detail": _("用户名或密码不正确")})
        raise
    return Status(201, {"token": raw, "expires_at": token.expires_at})


@api.post(
    "/auth/session-token",
    auth=[Session()],
    response={201: s.TokenOut, 401: s.Error, 422: s.FieldErrors},
    tags=["auth"],
)
def token_create_from_session(request, payload: s.DeviceIn):
    """For the offline capture page: a logged-in browser (session and CSRF token) takes a device
    token, so its records still sync after the session has expired at the camp."""
    with _acting(request):
        raw, token = tokens.token_issue_for(user=request.user, device_name=payload.device_name)
    return Status(201, {"token": raw, "expires_at": token.expires_at})


def _token_info(t: ApiToken) -> dict:
    return {
        "id": t.pk,
        "username": t.user.get_username(),
        "device_name": t.device_name,
        "prefix": t.prefix,
        "created_at": t.created_at,
        "expires_at": t.expires_at,
        "last_used_at": t.last_used_at,
        "revoked_at": t.revoked_at,
        "active": t.active,
    }


@api.get("/auth/tokens", response={200: list[s.TokenInfo], 401: s.Error}, tags=["auth"])
def token_list(request):
    """The caller's tokens; for the station, every token of its township."""
    return [_token_info(t) for t in tokens.tokens_for(request.user)]


@api.post("/auth/tokens/{token_id}/revoke", response={200: s.TokenInfo, **COMMON}, tags=["auth"])
def token_revoke(request, token_id: int):
    token = get_object_or_404(tokens.tokens_for(request.user), pk=token_id)
    with _acting(request):
        return Status(200, _token_info(tokens.token_revoke(user=request.user, token=token)))


# ---------------------------------------------------------------------------------------------
# Bootstrap
# ---------------------------------------------------------------------------------------------


def _campaigns(user) -> list[dict]:
    return [
        {
            "id": c.pk,
            "name": c.name,
            "starts_on": c.starts_on,
            "ends_on": c.ends_on,
            "target_hours": c.target_hours,
            "points": [
                {
                    "id": p.pk,
                    "name": p.name,
                    "river_area": p.river_area,
                    "latitude": p.latitude,
                    "longitude": p.longitude,
                    "villages": [v.pk for v in p.villages.all()],
                    "viewing_points": [vp.pk for vp in p.viewing_points.all()],
                }
                for p in c.points.all()
            ],
        }
        for c in pastoral_selectors.open_campaigns(user, dates.today())
    ]


@api.get("/bootstrap", response={200: s.Bootstrap, 401: s.Error}, tags=["sync"])
def bootstrap(request):
    """What the phone keeps to work offline: the caller's villages, points, active members,
    the township's films and its open campaigns, each list in one query."""
    user = request.user
    writable = set(Village.objects.writable_by(user).values_list("pk", flat=True))
    villages = list(Village.objects.visible_to(user).order_by("sort_order", "name"))
    return {
        "user": {
            "username": user.get_username(),
            "full_name": user.full_name,
            "role": user.role,
            "village": user.village_id,
            "township": user.township_id,
        },
        "server_time": dates.now(),
        "villages": [
            {"id": v.pk, "name": v.name, "is_pastoral": v.is_pastoral, "writable": v.pk in writable}
            for v in villages
        ],
        "points": [
            {
                "id": p.pk,
                "village": p.village_id,
                "name": p.name,
                "kind": p.kind,
                "seasonal_place": p.seasonal_place,
            }
            for p in ViewingPoint.objects.visible_to(user).filter(active=True).order_by("pk")
        ],
        "members": [
            {
                "id": m["pk"],
                "village": m["village_id"],
                "point": m["point_id"],
                "name": m["name"],
                "pinyin": m["name_pinyin"],
                "initials": m["name_initials"],
            }
            for m in Member.objects.visible_to(user)
            .filter(active=True)
            .order_by("name_pinyin", "pk")
            .values("pk", "village_id", "point_id", "name", "name_pinyin", "name_initials")
        ],
        "films": [
            {"id": pk, "title": title, "key_film": key}
            for pk, title, key in Film.objects.visible_to(user)
            .filter(active=True)
            .order_by("title")
            .values_list("pk", "title", "is_key_film")
        ],
        "campaigns": _campaigns(user),
    }


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------


def session_out(session: ViewingSession) -> dict:
    rows = list(session.attendances.select_related("member").order_by("member__name_pinyin", "pk"))
    return {
        "id": session.pk,
        "village": session.village_id,
        "point": session.point_id,
        "held_at": session.held_at,
        "captured_at": session.captured_at,
        "received_at": session.received_at,
        "kind": session.kind,
        "films": sorted(session.films.values_list("pk", flat=True)),
        "duration_minutes": session.duration_minutes,
        "teaching_minutes": session.teaching_minutes,
        "viewing_minutes": session.viewing_minutes,
        "key_session": session.key_session,
        "attendance": [
            {
                "member": r.member_id,
                "name": r.member.name,
                "expected": r.expected,
                "status": r.status,
                "reason": r.excuse_reason,
                "makes_up_for": r.makes_up_for_id,
            }
            for r in rows
        ],
        "guests": [{"name": g.name, "note": g.note} for g in session.guests.all()],
        "four_ring": {
            "preparation": session.preparation,
            "prepared_at": session.prepared_at,
            "prompts": session.prompts,
            "record_notes": session.record_notes,
            "discussion": session.discussion,
            "speakers": sorted(session.speakers.values_list("pk", flat=True)),
            "complete": session.four_ring_complete,
            "missing": session.four_ring_missing,
        },
        "notes": session.notes,
        "operator": session.operator.get_username(),
        "logbook_entry": session.entry_id,
    }


def _sent(payload) -> dict:
    return json.loads(payload.model_dump_json())


@api.post(
    "/sessions",
    response={201: s.SessionOut, 200: s.SessionOut, 409: s.SessionConflict, **COMMON},
    tags=["sync"],
)
def session_create(request, payload: s.SessionIn):
    """Record a viewing session captured on the phone, with its attendance, guests and four-ring
    record. 201 when stored now; 200 with the same body for a replay of the same content; 409
    with what is stored and what was sent for a replay with other content."""
    user = request.user
    existing = ViewingSession.objects.filter(pk=payload.id).first()
    if existing is not None and not ViewingSession.objects.visible_to(user).filter(pk=existing.pk):
        # An id taken in a village the caller does not see: say so, show nothing of it.
        return Status(
            409, {"detail": _("该记录编号已被占用"), "stored": None, "sent": _sent(payload)}
        )
    point = get_object_or_404(
        ViewingPoint.objects.visible_to(user).select_related("village"), pk=payload.point
    )
    attendance = {
        a.member: {
            "status": a.status,
            "reason": a.reason,
            "makes_up_for": str(a.makes_up_for) if a.makes_up_for else None,
        }
        for a in payload.attendance
    }
    four_ring = payload.four_ring.dict() if payload.four_ring else None
    campaign = None
    if payload.kind == ViewingSession.Kind.PASTORAL and payload.captured_at is not None:
        found = pastoral_selectors.campaign_of_capture(point.pk, payload.held_at, dates.now())
        if found is not None:
            campaign = {"id": found.pk, "name": found.name, "starts_on": found.starts_on}
    try:
        with _acting(request):
            session = teaching_services.session_record(
                author=user,
                village=point.village,
                point=point,
                held_at=payload.held_at,
                kind=payload.kind,
                films=payload.films,
                duration_minutes=payload.duration_minutes,
                teaching_minutes=payload.teaching_minutes,
                attendance=attendance,
                guests=[g.dict() for g in payload.guests],
                four_ring=four_ring,
                notes=payload.notes,
                client_id=payload.id,
                captured_at=payload.captured_at,
                campaign=campaign,
            )
    except teaching_services.SessionConflictError as exc:
        return Status(
            409,
            {
                "detail": _("同一编号的记录已存在且内容不同：请核对后再提交"),
                "stored": session_out(exc.session),
                "sent": _sent(payload),
            },
        )
    # Read back: the body of a first answer and of a replay are then the same bytes.
    stored = ViewingSession.objects.select_related("operator").get(pk=session.pk)
    return Status(200 if existing is not None else 201, session_out(stored))


@api.get(
    "/sessions/{session_id}",
    response={200: s.SessionOut, 401: s.Error, 404: s.Error},
    tags=["sync"],
)
def session_detail(request, session_id: uuid.UUID):
    session = get_object_or_404(
        ViewingSession.objects.visible_to(request.user).select_related("operator"), pk=session_id
    )
    return session_out(session)


# ---------------------------------------------------------------------------------------------
# Information items
# ---------------------------------------------------------------------------------------------


def info_item_out(client_id, item: InfoItem) -> dict:
    version = item.versions.order_by("-number").first()
    return {
        "id": client_id,
        "item": item.pk,
        "village": item.village_id,
        "title": item.title,
        "text": version.text if version else "",
        "category": item.category,
        "status": item.status,
        "sent_at": item.sent_at,
        "photos": version.photos.count() if version else 0,
    }


def _submission_hash(user, sent: dict) -> str:
    raw = json.dumps({"user": user.pk, **sent}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def _photos(payload) -> list[ContentFile]:
    files = []
    for i, p in enumerate(payload.photos):
        try:
            data = base64.b64decode(p.data, validate=True)
        except (binascii.Error, ValueError):
            raise DjangoValidationError({f"photos.{i}": _("图片数据无效")}) from None
        files.append(ContentFile(data, name=p.name))
    return files


def _info_replay(request, stored: ClientSubmission, digest: str, sent: dict):
    item = InfoItem.objects.visible_to(request.user).filter(pk=stored.object_id).first()
    if item is None:
        return Status(409, {"detail": _("该记录编号已被占用"), "stored": None, "sent": sent})
    if stored.submission_hash != digest:
        return Status(
            409,
            {
                "detail": _("同一编号的记录已存在且内容不同：请核对后再提交"),
                "stored": info_item_out(stored.id, item),
                "sent": sent,
            },
        )
    return Status(200, info_item_out(stored.id, item))


@api.post(
    "/info-items",
    response={201: s.InfoItemOut, 200: s.InfoItemOut, 409: s.InfoItemConflict, **COMMON},
    tags=["sync"],
)
def info_item_create(request, payload: s.InfoItemIn):
    """Send an information item written on the phone; the same replay contract as sessions."""
    user = request.user
    sent = _sent(payload)
    digest = _submission_hash(user, sent)
    stored = ClientSubmission.objects.filter(pk=payload.id).first()
    if stored is not None:
        return _info_replay(request, stored, digest, sent)
    if payload.village is not None:
        village = get_object_or_404(Village.objects.visible_to(user), pk=payload.village)
    elif user.village_id:
        village = user.village
    else:
        raise DjangoValidationError({"village": _("请选择报送村")})
    if not can_write(user):
        raise PermissionDenied(_("只读角色不能修改数据"))
    photos = _photos(payload)
    try:
        with _acting(request), transaction.atomic():
            item = infoitem_services.item_send(
                user=user,
                village=village,
                title=payload.title,
                text=payload.text,
                category=payload.category,
                photos=photos,
            )
            ClientSubmission.objects.create(
                id=payload.id,
                kind=ClientSubmission.Kind.INFO_ITEM,
                object_id=str(item.pk),
                submission_hash=digest,
                payload={k: v for k, v in sent.items() if k != "photos"},
                user=user,
                received_at=dates.now(),
            )
    except IntegrityError:
        # The same id sent twice at once: the first is stored, the second answers as a replay.
        stored = ClientSubmission.objects.filter(pk=payload.id).first()
        if stored is None:
            raise
        return _info_replay(request, stored, digest, sent)
    return Status(201, info_item_out(payload.id, InfoItem.objects.get(pk=item.pk)))
