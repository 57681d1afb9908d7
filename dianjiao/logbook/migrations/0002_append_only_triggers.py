"""Database triggers that refuse UPDATE and DELETE of logbook rows (R10: append-only).

The SQL is written out here, not imported, so this migration means the same thing forever.
SQLite: RAISE(ABORT) → IntegrityError. PostgreSQL: a plpgsql function raising SQLSTATE 23001
(restrict_violation) → IntegrityError as well. Row triggers do not fire on TRUNCATE, which
Django's flush uses on PostgreSQL, so test teardown works there; SQLite's flush uses DELETE and
is handled by the logbook's `flush` command override (see management/commands/flush.py).

Any later migration that alters these tables on SQLite rebuilds the table and loses the
triggers: it must run the SQLITE_CREATE statements again.
"""

from django.db import migrations

TABLES = {"logbook_logbookentry": "entry", "logbook_lateentryexception": "exception"}

SQLITE_CREATE = [
    f"""CREATE TRIGGER logbook_{short}_no_{op.lower()} BEFORE {op} ON {table}
    BEGIN SELECT RAISE(ABORT, 'logbook entries are append-only: {op} refused on {table}'); END"""
    for table, short in TABLES.items()
    for op in ("UPDATE", "DELETE")
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS logbook_{short}_no_{op.lower()}"
    for short in TABLES.values()
    for op in ("UPDATE", "DELETE")
]

POSTGRES_CREATE = [
    """CREATE OR REPLACE FUNCTION logbook_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING
            MESSAGE = 'logbook entries are append-only: ' || TG_OP || ' refused on ' || TG_TABLE_NAME,
            ERRCODE = 'restrict_violation';
    END
    $$""",
    *[
        f"""CREATE TRIGGER logbook_{short}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION logbook_refuse_change()"""
        for table, short in TABLES.items()
    ],
]
POSTGRES_DROP = [
    *[f"DROP TRIGGER IF EXISTS logbook_{short}_append_only ON {table}" for table, short in TABLES.items()],
    "DROP FUNCTION IF EXISTS logbook_refuse_change()",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_CREATE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_CREATE)
    else:
        # Fail closed: the logbook must not run on a database where it could be edited in place.
        raise RuntimeError(f"append-only triggers for the logbook are not written for {vendor}")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("logbook", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
