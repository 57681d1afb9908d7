"""The offline capture page (/capture/): the page, its service worker and its web app manifest.

The page is the phone's: it keeps the bootstrap data and the records waiting to be sent in
IndexedDB, and sends them through the JSON API (endpoints.py) when there is a connection. The
service worker and the manifest hold no data, so they are served without a login: a phone whose
session expired at the camp still gets its worker updated."""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

# Everything the page needs offline. Bump CACHE_VERSION when the list or the files change.
CACHE_VERSION = "capture-v2"
ASSETS = [
    "capture/capture.js",
    "capture/capture.css",
    "capture/idb-8.0.4.js",
    "capture/sha256.js",
    "capture/tus-4.3.1.min.js",
    "capture/icon-192.png",
    "capture/icon-512.png",
    "web/site.css",
]


def _strings() -> dict:
    """The words the script writes, in the reader's language."""
    return {
        "online": _("在线"),
        "offline": _("离线"),
        "ready": _("已可离线使用：记录先保存在手机上，联网后自动同步。"),
        "not_ready": _("请在有网络时打开一次本页，以便离线使用。"),
        "saved": _("已保存到手机，待同步。"),
        "synced": _("已同步 %(n)s 条。"),
        "sync_failed": _("暂时无法同步，记录仍保存在手机上。"),
        "token_expired": _("令牌已失效：请联网登录后重新打开本页。记录仍保存在手机上。"),
        "present": _("到场"),
        "excused": _("请假"),
        "absent": _("缺席"),
        "reason": _("请假原因"),
        "reasons": {
            "herding": _("放牧转场"),
            "migrant": _("外出务工"),
            "illness": _("生病"),
            "other": _("其他"),
        },
        "kinds": {
            "pastoral": _("牧区流动教学"),
            "monthly": _("月度收看"),
            "key_film": _("重点片教学"),
            "other": _("其他"),
        },
        "key_film": _("重点片"),
        "session": _("收看"),
        "info": _("电教信息"),
        "colon": _("："),
        "pending": _("待同步"),
        "conflict": _("冲突：服务器上已有同一编号、内容不同的记录"),
        "invalid": _("服务器未接受"),
        "refused": _("无权提交"),
        "on_phone": _("手机上的版本"),
        "on_server": _("服务器上的版本"),
        "discard": _("放弃这条记录"),
        "discard_confirm": _("确定放弃这条记录吗？放弃后无法恢复。"),
        "need_point": _("请选择播放点"),
        "need_film": _("请至少选择一部影片"),
        "need_duration": _("请填写时长"),
        "need_someone": _("没有任何人到场"),
        "need_title": _("请填写标题和内容"),
        "no_members": _("该播放点没有在册党员"),
        "minutes": _("分钟"),
        "present_of": _("到场 %(p)s / 应到 %(n)s"),
        "attach": _("添加实况录像"),
        "upload_again": _("重新上传"),
        "upload_resume": _("继续上传"),
        "footage_no_room": _("手机存储空间不足，无法保存这段录像"),
        "footage_states": {
            "waiting": _("等待上传"),
            "hashing": _("正在计算校验值……"),
            "uploading": _("正在上传 %(pct)s%%"),
            "paused": _("已中断（%(pct)s%%），联网后从中断处继续"),
            "complete": _("已上传，校验无误"),
            "failed": _("服务器未接受"),
        },
    }


# The size of each PATCH of a footage upload: what a broken connection can lose at most.
UPLOAD_CHUNK_BYTES = 2 * 1024 * 1024


@require_safe
def capture_page(request):
    return render(
        request,
        "api/capture.html",
        {
            "strings": _strings(),
            "assets": [static(a) for a in ASSETS],
            "upload_chunk": UPLOAD_CHUNK_BYTES,
        },
    )


@login_not_required
@require_safe
def service_worker(request):
    body = render_to_string(
        "api/sw.js",
        {
            "version": CACHE_VERSION,
            "assets": json.dumps([static(a) for a in ASSETS] + ["/capture/manifest.webmanifest"]),
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_safe
def manifest(request):
    data = {
        "name": _("电教 · 离线采集"),
        "short_name": _("电教采集"),
        "start_url": "/capture/",
        "scope": "/capture/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "lang": request.LANGUAGE_CODE,
        "icons": [
            {"src": static(f"capture/icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png"}
            for n in (192, 512)
        ],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
