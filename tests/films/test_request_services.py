"""request_create / request_approve / request_reject: villages ask, the station decides."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dianjiao.films import services
from dianjiao.films.models import FilmRequest
from dianjiao.films.services import LineSpec
from dianjiao.lib.dates import today
from tests.films.helpers import film

SOON = today() + dt.timedelta(days=12)


def ask(world, films, *, village=None, author=None, wanted_on=SOON, **kw):
    return services.request_create(
        village=village or world.village,
        author=author or world.operator,
        lines=[(f, wanted_on) for f in films],
        **kw,
    )


def test_a_village_asks_for_films_for_given_dates(world):
    a, b = film(world, "榜样8"), film(world, "牧区养殖技术")

    made = services.request_create(
        village=world.village,
        author=world.operator,
        note="七一集中收看",
        lines=[LineSpec(a, SOON), (b, SOON + dt.timedelta(days=3))],
        source="2026年第三季度播放计划",
    )

    assert made.status == FilmRequest.Status.REQUESTED
    assert (made.village, made.requested_by, made.township) == (
        world.village,
        world.operator,
        world.township,
    )
    assert made.source == "2026年第三季度播放计划" and made.note == "七一集中收看"
    assert [(line.film, line.wanted_on) for line in made.lines.all()] == [
        (a, SOON),
        (b, SOON + dt.timedelta(days=3)),
    ]
    assert made.requested_at <= timezone.now()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("none", "请至少选择一部电教片"),
        ("twice", "《榜样8》重复了，每部片子申请一次即可"),
        ("past", "《榜样8》的计划放映日期不能早于今天"),
        ("inactive", "《旧片》已停用，不能选用"),
    ],
)
def test_it_refuses_a_request_it_cannot_meet(world, case, message):
    key = film(world, "榜样8")
    lines = {
        "none": [],
        "twice": [(key, SOON), (key, SOON)],
        "past": [(key, today() - dt.timedelta(days=1))],
        "inactive": [(film(world, "旧片", active=False), SOON)],
    }[case]
    with pytest.raises(ValidationError) as exc:
        services.request_create(village=world.village, author=world.operator, lines=lines)
    assert exc.value.message_dict == {"lines": [message]}
    assert not FilmRequest.objects.exists()


def test_it_refuses_a_film_of_another_township(world):
    theirs = services.film_create(user=world.outsider, title="他乡片", duration_minutes=30)
    with pytest.raises(ValidationError) as exc:
        ask(world, [theirs])
    assert exc.value.message_dict == {"lines": ["《他乡片》不在本乡片库中"]}


@pytest.mark.parametrize("persona", ["other_op", "leader", "county", "outsider"])
def test_only_the_village_or_its_station_may_ask_for_it(world, persona):
    with pytest.raises(PermissionDenied):
        ask(world, [film(world)], author=world.personas[persona])
    assert (
        ask(world, [film(world)], author=world.station).village == world.village
    )  # on the village's behalf


def test_the_station_approves_and_it_is_dated_and_signed(world):
    made = ask(world, [film(world)])

    services.request_approve(film_request=made, user=world.station)

    made.refresh_from_db()
    assert made.status == FilmRequest.Status.APPROVED
    assert made.decided_by == world.station and made.decided_at is not None
    with pytest.raises(ValidationError) as exc:
        services.request_approve(film_request=made, user=world.station)
    assert exc.value.message_dict == {"status": ["该申请已处理（已批准），不能再审批"]}


def test_the_station_rejects_with_a_reason(world):
    made = ask(world, [film(world)])

    with pytest.raises(ValidationError) as exc:
        services.request_reject(film_request=made, user=world.station, reason=" ")
    assert exc.value.message_dict == {"reason": ["驳回申请时请写明理由，村里才知道怎么改"]}
    services.request_reject(film_request=made, user=world.station, reason="该片本季度已安排其他村")

    made.refresh_from_db()
    assert (made.status, made.reject_reason, made.decided_by) == (
        FilmRequest.Status.REJECTED,
        "该片本季度已安排其他村",
        world.station,
    )
    with pytest.raises(ValidationError):
        services.request_approve(film_request=made, user=world.station)


@pytest.mark.parametrize("persona", ["operator", "leader", "outsider"])
def test_only_the_station_decides(world, persona):
    made = ask(world, [film(world)])
    with pytest.raises(PermissionDenied):
        services.request_approve(film_request=made, user=world.personas[persona])
    with pytest.raises(PermissionDenied):
        services.request_reject(film_request=made, user=world.personas[persona], reason="不行")
