"""Every change to plans goes through here."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from dianjiao.accounts.scope import require_station, require_write
from dianjiao.films.models import Film
from dianjiao.lib import dates
from dianjiao.orgs.models import Township, Village

from .models import AnnualPlan, VillageWorkPlan


def _lock(model, pk) -> None:
    """Serialise writes under one township or village (its plan, its version numbers).
    PostgreSQL: a row lock on that township or village, held to the end of the transaction (a
    lock on the plans themselves would not do: FOR UPDATE is dropped on an aggregate, and a
    first version has no row to lock). SQLite: BEGIN IMMEDIATE already holds the single write
    lock (see settings). The unique constraints are the backstop either way."""
    if connection.vendor != "sqlite":
        model.objects.select_for_update().filter(pk=pk).values_list("pk").get()


@transaction.atomic
def plan_save(
    *,
    user,
    township: Township,
    year: int,
    viewings_per_member: int,
    key_films,
    info_items_per_village_month: int,
    quarterly_report_due_days: int,
    joint_meetings: int,
    summary_meetings: int,
    trainings: int,
    pastoral_hours: int,
    monthly_inspection: bool,
) -> AnnualPlan:
    """Set `township`'s plan of `year` (created on its first save) to these targets, as an
    AnnualPlanForm's cleaned data gives them. The plan of the running year decides which films of
    the library are key films (taught with the four-ring method): their mark in the catalogue
    follows it, one audited save per film that changes."""
    require_station(user, township, denied=_("只有电教站管理员可以制定年度计划"))
    key_films = list(key_films)
    if any(f.township_id != township.pk for f in key_films):
        raise ValidationError({"key_films": _("年度重点片必须是本乡镇片库中的影片")})
    _lock(Township, township.pk)
    plan = AnnualPlan.objects.filter(township=township, year=year).first() or AnnualPlan(
        township=township, year=year
    )
    plan.viewings_per_member = viewings_per_member
    plan.info_items_per_village_month = info_items_per_village_month
    plan.quarterly_report_due_days = quarterly_report_due_days
    plan.joint_meetings = joint_meetings
    plan.summary_meetings = summary_meetings
    plan.trainings = trainings
    plan.pastoral_hours = pastoral_hours
    plan.monthly_inspection = monthly_inspection
    plan.updated_by = user
    plan.full_clean()
    plan.save()
    plan.key_films.set(key_films)
    if plan.year == dates.today().year:
        key = {f.pk for f in key_films}
        for film in Film.objects.filter(township=plan.township):
            if film.is_key_film != (film.pk in key):
                film.is_key_film = film.pk in key
                film.save(update_fields=["is_key_film"])
    return plan


@transaction.atomic
def workplan_submit(*, village, year: int, text: str, user) -> VillageWorkPlan:
    """A new version of `village`'s work plan of `year`. Two submissions at the same moment
    take versions n and n + 1 (the village is locked first)."""
    require_write(user)
    _lock(Village, village.pk)
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
