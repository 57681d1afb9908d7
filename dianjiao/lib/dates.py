import calendar
import contextlib
import contextvars
import datetime as dt

from django.db.models import Case, IntegerField, Value, When
from django.utils import dateformat, timezone
from django.utils.translation import gettext, ngettext

# Set only by the demo builder (`simulated_now`), so a year of history can be recorded day by day
# through the real services, each entry on its own day. Nothing on a request path sets it.
_simulated: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "simulated_now", default=None
)


def now() -> dt.datetime:
    """The current time: what rules like 'same day' and every received-at stamp use."""
    return _simulated.get() or timezone.now()


def today() -> dt.date:
    """Today's date in the configured zone (TIME_ZONE), the day that rules like 'same day' use."""
    # The configured zone by name: no zone is ever activated per request, and looking up the
    # active one costs more than the rest (an import checks 10,000 dates against today).
    return timezone.localdate(now(), timezone.get_default_timezone())


def cn_date(day: dt.date | dt.datetime) -> str:
    """2026年3月5日 as Chinese pages write dates (5 Mar 2026 in English); a datetime is taken in
    the configured zone."""
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
    return dateformat.format(day, gettext("Y年n月j日"))


@contextlib.contextmanager
def simulated_now(at: dt.datetime):
    """Demo data only: run the services as if it were `at` (an aware datetime, not in the future)."""
    if at > timezone.now():
        raise ValueError("a simulated time cannot be in the future")
    token = _simulated.set(at)
    try:
        yield
    finally:
        _simulated.reset(token)


def years_between(start, end) -> int:
    """Whole years from `start` to `end` (an age): 18 on the 18th birthday, not a day before."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


# Calendar months in the configured zone (the day the logbook's "same day" rule uses).


def month_days(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in the configured zone, as an aware datetime."""
    return timezone.make_aware(
        dt.datetime(day.year, day.month, day.day), timezone.get_default_timezone()
    )


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local calendar month, as aware datetimes."""
    first, last = month_days(year, month)
    return midnight(first), midnight(last + dt.timedelta(days=1))


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return midnight(dt.date(year, 1, 1)), midnight(dt.date(year + 1, 1, 1))


def month_of(field: str, year: int) -> Case:
    """The calendar month (1–12, in the configured zone) of the datetime `field`, for rows
    already limited to `year`: a CASE over the months' bounds, so the database groups by it
    without calling a function per row, alike on SQLite and PostgreSQL."""
    return Case(
        *[When(**{f"{field}__lt": month_bounds(year, m)[1]}, then=Value(m)) for m in range(1, 12)],
        default=Value(12),
        output_field=IntegerField(),
    )


def local_month(value: dt.datetime) -> tuple[int, int]:
    local = timezone.localtime(value)
    return local.year, local.month


def months_ended(year: int, as_of: dt.date) -> list[int]:
    """The months of `year` that have ended by `as_of`: the current month is still open, so on
    29 November 2026 that is January to October."""
    if year < as_of.year:
        return list(range(1, 13))
    if year > as_of.year:
        return []
    return list(range(1, as_of.month))


def months_label(months) -> str:
    """[1, 2, 3, 5, 9, 10] -> "1—3、5、9—10月": short enough for a phone's table cell."""
    runs: list[list[int]] = []
    for m in sorted(months):
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    if not runs:
        return ""
    sep = gettext("、")
    text = sep.join(f"{r[0]}—{r[-1]}" if len(r) > 2 else sep.join(map(str, r)) for r in runs)
    return ngettext("%(months)s月", "%(months)s月", sum(map(len, runs))) % {"months": text}
