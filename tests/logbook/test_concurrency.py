"""Two operators' phones syncing at the same moment must not fork a village's chain."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from dianjiao.logbook.models import LogbookEntry
from dianjiao.logbook.verify import verify_all

from .conftest import append


def _in_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.creation.is_in_memory_db(connection.settings_dict["NAME"])


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_queue_up_on_one_chain(world, tmp_path):
    if _in_memory_sqlite():
        # Threads on an in-memory database share one cache with table locks, not SQLite's real
        # file locking, so they prove nothing. Run this very test again on a file database.
        env = {**os.environ, "TEST_SQLITE_NAME": str(tmp_path / "concurrency.sqlite3")}
        env.pop("DATABASE_URL", None)
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{__file__}::{test_concurrent_appends_queue_up_on_one_chain.__name__}"],
            cwd=Path(settings.BASE_DIR).parent, env=env, capture_output=True, text=True, timeout=300,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert "1 passed" in run.stdout
        return

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
