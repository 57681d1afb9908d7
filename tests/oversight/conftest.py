import pytest

from tests.clock import clock  # noqa: F401  (the stories' fixed moment: 29 Nov 2026)


@pytest.fixture(autouse=True)
def _fixed_clock(clock):  # noqa: F811
    return clock
