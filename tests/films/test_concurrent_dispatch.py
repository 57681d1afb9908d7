"""Two staff dispatch the last copy at the same moment: one wins, the other is told it is out.

Each worker thread has a real database connection of its own and its own transaction. On SQLite
the settings' IMMEDIATE transactions take the write lock at BEGIN, so the second dispatcher
waits on the busy timeout until the first commits and then finds the copy out; on PostgreSQL
the row lock (SELECT … FOR UPDATE) does the same. Nobody gets "database is locked", and nothing
is half-written.

The default test database is SQLite in memory, shared between connections through a shared
cache, where locks fail at once instead of waiting (the busy timeout does not apply). So for
this test the database is copied to a file in WAL mode, as a station runs it, and the threads
connect to that file with the project's own connection options.
"""

import datetime as dt
import sqlite3
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from dianjiao.accounts.models import Role
from dianjiao.audit.models import AuditEvent
from dianjiao.audit.recorder import acting_as
from dianjiao.films import services
from dianjiao.films.models import FilmCopy, Loan
from dianjiao.lib.dates import today
from tests import factories
from tests.films import helpers

pytestmark = pytest.mark.django_db(transaction=True)
HOLD = 0.4  # seconds the winner keeps its transaction open, so the two truly overlap


class Threads:
    """Runs callables in threads, each with its own connection to the same database."""

    def __init__(self, tmp_path):
        self.settings = None
        main = connections["default"]
        self.wrapper = type(main)
        if main.vendor == "sqlite" and main.is_in_memory_db():
            path = tmp_path / "race.sqlite3"
            main.ensure_connection()
            with sqlite3.connect(path) as target:
                main.connection.backup(target)
            self.settings = {**main.settings_dict, "NAME": str(path)}

    def _connect(self):
        if self.settings is not None:
            connections["default"] = self.wrapper(self.settings, "default")

    def run(self, *fns):
        results: list = [None] * len(fns)
        barrier = threading.Barrier(len(fns))

        def work(i, fn):
            self._connect()
            try:
                barrier.wait()
                results[i] = ("ok", fn())
            except ValidationError as exc:
                results[i] = ("refused", exc.message_dict)
            except Exception as exc:  # noqa: BLE001 -- the test reports whatever went wrong
                results[i] = ("error", repr(exc))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work, args=(i, fn)) for i, fn in enumerate(fns)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        return results

    def read(self, fn):
        """fn() evaluated on a connection that sees what the threads wrote."""
        return self.run(fn)[0][1]


@pytest.fixture
def slow_commit(monkeypatch):
    """Hold each dispatch's transaction open a moment after the loan is written."""
    original = services._settle_request

    def slow(film_request):
        time.sleep(HOLD)
        return original(film_request)

    monkeypatch.setattr(services, "_settle_request", slow)


def _dispatch(user, copy, village):
    def go():
        with acting_as(user):
            return services.loan_dispatch(copy=copy, user=user, village=village, due_on=today() + dt.timedelta(days=30)).pk
    return go


def test_two_staff_dispatching_the_last_copy_one_wins_one_is_told(world, tmp_path, slow_commit):
    colleague = factories.user("station2", Role.STATION_ADMIN, township_obj=world.township)
    last = helpers.copy(world, helpers.film(world, "榜样8"), "WLG-0008")
    threads = Threads(tmp_path)

    results = threads.run(_dispatch(world.station, last, world.village), _dispatch(colleague, last, world.pastoral))

    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["ok", "refused"], results
    refused = next(value for kind, value in results if kind == "refused")
    assert refused == {"copy": ["该拷贝已被借出，请选择其他在站的拷贝"]}
    winner = next(value for kind, value in results if kind == "ok")
    # Nothing lost, nothing doubled: one loan, the copy out, and only the winner's writes on record.
    state = threads.read(lambda: (
        list(Loan.objects.filter(copy=last).values_list("pk", flat=True)),
        FilmCopy.objects.get(pk=last.pk).status,
        AuditEvent.objects.filter(model="films.loan").count(),
        AuditEvent.objects.filter(model="films.filmcopy", object_pk=str(last.pk), action="update").count(),
    ))
    assert state == ([winner], FilmCopy.Status.LOANED, 1, 1)


def test_two_dispatches_of_different_copies_at_once_both_go_through(world, tmp_path, slow_commit):
    film = helpers.film(world, "焦裕禄")
    a, b = helpers.copy(world, film), helpers.copy(world, film)
    threads = Threads(tmp_path)

    results = threads.run(_dispatch(world.station, a, world.village), _dispatch(world.station, b, world.pastoral))

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert threads.read(lambda: Loan.objects.open().count()) == 2
