"""Every change to plans goes through here."""

from django.db import connection, transaction
from django.db.models import Max

from dianjiao.accounts.scope import require_write
from dianjiao.films.models import Film
from dianjiao.lib import dates
from dianjiao.orgs.models import Village

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


def _lock_village(village) -> None:
    """Serialise the work plans of one village, so that two submissions at the same moment take
    versions n and n + 1. PostgreSQL: a row lock on the village, held to the end of the
    transaction (a lock on the plans themselves would not do: FOR UPDATE is dropped on an
    aggregate, and a first version has no row to lock). SQLite: BEGIN IMMEDIATE already holds
    the single write lock (see settings). The unique (village, year, version) constraint is the
    backstop either way."""
    if connection.vendor != "sqlite":
        Village.objects.select_for_update().filter(pk=village.pk).values_list("pk").get()


@transaction.atomic
def workplan_submit(*, village, year: int, text: str, user) -> VillageWorkPlan:
    require_write(user)
    _lock_village(village)
    last = VillageWorkPlan.objects.filter(village=village, year=year).aggregate(v=Max("version"))[
        "v"
    ]
    return VillageWorkPlan.objects.create(
        village=village,
        year=year,
        text=text,
        version=(last or 0) + 1,
        submitted_by=user,
        submitted_at=dates.now(),
    )
