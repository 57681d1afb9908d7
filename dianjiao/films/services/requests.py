"""Film requests: a village asks for films; the station approves or rejects; a request is
settled as its lines go out and come back."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dianjiao.accounts.models import User
from dianjiao.accounts.scope import require_station, require_village_writer
from dianjiao.films.models import (
    Film,
    FilmRequest,
    FilmRequestLine,
    Language,
)
from dianjiao.films.selectors import language_options
from dianjiao.orgs.models import Village

from .catalogue import check_films_for_township
from .common import local_day, now_or, save


@dataclass(frozen=True)
class LineSpec:
    """One film asked for, the day the village plans to show it, and the language version it
    wants (None: any, or the only one there is)."""

    film: Film
    wanted_on: dt.date
    language: Language | None = None


def request_create(
    *,
    village: Village,
    author: User,
    lines: Iterable[LineSpec | tuple[Film, dt.date] | tuple[Film, dt.date, Language | None]],
    note: str = "",
    source: str = "",
    at: dt.datetime | None = None,
) -> FilmRequest:
    """A village asks for films. `lines` are LineSpecs or (film, wanted_on[, language]) tuples;
    `source` says where the request came from (e.g. a quarter's broadcast plan, which creates
    requests here). A line's language must be one the station holds copies in or the catalogue
    lists for the film; a line without one, of a film with a single language, is in that one."""
    require_village_writer(author, village)
    at = now_or(at)
    specs = [line if isinstance(line, LineSpec) else LineSpec(*line) for line in lines]
    if not specs:
        raise ValidationError({"lines": _("请至少选择一部电教片")})
    seen: set[int] = set()
    for spec in specs:
        if spec.film.pk in seen:
            raise ValidationError(
                {"lines": _("%(film)s重复了，每部片子申请一次即可") % {"film": spec.film}}
            )
        seen.add(spec.film.pk)
        if spec.wanted_on is None or spec.wanted_on < local_day(at):
            raise ValidationError(
                {"lines": _("%(film)s的计划放映日期不能早于今天") % {"film": spec.film}}
            )
    check_films_for_township([s.film for s in specs], village.township_id, "lines")
    specs = _with_languages(specs)
    with transaction.atomic():
        film_request = save(
            FilmRequest(
                village=village,
                requested_by=author,
                requested_at=at,
                note=note,
                source=source[:200],
                township_id=village.township_id,
            )
        )
        for spec in specs:
            save(
                FilmRequestLine(
                    request=film_request,
                    film=spec.film,
                    wanted_on=spec.wanted_on,
                    language=spec.language,
                )
            )
    return film_request


def _with_languages(specs: list[LineSpec]) -> list[LineSpec]:
    """Each line's language checked against what the film comes in; the only one filled in."""
    films = [s.film for s in specs]
    options = language_options(films)
    catalogue = {
        (f, lang)
        for f, lang in Film.languages.through.objects.filter(film__in=films).values_list(
            "film_id", "language_id"
        )
    }
    out = []
    for spec in specs:
        offered = options.get(spec.film.pk, [])
        language = spec.language
        if language is None and len(offered) == 1:
            language = offered[0]
        elif language is not None and (
            language not in offered and (spec.film.pk, language.pk) not in catalogue
        ):
            raise ValidationError(
                {
                    "lines": _("%(film)s没有%(language)s版本")
                    % {"film": spec.film, "language": language}
                }
            )
        out.append(LineSpec(spec.film, spec.wanted_on, language))
    return out


def _lock_request(film_request: FilmRequest, user: User) -> FilmRequest:
    require_station(user, film_request.township_id)
    locked = (
        FilmRequest.objects.select_for_update().select_related("village").get(pk=film_request.pk)
    )
    if locked.status != FilmRequest.Status.REQUESTED:
        raise ValidationError(
            {
                "status": _("该申请已处理（%(status)s），不能再审批")
                % {
                    "status": locked.get_status_display(),
                }
            }
        )
    return locked


def request_approve(
    *, film_request: FilmRequest, user: User, at: dt.datetime | None = None
) -> FilmRequest:
    with transaction.atomic():
        locked = _lock_request(film_request, user)
        locked.status, locked.decided_at, locked.decided_by = (
            FilmRequest.Status.APPROVED,
            now_or(at),
            user,
        )
        return save(locked)


def request_reject(
    *,
    film_request: FilmRequest,
    user: User,
    reason: str,
    at: dt.datetime | None = None,
) -> FilmRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("驳回申请时请写明理由，村里才知道怎么改")})
    with transaction.atomic():
        locked = _lock_request(film_request, user)
        locked.status, locked.decided_at, locked.decided_by = (
            FilmRequest.Status.REJECTED,
            now_or(at),
            user,
        )
        locked.reject_reason = reason[:200]
        return save(locked)


def request_settle(film_request: FilmRequest | None) -> None:
    """Dispatched once every line has gone out; completed once every copy has come back."""
    if film_request is None:
        return
    lines = list(FilmRequestLine.objects.filter(request=film_request).select_related("loan"))
    loans = [getattr(line, "loan", None) for line in lines]
    if any(loan is None for loan in loans):
        return
    status = (
        FilmRequest.Status.COMPLETED
        if all(not loan.is_open for loan in loans)
        else FilmRequest.Status.DISPATCHED
    )
    if film_request.status != status:
        film_request.status = status
        save(film_request)
