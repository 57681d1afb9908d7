import contextlib
import contextvars
import datetime as dt

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

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
    return timezone.localdate(now())


def cn_date(day: dt.date | dt.datetime) -> str:
    """2026年3月5日 as Chinese pages write dates (5 Mar 2026 in English); a datetime is taken in
    the configured zone."""
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
    return dateformat.format(day, _("Y年n月j日"))


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
