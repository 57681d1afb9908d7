"""The clock the rules use, and the demo-only simulated clock."""

import pytest


def test_it_refuses_to_simulate_a_future_clock():
    import datetime as dt

    from django.utils import timezone

    from dianjiao.lib import dates

    past = timezone.now() - dt.timedelta(days=40)
    with dates.simulated_now(past):
        assert dates.now() == past and dates.today() == timezone.localdate(past)
    assert dates.now() > past
    with pytest.raises(ValueError), dates.simulated_now(timezone.now() + dt.timedelta(hours=1)):
        pass
