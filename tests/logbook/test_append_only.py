"""Append-only, from the outside in: model, queryset, admin, and the database triggers."""

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory

from dianjiao.logbook import services
from dianjiao.logbook.models import AppendOnlyError, LateEntryException, LogbookEntry

from .conftest import YESTERDAY, append


@pytest.fixture
def entry(world, clock):
    services.entry_grant_late(
        village=world.village, day=YESTERDAY, granted_by=world.station, reason="停电"
    )
    return append(world)


def test_the_model_refuses_to_save_an_existing_entry(entry):
    entry.title = "改过的"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert LogbookEntry.objects.get(pk=entry.pk).title == "电教室设备检查"


def test_the_model_refuses_to_delete(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LateEntryException.objects.get().delete()


def test_querysets_refuse_update_and_delete(entry):
    for qs in (LogbookEntry.objects.all(), LateEntryException.objects.all()):
        with pytest.raises(AppendOnlyError):
            qs.update(reason="x")
        with pytest.raises(AppendOnlyError):
            qs.delete()
    with pytest.raises(AppendOnlyError):
        LogbookEntry.objects.bulk_update([entry], ["title"])


def test_the_admin_is_read_only(world, entry):
    request = RequestFactory().get("/admin/")
    request.user = world.station
    for model in (LogbookEntry, LateEntryException):
        admin = site._registry[model]
        assert not admin.has_add_permission(request)
        assert not admin.has_change_permission(request, entry)
        assert not admin.has_delete_permission(request, entry)


RAW = [
    ("UPDATE logbook_logbookentry SET title = 'forged'", IntegrityError),
    ("DELETE FROM logbook_logbookentry", IntegrityError),
    ("UPDATE logbook_lateentryexception SET reason = 'forged'", IntegrityError),
    ("DELETE FROM logbook_lateentryexception", IntegrityError),
]


@pytest.mark.parametrize(("sql", "error"), RAW)
def test_the_database_refuses_raw_update_and_delete(entry, sql, error):
    """No test bypass here: the triggers as the migrations made them, on this DB vendor."""
    with pytest.raises(error) as exc, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert "append-only" in str(exc.value)
    assert LogbookEntry.objects.filter(title="电教室设备检查").count() == 1
    assert LateEntryException.objects.filter(reason="停电").count() == 1


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_still_tear_down(world, clock):
    """Django empties tables with `flush` after a transactional test: DELETE on SQLite, which the
    triggers refuse. The logbook's flush lets it through on the test database only and puts the
    triggers back; the raw DELETE below is refused again afterwards."""
    append(world)
    call_command("flush", verbosity=0, interactive=False)
    assert not LogbookEntry.objects.exists()
    # The triggers are back: a fresh entry cannot be deleted.
    from tests.factories import World

    world = World()
    append(world)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM logbook_logbookentry")
    assert LogbookEntry.objects.count() == 1


def test_flush_keeps_its_bypass_to_test_databases(db):
    """Only SQLite needs the bypass (PostgreSQL's flush is TRUNCATE), and only on the test
    database; a station's real database file is never treated as one."""
    from dianjiao.logbook.management.commands.flush import is_test_database

    if connection.vendor == "sqlite":
        assert is_test_database(connection)

    class Real:
        vendor = "sqlite"
        settings_dict = {**connection.settings_dict, "NAME": "/srv/dianjiao/var/dianjiao.sqlite3"}
        creation = connection.creation

    assert not is_test_database(Real())
