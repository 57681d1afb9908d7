"""/teaching/: every session the user sees, with 四环不完整 and 补录 shown, never hidden."""

import datetime as dt

from django.urls import reverse

from dianjiao.teaching.models import ViewingSession

from .conftest import ABSENT, PRESENT, Kind, grant, local, record, record_key

URL = reverse("teaching:list")


def _rows(response):
    return list(response.context["page_obj"])


def test_it_tags_an_incomplete_key_session_and_a_late_one(cast, clock, login):
    grant(cast.world, dt.date(2026, 11, 28))
    record(cast, held_at=local(2026, 11, 28, 20, 0))
    record_key(
        cast,
        held_at=local(2026, 11, 29, 8, 0),
        four_ring={"preparation": "备课", "prepared_at": local(2026, 11, 28, 9, 0)},
    )
    record_key(cast, held_at=local(2026, 11, 29, 9, 0))
    page = login(cast.world.operator).get(URL).content.decode()
    assert page.count('<span class="tag bad">四环不完整</span>') == 1
    assert "缺播中有提示、收看有记录、看后有讨论、学过有实践" in page
    assert page.count('<span class="tag ok">四环完整</span>') == 1
    assert page.count('<span class="tag red">补录</span>') == 1
    assert "到课率 = 实到 ÷ 应到" in page


def test_it_shows_present_over_expected(cast, clock, login):
    record(cast, attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")})
    page = login(cast.world.operator).get(URL).content.decode()
    assert "3 / 4" in page and "75.0%" in page


def test_it_searches_by_film_or_point_and_filters(cast, clock, login):
    w = cast.world
    record(cast)
    record_key(cast)
    record(
        cast,
        author=w.other_op,
        village=w.pastoral,
        point=w.pastoral_point,
        kind=Kind.PASTORAL,
        attendance={w.pastoral_member.pk: (PRESENT, "")},
    )
    client = login(w.station)
    assert len(_rows(client.get(URL))) == 3
    assert [s.kind for s in _rows(client.get(URL, {"q": "榜样"}))] == [Kind.KEY_FILM]
    assert [s.point for s in _rows(client.get(URL, {"q": "夏牧场"}))] == [w.pastoral_point]
    assert len(_rows(client.get(URL, {"village": w.village.pk}))) == 2
    assert len(_rows(client.get(URL, {"kind": "pastoral"}))) == 1
    assert len(_rows(client.get(URL, {"month": "2026-11"}))) == 3
    assert len(_rows(client.get(URL, {"month": "2026-10"}))) == 0


def test_the_operator_sees_only_their_village(cast, clock, login):
    w = cast.world
    record(cast)
    record(
        cast,
        author=w.other_op,
        village=w.pastoral,
        point=w.pastoral_point,
        attendance={w.pastoral_member.pk: (PRESENT, "")},
    )
    assert {s.village for s in _rows(login(w.operator).get(URL))} == {w.village}
    assert _rows(login(w.outsider).get(URL)) == []


def test_it_pages_with_a_fixed_number_of_queries(cast, clock, login, django_assert_max_num_queries):
    for minute in range(25):
        record(cast, held_at=local(2026, 11, 29, 8, minute))
    client = login(cast.world.station)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(_rows(response)) == 20
    assert response.context["page_obj"].paginator.count == 25
    assert len(_rows(client.get(URL, {"page": 2}))) == 5
    assert ViewingSession.objects.count() == 25
