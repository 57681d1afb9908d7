"""Each member's first day on the roster, for the yearly viewing target (R6).

Existing members get the day they were registered in the system (created_at, in the configured
zone; their audit trail's first record is written in the same save), or the day of the earliest
session they are recorded at when that is earlier (a session recorded late proves they were on
the roster then), and never later than the day they left."""

from django.db import migrations, models
from django.db.models import Min
from django.utils import timezone

import dianjiao.lib.dates


def fill(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    Attendance = apps.get_model("teaching", "Attendance")
    first_seen = dict(
        Attendance.objects.order_by()
        .values("member_id")
        .annotate(first=Min("session__held_at"))
        .values_list("member_id", "first")
    )
    for m in Member.objects.only("pk", "created_at", "left_on").iterator():
        days = [timezone.localtime(m.created_at).date()]
        if m.pk in first_seen:
            days.append(timezone.localtime(first_seen[m.pk]).date())
        if m.left_on:
            days.append(m.left_on)
        Member.objects.filter(pk=m.pk).update(on_roster_since=min(days))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_roster_import_keeps_parsed_rows"),
        ("teaching", "0002_session_key_mark_fixed_at_recording"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="on_roster_since",
            field=models.DateField(
                default=dianjiao.lib.dates.today,
                help_text="登记或导入花名册之日；应看次数从这个月算起",
                verbose_name="在册起始日期",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
