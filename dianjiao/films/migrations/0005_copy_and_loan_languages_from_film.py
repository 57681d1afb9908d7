"""A copy registered without a language is in the film's only language, where the film has one;
a loan records the language of the copy it sent. Request lines made before stay without one:
those villages asked for any language."""

from collections import defaultdict

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery


def fill(apps, schema_editor):
    Film = apps.get_model("films", "Film")
    FilmCopy = apps.get_model("films", "FilmCopy")
    Loan = apps.get_model("films", "Loan")
    through = Film.languages.through
    single = (
        through.objects.values("film_id").annotate(n=Count("language_id")).filter(n=1)
    ).values("film_id")
    films_by_language = defaultdict(list)
    for film_id, language_id in through.objects.filter(film_id__in=single).values_list(
        "film_id", "language_id"
    ):
        films_by_language[language_id].append(film_id)
    for language_id, film_ids in films_by_language.items():
        FilmCopy.objects.filter(film_id__in=film_ids, language__isnull=True).update(
            language_id=language_id
        )
    Loan.objects.filter(language__isnull=True).update(
        language_id=Subquery(FilmCopy.objects.filter(pk=OuterRef("copy_id")).values("language_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("films", "0004_request_line_and_loan_language"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
