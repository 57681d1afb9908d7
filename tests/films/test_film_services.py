"""film_create / film_update: the station keeps the township's catalogue."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.audit.models import AuditEvent
from dianjiao.audit.recorder import acting_as
from dianjiao.films import services
from dianjiao.films.models import Film
from dianjiao.lib.dates import today
from tests.films.helpers import film, language, theme


def test_it_registers_a_film_with_themes_languages_and_teaching_notes(world):
    with acting_as(world.station):  # what the middleware does for a page
        made = services.film_create(
            user=world.station,
            title="《榜样7》",
            series="《榜样》系列",
            producer="中共中央组织部党员教育中心",
            year=2022,
            duration_minutes=98,
            themes=[theme("先进性教育"), theme("时代楷模")],
            languages=[language("普通话"), language("哈萨克语")],
            is_key_film=True,
            prep_notes="提前观看",
            prompts="暂停提示",
            discussion_questions="1. 最打动你的是什么？",
        )

    made.refresh_from_db()
    assert made.title == "榜样7"  # the book-title marks are the page's, not the data's
    assert made.township == world.township
    assert sorted(t.name for t in made.themes.all()) == ["先进性教育", "时代楷模"]
    assert [lang.name for lang in made.languages.all()] == ["普通话", "哈萨克语"]
    assert made.is_key_film and made.has_teaching_notes and made.active
    assert str(made) == "《榜样7》"
    event = AuditEvent.objects.get(model="films.film", object_pk=str(made.pk))
    assert event.actor == world.station and event.action == "create"


def test_it_refuses_the_same_title_twice_in_one_township(world):
    film(world, "民法典进万家")

    with pytest.raises(ValidationError) as exc:
        film(world, "民法典进万家")
    assert exc.value.message_dict == {"title": ["片库中已有《民法典进万家》，不能重复登记"]}
    # Another township keeps its own catalogue.
    services.film_create(user=world.outsider, title="民法典进万家", duration_minutes=40)
    assert Film.objects.filter(title="民法典进万家").count() == 2


def test_it_checks_the_fields(world):
    with pytest.raises(ValidationError) as exc:
        services.film_create(
            user=world.station, title="", duration_minutes=0, year=today().year + 2
        )
    errors = exc.value.message_dict
    assert set(errors) == {"title", "duration_minutes", "year"}
    assert errors["year"] == ["出品年份不能晚于明年"]


@pytest.mark.parametrize("persona", ["operator", "leader", "inspector", "county"])
def test_it_lets_only_the_station_keep_the_catalogue(world, persona):
    user = world.personas[persona]
    with pytest.raises(PermissionDenied):
        services.film_create(user=user, township=world.township, title="榜样8", duration_minutes=97)
    with pytest.raises(PermissionDenied):
        services.film_update(film=film(world), user=user, title="改名")


def test_it_keeps_another_townships_station_out(world):
    ours = film(world, "榜样6")
    with pytest.raises(PermissionDenied):
        services.film_update(film=ours, user=world.outsider, active=False)


def test_it_updates_a_film_and_its_themes(world):
    made = film(world, "牧区养殖技术", themes=[theme("科技与农牧业技术")])

    services.film_update(
        film=made,
        user=world.station,
        duration_minutes=42,
        active=False,
        themes=[theme("乡村振兴")],
        languages=[language("哈萨克语")],
    )

    made.refresh_from_db()
    assert (made.duration_minutes, made.active) == (42, False)
    assert [t.name for t in made.themes.all()] == ["乡村振兴"]
    assert AuditEvent.objects.filter(
        model="films.film", object_pk=str(made.pk), action="update"
    ).exists()
    with pytest.raises(TypeError):
        services.film_update(film=made, user=world.station, township=world.other_township)


def test_it_finds_films_by_title_series_or_theme_once(world):
    a = film(
        world, "榜样7", series="《榜样》系列", themes=[theme("先进性教育"), theme("先进性教育专题")]
    )
    b = film(world, "牧区养殖技术", themes=[theme("科技与农牧业技术")])

    assert list(Film.objects.search("榜样")) == [a]
    assert list(Film.objects.search("先进性")) == [a]  # two matching themes, listed once
    assert list(Film.objects.search("养殖")) == [b]
    assert list(Film.objects.search("农牧业")) == [b]
    assert set(Film.objects.search("")) == {a, b}
