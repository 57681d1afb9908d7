"""Sessions point at the film library's Film, so its usage page counts them (dianjiao.teaching.usage)."""

from django.urls import reverse

from dianjiao.teaching import usage

from .conftest import ABSENT, local, record, record_key


def test_the_librarys_usage_counts_recorded_showings(cast, clock, login):
    record(
        cast,
        held_at=local(2026, 11, 29, 8, 0),
        attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")},
    )
    record_key(cast)
    result = {u.film.title: u for u in usage.film_usage(cast.world.station, 2026).films}
    plain, key = result["农村实用技术：冬季舍饲养羊"], result["榜样8"]
    assert (plain.sessions, plain.attendances, plain.members) == (1, 3, 3)
    assert (key.sessions, key.attendances, key.members) == (1, 4, 4)
    assert [v.name for v in key.not_shown_in] == ["阿克达拉村"]  # the key film is still owed there
    assert login(cast.world.station).get(reverse("films:usage")).status_code == 200
