"""The wide world once per module, for the modules that walk every page as every persona (the
access matrix, the fuzzing, the read-only and one-language walks). Importing the two fixtures
below into a test module gives it the fixtures `wide_world` and `world`:

    from tests.wide_world import wide_world_once, wide_world_each_test  # noqa: F401 (fixtures)

`world` is then tests.factories.WideWorld (two counties, see there), written once per module,
instead of the conftest's small world written for every test."""

import pytest
from django.db import transaction

from tests.factories import WideWorld


@pytest.fixture(scope="module", name="wide_world")
def wide_world_once(django_db_setup, django_db_blocker):
    """WideWorld, written once in a transaction that the end of the module rolls back; each test
    (through the `db` fixture) runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        w = WideWorld()
        yield w
        transaction.set_rollback(True)


@pytest.fixture(name="world")
def wide_world_each_test(wide_world, db):
    return wide_world
