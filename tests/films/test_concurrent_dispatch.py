"""Two staff dispatch the last copy at the same moment: one wins, the other is told it is out.

Each worker thread has a real database connection of its own and its own transaction. On SQLite
the settings' IMMEDIATE transactions take the write lock at BEGIN, so the second dispatcher
waits on the busy timeout until the first commits and then finds the copy out; on PostgreSQL
the row lock (SELECT … FOR UPDATE) does the same. Nobody gets "database is locked", and nothing
is half-written. On SQLite the tests run on a database file, as a station runs it
(tests/concurrency.py).
"""

import datetime as dt
import time

import pytest
from django.core.exceptions import ValidationError

from dianjiao.accounts.models import Role
from dianjiao.audit.models import AuditEvent
from dianjiao.audit.recorder import acting_as
from dianjiao.films import services
from dianjiao.films.models import FilmCopy, Loan
from dianjiao.lib.dates import today
from tests import factories
from tests.concurrency import at_once, rerun_on_a_file_database
from tests.films import helpers

pytestmark = pytest.mark.django_db(transaction=True)
HOLD = 0.4  # seconds the winner keeps its transaction open, so the two truly overlap


@pytest.fixture
def slow_commit(monkeypatch):
    """Hold each dispatch's transaction open a moment after the loan is written."""
    original = services.requests.request_settle

    def slow(film_request):
        time.sleep(HOLD)
        return original(film_request)

    monkeypatch.setattr(services.requests, "request_settle", slow)


def _dispatch(user, copy, village):
    def go():
        with acting_as(user):
            return services.loan_dispatch(
                copy=copy, user=user, village=village, due_on=today() + dt.timedelta(days=30)
            ).pk

    return go


def test_two_staff_dispatching_the_last_copy_one_wins_one_is_told(world, tmp_path, slow_commit):
    if rerun_on_a_file_database(
        test_two_staff_dispatching_the_last_copy_one_wins_one_is_told, tmp_path
    ):
        return
    colleague = factories.user("station2", Role.STATION_ADMIN, township_obj=world.township)
    last = helpers.copy(world, helpers.film(world, "榜样8"), "WLG-0008")

    results = at_once(
        _dispatch(world.station, last, world.village), _dispatch(colleague, last, world.pastoral)
    )

    refused = [r for r in results if isinstance(r, ValidationError)]
    won = [r for r in results if isinstance(r, int)]
    assert (len(won), len(refused)) == (1, 1), results
    assert refused[0].message_dict == {"copy": ["该拷贝已被借出，请选择其他在站的拷贝"]}
    # Nothing lost, nothing doubled: one loan, the copy out, and only the winner's writes on record.
    assert list(Loan.objects.filter(copy=last).values_list("pk", flat=True)) == won
    assert FilmCopy.objects.get(pk=last.pk).status == FilmCopy.Status.LOANED
    assert AuditEvent.objects.filter(model="films.loan").count() == 1
    assert (
        AuditEvent.objects.filter(
            model="films.filmcopy", object_pk=str(last.pk), action="update"
        ).count()
        == 1
    )


def test_two_dispatches_of_different_copies_at_once_both_go_through(world, tmp_path, slow_commit):
    if rerun_on_a_file_database(
        test_two_dispatches_of_different_copies_at_once_both_go_through, tmp_path
    ):
        return
    film = helpers.film(world, "焦裕禄")
    a, b = helpers.copy(world, film), helpers.copy(world, film)

    results = at_once(
        _dispatch(world.station, a, world.village), _dispatch(world.station, b, world.pastoral)
    )

    assert all(isinstance(r, int) for r in results), results
    assert Loan.objects.open().count() == 2
