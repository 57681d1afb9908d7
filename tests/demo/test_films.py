"""The demo library: realistic, valid (written through the services), ending with two overdue."""

import datetime as dt
import random

import pytest
from django.db import transaction

from dianjiao.audit.recorder import acting_as
from dianjiao.demo.films import CATALOGUE, build_films
from dianjiao.films.models import Announcement, Film, FilmCopy, FilmRequest, Loan
from dianjiao.lib.dates import today


def _build(world, seed=2026, as_of=None):
    users = {u.username: u for u in world.personas.values()}
    with acting_as(label="demo"):
        return build_films(
            random.Random(seed), township=world.township, as_of=as_of or today(), users=users
        )


class _Undo(Exception):
    pass


def _in_rollback(fn):
    """fn()'s result, with everything it wrote undone, so the same township can be built again."""
    result = None
    try:
        with transaction.atomic():
            result = fn()
            raise _Undo
    except _Undo:
        return result


def test_it_builds_about_forty_films_with_copies_and_a_year_of_loans(world):
    stats = _build(world)

    films = Film.objects.filter(township=world.township)
    assert films.count() == len(CATALOGUE) >= 40
    assert films.filter(is_key_film=True).count() >= 6
    assert films.filter(languages__name="哈萨克语").count() >= 10
    assert films.filter(title="榜样7", series="《榜样》系列").exists()
    for film in films.prefetch_related("copies"):
        assert 1 <= len([c for c in film.copies.all() if c.medium != FilmCopy.Medium.FILE]) <= 3
    assert stats["loans"] >= 20 and stats["requests"] >= 20
    assert FilmRequest.objects.filter(status=FilmRequest.Status.COMPLETED).exists()
    assert Loan.objects.filter(returned_at__isnull=False, received_at__isnull=False).count() >= 15
    # The history keeps the rules: never two open loans of one copy, and copies out are marked out.
    open_loans = Loan.objects.open()
    assert open_loans.values("copy").distinct().count() == open_loans.count()
    assert set(
        FilmCopy.objects.filter(status=FilmCopy.Status.LOANED).values_list("pk", flat=True)
    ) == set(open_loans.values_list("copy", flat=True))
    assert (
        FilmCopy.objects.filter(status=FilmCopy.Status.WRITTEN_OFF)
        .exclude(written_off_reason="")
        .exists()
    )


@pytest.mark.parametrize(
    ("seed", "as_of"), [(1, today()), (2026, dt.date(2026, 1, 10)), (7, dt.date(2025, 8, 31))]
)
def test_it_ends_with_exactly_two_overdue_loans(world, seed, as_of):
    stats = _build(world, seed=seed, as_of=as_of)

    overdue = Loan.objects.overdue(as_of)
    assert stats["overdue"] == overdue.count() == 2
    assert all(loan.received_at and loan.line_id for loan in overdue)


def test_it_announces_every_quarter_of_the_year_and_the_next_one(world):
    as_of = today()
    _build(world, as_of=as_of)

    announcements = list(Announcement.objects.order_by("period_start"))
    assert len(announcements) >= 5
    assert announcements[-1].period_start > as_of  # the coming quarter, announced early
    assert all(a.published_at.date() < as_of and a.films.count() == 7 for a in announcements)


def test_it_draws_the_same_library_from_the_same_seed(world):
    def signature():
        _build(world, seed=5, as_of=dt.date(2026, 6, 30))
        return list(
            Loan.objects.order_by("dispatched_at", "pk").values_list(
                "copy__inventory_no", "village__name", "dispatched_at", "due_on", "returned_at"
            )
        )

    first = _in_rollback(signature)
    assert first and first == _in_rollback(signature)
