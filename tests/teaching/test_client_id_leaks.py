"""A session's client id already taken in another village answers as a conflict that names
nothing (issue 11, part 4): the conflict page used to show the other village's session, its
point and time, with a link to it."""

import pytest
from django.urls import reverse

from dianjiao.teaching.models import ViewingSession
from dianjiao.teaching.services import SessionConflictError

from .conftest import PRESENT, record
from .test_record_page import URL, form_data

HIDDEN = "这份表单的记录编号不能使用，这次提交没有保存：请重新打开表单填写"


@pytest.fixture
def theirs(cast, clock):
    """阿克达拉村's session at its summer-pasture point, recorded by its own operator."""
    w = cast.world
    return record(
        cast,
        author=w.other_op,
        village=w.pastoral,
        point=w.pastoral_point,
        attendance={w.pastoral_member.pk: (PRESENT, "")},
    )


def test_the_service_names_nothing_about_a_session_of_another_village(cast, clock, theirs):
    with pytest.raises(SessionConflictError) as exc:
        record(cast, client_id=theirs.pk)
    assert exc.value.session is None and exc.value.entry is None
    assert str(exc.value) == HIDDEN
    assert not ViewingSession.objects.filter(village=cast.world.village).exists()


def test_the_page_answers_like_any_unknown_conflict(cast, clock, login, theirs):
    response = login(cast.world.operator).post(URL, form_data(cast, client_id=str(theirs.pk)))
    assert response.status_code == 409
    page = response.content.decode()
    assert HIDDEN in page
    for secret in (
        "阿克达拉村",
        "夏牧场流动播放点",
        str(theirs.pk),
        reverse("teaching:detail", args=[theirs.pk]),
        "已存在",
        "已经提交过",
    ):
        assert secret not in page
    assert not ViewingSession.objects.filter(village=cast.world.village).exists()


def test_the_station_who_may_see_it_is_shown_the_stored_session(cast, clock, login, theirs):
    with pytest.raises(SessionConflictError) as exc:
        record(cast, author=cast.world.station, client_id=theirs.pk)
    assert exc.value.session == theirs
