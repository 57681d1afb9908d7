"""session_record: a showing, its attendance and its logbook entry, in one transaction."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.audit.models import AuditEvent
from dianjiao.logbook.models import LogbookEntry
from dianjiao.logbook.services import ConflictError
from dianjiao.teaching.models import Attendance, Guest, PracticeTask, ViewingSession
from dianjiao.teaching.services import SessionConflictError
from tests import factories

from .conftest import ABSENT, EXCUSED, PRESENT, Kind, grant, local, record, record_key


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_it_records_a_session_with_one_attendance_row_per_expected_member(cast, clock):
    attendance = cast.everyone()
    attendance[cast.wang.pk] = (EXCUSED, "herding")
    attendance[cast.zhao.pk] = (ABSENT, "")
    session = record(
        cast, attendance=attendance, guests=[("马丽", "邻村党员"), {"name": "老李", "note": ""}]
    )

    rows = {r.member.name: r for r in session.attendances.select_related("member")}
    assert set(rows) == {"张三", "李梅", "王五", "赵六"}
    assert all(r.expected for r in rows.values())
    assert (rows["王五"].status, rows["王五"].excuse_reason) == (EXCUSED, "herding")
    assert rows["赵六"].status == ABSENT
    # 2 of 4 expected came: 50 %, over the EXPECTED members, guests not counted.
    assert (session.expected_count, session.present_expected_count, session.attendance_pct) == (
        4,
        2,
        50.0,
    )
    assert [g.name for g in Guest.objects.filter(session=session)] == ["马丽", "老李"]
    assert session.operator == cast.world.operator
    assert session.received_at == clock.at
    assert session.township == cast.world.township


def test_it_writes_the_logbook_entry_with_the_attendance_in_the_same_transaction(cast, clock):
    attendance = cast.everyone()
    attendance[cast.wang.pk] = (EXCUSED, "illness")
    attendance[cast.zhao.pk] = (ABSENT, "")
    session = record(cast, attendance=attendance)

    entry = session.entry
    assert entry.kind == LogbookEntry.Kind.SESSION
    assert entry.title == "月度收看：《农村实用技术：冬季舍饲养羊》"
    assert entry.occurred_at == session.held_at
    assert (entry.source_model, entry.source_pk) == ("teaching.viewingsession", str(session.pk))
    assert (entry.body["expected"], entry.body["present"]) == (4, 2)
    assert {a["name"]: a["status"] for a in entry.body["attendance"]} == {
        "张三": "present",
        "李梅": "present",
        "王五": "excused",
        "赵六": "absent",
    }
    assert entry.text == (
        "村委会电教室播放《农村实用技术：冬季舍饲养羊》，时长60分钟。应到4人，实到2人，到课率50.0%（实到÷应到）。"
        "请假：王五（生病）。缺席：赵六。"
    )
    assert not session.is_late


@pytest.mark.parametrize(
    ("kind", "logbook_kind"),
    [
        (Kind.MAKEUP, LogbookEntry.Kind.MAKEUP),
        (Kind.PASTORAL, LogbookEntry.Kind.PASTORAL),
        (Kind.OTHER, LogbookEntry.Kind.SESSION),
    ],
)
def test_it_files_each_kind_under_its_logbook_kind(cast, clock, kind, logbook_kind):
    w = cast.world
    if kind == Kind.MAKEUP:
        missed = record(
            cast,
            held_at=local(2026, 11, 29, 8, 0),
            attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")},
        )
        session = record(cast, kind=kind, attendance={cast.zhao.pk: (PRESENT, "", missed.pk)})
    elif kind == Kind.PASTORAL:
        session = record(
            cast,
            kind=kind,
            author=w.other_op,
            village=w.pastoral,
            point=w.pastoral_point,
            attendance={w.pastoral_member.pk: (PRESENT, "")},
        )
    else:
        session = record(cast, kind=kind)
    assert session.entry.kind == logbook_kind


def test_it_keeps_the_expected_list_when_the_roster_changes_later(cast, clock):
    session = record(cast)
    factories.member(cast.world.village, "新党员", cast.world.point, birth=dt.date(1980, 2, 2))
    cast.wang.active, cast.wang.left_on, cast.wang.left_reason = (
        False,
        dt.date(2026, 11, 29),
        "迁出",
    )
    cast.wang.save()
    session.refresh_from_db()
    assert session.expected_count == 4
    assert "新党员" not in {r.member.name for r in session.attendances.all()}


def test_it_counts_a_member_of_another_point_of_the_village_as_present_but_not_expected(
    cast, clock
):
    w = cast.world
    other_point = factories.point(w.village, "三组活动室")
    visitor = factories.member(w.village, "孙七", other_point, birth=dt.date(1970, 6, 6))
    session = record(cast, attendance={**cast.everyone(), visitor.pk: (PRESENT, "")})
    row = session.attendances.get(member=visitor)
    assert not row.expected
    assert (session.expected_count, session.present_expected_count, session.present_count) == (
        4,
        4,
        5,
    )


# -- refusals --------------------------------------------------------------------------------


def test_it_refuses_a_session_in_the_future(cast, clock):
    with pytest.raises(ValidationError) as exc:
        record(cast, held_at=local(2026, 11, 29, 11, 0))
    assert _errors(exc)["held_at"] == ["收看时间不能晚于现在：只能登记已经举行的收看"]
    assert not ViewingSession.objects.exists()


def test_it_refuses_yesterdays_session_without_an_exception_and_writes_nothing(cast, clock):
    with pytest.raises(ValidationError) as exc:
        record(cast, held_at=local(2026, 11, 28, 20, 0))
    assert _errors(exc)["held_at"] == [
        "《电教手册》须当天填写：2026年11月28日的记录需要乡电教站管理员先批准补录"
    ]
    # The logbook refused its entry, so the whole session rolled back with it.
    assert not ViewingSession.objects.exists()
    assert not Attendance.objects.exists()
    assert not LogbookEntry.objects.exists()
    assert not AuditEvent.objects.filter(
        model__in=["teaching.viewingsession", "teaching.attendance"]
    ).exists()


def test_it_admits_yesterdays_session_once_the_station_granted_an_exception(cast, clock):
    exception = grant(cast.world, dt.date(2026, 11, 28))
    session = record(cast, held_at=local(2026, 11, 28, 20, 0))
    assert session.entry.late_exception == exception
    assert session.is_late


def test_it_refuses_attendance_for_a_member_of_another_village(cast, clock):
    w = cast.world
    with pytest.raises(ValidationError) as exc:
        record(
            cast,
            attendance={
                **cast.everyone(),
                w.pastoral_member.pk: (PRESENT, ""),
                w.far_member.pk: (PRESENT, ""),
            },
        )
    assert "努尔兰·叶尔肯 不是本村党员" in _errors(exc)["attendance"]
    assert "李四 不是本村党员" in _errors(exc)["attendance"]


def test_it_refuses_zhang_san_at_another_villages_session(cast, clock):
    w = cast.world
    with pytest.raises(ValidationError) as exc:
        record(
            cast,
            author=w.other_op,
            village=w.pastoral,
            point=w.pastoral_point,
            attendance={w.pastoral_member.pk: (PRESENT, ""), cast.zhang.pk: (PRESENT, "")},
        )
    assert _errors(exc)["attendance"] == ["张三 不是本村党员"]


def test_it_refuses_a_point_of_another_village(cast, clock):
    with pytest.raises(ValidationError) as exc:
        record(cast, point=cast.world.pastoral_point)
    assert _errors(exc)["point"] == ["播放点“夏牧场流动播放点”不属于红星村"]


def test_it_refuses_a_session_that_leaves_out_an_expected_member(cast, clock):
    attendance = cast.everyone()
    del attendance[cast.wang.pk], attendance[cast.li.pk]
    with pytest.raises(ValidationError) as exc:
        record(cast, attendance=attendance)
    assert _errors(exc)["attendance"] == [
        "以下应到党员还没有登记到场、请假或缺席：李梅、王五（名单可能刚有变动，请刷新后核对）"
    ]


def test_it_wants_a_reason_for_an_excused_member(cast, clock):
    with pytest.raises(ValidationError) as exc:
        record(cast, attendance={**cast.everyone(), cast.li.pk: (EXCUSED, "")})
    assert _errors(exc)["attendance"] == ["李梅 请假须选择原因"]


def test_it_refuses_an_excuse_reason_for_someone_not_excused(cast, clock):
    with pytest.raises(ValidationError) as exc:
        record(cast, attendance={**cast.everyone(), cast.li.pk: (ABSENT, "illness")})
    assert _errors(exc)["attendance"] == ["李梅 不是请假，不填请假原因"]


def test_it_refuses_a_session_nobody_came_to(cast, clock):
    with pytest.raises(ValidationError) as exc:
        record(cast, attendance=cast.everyone(ABSENT))
    assert _errors(exc)["attendance"] == ["没有任何人到场，不能登记为一场收看"]


def test_it_needs_a_film_of_the_townships_library(cast, clock):
    with pytest.raises(ValidationError) as exc:
        record(cast, films=[])
    assert _errors(exc)["films"] == ["请至少选择一部影片"]
    with pytest.raises(ValidationError) as exc:
        record(cast, films=[cast.far_film])
    assert _errors(exc)["films"] == ["所选影片不在本乡的片库中"]


def test_it_refuses_a_key_film_session_without_preparation(cast, clock):
    with pytest.raises(ValidationError) as exc:
        record_key(cast, four_ring={"prompts": "有提示"})
    assert _errors(exc)["preparation"] == ["重点片须先备课：请填写播前备课内容和备课时间"]
    assert not ViewingSession.objects.exists()


def test_a_key_film_makes_a_monthly_session_key_too(cast, clock):
    with pytest.raises(ValidationError) as exc:
        record(cast, films=[cast.film, cast.key_film])
    assert _errors(exc)["preparation"] == ["重点片须先备课：请填写播前备课内容和备课时间"]


def test_it_refuses_preparation_after_the_showing(cast, clock):
    from .conftest import four_ring

    held_at = local(2026, 11, 29, 9, 0)
    with pytest.raises(ValidationError) as exc:
        record_key(
            cast,
            held_at=held_at,
            four_ring=four_ring(cast, held_at, prepared_at=local(2026, 11, 29, 9, 30)),
        )
    assert _errors(exc)["prepared_at"] == ["备课时间必须早于播放时间（播前有备课）"]


def test_it_stores_the_four_ring_record_of_a_key_film(cast, clock):
    session = record_key(cast)
    assert session.is_key and session.four_ring_complete
    assert sorted(m.name for m in session.speakers.all()) == ["张三", "李梅"]
    tasks = {t.who: t for t in PracticeTask.objects.filter(session=session)}
    assert set(tasks) == {"张三", "党员先锋岗"}
    assert tasks["党员先锋岗"].due_on == dt.date(2026, 12, 13)
    assert session.entry.body["four_ring"]["speakers"] == [
        {"member_id": cast.li.pk, "name": "李梅"},
        {"member_id": cast.zhang.pk, "name": "张三"},
    ]


def test_a_speaker_must_have_been_there(cast, clock):
    from .conftest import four_ring

    held_at = local(2026, 11, 29, 9, 0)
    with pytest.raises(ValidationError) as exc:
        record_key(
            cast,
            attendance={**cast.everyone(), cast.li.pk: (ABSENT, "")},
            four_ring=four_ring(cast, held_at),
        )
    assert _errors(exc)["speakers"] == ["李梅 没有到场，不能记为讨论发言人"]


@pytest.mark.parametrize("persona", ["other_op", "outsider", "leader", "county"])
def test_it_refuses_an_author_who_cannot_write_in_the_village(cast, clock, persona):
    with pytest.raises(PermissionDenied):
        record(cast, author=cast.world.personas[persona])
    assert not ViewingSession.objects.exists()


def test_the_station_admin_records_in_any_village_of_the_township(cast, clock):
    session = record(cast, author=cast.world.station)
    assert session.entry.author == cast.world.station


# -- client-made ids -------------------------------------------------------------------------


def test_a_replay_with_the_same_content_returns_the_stored_session(cast, clock):
    client_id = uuid.uuid4()
    first = record(cast, client_id=client_id, captured_at=local(2026, 11, 29, 9, 40))
    clock.tick(minutes=3)
    again = record(cast, client_id=str(client_id), captured_at=local(2026, 11, 29, 9, 40))
    assert again.pk == first.pk == client_id
    assert ViewingSession.objects.count() == 1
    assert LogbookEntry.objects.filter(kind=LogbookEntry.Kind.SESSION).count() == 1


def test_a_replay_arriving_the_next_day_is_still_recognised(cast, clock):
    client_id = uuid.uuid4()
    record(cast, client_id=client_id)
    clock.tick(days=1)
    assert record(cast, client_id=client_id).pk == client_id


def test_a_replay_with_different_content_is_a_conflict(cast, clock):
    client_id = uuid.uuid4()
    stored = record(cast, client_id=client_id)
    with pytest.raises(SessionConflictError) as exc:
        record(
            cast, client_id=client_id, attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")}
        )
    assert isinstance(exc.value, ConflictError)  # the logbook's 409, for the sync endpoint
    assert exc.value.session == stored
    assert str(exc.value) == "该记录已被他人修改/已存在，请刷新后核对"
    assert stored.attendances.get(member=cast.zhao).status == PRESENT


def test_two_operators_saving_the_same_session_both_land_or_the_second_conflicts(cast, clock):
    """Sequential simulation of the race: the station admin and the operator both record the
    9:00 showing. Two forms carry two client ids, so both land as distinct sessions (each its own
    entry); the same form submitted twice with different content conflicts."""
    w = cast.world
    a = record(cast, author=w.operator, client_id=uuid.uuid4())
    b = record(cast, author=w.station, client_id=uuid.uuid4())
    assert a.pk != b.pk
    assert a.entry.seq + 1 == b.entry.seq

    shared = uuid.uuid4()
    record(cast, author=w.operator, client_id=shared)
    with pytest.raises(SessionConflictError):
        record(cast, author=w.station, client_id=shared)
    assert ViewingSession.objects.count() == 3


def test_it_refuses_a_malformed_client_id(cast, clock):
    with pytest.raises(ValidationError) as exc:
        record(cast, client_id="not-a-uuid")
    assert _errors(exc)["client_id"] == ["记录编号无效"]


def test_it_takes_the_plain_values_an_offline_sync_will_send(cast, clock):
    """Decoded JSON: ids as strings, attendance as objects, times as ISO strings."""
    client_id = str(uuid.uuid4())
    session = record(
        cast,
        client_id=client_id,
        kind="key_film",
        films=[cast.key_film.pk],
        duration_minutes=100,
        captured_at=local(2026, 11, 29, 9, 50),
        attendance={
            str(m.pk): {"status": "present", "reason": ""} for m in (cast.zhang, cast.li, cast.wang)
        }
        | {str(cast.zhao.pk): {"status": "excused", "reason": "migrant"}},
        guests=[{"name": "马丽", "note": "邻村党员"}],
        four_ring={
            "preparation": "学习简介",
            "prepared_at": "2026-11-28T20:00:00+08:00",
            "prompts": "暂停提示",
            "record_notes": "认真收看",
            "discussion": "谈体会",
            "speakers": [str(cast.li.pk)],
            "practice": [{"member": str(cast.li.pk), "task": "走访两户", "due_on": "2026-12-20"}],
        },
    )
    assert str(session.pk) == client_id and session.four_ring_complete
    assert session.prepared_at == local(2026, 11, 28, 20, 0)
    assert session.practice_tasks.get().due_on == dt.date(2026, 12, 20)
    assert session.attendances.get(member=cast.zhao).excuse_reason == "migrant"


def test_it_refuses_a_malformed_four_ring_record(cast, clock):
    with pytest.raises(ValidationError) as exc:
        record_key(cast, four_ring={"preparation": "备课", "prepared_at": "昨天下午"})
    assert _errors(exc)["four_ring"] == ["四环教学记录的格式无效"]
