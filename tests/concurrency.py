"""Running calls at the same moment in real threads, each on its own database connection.

Threads on an in-memory SQLite database share one cache with table locks, not SQLite's file
locking, so they prove nothing there: `rerun_on_a_file_database` runs the calling test again, in
a subprocess, on a SQLite file (as a station runs it). On PostgreSQL the test runs as it is."""

import os
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.db import connection, connections


def rerun_on_a_file_database(test, tmp_path) -> bool:
    """True when `test` was run again on a file database (and passed): the caller returns."""
    if not (
        connection.vendor == "sqlite"
        and connection.creation.is_in_memory_db(connection.settings_dict["NAME"])
    ):
        return False
    env = {**os.environ, "TEST_SQLITE_NAME": str(tmp_path / "concurrency.sqlite3")}
    env.pop("DATABASE_URL", None)
    module = sys.modules[test.__module__].__file__
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"{module}::{test.__name__}",
        ],
        cwd=Path(settings.BASE_DIR).parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    return True


def at_once(*calls) -> list:
    """Each call's result, or the exception it raised, started together behind a barrier."""
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
