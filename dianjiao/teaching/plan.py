"""The year's viewing target (R6), in one place.

R6: every member views at least once a month, 12 times a year. A later issue turns the year's
plan into data (reporting/); until then every caller asks `viewing_target(year)` and nothing else
spells the number out.
"""

YEARLY_VIEWING_TARGET = 12


def viewing_target(year: int, township=None) -> int:
    """How many months of the `year` each member must be covered (at most one viewing counts per
    calendar month): the township's AnnualPlan (dianjiao.planning) when there is one, else 12.
    Without a township, the plan of that year when exactly one township has one."""
    from dianjiao.planning.models import AnnualPlan

    plans = AnnualPlan.objects.filter(year=year)
    if township is not None:
        plans = plans.filter(township=township)
    values = set(plans.values_list("viewings_per_member", flat=True)[:2])
    if len(values) == 1:
        return min(values.pop(), 12)
    return YEARLY_VIEWING_TARGET
