"""/teaching/learning/: each member's months against the 12, and who is behind."""

from django.urls import reverse

from .conftest import ABSENT, NOW, local, record

URL = reverse("teaching:learning")


def test_it_shows_the_operators_village_with_the_target(cast, clock, login):
    clock.at = local(2026, 10, 20, 10, 0)
    record(
        cast,
        held_at=local(2026, 10, 20, 9, 0),
        attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")},
    )
    clock.at = NOW
    response = login(cast.world.operator).get(URL)
    page = response.content.decode()
    assert "全年 12 个月" in page
    assert "已结束的月份：10 个" in page
    records = {r.member.name: r for r in response.context["records"]}
    assert (records["张三"].covered, records["赵六"].covered) == (1, 0)
    assert "1 / 12" in page
    assert [b.village.name for b in response.context["behind"]] == ["红星村"]


def test_the_station_picks_a_village_and_sees_every_villages_behind_list(cast, clock, login):
    w = cast.world
    response = login(w.station).get(URL, {"village": w.pastoral.pk, "year": 2026})
    assert [r.member.name for r in response.context["records"]] == ["努尔兰·叶尔肯"]
    assert [b.village.name for b in response.context["behind"]] == ["红星村", "阿克达拉村"]
    assert "在册 4 人，落后 4 人" in response.content.decode()


def test_another_villages_record_is_not_offered(cast, clock, login):
    response = login(cast.world.operator).get(URL, {"village": cast.world.pastoral.pk})
    assert response.context["village"] == cast.world.village
