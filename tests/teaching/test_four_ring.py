"""ViewingSession.four_ring_missing: which of the five steps a key session lacks."""

import pytest

from dianjiao.teaching.models import ViewingSession
from dianjiao.teaching.services import session_correct

from .conftest import local, record, record_key


def _both(session) -> tuple[list, list]:
    """The property computed row by row and from the list's annotations must agree."""
    plain = ViewingSession.objects.get(pk=session.pk).four_ring_missing
    annotated = ViewingSession.objects.with_figures().get(pk=session.pk).four_ring_missing
    return plain, annotated


def test_a_complete_record_misses_nothing(cast, clock):
    session = record_key(cast)
    assert _both(session) == ([], [])
    assert session.four_ring_complete


def test_a_session_without_key_films_has_no_four_ring_to_miss(cast, clock):
    session = record(cast)
    assert not session.is_key
    assert _both(session) == ([], [])
    assert session.four_ring_complete


def test_it_names_each_missing_step_in_order(cast, clock):
    held_at = local(2026, 11, 29, 9, 0)
    session = record_key(
        cast,
        four_ring={
            "preparation": "学习了简介",
            "prepared_at": local(2026, 11, 28, 15, 0),
        },
    )
    missing = ["播中有提示", "收看有记录", "看后有讨论", "学过有实践"]
    assert _both(session) == (missing, missing)
    assert not session.four_ring_complete
    assert session.held_at == held_at


def test_a_discussion_needs_someone_who_spoke(cast, clock):
    from .conftest import four_ring

    held_at = local(2026, 11, 29, 9, 0)
    session = record_key(cast, four_ring=four_ring(cast, held_at, speakers=[]))
    assert _both(session) == (["看后有讨论"], ["看后有讨论"])


def test_attendance_notes_alone_are_not_a_record(cast, clock):
    from .conftest import four_ring

    held_at = local(2026, 11, 29, 9, 0)
    session = record_key(cast, four_ring=four_ring(cast, held_at, record_notes=" "))
    assert _both(session) == (["收看有记录"], ["收看有记录"])


def test_a_correction_completes_the_record(cast, clock):
    session = record_key(
        cast, four_ring={"preparation": "学习了简介", "prepared_at": local(2026, 11, 28, 15, 0)}
    )
    clock.tick(hours=2)
    session_correct(
        author=cast.world.operator,
        session=session,
        reason="收看当天的提示、讨论和任务记在纸上，今天录入",
        four_ring={
            "prompts": "第二段暂停提示",
            "record_notes": "全体到场",
            "discussion": "讨论了身边的榜样",
            "speakers": [cast.wang.pk],
            "practice": [{"group": "全体党员", "task": "冬季防火巡查", "due_on": "2026-12-31"}],
        },
    )
    assert _both(session) == ([], [])


@pytest.mark.parametrize("kind", ["key_film", "monthly"])
def test_a_key_film_or_a_key_kind_makes_a_session_key(cast, clock, kind):
    session = record_key(cast, kind=kind, films=[cast.key_film])
    assert session.is_key
    plain = record_key(cast, kind="key_film", films=[cast.film])
    assert plain.is_key
