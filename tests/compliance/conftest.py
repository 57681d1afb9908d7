from tests.teaching.conftest import cast, clock  # noqa: F401  (the teaching stories' cast and clock)
