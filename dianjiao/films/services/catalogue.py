"""The catalogue: films are registered and changed by the station."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dianjiao.accounts.models import User
from dianjiao.accounts.scope import require_station
from dianjiao.films.models import (
    Film,
    Language,
    Theme,
)
from dianjiao.orgs.models import Township

from .common import save

FILM_FIELDS = (
    "title",
    "series",
    "producer",
    "year",
    "duration_minutes",
    "is_key_film",
    "synopsis",
    "prep_notes",
    "prompts",
    "discussion_questions",
    "active",
)


def _check_title(film: Film) -> None:
    film.title = (film.title or "").strip().strip("《》")
    if (
        film.title
        and Film.objects.filter(township_id=film.township_id, title=film.title)
        .exclude(pk=film.pk)
        .exists()
    ):
        raise ValidationError(
            {"title": _("片库中已有《%(title)s》，不能重复登记") % {"title": film.title}}
        )


def film_create(
    *,
    user: User,
    title: str,
    duration_minutes: int,
    township: Township | None = None,
    series: str = "",
    producer: str = "",
    year: int | None = None,
    themes: Iterable[Theme] = (),
    languages: Iterable[Language] = (),
    is_key_film: bool = False,
    synopsis: str = "",
    prep_notes: str = "",
    prompts: str = "",
    discussion_questions: str = "",
    active: bool = True,
) -> Film:
    require_station(user)
    township = township or user.township
    if township is None:
        raise ValidationError({"township": _("请指定片库所属的乡镇")})
    require_station(user, township.pk)
    film = Film(
        township=township,
        title=title,
        series=series,
        producer=producer,
        year=year,
        duration_minutes=duration_minutes,
        is_key_film=is_key_film,
        synopsis=synopsis,
        prep_notes=prep_notes,
        prompts=prompts,
        discussion_questions=discussion_questions,
        active=active,
    )
    with transaction.atomic():
        _check_title(film)
        save(film)
        film.themes.set(themes)
        film.languages.set(languages)
    return film


def film_update(*, film: Film, user: User, **changes: Any) -> Film:
    """Change the catalogue entry; `changes` are Film fields, `themes` and `languages`."""
    require_station(user, film.township_id)
    unknown = set(changes) - set(FILM_FIELDS) - {"themes", "languages"}
    if unknown:
        raise TypeError(f"film_update() got unexpected fields: {sorted(unknown)}")
    themes, languages = changes.pop("themes", None), changes.pop("languages", None)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(film, name, value)
        _check_title(film)
        save(film)
        if themes is not None:
            film.themes.set(themes)
        if languages is not None:
            film.languages.set(languages)
    return film


def check_films_for_township(films: list[Film], township_id: int, field: str) -> None:
    for film in films:
        if film.township_id != township_id:
            raise ValidationError({field: _("%(film)s不在本乡片库中") % {"film": film}})
        if not film.active:
            raise ValidationError({field: _("%(film)s已停用，不能选用") % {"film": film}})
