"""Every change to plans goes through here."""

from django.db import transaction
from django.db.models import Max

from dianjiao.accounts.scope import require_write
from dianjiao.lib import dates

from .models import AnnualPlan, VillageWorkPlan


@transaction.atomic
def plan_save(*, form, user) -> AnnualPlan:
    """Save a validated AnnualPlanForm for the user's township."""
    require_write(user)
    plan = form.save(commit=False)
    plan.updated_by = user
    plan.save()
    form.save_m2m()
    return plan


@transaction.atomic
def workplan_submit(*, village, year: int, text: str, user) -> VillageWorkPlan:
    require_write(user)
    last = VillageWorkPlan.objects.select_for_update().filter(village=village, year=year).aggregate(v=Max("version"))["v"]
    return VillageWorkPlan.objects.create(
        village=village, year=year, text=text, version=(last or 0) + 1, submitted_by=user, submitted_at=dates.now(),
    )
