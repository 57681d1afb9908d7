"""practice_record_outcome: 学过有实践, recorded after the showing, as a logbook correction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.logbook.models import LogbookEntry
from dianjiao.teaching.services import practice_record_outcome

from .conftest import record_key


@pytest.fixture
def session(cast, clock):
    return record_key(cast)


def _tasks(session):
    return {t.who: t for t in session.practice_tasks.select_related("member")}


def test_it_records_the_outcome_and_appends_a_correction_entry(cast, clock, session):
    clock.tick(days=20)
    tasks = _tasks(session)
    practice_record_outcome(
        author=cast.world.operator,
        session=session,
        outcomes={
            tasks["张三"].pk: "已帮助马大爷、周大姐两户修好羊圈",
            tasks["党员先锋岗"].pk: "",
        },
    )
    tasks = _tasks(session)
    assert tasks["张三"].outcome == "已帮助马大爷、周大姐两户修好羊圈"
    assert tasks["张三"].outcome_recorded_at == clock.at
    assert tasks["党员先锋岗"].outcome == ""  # blank: left as it was

    correction = LogbookEntry.objects.get(corrects=session.entry)
    assert correction.reason == "记录实践成效（学过有实践）"
    assert correction.occurred_at == clock.at  # a correction is dated when it is made
    assert (
        correction.body["changes"]["practice"][str(tasks["张三"].pk)]["to"]
        == "已帮助马大爷、周大姐两户修好羊圈"
    )
    assert correction.text == "张三：已帮助马大爷、周大姐两户修好羊圈"
    # The original entry is untouched: the history stays in the book.
    assert (
        LogbookEntry.objects.get(pk=session.entry_id).body["four_ring"]["practice"][1]["outcome"]
        == ""
    )


def test_it_takes_a_reason_when_given(cast, clock, session):
    task = _tasks(session)["张三"]
    practice_record_outcome(
        author=cast.world.station,
        session=session,
        outcomes={task.pk: "完成"},
        reason="站里回访核实",
    )
    assert LogbookEntry.objects.get(corrects=session.entry).reason == "站里回访核实"


def test_it_refuses_when_nothing_new_is_recorded(cast, clock, session):
    with pytest.raises(ValidationError) as exc:
        practice_record_outcome(
            author=cast.world.operator,
            session=session,
            outcomes={t.pk: " " for t in _tasks(session).values()},
        )
    assert exc.value.messages == ["请至少填写一项新的实践成效"]
    assert not LogbookEntry.objects.filter(corrects=session.entry).exists()


def test_it_refuses_a_task_of_another_session(cast, clock, session):
    other = record_key(cast)
    with pytest.raises(ValidationError):
        practice_record_outcome(
            author=cast.world.operator, session=session, outcomes={_tasks(other)["张三"].pk: "完成"}
        )


@pytest.mark.parametrize("persona", ["other_op", "leader", "outsider"])
def test_only_writers_of_the_village_record_outcomes(cast, clock, session, persona):
    with pytest.raises(PermissionDenied):
        practice_record_outcome(
            author=cast.world.personas[persona],
            session=session,
            outcomes={_tasks(session)["张三"].pk: "完成"},
        )
