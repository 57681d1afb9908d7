"""The canonical bytes of each entry, stored with it (`LogbookEntry.canonical`), and the body
column written in the canonical form's own text (`chain.CanonicalJSONEncoder`).

Changing the body field's encoder makes Django's SQLite schema editor rebuild the table, which
drops the append-only triggers (see models.py): they are created again at the end. The rows are
filled in by the next migration."""

from importlib import import_module

from django.db import migrations, models

import dianjiao.logbook.chain

triggers = import_module("dianjiao.logbook.migrations.0002_append_only_triggers")


def recreate_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in (*triggers.SQLITE_DROP, *triggers.SQLITE_CREATE):
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("logbook", "0003_capture_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="logbookentry",
            name="canonical",
            field=models.BinaryField(null=True, verbose_name="规范内容"),
        ),
        migrations.AlterField(
            model_name="logbookentry",
            name="body",
            field=models.JSONField(
                default=dict,
                encoder=dianjiao.logbook.chain.CanonicalJSONEncoder,
                verbose_name="内容",
            ),
        ),
        migrations.RunPython(
            recreate_sqlite_triggers, recreate_sqlite_triggers, elidable=False
        ),
    ]
