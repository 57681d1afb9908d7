"""Migration 0004 seals the entries written before `canonical` existed: each gets the canonical
bytes of its fields where they hash to its stored hash; an entry whose fields were changed is
left without them (nothing unsealed is made to look sealed) and verify-logbook still names it.
The append-only triggers are back afterwards."""

import json
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dianjiao.logbook import chain, verify
from dianjiao.logbook.models import LogbookEntry

from .conftest import append

triggers = import_module("dianjiao.logbook.migrations.0002_append_only_triggers")


def migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets) or executor.loader.graph.leaf_nodes())


def db_id(pk):
    return LogbookEntry._meta.pk.get_db_prep_value(pk, connection)


def raw_update(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in triggers.SQLITE_DROP:
                cursor.execute(statement)
            cursor.execute(sql, params)
            for statement in triggers.SQLITE_CREATE:
                cursor.execute(statement)
        else:
            cursor.execute("ALTER TABLE logbook_logbookentry DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE logbook_logbookentry ENABLE TRIGGER USER")


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_what_matches_its_hash_and_nothing_else(world, clock):
    entries = [
        append(world, title=f"检修第{i}台", body={"text": "电视机", "n": i}) for i in (1, 2, 3)
    ]
    try:
        migrate(("logbook", "0002_append_only_triggers"))
        # As an older version left them: the body in Django's default JSON text; and one entry
        # changed behind the application's back.
        raw_update(
            "UPDATE logbook_logbookentry SET body = %s WHERE id = %s",
            [json.dumps({"text": "电视机", "n": 1}), db_id(entries[0].pk)],
        )
        raw_update(
            "UPDATE logbook_logbookentry SET title = %s WHERE id = %s",
            ["检修第九台", db_id(entries[1].pk)],
        )
        migrate(("logbook", "0005_fill_entry_canonical_bytes"))
    finally:
        migrate()
    stored = dict(LogbookEntry.objects.values_list("id", "canonical"))
    for entry in (entries[0], entries[2]):
        row = LogbookEntry.objects.values(*chain.HASHED_FIELDS).get(pk=entry.pk)
        assert bytes(stored[entry.pk]) == chain.entry_canonical(row)
        assert chain.leaf_hash(bytes(stored[entry.pk])) == entry.hash
    assert stored[entries[1].pk] is None
    assert verify.check_triggers() is None
    result = verify.verify_all()
    assert (result.problem.seq, result.problem.entry_id) == (2, str(entries[1].pk))
    assert "内容与哈希不符" in result.problem.what
    if connection.vendor == "sqlite":  # the body text was rewritten in the canonical form
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT body FROM logbook_logbookentry WHERE id = %s", [db_id(entries[0].pk)]
            )
            assert cursor.fetchone()[0] == '{"n":1,"text":"电视机"}'
