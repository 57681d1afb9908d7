"""The year a plan page shows, and the years its selector offers."""

from dianjiao.lib import dates


def requested_year(request) -> int:
    """?year=… when it is a year a plan can be for (2000 to next year), else the running year."""
    today = dates.today()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def offered_years() -> list[int]:
    """The years offered in the year selectors: next year's plan down to four years back."""
    this = dates.today().year
    return list(range(this + 1, this - 4, -1))
