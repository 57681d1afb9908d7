from tests.teaching.conftest import cast, clock  # noqa: F401
