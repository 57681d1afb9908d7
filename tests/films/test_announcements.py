"""供片信息: the station announces a coming period's films early; villages see them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from dianjiao.films import selectors, services
from dianjiao.lib.dates import today
from tests.films.helpers import film, language

D = dt.timedelta


def publish(world, title="第三季度供片信息", start=None, end=None, films=None, user=None):
    start = start or today() + D(days=20)
    return services.announcement_publish(
        user=user or world.station,
        title=title,
        period_start=start,
        period_end=end or start + D(days=90),
        films=films if films is not None else [film(world, f"{title}片")],
        note="重点片按四环教学法组织收看",
    )


def test_it_publishes_an_announcement_with_its_films(world):
    a, b = film(world, "榜样8", is_key_film=True), film(world, "石榴花开")

    made = publish(world, films=[a, b])

    assert set(made.films.all()) == {a, b}
    assert made.published_by == world.station and made.published_at is not None
    assert made.township == world.township and not made.has_started


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"films": []}, "films", "请至少选择一部电教片"),
        (
            {"start": today() + D(days=10), "end": today() + D(days=5)},
            "period_end",
            "结束日期不能早于开始日期",
        ),
        (
            {"start": today() - D(days=40), "end": today() - D(days=1)},
            "period_end",
            "供片期已经结束，请填写即将到来的时段",
        ),
    ],
)
def test_it_refuses_an_announcement_that_says_nothing_useful(world, kwargs, field, message):
    with pytest.raises(ValidationError) as exc:
        publish(world, **kwargs)
    assert exc.value.message_dict == {field: [message]}


def test_it_announces_only_active_films_of_the_township(world):
    old = film(world, "旧片", active=False)
    with pytest.raises(ValidationError) as exc:
        publish(world, films=[old])
    assert exc.value.message_dict == {"films": ["《旧片》已停用，不能选用"]}
    theirs = services.film_create(user=world.outsider, title="他乡的片", duration_minutes=30)
    with pytest.raises(ValidationError) as exc:
        publish(world, films=[theirs])
    assert exc.value.message_dict == {"films": ["《他乡的片》不在本乡片库中"]}


@pytest.mark.parametrize("persona", ["operator", "leader", "county"])
def test_only_the_station_announces(world, persona):
    with pytest.raises(PermissionDenied):
        publish(world, user=world.personas[persona])


def test_villages_see_current_and_coming_announcements_soonest_first(world):
    later = publish(world, "第四季度", start=today() + D(days=100))
    now = publish(world, "第三季度", start=today() - D(days=10), end=today() + D(days=80))
    ended = publish(world, "上季度", start=today() + D(days=1), end=today() + D(days=2))
    ended.period_start, ended.period_end = today() - D(days=100), today() - D(days=10)
    ended.save()  # as it is once its period is over
    services.announcement_publish(
        user=world.outsider,
        title="他乡",
        period_start=today(),
        period_end=today() + D(days=5),
        films=[services.film_create(user=world.outsider, title="他乡片", duration_minutes=30)],
    )

    assert list(selectors.announcements_for(world.operator)) == [now, later]
    assert list(selectors.announcements_for(world.other_op)) == [now, later]
    assert [a.title for a in selectors.announcements_for(world.outsider)] == ["他乡"]
    assert now.has_started and not later.has_started


def test_it_reads_the_announcements_in_three_queries_however_many(world, django_assert_num_queries):
    publish(world, "一")
    with django_assert_num_queries(3):
        list(selectors.announcements_for(world.operator))
    for i in range(5):
        publish(
            world,
            f"更多{i}",
            films=[film(world, f"片{i}-{j}", languages=[language("哈萨克语")]) for j in range(3)],
        )
    with django_assert_num_queries(3):
        found = list(selectors.announcements_for(world.operator))
        assert sum(len(a.films.all()) for a in found) == 16
        assert all(f.languages.all() is not None for a in found for f in a.films.all())


def test_the_home_page_include_lists_the_films_and_offers_a_request(world):
    key = film(
        world, "榜样8", is_key_film=True, languages=[language("普通话"), language("哈萨克语")]
    )
    made = publish(world, "第三季度供片信息", films=[key])
    request = RequestFactory().get("/")
    request.user = world.operator

    html = render_to_string(
        "films/_announcements.html",
        {
            "announcements": selectors.announcements_for(world.operator),
            "user": world.operator,
        },
        request=request,
    )

    assert (
        "第三季度供片信息" in html
        and "《榜样8》" in html
        and "重点片" in html
        and "哈萨克语" in html
    )
    assert f"{reverse('films:request_create')}?announcement={made.pk}" in html
    assert "暂无即将供应的片目" in render_to_string(
        "films/_announcements.html", {"announcements": []}
    )


def test_the_station_publishes_from_its_page(world, login):
    a = film(world, "榜样8")
    client = login(world.station)
    start = today() + D(days=15)
    data = {
        "title": "第四季度供片信息",
        "period_start": start,
        "period_end": start - D(days=1),
        "films": [a.pk],
    }

    response = client.post(reverse("films:announcement_create"), data)
    assert response.context["form"].errors["period_end"] == ["结束日期不能早于开始日期"]
    data["period_end"] = start + D(days=90)
    assert client.post(reverse("films:announcement_create"), data).status_code == 302
    page = login(world.operator).get(reverse("films:announcement_list")).content.decode()
    assert "第四季度供片信息" in page and "《榜样8》" in page
