"""/teaching/feedback/: the operator sends the month; the station sees who has and has not."""

from django.urls import reverse

from dianjiao.teaching.models import MonthlyFeedback

from .conftest import local, record

URL = reverse("teaching:feedback")


def test_the_operator_previews_and_sends_the_month(cast, clock, login):
    record(cast)
    client = login(cast.world.operator)
    page = client.get(URL).content.decode()
    assert "红星村 · 2026年11月" in page
    assert "到课率 = 实到 4 ÷ 应到（4 人次" in page
    response = client.post(
        URL, {"village": cast.world.village.pk, "month": "2026-11", "note": "正常"}
    )
    assert response.status_code == 302
    fb = MonthlyFeedback.objects.get()
    assert (fb.village, fb.year, fb.month, fb.note) == (cast.world.village, 2026, 11, "正常")


def test_the_station_sees_which_villages_have_not_sent(cast, clock, login):
    client = login(cast.world.operator)
    client.post(URL, {"village": cast.world.village.pk, "month": "2026-11", "note": ""})
    page = login(cast.world.station).get(URL, {"month": "2026-11"}).content.decode()
    assert page.count('<span class="tag ok">已报送</span>') == 1
    assert page.count('<span class="tag red">未报送</span>') == 1


def test_before_the_window_opens_it_says_when(cast, clock, login):
    clock.at = local(2026, 11, 20, 10, 0)
    page = login(cast.world.operator).get(URL, {"month": "2026-11"}).content.decode()
    assert "2026年11月的收看情况从2026年11月26日起可以报送" in page
    response = login(cast.world.operator).post(
        URL, {"village": cast.world.village.pk, "month": "2026-11"}
    )
    assert response.status_code == 200
    assert "从2026年11月26日起才能报送" in response.content.decode()
    assert not MonthlyFeedback.objects.exists()


def test_an_operator_cannot_send_for_another_village(cast, clock, login):
    response = login(cast.world.operator).post(
        URL, {"village": cast.world.pastoral.pk, "month": "2026-11"}
    )
    assert response.status_code == 200
    assert not MonthlyFeedback.objects.exists()
