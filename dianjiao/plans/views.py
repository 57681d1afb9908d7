from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dianjiao.accounts.scope import get_for_user, require_station, require_write
from dianjiao.lib.forms import add_service_errors
from dianjiao.lib.params import requested_township
from dianjiao.orgs.fields import NameChoiceField
from dianjiao.orgs.models import Township, Village

from .forms import AnnualPlanForm, WorkPlanForm
from .models import AnnualPlan, VillageWorkPlan
from .services import plan_save
from .services import workplan_submit as submit
from .years import offered_years, requested_year


def plan_edit(request, year):
    require_station(request.user, denied=_("只有电教站管理员可以制定年度计划"))
    if not request.user.township_id or not 2000 <= year <= 2100:
        raise Http404
    instance = AnnualPlan.objects.writable_by(request.user).filter(year=year).first()
    form = AnnualPlanForm(
        request.POST or None, instance=instance, township=request.user.township, year=year
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan_save(
                user=request.user, township=request.user.township, year=year, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(f"{reverse('planning:dashboard')}?year={year}")
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": _("%(year)d年年度计划") % {"year": year},
            "cancel_url": f"{reverse('planning:dashboard')}?year={year}",
        },
    )


@require_safe
def workplans(request):
    """The villages' work plans of a year. A county sees its townships first (how many of their
    villages submitted), each opening its villages (?township=…)."""
    year = requested_year(request)
    township = requested_township(request)
    scope = Village.objects.visible_to(request.user)
    if township is not None:
        scope = scope.filter(township_id=township)
    pairs = list(scope.values_list("pk", "township_id"))
    if township is not None and not pairs:
        raise Http404
    plans = VillageWorkPlan.objects.visible_to(request.user).filter(year=year)
    context = {
        "year": year,
        "township": None,
        "can_write": Village.objects.writable_by(request.user).exists(),
        "years": offered_years(),
    }
    if len({t for _v, t in pairs}) > 1:
        submitted = set(plans.values_list("village_id", flat=True))
        counts: dict[int, list[int]] = {}  # township -> [villages, of them submitted]
        for village_id, township_id in pairs:
            count = counts.setdefault(township_id, [0, 0])
            count[0] += 1
            count[1] += village_id in submitted
        context["townships"] = [
            (t, n, done, n - done)
            for t in Township.objects.filter(pk__in=counts).only("name").order_by("pk")
            for n, done in [counts[t.pk]]
        ]
        return render(request, "plans/workplans.html", context)
    villages = list(scope.select_related("township").order_by("township_id", "sort_order", "name"))
    by_village: dict[int, list] = {v.pk: [] for v in villages}
    for p in plans.select_related("submitted_by").order_by("village_id", "-version"):
        by_village.setdefault(p.village_id, []).append(p)
    context["rows"] = [(v, by_village[v.pk]) for v in villages]
    if township is not None:
        context["township"] = villages[0].township
    return render(request, "plans/workplans.html", context)


def workplan_submit(request):
    require_write(request.user)
    villages = Village.objects.writable_by(request.user)
    year = requested_year(request)
    form = WorkPlanForm(request.POST or None)
    if request.user.village_id is None:
        form.fields["village"] = NameChoiceField(label=_("村"), queryset=villages)
    if request.method == "POST" and form.is_valid():
        village = form.cleaned_data.get("village") or villages.get(pk=request.user.village_id)
        submit(village=village, year=year, text=form.cleaned_data["text"], user=request.user)
        return redirect(f"{reverse('planning:workplans')}?year={year}")
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": _("报送%(year)d年电教工作计划") % {"year": year},
            "cancel_url": f"{reverse('planning:workplans')}?year={year}",
        },
    )


@require_safe
def workplan_detail(request, pk):
    plan = get_for_user(
        request, VillageWorkPlan.objects.select_related("village", "submitted_by"), pk
    )
    return render(request, "plans/workplan_detail.html", {"plan": plan})
