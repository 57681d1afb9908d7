"""`flush`, taught about the logbook's append-only triggers on a SQLite *test* database.

Why this exists: Django's TransactionTestCase and live_server tests (pytest-django's
`transactional_db`, `live_server`) empty every table after each test with `call_command("flush")`.
On PostgreSQL that is TRUNCATE, which row triggers ignore. On SQLite it is `DELETE FROM`, which
the logbook's triggers refuse, so the teardown, and with it the test, would fail as soon as any
transactional test anywhere in the suite had written a logbook entry.

The fix keeps the production schema exactly as strict as it looks: the triggers have no escape
hatch (no flag table, no WHEN clause). Instead, this command, which Django picks over its own
because app commands override core ones, drops the logbook triggers, flushes and re-creates them
from the very SQL SQLite stored for them, all in one transaction, so no other connection ever
sees the database without them. It does so only when the connection points at the test
database Django or pytest-django created (settings NAME == the test database name); on a real
database `flush` behaves as before and is refused by the triggers, so the logbook cannot be
wiped with it either.
"""

from django.core.management.commands import flush
from django.db import connections, transaction

LOGBOOK_TABLES = ("logbook_logbookentry", "logbook_lateentryexception")


def is_test_database(connection) -> bool:
    creation = connection.creation
    return connection.settings_dict["NAME"] == creation._get_test_db_name()


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite" or not is_test_database(connection):
            return super().handle(**options)
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                placeholders = ", ".join(["%s"] * len(LOGBOOK_TABLES))
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                    f" AND tbl_name IN ({placeholders}) ORDER BY name",
                    LOGBOOK_TABLES,
                )
                triggers = cursor.fetchall()
                for name, _sql in triggers:
                    cursor.execute(f'DROP TRIGGER "{name}"')
            result = super().handle(**options)
            with connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)
        return result
