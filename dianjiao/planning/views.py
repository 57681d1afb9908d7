from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dianjiao.accounts.models import Role
from dianjiao.accounts.scope import get_for_user, require_write
from dianjiao.lib import dates
from dianjiao.lib.xlsx import xlsx_response
from dianjiao.orgs.models import Village

from . import exports, selectors
from .forms import AnnualPlanForm, WorkPlanForm
from .models import AnnualPlan, VillageWorkPlan
from .services import plan_save
from .services import workplan_submit as submit

CHART_H = 120  # px of a 100 % bar
BAR_W = 32


def _year(request) -> int:
    today = dates.today()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _years() -> list[int]:
    """The years offered in the year selectors: next year's plan down to four years back."""
    this = dates.today().year
    return list(range(this + 1, this - 4, -1))


def _bars(values):
    """[(label, pct)] -> bar geometry for an inline SVG (presentation attributes only)."""
    out = []
    for i, (label, pct) in enumerate(values):
        h = round((pct or 0) * CHART_H / 100)
        out.append(
            {
                "label": label,
                "pct": pct,
                "x": 8 + i * (BAR_W + 8),
                "y": 10 + CHART_H - h,
                "h": h,
                "tx": 8 + i * (BAR_W + 8) + BAR_W // 2,
                "ty": 10 + CHART_H + 16,
                "vy": 6 + CHART_H - h,
            }
        )
    return {
        "bars": out,
        "width": 16 + len(out) * (BAR_W + 8),
        "height": CHART_H + 34,
        "bw": BAR_W,
        "base": 10 + CHART_H,
    }


@require_safe
def dashboard(request):
    year = _year(request)
    as_of = dates.today()
    c = selectors.compliance(request.user, year=year, as_of=as_of)
    county = request.user.role == Role.COUNTY_VIEWER
    return render(
        request,
        "planning/dashboard.html",
        {
            "year": year,
            "c": c,
            "county": county,
            "townships": c.by_township() if county else None,
            "todos": selectors.todos(request.user, as_of=as_of) if year == as_of.year else [],
            "coverage_chart": _bars([(f"{m}", pct) for m, pct, _e, _p in c.monthly_coverage()]),
            "held_chart": _bars(
                [
                    (
                        r.village.name[:3],
                        100 * r.months_held / r.months_ended if r.months_ended else None,
                    )
                    for r in c.rows
                ]
            ),
            "can_edit_plan": request.user.role == Role.STATION_ADMIN,
            "years": _years(),
        },
    )


@require_safe
def export(request):
    year = _year(request)
    table = request.GET.get("table", "matrix")
    if table not in exports.TABLES:
        raise Http404
    c = selectors.compliance(request.user, year=year, as_of=dates.today())
    content, name, ascii_name = exports.TABLES[table](c)
    return xlsx_response(
        content, filename=f"{name}-{year}.xlsx", ascii_name=f"{ascii_name}-{year}.xlsx"
    )


def plan_edit(request, year):
    require_write(request.user)
    if request.user.role != Role.STATION_ADMIN:
        raise PermissionDenied(_("只有电教站管理员可以制定年度计划"))
    if not request.user.township_id or not 2000 <= year <= 2100:
        raise Http404
    instance = AnnualPlan.objects.writable_by(request.user).filter(year=year).first()
    form = AnnualPlanForm(
        request.POST or None, instance=instance, township=request.user.township, year=year
    )
    if request.method == "POST" and form.is_valid():
        plan_save(form=form, user=request.user)
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
    year = _year(request)
    villages = list(
        Village.objects.visible_to(request.user).order_by("township_id", "sort_order", "name")
    )
    plans = (
        VillageWorkPlan.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("village", "submitted_by")
    )
    by_village: dict[int, list] = {v.pk: [] for v in villages}
    for p in plans.order_by("village_id", "-version"):
        by_village.setdefault(p.village_id, []).append(p)
    return render(
        request,
        "planning/workplans.html",
        {
            "year": year,
            "rows": [(v, by_village[v.pk]) for v in villages],
            "can_write": Village.objects.writable_by(request.user).exists(),
            "years": _years(),
        },
    )


def workplan_submit(request):
    require_write(request.user)
    villages = Village.objects.writable_by(request.user)
    year = _year(request)
    form = WorkPlanForm(request.POST or None)
    if request.user.village_id is None:
        from django import forms

        form.fields["village"] = forms.ModelChoiceField(label=_("村"), queryset=villages)
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
    return render(request, "planning/workplan_detail.html", {"plan": plan})
