"""Campaign pages: access helper → form → service → redirect."""

from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dianjiao.accounts.scope import get_for_user, is_station, require_station
from dianjiao.lib.forms import add_service_errors, id_or_none
from dianjiao.orgs.models import Township

from . import selectors, services
from .exports import ledger_xlsx
from .forms import CampaignForm, PointForm
from .models import Campaign

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form_page(request, form, title, cancel_url):
    return render(
        request, "web/form.html", {"form": form, "title": title, "cancel_url": cancel_url}
    )


@require_safe
def campaign_list(request):
    return render(
        request,
        "pastoral/list.html",
        {
            "campaigns": selectors.campaigns_for(request.user),
            "can_create": is_station(request.user) and request.user.township_id,
        },
    )


def campaign_create(request):
    require_station(request.user)
    township = Township.objects.get(pk=request.user.township_id)
    form = CampaignForm(request.POST or None, township=township)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                user=request.user,
                township=township,
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                staff=data["staff"],
                target_hours=data["target_hours"],
                notes=data["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("pastoral:detail", campaign.pk)
    return _form_page(request, form, _("新建流动教学活动"), "/pastoral/")


def _int(value):
    return id_or_none(value)


@require_safe
def campaign_detail(request, pk):
    campaign = get_for_user(request, Campaign.objects.select_related("township"), pk)
    ledger = selectors.campaign_ledger(request.user, campaign)
    point_id, village_id = _int(request.GET.get("point")), _int(request.GET.get("village"))
    drill = None
    if point_id or village_id:
        drill = {
            "sessions": selectors.ledger_sessions(
                request.user, campaign, point_id=point_id, village_id=village_id
            ),
            "of": next(
                (
                    r.obj
                    for r in (ledger.points if point_id else ledger.villages)
                    if r.obj.pk == (point_id or village_id)
                ),
                None,
            ),
        }
    return render(
        request,
        "pastoral/detail.html",
        {
            "campaign": campaign,
            "ledger": ledger,
            "drill": drill,
            "staff": campaign.staff.all(),
            "can_manage": is_station(request.user, campaign.township_id),
        },
    )


def point_add(request, pk):
    campaign = get_for_user(request, Campaign, pk, write=True)
    require_station(request.user, campaign.township_id)
    form = PointForm(request.POST or None, township=campaign.township)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.point_add(
                user=request.user,
                campaign=campaign,
                name=data["name"],
                river_area=data["river_area"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                villages=data["villages"],
                viewing_points=data["viewing_points"] or None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("pastoral:detail", campaign.pk)
    return _form_page(
        request,
        form,
        _("添加牧业点：%(campaign)s") % {"campaign": campaign.name},
        f"/pastoral/{campaign.pk}/",
    )


@require_safe
def campaign_export(request, pk):
    campaign = get_for_user(request, Campaign, pk)
    ledger = selectors.campaign_ledger(request.user, campaign)
    data = ledger_xlsx(ledger, selectors.ledger_sessions(request.user, campaign))
    response = HttpResponse(data, content_type=XLSX)
    name = quote(f"{campaign.name}台账.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
