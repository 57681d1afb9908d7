"""What the records already answer for an inspection or an assessment: the compliance figures the
dashboard computes (one import, so that moving the compliance code changes one line)."""

import datetime as dt

from dianjiao.compliance.compute import compliance as _compliance

from .models import ChecklistItem, InspectionResult

S = InspectionResult.Status


def compliance(user, *, year: int, as_of: dt.date):
    return _compliance(user, year=year, as_of=as_of)


def village_row(user, village, *, year: int, as_of: dt.date):
    for row in compliance(user, year=year, as_of=as_of).rows:
        if row.village.pk == village.pk:
            return row
    return None


def record_statuses(user, village, day: dt.date) -> dict[str, str]:
    """{ChecklistItem.Source: InspectionResult.Status} for `village` in the month of `day`, from
    the records: a viewing held, key films with all four rings, last month's feedback sent, the
    month's information items sent."""
    return statuses_of(village_row(user, village, year=day.year, as_of=day), day.month)


def statuses_of(row, month: int) -> dict[str, str]:
    """The record answers of one compliance row (a village's year) for `month`."""
    if row is None:
        return {}
    cell = row.cells[month - 1]
    out = {
        ChecklistItem.Source.VIEWING: S.MEETS if cell.held else S.FAILS,
        ChecklistItem.Source.INFO: S.MEETS if cell.info_ok else S.FAILS,
    }
    ring = cell.four_ring_ok
    out[ChecklistItem.Source.FOUR_RING] = S.NA if ring is None else (S.MEETS if ring else S.FAILS)
    if month > 1:
        prev = row.cells[month - 2]
        out[ChecklistItem.Source.FEEDBACK] = S.MEETS if prev.feedback else S.FAILS
    return out
