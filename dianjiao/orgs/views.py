from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dianjiao.accounts.scope import get_for_user, require_write
from dianjiao.lib.forms import run_service

from . import selectors, services
from .forms import EquipmentForm, PointForm
from .models import Equipment, ViewingPoint, Village


def village_detail(request, pk):
    village = get_for_user(request, Village.objects.select_related("township"), pk)
    points = list(selectors.points_of(village, request.user).prefetch_related("equipment"))
    return render(request, "orgs/village_detail.html", {"village": village, "points": points})


def point_detail(request, pk):
    point = get_for_user(request, ViewingPoint.objects.select_related("village"), pk)
    return render(
        request,
        "orgs/point_detail.html",
        {
            "point": point,
            "equipment": point.equipment.all(),
            "members": point.members.filter(active=True).order_by("name_pinyin"),
        },
    )


def point_create(request):
    require_write(request.user)
    initial = {"village": request.GET.get("village")}
    form = PointForm(request.POST or None, user=request.user, initial=initial)
    if form.is_valid() and (
        point := run_service(form, services.point_save, user=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("已新建播放点“%(name)s”") % {"name": point.name})
        return redirect("orgs:point_detail", point.pk)
    return render(
        request,
        "web/form.html",
        {"form": form, "title": _("新建播放点"), "cancel_url": reverse("orgs:village_list")},
    )


def point_edit(request, pk):
    point = get_for_user(request, ViewingPoint, pk, write=True)
    form = PointForm(request.POST or None, instance=point, user=request.user)
    if form.is_valid() and run_service(
        form, services.point_save, user=request.user, point=point, **form.cleaned_data
    ):
        messages.success(request, _("播放点已保存"))
        return redirect("orgs:point_detail", point.pk)
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": _("修改播放点：%(point)s") % {"point": point},
            "cancel_url": reverse("orgs:point_detail", args=[pk]),
        },
    )


def equipment_create(request, point_pk):
    point = get_for_user(request, ViewingPoint, point_pk, write=True)
    form = EquipmentForm(request.POST or None, instance=Equipment(point=point))
    if form.is_valid() and run_service(
        form, services.equipment_save, user=request.user, point=point, **form.cleaned_data
    ):
        messages.success(request, _("设备已登记"))
        return redirect("orgs:point_detail", point.pk)
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": _("登记设备：%(point)s") % {"point": point},
            "cancel_url": reverse("orgs:point_detail", args=[point.pk]),
        },
    )


def equipment_edit(request, pk):
    item = get_for_user(request, Equipment.objects.select_related("point"), pk, write=True)
    form = EquipmentForm(request.POST or None, instance=item)
    if form.is_valid() and run_service(
        form, services.equipment_save, user=request.user, equipment=item, **form.cleaned_data
    ):
        messages.success(request, _("设备信息已保存，原记录保留在操作记录中"))
        return redirect("orgs:point_detail", item.point_id)
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": _("修改设备：%(item)s") % {"item": item},
            "cancel_url": reverse("orgs:point_detail", args=[item.point_id]),
        },
    )
