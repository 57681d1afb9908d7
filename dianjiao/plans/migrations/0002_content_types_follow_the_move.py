"""The plan models' content types (and so their permissions) follow them from the former
`planning` app to `plans`, instead of staying behind as stale rows beside new ones."""

from django.db import migrations

MODELS = ("annualplan", "villageworkplan")


def relabel(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="plans", model=model).exists():
            content_type.objects.filter(app_label="planning", model=model).update(
                app_label="plans"
            )


def back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="planning", model=model).exists():
            content_type.objects.filter(app_label="plans", model=model).update(
                app_label="planning"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("plans", "0001_initial"),
    ]

    operations = [migrations.RunPython(relabel, back)]
