"""Coverage per village and month (MonthlyCoverage), kept in step with the attendance.

R1's coverage is "of the members expected at a viewing of the month, who watched at least once".
Counting it means grouping a year's attendance twice with distinct counts (the expected by the
village of the session, the present by the member's own village, since a herder seen at another
village's camp has watched too): at county scale that was two thirds of the compliance page. So
the figures are counted here once per write instead, for the cells the write touches:

- a session recorded or corrected, a guest matched to a member: the session's village and
  month, and the villages of the members on its list (`refresh_session`);
- a member moved to another village (members' `member_moved` signal, heard in apps.py): both
  villages, in every month the member has attendance (`refresh_members`);
- bulk writes that skip the services (the demo's history) call `rebuild` when done.

`live` is the one definition of the figures; `check` compares the stored cells with it and
`rebuild` rewrites them (`dianjiao rollups`). The cells are derived data, written with
INSERT … ON CONFLICT and never audited: the attendance they count is."""

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, F, Min, Q

from dianjiao.lib.dates import local_month, month_bounds, month_of, year_bounds

from .models import Attendance, MonthlyCoverage, ViewingSession

Cell = tuple[int, int, int]  # village id, year, month
Figures = dict[tuple[int, int], tuple[int, int]]  # (village id, month) -> (expected, present)

PRESENT = Attendance.Status.PRESENT


def live(year: int, *, villages: Iterable[int] | None = None, months=None) -> Figures:
    """The coverage of `year` counted from the attendance, for every village (or only
    `villages`), all months (or only those from min(`months`) to max(`months`)). Two queries."""
    start, end = year_bounds(year)
    if months:
        start, end = month_bounds(year, min(months))[0], month_bounds(year, max(months))[1]
    rows = (
        Attendance.objects.filter(
            session__held_at__gte=start,
            session__held_at__lt=end,
            session__kind__in=ViewingSession.COUNTED_KINDS,
        )
        .annotate(month=month_of("session__held_at", year))
        .order_by()
    )
    expected_rows, present_rows = rows.filter(expected=True), rows
    if villages is not None:
        villages = list(villages)
        expected_rows = expected_rows.filter(session__village_id__in=villages)
        present_rows = present_rows.filter(member__village_id__in=villages)
    figures: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    # Expected: for the village of the session that expected them.
    for village_id, month, n in expected_rows.values_list("session__village_id", "month").annotate(
        n=Count("member", distinct=True)
    ):
        figures[village_id, month][0] = n
    # Present: for the member's own village, since a herder seen at another village's pastoral
    # point (or a guest the station matched to them) has watched that month. Expected at home ∩
    # present is counted as home + present − (home or present): distinct counts in one GROUP BY.
    at_home = Q(expected=True, session__village_id=F("member__village_id"))
    present = Q(status=PRESENT)
    for village_id, month, n_home, n_present, n_either in present_rows.values_list(
        "member__village_id", "month"
    ).annotate(
        n_home=Count("member", distinct=True, filter=at_home),
        n_present=Count("member", distinct=True, filter=present),
        n_either=Count("member", distinct=True, filter=at_home | present),
    ):
        figures[village_id, month][1] = n_home + n_present - n_either
    return {key: (e, p) for key, (e, p) in figures.items() if e or p}


def stored(year: int, villages: Iterable[int] | None = None) -> Figures:
    """The cells of `year` as kept (only those with a figure), for all villages or `villages`.
    One query."""
    cells = MonthlyCoverage.objects.filter(year=year)
    if villages is not None:
        cells = cells.filter(village_id__in=list(villages))
    return {
        (v, m): (e, p)
        for v, m, e, p in cells.values_list("village_id", "month", "expected", "present")
        if e or p
    }


def refresh(cells: Iterable[Cell]) -> None:
    """Count these cells again from the attendance and store them."""
    by_year: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for village_id, year, month in cells:
        by_year[year].add((village_id, month))
    for year, wanted in sorted(by_year.items()):
        figures = live(year, villages={v for v, _m in wanted}, months={m for _v, m in wanted})
        _store(year, {key: figures.get(key, (0, 0)) for key in wanted})


def refresh_session(session: ViewingSession, member_villages: Iterable[int] = ()) -> None:
    """After `session`'s attendance was written: its village's month, and the same month of the
    villages its listed members belong to (`member_villages`)."""
    year, month = local_month(session.held_at)
    refresh((v, year, month) for v in {session.village_id, *member_villages})


def refresh_members(moves: dict[int, tuple[int, int]]) -> None:
    """After members moved village ({member id: (old village id, new village id)}): both
    villages, in each month where the member has counted attendance."""
    if not moves:
        return
    cells: set[Cell] = set()
    held = (
        Attendance.objects.filter(
            member_id__in=list(moves), session__kind__in=ViewingSession.COUNTED_KINDS
        )
        .values_list("member_id", "session__held_at")
        .order_by()
    )
    for member_id, held_at in held:
        year, month = local_month(held_at)
        cells.update((v, year, month) for v in moves[member_id])
    refresh(cells)


@dataclasses.dataclass(frozen=True)
class Difference:
    village_id: int
    year: int
    month: int
    stored: tuple[int, int]
    counted: tuple[int, int]


def _years() -> range:
    first = ViewingSession.objects.aggregate(first=Min("held_at"))["first"]
    if first is None:
        return range(0)
    last = ViewingSession.objects.order_by("-held_at").values_list("held_at", flat=True)[0]
    return range(local_month(first)[0], local_month(last)[0] + 1)


def check() -> list[Difference]:
    """Every cell whose stored figures differ from those counted from the attendance."""
    found = []
    years = set(_years()) | set(MonthlyCoverage.objects.values_list("year", flat=True).distinct())
    for year in sorted(years):
        counted, kept = live(year), stored(year)
        for key in sorted(counted.keys() | kept.keys()):
            if counted.get(key, (0, 0)) != kept.get(key, (0, 0)):
                found.append(
                    Difference(
                        key[0], year, key[1], kept.get(key, (0, 0)), counted.get(key, (0, 0))
                    )
                )
    return found


def rebuild(villages: Iterable[int] | None = None) -> int:
    """Count every cell again (of all villages, or of `villages`) and store it; cells kept with
    a figure that the attendance no longer gives are set to zero. Returns the cells written."""
    if villages is not None:
        villages = list(villages)
    written = 0
    years = set(_years()) | set(MonthlyCoverage.objects.values_list("year", flat=True).distinct())
    for year in sorted(years):
        counted = live(year, villages=villages)
        gone = stored(year, villages).keys() - counted.keys()
        written += _store(year, counted | dict.fromkeys(gone, (0, 0)))
    return written


def fill_if_missing(using: str = "default") -> int:
    """Count every cell if none is kept yet while attendance exists (after the upgrade that
    added them). Returns the cells written."""
    if using != "default" or MonthlyCoverage.objects.exists():
        return 0
    if not Attendance.objects.exists():
        return 0
    return rebuild()


def _store(year: int, figures: Figures) -> int:
    MonthlyCoverage.objects.bulk_create(
        [
            MonthlyCoverage(village_id=v, year=year, month=m, expected=e, present=p)
            for (v, m), (e, p) in figures.items()
        ],
        update_conflicts=True,
        unique_fields=["village", "year", "month"],
        update_fields=["expected", "present"],
        batch_size=500,
    )
    return len(figures)
