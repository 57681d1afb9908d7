"""The themes and languages a station starts with; both lists stay editable in the admin."""

from django.db import migrations

# R5: viewing tied to the year's themes; the rest are the subjects these catalogues carry.
THEMES = [
    "先进性教育", "社会主义荣辱观", "党史党课", "政策法规", "民族团结", "科技与农牧业技术",
    "乡村振兴", "党风廉政", "时代楷模", "法治宣传",
]
LANGUAGES = ["普通话", "哈萨克语", "维吾尔语", "蒙古语"]


def add(apps, schema_editor):
    Theme = apps.get_model("films", "Theme")
    Language = apps.get_model("films", "Language")
    for order, name in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(name=name, defaults={"sort_order": order})
    for order, name in enumerate(LANGUAGES, start=1):
        Language.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("films", "0001_film_library"),
    ]

    operations = [
        migrations.RunPython(add, migrations.RunPython.noop),
    ]
