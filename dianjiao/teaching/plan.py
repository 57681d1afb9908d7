"""The year's viewing target (R6), in one place.

R6: every member views at least once a month, 12 times a year. A later issue turns the year's
plan into data (reporting/); until then every caller asks `viewing_target(year)` and nothing else
spells the number out.
"""

YEARLY_VIEWING_TARGET = 12


def viewing_target(year: int) -> int:
    """How many months of the `year` each member must be covered (at most one viewing counts per
    calendar month)."""
    return YEARLY_VIEWING_TARGET
