"""The year's viewing target (R6), in one place.

R6: every member views at least once a month, 12 times a year. The number is read from the
township's annual plan (dianjiao.plans); nothing else spells it out.
"""

from dianjiao.plans.models import AnnualPlan

YEARLY_VIEWING_TARGET = 12


def viewing_targets(year: int, township_ids) -> dict[int, int]:
    """{township id: months of `year` each member must be covered} (one query). At most one
    viewing counts per calendar month, so a plan's number above 12 is read as 12; a township
    without a plan for the year gets 12."""
    ids = set(township_ids)
    planned = dict(
        AnnualPlan.objects.filter(year=year, township_id__in=ids).values_list(
            "township_id", "viewings_per_member"
        )
    )
    return {t: min(planned.get(t, YEARLY_VIEWING_TARGET), 12) for t in ids}


def viewing_target(year: int, township=None) -> int:
    """The target of one township (an object or an id). Without a township: the plan of that
    year when every township that has one agrees, else 12."""
    if township is not None:
        township_id = getattr(township, "pk", township)
        return viewing_targets(year, [township_id])[township_id]
    values = set(
        AnnualPlan.objects.filter(year=year).values_list("viewings_per_member", flat=True)[:2]
    )
    if len(values) == 1:
        return min(values.pop(), 12)
    return YEARLY_VIEWING_TARGET


def prorated_target(yearly: int, months_on_roster: int) -> int:
    """A member on the roster for part of the year is expected for those months only: the
    yearly target × months on the roster ÷ 12, a part of a viewing counted as a whole one
    (rounded up), so 12 a year and 2 months on the roster ask for 2, 10 a year and 1 month for 1."""
    if months_on_roster >= 12:
        return yearly
    return -(-yearly * months_on_roster // 12)
