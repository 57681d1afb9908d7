"""A village's work plan submitted twice at the same moment (two phones, or a double click on a
slow line): both submissions are kept, as versions 1 and 2, and nobody gets an error page.

The version number is read and written in one transaction; without a lock two transactions
both read "no version yet" and both write version 1, and the second fails on the unique
(village, year, version) constraint. Each worker thread has its own connection; on SQLite the
test runs on a database file, as a station runs it (tests/concurrency.py)."""

import time

import pytest

from dianjiao.lib import dates
from dianjiao.plans import services
from dianjiao.plans.models import VillageWorkPlan
from tests.concurrency import at_once, rerun_on_a_file_database

pytestmark = pytest.mark.django_db(transaction=True)
HOLD = 0.4  # seconds each submission keeps its transaction open after reading the versions


@pytest.fixture
def slow_submission(monkeypatch):
    """Hold each submission a moment between taking its version number and writing it."""
    original = dates.now

    def slow():
        time.sleep(HOLD)
        return original()

    monkeypatch.setattr(services.dates, "now", slow)


def _submit(world, user, text):
    return lambda: (
        services.workplan_submit(village=world.village, year=2026, text=text, user=user).version
    )


def test_two_first_submissions_at_once_become_versions_1_and_2(world, tmp_path, slow_submission):
    if rerun_on_a_file_database(
        test_two_first_submissions_at_once_become_versions_1_and_2, tmp_path
    ):
        return
    text = "全年每月组织一次集中收看，重点片按四环节教学。"
    results = at_once(
        _submit(world, world.operator, text), _submit(world, world.station, text + "（电教站）")
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(results) == [1, 2]
    assert sorted(
        VillageWorkPlan.objects.filter(village=world.village, year=2026).values_list(
            "version", flat=True
        )
    ) == [1, 2]


def test_later_submissions_at_once_queue_up_after_the_existing_versions(
    world, tmp_path, slow_submission
):
    if rerun_on_a_file_database(
        test_later_submissions_at_once_queue_up_after_the_existing_versions, tmp_path
    ):
        return
    text = "全年每月组织一次集中收看，重点片按四环节教学。"
    services.workplan_submit(village=world.village, year=2026, text=text, user=world.operator)
    results = at_once(*[_submit(world, world.operator, f"{text}第{i}稿") for i in range(3)])
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(results) == [2, 3, 4]
