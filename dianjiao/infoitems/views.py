"""The information-item pages: access helper → form → service → redirect."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dianjiao.accounts.scope import (
    get_for_user,
    is_station,
    may_write_village,
    require_station,
    require_village_writer,
    require_write,
)
from dianjiao.lib.dates import today
from dianjiao.lib.forms import run_service
from dianjiao.lib.i18n import record_labels
from dianjiao.lib.xlsx import write_table, xlsx_response

from . import selectors, services
from .forms import FilterForm, ReturnForm, SendForm
from .models import InfoItem, InfoItemPhoto, InfoItemVersion

EXPORT_HEADERS = [
    "序号",
    "标题",
    "类别",
    "报送村",
    "报送人",
    "报送时间",
    "版本数",
    "状态",
    "采用时间",
    "退回理由",
    "发布时间",
]


def _form_page(request, form, title, cancel_url):
    return render(
        request, "web/form.html", {"form": form, "title": title, "cancel_url": cancel_url}
    )


def _filtered(request):
    form = FilterForm(request.GET or None, user=request.user)
    return form, form.filter(selectors.items_for(request.user))


def item_list(request):
    form, items = _filtered(request)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "infoitems/list.html",
        {
            "form": form,
            "page_obj": page,
            "station": is_station(request.user),
        },
    )


@require_safe
def item_export(request):
    _, items = _filtered(request)
    items = items.prefetch_related("versions")
    category = record_labels(InfoItem.Category.choices)
    status = record_labels(InfoItem.Status.choices)
    rows = (
        [
            i,
            item.title,
            category.get(item.category, item.category),
            item.village.name,
            str(item.sent_by),
            item.sent_at,
            len(item.versions.all()),
            status.get(item.status, item.status),
            item.adopted_at,
            item.return_reason if item.status == InfoItem.Status.RETURNED else "",
            item.published_at,
        ]
        for i, item in enumerate(items, start=1)
    )
    return xlsx_response(
        write_table("电教信息", EXPORT_HEADERS, rows),
        filename=f"电教信息-{today():%Y-%m-%d}.xlsx",
        ascii_name=f"infoitems-{today():%Y-%m-%d}.xlsx",
    )


def published_list(request):
    page = Paginator(selectors.published_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "infoitems/published.html", {"page_obj": page})


def item_detail(request, pk):
    versions = (
        InfoItemVersion.objects.select_related("sent_by")
        .prefetch_related("photos")
        .order_by("-number")
    )
    qs = (
        InfoItem.objects.visible_to(request.user)
        .select_related(
            "village",
            "sent_by",
            "adopted_by",
            "returned_by",
            "published_by",
        )
        .prefetch_related(Prefetch("versions", queryset=versions))
    )
    item = qs.filter(pk=pk).first()
    if item is None:
        raise Http404
    versions = list(item.versions.all())
    return render(
        request,
        "infoitems/detail.html",
        {
            "item": item,
            "current": versions[0] if versions else None,
            "earlier": versions[1:],
            "station": is_station(request.user, item.township_id),
            "may_resend": item.status == InfoItem.Status.RETURNED
            and may_write_village(request.user, item.village),
        },
    )


def item_send(request):
    require_write(request.user)
    form = SendForm(request.POST or None, request.FILES or None, user=request.user)
    if form.is_valid():
        d = form.cleaned_data
        village = d.get("village") or request.user.village
        item = run_service(
            form,
            services.item_send,
            user=request.user,
            village=village,
            title=d["title"],
            text=d["text"],
            category=d["category"],
            photos=d["photos"],
        )
        if item:
            messages.success(request, _("电教信息已报送，等待乡电教站审核"))
            return redirect("infoitems:detail", item.pk)
    return _form_page(request, form, _("报送电教信息"), reverse("infoitems:list"))


def item_resend(request, pk):
    item = get_for_user(request, InfoItem.objects.select_related("village"), pk, write=True)
    # Every village reads the township's published items; only the sender's village resends.
    require_village_writer(
        request.user,
        item.village,
        denied=_("您不能替%(village)s报送") % {"village": item.village.name},
    )
    current = item.versions.order_by("-number").first()
    initial = (
        {"title": current.title, "text": current.text, "category": current.category}
        if current
        else {}
    )
    form = SendForm(
        request.POST or None, request.FILES or None, user=request.user, item=item, initial=initial
    )
    if item.status != InfoItem.Status.RETURNED and not form.is_bound:
        messages.warning(request, _("只有被退回的信息才能修改后重新报送"))
    if form.is_valid():
        d = form.cleaned_data
        if run_service(
            form,
            services.item_send,
            user=request.user,
            item=item,
            title=d["title"],
            text=d["text"],
            category=d["category"],
            photos=d["photos"],
        ):
            messages.success(request, _("已修改并重新报送，之前的版本仍保留"))
            return redirect("infoitems:detail", item.pk)
    return _form_page(
        request,
        form,
        _("修改后重新报送：%(item)s") % {"item": item},
        reverse("infoitems:detail", args=[pk]),
    )


def _station_item(request, pk) -> InfoItem:
    item = get_for_user(
        request, InfoItem.objects.select_related("village", "sent_by"), pk, write=True
    )
    require_station(request.user, item.township_id)
    return item


def _confirm(request, pk, service, *, title, button, done):
    item = _station_item(request, pk)
    if request.method == "POST":
        try:
            service(item=item, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
        return redirect("infoitems:detail", item.pk)
    facts = [
        (_("标题"), item.title),
        (_("报送村"), item.village.name),
        (_("报送人"), item.sent_by),
        (_("状态"), item.get_status_display()),
    ]
    return render(
        request,
        "web/confirm.html",
        {
            "title": title,
            "button": button,
            "facts": facts,
            "cancel_url": reverse("infoitems:detail", args=[pk]),
        },
    )


def item_adopt(request, pk):
    return _confirm(
        request,
        pk,
        services.item_adopt,
        title=_("采用电教信息"),
        button=_("采用"),
        done=_("已采用"),
    )


def item_publish(request, pk):
    return _confirm(
        request,
        pk,
        services.item_publish,
        title=_("发布电教信息"),
        button=_("发布"),
        done=_("已发布，全乡都能看到"),
    )


def item_return(request, pk):
    item = _station_item(request, pk)
    form = ReturnForm(request.POST or None)
    if form.is_valid() and run_service(
        form, services.item_return, item=item, user=request.user, reason=form.cleaned_data["reason"]
    ):
        messages.success(
            request, _("已退回%(village)s，村里可以修改后重新报送") % {"village": item.village.name}
        )
        return redirect("infoitems:detail", item.pk)
    return _form_page(
        request, form, _("退回：%(item)s") % {"item": item}, reverse("infoitems:detail", args=[pk])
    )


@require_safe
def photo(request, pk):
    """A photo, through the item's scope: there is no public URL for uploaded files."""
    readable = InfoItem.objects.visible_to(request.user)
    found = InfoItemPhoto.objects.filter(pk=pk, version__item__in=readable).first()
    if found is None:
        raise Http404
    try:
        file = found.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(found.image.name)[0] or "application/octet-stream"
    response = FileResponse(file, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
