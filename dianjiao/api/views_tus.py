"""The tus 1.0 resumable-upload endpoint at /api/v1/uploads/ (core protocol + creation).

Plain Django views, not django-ninja: PATCH carries raw bytes (application/offset+octet-stream),
which the views read as a stream. Authenticated like the rest of the API: a device token
(Authorization: Bearer …) or the browser's session with its CSRF token; 401 otherwise.

    OPTIONS /api/v1/uploads/          204, Tus-Version, Tus-Max-Size, Tus-Extension: creation
    POST    /api/v1/uploads/          Upload-Length, Upload-Metadata (filename, session, sha256)
                                      → 201 Location; 413 above DIANJIAO_UPLOAD_MAX_BYTES
    HEAD    /api/v1/uploads/<id>      → 200 Upload-Offset, Upload-Length
    PATCH   /api/v1/uploads/<id>      Upload-Offset = the server's → 204 with the new offset;
                                      409 on a mismatch; 460 when the whole file's SHA-256 differs
"""

import base64
import binascii

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from ninja.utils import check_csrf

from dianjiao.audit.recorder import acting_as
from dianjiao.films import ranges

from . import uploads
from .models import Upload
from .tokens import token_user

TUS_VERSION = "1.0.0"
CHECKSUM_MISMATCH = 460  # tus checksum extension's status, for a whole file that does not match


def _tus(response):
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _error(status: int, detail: str, **headers):
    response = JsonResponse({"detail": detail}, status=status)
    for k, v in headers.items():
        response[k] = v
    return _tus(response)


def _caller(request):
    """The user the request acts for, or None. A Bearer token needs no CSRF token; the session
    does, as on every page (POST and PATCH only)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return token_user(header[7:].strip())
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request) is not None:
        return None
    return user


def _metadata(header: str) -> dict[str, str]:
    """Upload-Metadata: comma-separated `key base64value` pairs."""
    result = {}
    for pair in (header or "").split(","):
        pair = pair.strip()
        if not pair:
            continue
        key, _sep, value = pair.partition(" ")
        try:
            result[key] = base64.b64decode(value.strip(), validate=True).decode() if value else ""
        except (binascii.Error, UnicodeDecodeError):
            raise uploads.UploadRefused(400, _("Upload-Metadata 格式无效")) from None
    return result


def _guarded(*methods):
    """Common answers, in this order: OPTIONS for anyone, 401, 405, the version check (412),
    then 403, 404 and the refusals raised by the view."""
    allowed = ", ".join(("OPTIONS", *methods))
    return lambda view: _guard(view, methods, allowed)


def _guard(view, methods, allowed):
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return view(request, None, *args, **kwargs)
        user = _caller(request)
        if user is None:
            return _error(
                401,
                _("请先登录或提供有效的令牌"),
                **{"WWW-Authenticate": 'Bearer realm="dianjiao"'},
            )
        if request.method not in methods:
            return _error(405, _("不支持的请求方法"), Allow=allowed)
        if request.headers.get("Tus-Resumable") != TUS_VERSION:
            return _error(412, _("不支持的 tus 版本"), **{"Tus-Version": TUS_VERSION})
        request.user = user
        try:
            with acting_as(user, ip=request.META.get("REMOTE_ADDR")):
                return view(request, user, *args, **kwargs)
        except Http404:
            return _error(404, _("未找到"))
        except PermissionDenied as exc:
            return _error(403, str(exc) or _("没有权限"))
        except uploads.UploadRefused as exc:
            return _error(exc.status, exc.message)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_not_required(csrf_exempt(wrapped))


def _int_header(request, name: str) -> int:
    value = request.headers.get(name, "")
    if not value.isdigit():
        raise uploads.UploadRefused(400, _("缺少或无效的请求头 %(name)s") % {"name": name})
    return int(value)


@_guarded("POST")
def upload_collection(request, user):
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Max-Size"] = str(uploads.max_bytes())
        response["Tus-Extension"] = "creation"
        return _tus(response)
    length = _int_header(request, "Upload-Length")
    if length > uploads.max_bytes():  # before the metadata is even read
        raise uploads.UploadRefused(
            413,
            _("文件过大：%(size)s 字节，上限 %(limit)s 字节")
            % {"size": length, "limit": uploads.max_bytes()},
        )
    meta = _metadata(request.headers.get("Upload-Metadata", ""))
    session_id = meta.get("session") or meta.get("session_id") or ""
    if not session_id:
        raise uploads.UploadRefused(400, _("Upload-Metadata 须包含 session"))
    upload = uploads.upload_create(
        user=user,
        session_id=session_id,
        filename=meta.get("filename", ""),
        length=length,
        sha256=meta.get("sha256", ""),
    )
    response = HttpResponse(status=201)
    response["Location"] = request.build_absolute_uri(reverse("api:upload", args=[upload.pk]))
    response["Upload-Offset"] = "0"
    return _tus(response)


@_guarded("HEAD", "PATCH")
def upload_resource(request, user, pk):
    if request.method == "OPTIONS":
        return upload_collection(request)
    if request.method == "HEAD":
        upload = uploads.upload_for(user, pk, write=False)
        response = HttpResponse(status=200)
        response["Upload-Offset"] = str(upload.offset)
        response["Upload-Length"] = str(upload.length)
        return _tus(response)
    if request.content_type != "application/offset+octet-stream":
        return _error(415, _("须使用 Content-Type: application/offset+octet-stream"))
    offset = _int_header(request, "Upload-Offset")
    upload = uploads.upload_for(user, pk, write=True)
    upload = uploads.upload_append(user=user, upload=upload, offset=offset, stream=request)
    if upload.status == Upload.Status.FAILED:
        return _error(
            CHECKSUM_MISMATCH,
            _("文件校验失败：SHA-256 与声明的不一致，已保留供核查，请重新上传"),
            **{"Upload-Offset": str(upload.offset)},
        )
    response = HttpResponse(status=204)
    response["Upload-Offset"] = str(upload.offset)
    return _tus(response)


@login_not_required
@require_safe
def upload_file(request, pk):
    """A complete upload's file, for the session's page: played in the browser with range
    requests (films.ranges), so the player can seek. Scoped as its session; 401 for nobody."""
    user = _caller(request)
    if user is None:
        return _error(401, _("请先登录或提供有效的令牌"))
    try:
        upload = (
            Upload.objects.visible_to(user)
            .filter(status=Upload.Status.COMPLETE)
            .exclude(path="")
            .get(pk=pk)
        )
    except Upload.DoesNotExist:
        raise Http404 from None
    try:
        file = default_storage.open(upload.path, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return ranges.ranged_file_response(
        request,
        file,
        size=upload.length,
        content_type=upload.content_type,
        etag=f'"{upload.sha256[:20]}"',
        last_modified=upload.completed_at,
        filename=upload.filename,
        download=request.GET.get("download") == "1",
    )
