from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dianjiao.accounts.models import User
from dianjiao.accounts.scope import is_station
from dianjiao.lib.dates import today
from dianjiao.lib.forms import run_service
from dianjiao.lib.xlsx import write_table

from . import selectors, services
from .forms import DigestFilterForm, ProfileForm


def _station_only(user):
    if not is_station(user):
        raise PermissionDenied(_("只有乡电教站管理员可以查看提醒记录"))


def _filtered(request):
    form = DigestFilterForm(request.GET or None)
    return form, selectors.digests(request.user, **form.values())


@require_GET
def digest_list(request):
    """What was sent to whom, and who cannot be reached: the station's page."""
    _station_only(request.user)
    form, rows = _filtered(request)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/list.html",
        {"form": form, "page_obj": page, "unreachable": selectors.unreachable(request.user)},
    )


@require_GET
def digest_export(request):
    _station_only(request.user)
    _form, rows = _filtered(request)
    data = write_table(
        _("提醒记录"),
        [
            _("日期"),
            _("用户"),
            _("村"),
            _("方式"),
            _("状态"),
            _("发送到"),
            _("事项数"),
            _("逾期数"),
            _("督办数"),
            _("尝试次数"),
            _("发送时间"),
            _("错误"),
            _("内容"),
        ],
        (
            [
                d.day,
                str(d.user),
                d.user.village.name if d.user.village else "",
                d.get_channel_display(),
                d.get_status_display(),
                d.address,
                d.items,
                d.overdue,
                d.escalated,
                d.attempts,
                d.sent_at,
                d.error,
                d.body,
            ]
            for d in rows.iterator(chunk_size=500)
        ),
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        "attachment; filename=\"reminders-{:%Y-%m-%d}.xlsx\"; filename*=UTF-8''{}".format(
            today(), quote(f"提醒记录-{today():%Y-%m-%d}.xlsx")
        )
    )
    return response


def _profile(request, target, *, back):
    profile = services.profile_of(target)
    initial = {
        "phone": target.phone,
        "email": target.email,
        "language": profile.language if profile else request.LANGUAGE_CODE,
    }
    if profile:
        initial.update(
            by_email=profile.by_email,
            by_sms=profile.by_sms,
            by_wecom=profile.by_wecom,
            wecom_webhook=profile.wecom_webhook,
        )
    form = ProfileForm(request.POST or None, initial=initial)
    if form.is_valid() and run_service(
        form, services.profile_update, user=request.user, target=target, **form.cleaned_data
    ):
        messages.success(request, _("已保存%(name)s的联系方式和提醒设置") % {"name": target})
        return redirect(back)
    title = (
        _("我的联系方式和提醒")
        if target == request.user
        else _("%(name)s的联系方式和提醒") % {"name": target}
    )
    return render(request, "web/form.html", {"form": form, "title": title, "cancel_url": back})


def profile(request):
    return _profile(request, request.user, back=reverse("reminders:profile"))


def profile_for(request, pk):
    """The station sets up reminders for a user of its township who does not log in."""
    _station_only(request.user)
    target = User.objects.filter(pk=pk, is_active=True).first()
    if target is None or not (
        request.user.is_superuser or target.township_id == request.user.township_id
    ):
        raise Http404
    return _profile(request, target, back=reverse("reminders:list"))
