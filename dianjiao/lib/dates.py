from django.utils import timezone


def today():
    """Today's date in the configured zone (TIME_ZONE), the day that rules like 'same day' use."""
    return timezone.localdate()
