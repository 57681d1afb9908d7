from django.utils import timezone


def today():
    """Today's date in the configured zone (TIME_ZONE), the day that rules like 'same day' use."""
    return timezone.localdate()


def years_between(start, end) -> int:
    """Whole years from `start` to `end` (an age): 18 on the 18th birthday, not a day before."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))
