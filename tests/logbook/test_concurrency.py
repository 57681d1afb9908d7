"""Two operators' phones syncing at the same moment must not fork a village's chain."""

import pytest

from dianjiao.logbook.models import LogbookEntry
from dianjiao.logbook.verify import verify_all
from tests.concurrency import at_once, rerun_on_a_file_database

from .conftest import append


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_queue_up_on_one_chain(world, tmp_path):
    if rerun_on_a_file_database(test_concurrent_appends_queue_up_on_one_chain, tmp_path):
        return
    n = 8
    results = at_once(
        *[
            (
                lambda i=i: append(
                    world, author=world.station if i % 2 else world.operator, title=f"同时提交 {i}"
                )
            )
            for i in range(n)
        ]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(
        LogbookEntry.objects.filter(village=world.village).values_list("seq", flat=True)
    ) == list(range(1, n + 1))
    assert verify_all().ok
