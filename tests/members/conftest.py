from tests.clock import clock  # noqa: F401  (the stories' clock)
