"""session_correct: a later change of a session, with a reason, kept as a logbook correction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.logbook.models import LogbookEntry
from dianjiao.teaching.services import session_correct

from .conftest import ABSENT, EXCUSED, PRESENT, local, record, record_key


def test_it_corrects_a_status_and_keeps_the_original_in_the_logbook(cast, clock):
    session = record(cast, attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")})
    clock.tick(days=3)
    session_correct(
        author=cast.world.operator,
        session=session,
        reason="赵六当天请过假，误记为缺席",
        attendance={cast.zhao.pk: (EXCUSED, "migrant")},
    )
    row = session.attendances.get(member=cast.zhao)
    assert (row.status, row.excuse_reason) == (EXCUSED, "migrant")

    original = LogbookEntry.objects.get(pk=session.entry_id)
    correction = LogbookEntry.objects.get(corrects=original)
    assert {a["name"]: a["status"] for a in original.body["attendance"]}["赵六"] == ABSENT
    assert correction.reason == "赵六当天请过假，误记为缺席"
    assert correction.body["changes"]["attendance"][str(cast.zhao.pk)] == {
        "name": "赵六",
        "from": ["absent", ""],
        "to": ["excused", "migrant"],
    }
    assert correction.text == "更正了：出勤"


def test_it_needs_a_reason(cast, clock):
    session = record(cast)
    with pytest.raises(ValidationError) as exc:
        session_correct(author=cast.world.operator, session=session, reason=" ", notes="补充")
    assert exc.value.message_dict["reason"] == ["更正须说明原因"]


def test_it_refuses_a_correction_that_changes_nothing(cast, clock):
    session = record(cast, notes="正常")
    with pytest.raises(ValidationError) as exc:
        session_correct(author=cast.world.operator, session=session, reason="核对", notes="正常")
    assert exc.value.messages == ["没有任何改动"]


def test_it_cannot_remove_the_preparation_of_a_key_film(cast, clock):
    session = record_key(cast)
    with pytest.raises(ValidationError) as exc:
        session_correct(
            author=cast.world.operator,
            session=session,
            reason="删掉",
            four_ring={"preparation": ""},
        )
    assert exc.value.message_dict["preparation"] == ["重点片须先备课：请填写播前备课内容和备课时间"]


def test_it_cannot_move_the_preparation_after_the_showing(cast, clock):
    session = record_key(cast)
    with pytest.raises(ValidationError) as exc:
        session_correct(
            author=cast.world.operator,
            session=session,
            reason="时间记错",
            four_ring={"prepared_at": local(2026, 11, 29, 9, 30)},
        )
    assert exc.value.message_dict["prepared_at"] == ["备课时间必须早于播放时间（播前有备课）"]


def test_it_refuses_a_member_of_another_village(cast, clock):
    session = record(cast)
    with pytest.raises(ValidationError) as exc:
        session_correct(
            author=cast.world.operator,
            session=session,
            reason="补登",
            attendance={cast.world.far_member.pk: (PRESENT, "")},
        )
    assert exc.value.message_dict["attendance"] == ["李四 不是本村党员"]


def test_a_speaker_must_be_present_after_the_correction(cast, clock):
    session = record_key(cast)  # 张三 and 李梅 spoke
    with pytest.raises(ValidationError) as exc:
        session_correct(
            author=cast.world.operator,
            session=session,
            reason="李梅其实没来",
            attendance={cast.li.pk: (ABSENT, "")},
        )
    assert exc.value.message_dict["speakers"] == ["李梅 没有到场，不能记为讨论发言人"]
    with pytest.raises(ValidationError) as exc:
        session_correct(
            author=cast.world.operator,
            session=session,
            reason="更正",
            four_ring={"speakers": [cast.world.pastoral_member.pk]},
        )
    assert exc.value.message_dict["speakers"] == ["努尔兰·叶尔肯 没有到场，不能记为讨论发言人"]

    session_correct(
        author=cast.world.operator,
        session=session,
        reason="王五也发了言",
        four_ring={"speakers": [cast.zhang.pk, cast.li.pk, cast.wang.pk]},
    )
    assert session.speakers.count() == 3


def test_the_county_cannot_correct(cast, clock):
    session = record(cast)
    with pytest.raises(PermissionDenied):
        session_correct(author=cast.world.county_viewer, session=session, reason="x", notes="y")
