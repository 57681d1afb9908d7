"""session_record for 补看: each present make-up names the earlier session the member missed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dianjiao.teaching import selectors

from .conftest import ABSENT, EXCUSED, PRESENT, Kind, grant, local, record


@pytest.fixture
def missed(cast, clock):
    """A showing on 2 November (admitted late by the station) that 王五 (herding) and 赵六 missed."""
    grant(cast.world, dt.date(2026, 11, 2), reason="停电，次日才能补录")
    return record(
        cast,
        held_at=local(2026, 11, 2, 19, 0),
        attendance={
            **cast.everyone(),
            cast.wang.pk: (EXCUSED, "herding"),
            cast.zhao.pk: (ABSENT, ""),
        },
    )


def test_it_links_each_make_up_to_the_session_it_makes_up_for(cast, clock, missed):
    makeup = record(
        cast,
        kind=Kind.MAKEUP,
        attendance={
            cast.wang.pk: (PRESENT, "", missed.pk),
            cast.zhao.pk: (ABSENT, "", missed.pk),
        },
    )
    rows = {r.member_id: r for r in makeup.attendances.all()}
    assert rows[cast.wang.pk].makes_up_for == missed
    # A make-up expects those invited to it: 1 of 2 came.
    assert (makeup.expected_count, makeup.present_expected_count, makeup.attendance_pct) == (
        2,
        1,
        50.0,
    )
    assert {a["name"]: a["makes_up_for"] for a in makeup.entry.body["attendance"]} == {
        "王五": str(missed.pk),
        "赵六": str(missed.pk),
    }
    assert [
        m.name
        for m, _ in selectors.makeup_candidates(cast.world.village, as_of=dt.date(2026, 11, 29))
    ] == ["赵六"]


def test_a_present_make_up_must_say_what_it_makes_up_for(cast, clock, missed):
    with pytest.raises(ValidationError) as exc:
        record(cast, kind=Kind.MAKEUP, attendance={cast.wang.pk: (PRESENT, "")})
    assert exc.value.message_dict["attendance"] == ["王五 补看须选择补的是哪一场"]


def test_a_member_cannot_make_up_a_session_they_attended(cast, clock, missed):
    with pytest.raises(ValidationError) as exc:
        record(cast, kind=Kind.MAKEUP, attendance={cast.li.pk: (PRESENT, "", missed.pk)})
    assert exc.value.message_dict["attendance"] == ["李梅 没有缺席2026年11月2日的收看，无须补看"]


def test_a_session_is_made_up_once(cast, clock, missed):
    record(
        cast,
        kind=Kind.MAKEUP,
        held_at=local(2026, 11, 29, 8, 0),
        attendance={cast.wang.pk: (PRESENT, "", missed.pk)},
    )
    with pytest.raises(ValidationError) as exc:
        record(cast, kind=Kind.MAKEUP, attendance={cast.wang.pk: (PRESENT, "", missed.pk)})
    assert exc.value.message_dict["attendance"] == ["王五 已经补看过2026年11月2日的收看"]


def test_only_a_make_up_links_to_a_missed_session(cast, clock, missed):
    with pytest.raises(ValidationError) as exc:
        record(cast, attendance={**cast.everyone(), cast.wang.pk: (PRESENT, "", missed.pk)})
    assert exc.value.message_dict["attendance"] == ["只有补看才关联被补看的场次"]


def test_a_make_up_comes_after_what_it_makes_up_for(cast, clock):
    later = record(
        cast,
        held_at=local(2026, 11, 29, 9, 30),
        attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")},
    )
    with pytest.raises(ValidationError) as exc:
        record(
            cast,
            kind=Kind.MAKEUP,
            held_at=local(2026, 11, 29, 9, 0),
            attendance={cast.zhao.pk: (PRESENT, "", later.pk)},
        )
    assert exc.value.message_dict["attendance"] == ["赵六：补看须在被补的场次之后"]


def test_a_make_up_of_another_villages_session_is_refused(cast, clock):
    w = cast.world
    theirs = record(
        cast,
        author=w.other_op,
        village=w.pastoral,
        point=w.pastoral_point,
        kind=Kind.PASTORAL,
        held_at=local(2026, 11, 29, 8, 0),
        attendance={w.pastoral_member.pk: (PRESENT, "")},
    )
    with pytest.raises(ValidationError) as exc:
        record(cast, kind=Kind.MAKEUP, attendance={cast.zhao.pk: (PRESENT, "", theirs.pk)})
    assert exc.value.message_dict["attendance"] == ["赵六 补看的场次不是本村的收看"]
