"""Every change to plans goes through here."""

from django.db import transaction
from django.db.models import Max

from dianjiao.accounts.scope import require_write
from dianjiao.films.models import Film
from dianjiao.lib import dates

from .models import AnnualPlan, VillageWorkPlan


@transaction.atomic
def plan_save(*, form, user) -> AnnualPlan:
    """Save a validated AnnualPlanForm for the user's township. The plan of the running year
    decides which films of the library are key films (taught with the four-ring method): their
    mark in the catalogue follows it, one audited save per film that changes."""
    require_write(user)
    plan = form.save(commit=False)
    plan.updated_by = user
    plan.save()
    form.save_m2m()
    if plan.year == dates.today().year:
        key = set(plan.key_films.values_list("pk", flat=True))
        for film in Film.objects.filter(township=plan.township):
            if film.is_key_film != (film.pk in key):
                film.is_key_film = film.pk in key
                film.save(update_fields=["is_key_film"])
    return plan


@transaction.atomic
def workplan_submit(*, village, year: int, text: str, user) -> VillageWorkPlan:
    require_write(user)
    last = (
        VillageWorkPlan.objects.select_for_update()
        .filter(village=village, year=year)
        .aggregate(v=Max("version"))["v"]
    )
    return VillageWorkPlan.objects.create(
        village=village,
        year=year,
        text=text,
        version=(last or 0) + 1,
        submitted_by=user,
        submitted_at=dates.now(),
    )
