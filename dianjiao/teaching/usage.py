"""How the library was used in a year: how often each film was shown, where, to how many
members, and which villages have not yet shown the year's key films (R5, R8).

Counted from the viewing sessions and their attendance, so it lives here in teaching, above
the film library it reports on.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.shortcuts import render

from dianjiao.films.models import Film
from dianjiao.lib.dates import today
from dianjiao.orgs.models import Village

from .models import Attendance, ViewingSession


@dataclass
class VillageUse:
    village: Village
    sessions: int = 0
    attendances: int = 0  # 人次: a member at two showings counts twice
    members: int = 0  # 人: distinct members present at least once


@dataclass
class FilmUse:
    film: Film
    by_village: list[VillageUse] = field(default_factory=list)  # villages that showed it
    not_shown_in: list[Village] = field(default_factory=list)  # filled for key films only

    @property
    def sessions(self) -> int:
        return sum(v.sessions for v in self.by_village)

    @property
    def attendances(self) -> int:
        return sum(v.attendances for v in self.by_village)

    @property
    def members(self) -> int:
        return sum(v.members for v in self.by_village)


@dataclass
class Usage:
    year: int
    villages: list[Village]
    films: list[FilmUse]  # every film the user sees, most shown first

    @property
    def key_films_missing(self) -> list[FilmUse]:
        """Active key films that some village has not shown this year."""
        return [u for u in self.films if u.film.is_key_film and u.film.active and u.not_shown_in]


def film_usage(user, year: int) -> Usage:
    """Four queries whatever the number of films, villages and sessions."""
    villages = list(Village.objects.visible_to(user))
    films = list(Film.objects.visible_to(user))
    village_ids = [v.pk for v in villages]
    sessions = ViewingSession.objects.filter(village_id__in=village_ids, held_at__year=year)

    shown = {
        (row["films"], row["village"]): row["n"]
        for row in sessions.filter(films__isnull=False)
        .order_by()
        .values("films", "village")
        .annotate(n=Count("pk", distinct=True))
    }
    present = {
        (row["session__films"], row["session__village"]): (row["n"], row["people"])
        for row in Attendance.objects.filter(
            session__in=sessions, status=Attendance.Status.PRESENT, session__films__isnull=False
        )
        .order_by()
        .values("session__films", "session__village")
        .annotate(n=Count("pk", distinct=True), people=Count("member", distinct=True))
    }

    result = []
    for film in films:
        use = FilmUse(film)
        for village in villages:
            n = shown.get((film.pk, village.pk), 0)
            if n:
                came, people = present.get((film.pk, village.pk), (0, 0))
                use.by_village.append(VillageUse(village, n, came, people))
            elif film.is_key_film and film.active:
                use.not_shown_in.append(village)
        result.append(use)
    result.sort(key=lambda u: (-u.sessions, u.film.title))
    return Usage(year=year, villages=villages, films=result)


def film_usage_page(request):
    """The library's usage page (films:usage): the year's showings of each film."""
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else today().year
    return render(
        request,
        "teaching/film_usage.html",
        {"year": year, "usage": film_usage(request.user, year)},
    )
