"""Two people saving at the same moment, in real threads: two forms both land, each with its own
logbook entry; one form id sent twice at once lands once and the differing copy conflicts.
(test_session_record.py tells the same race sequentially.)"""

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from dianjiao.logbook.models import LogbookEntry
from dianjiao.logbook.verify import verify_all
from dianjiao.teaching.models import ViewingSession
from dianjiao.teaching.services import SessionConflictError

from .conftest import ABSENT, Cast, record


def _rerun_on_a_file_database(test, tmp_path) -> bool:
    """Threads on an in-memory SQLite database share one cache with table locks, not SQLite's
    file locking, so they prove nothing: run the test again, in a subprocess, on a file."""
    if not (connection.vendor == "sqlite" and connection.creation.is_in_memory_db(connection.settings_dict["NAME"])):
        return False
    env = {**os.environ, "TEST_SQLITE_NAME": str(tmp_path / "concurrency.sqlite3")}
    env.pop("DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{__file__}::{test.__name__}"],
        cwd=Path(settings.BASE_DIR).parent, env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    return True


def _at_once(*calls):
    results: list = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # reported to the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_operators_with_two_forms_both_land(world, clock, tmp_path):
    if _rerun_on_a_file_database(test_two_operators_with_two_forms_both_land, tmp_path):
        return
    cast = Cast(world)
    a, b = _at_once(
        lambda: record(cast, author=world.operator, client_id=uuid.uuid4()),
        lambda: record(cast, author=world.station, client_id=uuid.uuid4()),
    )
    assert isinstance(a, ViewingSession) and isinstance(b, ViewingSession), (a, b)
    assert ViewingSession.objects.count() == 2
    assert sorted(LogbookEntry.objects.filter(village=world.village).values_list("seq", flat=True)) == [1, 2]
    assert verify_all().ok


@pytest.mark.django_db(transaction=True)
def test_one_form_id_sent_twice_at_once_lands_once_and_the_different_one_conflicts(world, clock, tmp_path):
    if _rerun_on_a_file_database(test_one_form_id_sent_twice_at_once_lands_once_and_the_different_one_conflicts, tmp_path):
        return
    cast = Cast(world)
    shared = uuid.uuid4()
    results = _at_once(
        lambda: record(cast, author=world.operator, client_id=shared),
        lambda: record(cast, author=world.operator, client_id=shared,
                       attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")}),
    )
    sessions = [r for r in results if isinstance(r, ViewingSession)]
    conflicts = [r for r in results if isinstance(r, SessionConflictError)]
    assert (len(sessions), len(conflicts)) == (1, 1), results
    assert ViewingSession.objects.count() == 1
    assert LogbookEntry.objects.filter(village=world.village).count() == 1
