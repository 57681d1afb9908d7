"""/teaching/new/: the operator records a showing on a phone-sized form."""

import uuid

import pytest
from django.urls import reverse

from dianjiao.teaching.models import Attendance, ViewingSession

from .conftest import ABSENT, EXCUSED, PRESENT, Kind, grant, local, record

URL = reverse("teaching:create")


def form_data(cast, *, held_at="2026-11-29T09:00", films=None, statuses=None, **extra) -> dict:
    """What the browser posts: every expected member's radio, a reason select per row."""
    statuses = statuses or {}
    data = {
        "client_id": str(uuid.uuid4()),
        "held_at": held_at,
        "duration_minutes": "60",
        "films": [f.pk for f in (films or [cast.film])],
        "notes": "",
    }
    for m in (cast.zhang, cast.li, cast.wang, cast.zhao):
        status, reason = statuses.get(m.pk, (PRESENT, ""))
        data[f"m{m.pk}_status"] = status
        data[f"m{m.pk}_reason"] = reason
    data.update(extra)
    return data


def test_it_lists_the_expected_members_and_says_what_the_rate_is_of(cast, clock, login):
    page = login(cast.world.operator).get(URL).content.decode()
    for name in ("张三", "李梅", "王五", "赵六"):
        assert name in page
    assert "应到 4 人：本播放点的在册党员。到课率 = 实到 ÷ 应到（4 人）。" in page
    assert 'value="2026-11-29T10:00"' in page  # the time defaults to now
    assert "努尔兰·叶尔肯" not in page


def test_it_records_a_session_and_goes_to_its_page(cast, clock, login):
    data = form_data(
        cast,
        statuses={cast.wang.pk: (EXCUSED, "herding"), cast.zhao.pk: (ABSENT, "illness")},
        guest0_name="马丽",
        guest0_note="邻村党员",
    )
    response = login(cast.world.operator).post(URL, data)
    session = ViewingSession.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "teaching:detail", args=[session.pk]
    )
    assert str(session.pk) == data["client_id"]
    statuses = dict(session.attendances.values_list("member__name", "status"))
    assert statuses == {"张三": PRESENT, "李梅": PRESENT, "王五": EXCUSED, "赵六": ABSENT}
    # The reason select of a row that is not 请假 means nothing and is dropped.
    assert session.attendances.get(member=cast.zhao).excuse_reason == ""
    assert list(session.guests.values_list("name", flat=True)) == ["马丽"]
    assert session.entry is not None


def test_a_double_tap_saves_once(cast, clock, login):
    client, data = login(cast.world.operator), form_data(cast)
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert first["Location"] == second["Location"]
    assert ViewingSession.objects.count() == 1


def test_the_same_form_sent_again_with_other_content_is_a_conflict(cast, clock, login):
    client, data = login(cast.world.operator), form_data(cast)
    client.post(URL, data)
    data[f"m{cast.zhao.pk}_status"] = ABSENT
    response = client.post(URL, data)
    assert response.status_code == 409
    assert "该记录已被他人修改/已存在，请刷新后核对" in response.content.decode()
    assert ViewingSession.objects.get().attendances.get(member=cast.zhao).status == PRESENT


def test_yesterdays_session_shows_the_logbook_rule_at_the_time(cast, clock, login):
    response = login(cast.world.operator).post(URL, form_data(cast, held_at="2026-11-28T20:00"))
    assert response.status_code == 200
    assert response.context["form"].errors["held_at"] == [
        "《电教手册》须当天填写：2026年11月28日的记录需要乡电教站管理员先批准补录"
    ]
    assert not ViewingSession.objects.exists()


def test_yesterdays_session_is_accepted_once_the_station_allowed_it(cast, clock, login):
    from datetime import date

    grant(cast.world, date(2026, 11, 28))
    response = login(cast.world.operator).post(URL, form_data(cast, held_at="2026-11-28T20:00"))
    assert response.status_code == 302
    assert ViewingSession.objects.get().is_late


def test_a_key_film_without_preparation_is_refused_with_the_rule(cast, clock, login):
    response = login(cast.world.operator).post(
        f"{URL}?kind=key_film", form_data(cast, films=[cast.key_film])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["preparation"] == [
        "重点片须先备课：请填写播前备课内容和备课时间"
    ]
    assert "重点片须先备课：请填写播前备课内容和备课时间" in response.content.decode()
    assert not ViewingSession.objects.exists()


def test_a_key_film_session_with_its_four_rings(cast, clock, login):
    data = form_data(
        cast,
        films=[cast.key_film],
        preparation="学习简介，拟定讨论题",
        prepared_at="2026-11-28T15:00",
        prompts="第二段暂停提示",
        record_notes="全体认真收看",
        discussion="讨论了身边的榜样",
        speakers=[cast.zhang.pk, cast.wang.pk],
        task0_member=str(cast.zhang.pk),
        task0_task="帮助两户修羊圈",
        task0_due="2026-12-31",
        task1_group="党员先锋岗",
        task1_task="冬季防火宣传",
        task1_due="2026-12-15",
    )
    response = login(cast.world.operator).post(f"{URL}?kind=key_film", data)
    assert response.status_code == 302, response.context["form"].errors
    session = ViewingSession.objects.get()
    assert session.kind == Kind.KEY_FILM and session.four_ring_complete
    assert sorted(t.who for t in session.practice_tasks.all()) == ["党员先锋岗", "张三"]


def test_a_make_up_lists_who_missed_and_links_what_they_make_up(cast, clock, login):
    missed = record(
        cast,
        held_at=local(2026, 11, 29, 8, 0),
        attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")},
    )
    client = login(cast.world.operator)
    response = client.get(f"{URL}?kind=makeup")
    assert [m.name for m in response.context["form"].roster] == ["赵六"]
    assert (
        f'<option value="{missed.pk}">11月29日 08:00 月度收看</option>' in response.content.decode()
    )
    data = {
        "client_id": str(uuid.uuid4()),
        "held_at": "2026-11-29T09:30",
        "duration_minutes": "60",
        "films": [cast.film.pk],
        f"m{cast.zhao.pk}_status": PRESENT,
        f"m{cast.zhao.pk}_reason": "",
        f"m{cast.zhao.pk}_makeup": str(missed.pk),
    }
    response = client.post(f"{URL}?kind=makeup", data)
    assert response.status_code == 302, response.context["form"].errors
    makeup = ViewingSession.objects.get(kind=Kind.MAKEUP)
    assert makeup.attendances.get().makes_up_for == missed


def test_the_point_decides_who_is_expected(cast, clock, login):
    w = cast.world
    page = login(w.station).get(f"{URL}?point={w.pastoral_point.pk}").content.decode()
    assert "努尔兰·叶尔肯" in page and "张三" not in page
    assert 'value="pastoral" selected' in page  # a pastoral point defaults to 牧区流动教学


def test_another_villages_point_is_not_found(cast, clock, login):
    assert (
        login(cast.world.operator).get(f"{URL}?point={cast.world.pastoral_point.pk}").status_code
        == 404
    )
    assert (
        login(cast.world.operator).get(f"{URL}?point={cast.world.far_point.pk}").status_code == 404
    )


@pytest.mark.parametrize("field", ["held_at", "films"])
def test_it_keeps_what_was_typed_when_a_field_is_missing(cast, clock, login, field):
    data = form_data(cast, notes="天气冷，到得晚")
    data.pop(field)
    response = login(cast.world.operator).post(URL, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "天气冷，到得晚" in response.content.decode()
    assert not Attendance.objects.exists()


def test_it_offers_the_stations_teaching_notes_for_a_key_film(cast, clock, login):
    cast.key_film.prep_notes, cast.key_film.discussion_questions = (
        "先读人物简介",
        "身边的榜样是谁？",
    )
    cast.key_film.save()
    page = login(cast.world.operator).get(f"{URL}?kind=key_film").content.decode()
    assert "《榜样8》的教学提示（电教站提供）" in page
    assert "先读人物简介" in page and "身边的榜样是谁？" in page


def _films_parts(page: str) -> tuple[str, str]:
    """The films checklist: what is listed before the folded <details>, and the <details> itself."""
    films = page.split('<div id="id_films">', 1)[1].split(
        '<div class="section" id="attendance">', 1
    )[0]
    before, _sep, folded = films.partition('<details class="morefilms"')
    return before, folded.split("</details>", 1)[0]


def test_it_lists_announced_and_key_films_first_and_folds_the_rest_of_the_library(
    cast, clock, login
):
    import datetime as dt

    from dianjiao.films.models import Announcement, Film

    announced = Film.objects.create(
        township=cast.world.township, title="民法典进万家", duration_minutes=40
    )
    old = Film.objects.create(township=cast.world.township, title="去年的片子", duration_minutes=30)
    a = Announcement.objects.create(
        township=cast.world.township,
        title="2026年第4季度供片信息",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 12, 31),
        published_at=local(2026, 9, 20, 9, 0),
        published_by=cast.world.station,
    )
    a.films.set([announced])
    client = login(cast.world.operator)

    before, folded = _films_parts(client.get(URL).content.decode())
    assert "《榜样8》（重点片）" in before and "《民法典进万家》" in before
    assert folded.startswith(">")  # closed: no open attribute
    assert "其他影片（2 部）" in folded
    assert "《农村实用技术：冬季舍饲养羊》" in folded and "《去年的片子》" in folded
    assert "别乡的片子" not in before + folded

    # A folded film ticked before a validation error: the fold opens so the tick shows.
    data = form_data(cast, films=[old])
    data.pop("held_at")
    response = client.post(URL, data)
    assert response.status_code == 200
    _before, folded = _films_parts(response.content.decode())
    assert folded.startswith(" open>")
    assert f'value="{old.pk}" id="id_films_' in folded and "checked" in folded


def test_a_library_without_announced_or_key_films_is_listed_unfolded(cast, clock, login):
    cast.key_film.is_key_film = False
    cast.key_film.save()
    page = login(cast.world.operator).get(URL).content.decode()
    before, folded = _films_parts(page)
    assert "《榜样8》" in before and "《农村实用技术：冬季舍饲养羊》" in before
    assert folded == "" and "其他影片" not in page
