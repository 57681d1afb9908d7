"""Two operators' phones syncing at the same moment must not fork a village's chain."""

import threading

import pytest
from django.db import connection, connections

from dianjiao.logbook.models import LogbookEntry
from dianjiao.logbook.verify import verify_all

from .conftest import append


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_queue_up_on_one_chain(world):
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(connection.settings_dict["NAME"]):
        pytest.skip("an in-memory SQLite database has no real concurrent writers (set TEST_SQLITE_NAME)")
    n, errors = 8, []
    barrier = threading.Barrier(n)

    def worker(i):
        try:
            barrier.wait()
            append(world, author=world.station if i % 2 else world.operator, title=f"同时提交 {i}")
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(LogbookEntry.objects.filter(village=world.village).values_list("seq", flat=True)) == list(range(1, n + 1))
    assert verify_all().ok
