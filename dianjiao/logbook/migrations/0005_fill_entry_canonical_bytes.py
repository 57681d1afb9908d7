"""Fill `canonical` for the entries written before it existed: the canonical form of each entry's
stored fields, as `chain.canonical` computes it today, kept only where it hashes to the entry's
stored hash (verifying as it goes). An entry whose fields no longer match its hash keeps a null
`canonical`, so nothing is made to look sealed that was not: `verify-logbook` recomputes such an
entry from its fields, as it always did, and reports it.

On SQLite the body column is also rewritten in the canonical text (the same JSON value, keys
sorted, no spaces, UTF-8 as is), which lets verification rebuild the canonical bytes inside the
database. The append-only triggers are lifted for these UPDATEs only and put back before the
migration's transaction ends."""

import json
import sys
from importlib import import_module

from django.db import migrations
from django.db.models import Q

from dianjiao.logbook import chain

triggers = import_module("dianjiao.logbook.migrations.0002_append_only_triggers")
PAGE = 2000


def _triggers_off(schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in triggers.SQLITE_DROP:
            schema_editor.execute(sql, params=None)
    else:
        schema_editor.execute(
            "ALTER TABLE logbook_logbookentry DISABLE TRIGGER logbook_entry_append_only",
            params=None,
        )


def _triggers_on(schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in (*triggers.SQLITE_DROP, *triggers.SQLITE_CREATE):
            schema_editor.execute(sql, params=None)
    else:
        schema_editor.execute(
            "ALTER TABLE logbook_logbookentry ENABLE TRIGGER logbook_entry_append_only",
            params=None,
        )


def fill(apps, schema_editor):
    connection = schema_editor.connection
    Entry = apps.get_model("logbook", "LogbookEntry")
    if not Entry.objects.filter(canonical__isnull=True).exists():
        return
    sqlite = connection.vendor == "sqlite"
    pk = Entry._meta.pk
    fields = (*chain.HASHED_FIELDS, "hash")
    _triggers_off(schema_editor)
    unmatched = 0
    after = Q()
    with connection.cursor() as cursor:
        while True:
            page = list(
                Entry.objects.filter(after, canonical__isnull=True)
                .order_by("village_id", "seq")
                .values(*fields)[:PAGE]
            )
            if not page:
                break
            last = page[-1]
            after = Q(village_id__gt=last["village_id"]) | Q(
                village_id=last["village_id"], seq__gt=last["seq"]
            )
            updates = []
            for row in page:
                try:
                    canonical = chain.entry_canonical(row)
                except (TypeError, ValueError):
                    canonical = None
                if canonical is None or chain.leaf_hash(canonical) != row["hash"]:
                    unmatched += 1
                    continue
                key = pk.get_db_prep_value(row["id"], connection)
                if sqlite:
                    body = json.dumps(row["body"], cls=chain.CanonicalJSONEncoder)
                    updates.append((canonical, body, key))
                else:
                    updates.append((canonical, key))
            if sqlite:
                sql = "UPDATE logbook_logbookentry SET canonical = %s, body = %s WHERE id = %s"
            else:
                sql = "UPDATE logbook_logbookentry SET canonical = %s WHERE id = %s"
            if updates:
                cursor.executemany(sql, updates)
    _triggers_on(schema_editor)
    if unmatched:
        sys.stdout.write(
            f"\n  {unmatched} logbook entries do not match their stored hash and were left "
            "unsealed: run `dianjiao verify-logbook`\n"
        )


class Migration(migrations.Migration):
    dependencies = [("logbook", "0004_entry_canonical_bytes")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]
