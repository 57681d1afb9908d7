import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.audit.models import AuditEvent
from dianjiao.audit.recorder import acting_as
from dianjiao.oversight import services
from dianjiao.oversight.models import (
    Assessment,
    AssessmentScore,
    Bulletin,
    Inspection,
    InspectionResult,
    Rectification,
)
from tests.infoitems.helpers import png
from tests.oversight.helpers import answers, inspect, template

# ---------------------------------------------------------------- checklists


def test_a_template_change_is_a_new_version(world):
    first = template(world)
    second = template(world, items=[{"text": "设备完好", "max_score": 100}])
    assert (first.version, second.version) == (1, 2)
    assert first.items.count() == 3 and second.items.count() == 1


def test_only_the_station_keeps_checklists(world):
    for user in (world.inspector, world.leader, world.operator, world.county_viewer):
        with pytest.raises(PermissionDenied):
            services.template_create(
                user=user, township=world.township, title="x", items=[{"text": "a", "max_score": 1}]
            )


def test_a_used_template_version_cannot_be_deleted(world):
    tpl = template(world)
    inspect(world, tpl, "meets", "meets", "fails")
    with pytest.raises(ValidationError) as exc:
        services.template_delete(user=world.station, template=tpl)
    assert "已有检查使用" in exc.value.message_dict["template"][0]
    assert tpl.items.count() == 3


def test_a_new_template_version_leaves_old_scores_untouched(world):
    tpl = template(world)
    old = inspect(world, tpl, "meets", "partly", "fails")
    assert (old.score, old.max_score) == (35, 100)
    template(world, items=[{"text": "设备完好", "max_score": 10}])
    old.refresh_from_db()
    assert (old.score, old.max_score, old.template_id) == (35, 100, tpl.pk)
    assert [r.item.max_score for r in old.results.all()] == [20, 30, 50]


# ---------------------------------------------------------------- inspections


def test_the_inspector_records_an_inspection_and_failures_open_rectifications(world):
    tpl = template(world)
    with acting_as(world.inspector):
        insp = inspect(world, tpl, "meets", "fails", "fails")
    assert insp.inspector == world.inspector and insp.current and insp.version == 1
    rects = list(Rectification.objects.filter(inspection=insp))
    assert len(rects) == 2
    assert {r.village for r in rects} == {world.village}
    assert all(r.due_on == dt.date(2026, 12, 20) for r in rects)
    assert AuditEvent.objects.filter(model="oversight.inspection", actor=world.inspector).exists()


def test_a_score_above_the_maximum_is_refused_next_to_the_item(world):
    tpl = template(world)
    first = tpl.items.first()
    with pytest.raises(ValidationError) as exc:
        inspect(world, tpl, "meets", "meets", "fails", scores=[25, 30, 0])
    assert exc.value.message_dict[f"item_{first.pk}_score"] == ["得分不能超过该项分值20分"]
    assert not Inspection.objects.exists()


def test_an_item_the_records_answer_needs_a_reason_to_be_overridden(world):
    """No viewing in November: the records say 'fails'; calling it 'meets' needs a reason."""
    tpl = template(world)
    viewing = tpl.items.last()
    with pytest.raises(ValidationError) as exc:
        inspect(world, tpl, "meets", "meets", "meets")
    assert f"item_{viewing.pk}_override_reason" in exc.value.message_dict
    insp = inspect(
        world,
        tpl,
        "meets",
        "meets",
        "meets",
        i2={"override_reason": "收看在村民家中进行，手册漏记"},
    )
    result = insp.results.get(item=viewing)
    assert result.record_status == "fails" and result.override_reason.startswith("收看")


def test_an_inspection_outside_the_inspectors_township_is_refused(world):
    tpl = template(world)
    with pytest.raises(PermissionDenied):
        inspect(world, tpl, "meets", "meets", "fails", village=world.far_village)
    assert not Inspection.objects.exists()


def test_a_point_of_another_village_is_refused_next_to_the_field(world):
    tpl = template(world)
    with pytest.raises(ValidationError) as exc:
        inspect(world, tpl, "meets", "meets", "fails", point=world.pastoral_point)
    assert "point" in exc.value.message_dict


def test_read_only_and_village_roles_cannot_inspect(world):
    tpl = template(world)
    for user in (world.leader, world.operator, world.county_viewer, world.outsider):
        with pytest.raises(PermissionDenied):
            inspect(world, tpl, "meets", "meets", "fails", user=user)


def test_the_inspector_writes_nothing_else(world):
    tpl = template(world)
    insp = inspect(world, tpl, "meets", "meets", "fails")
    rect = insp.rectifications.get()
    with pytest.raises(PermissionDenied):
        services.rectification_submit(user=world.inspector, rectification=rect, response="x")
    with pytest.raises(PermissionDenied):
        services.bulletin_draft(
            user=world.inspector, township=world.township, period="month", year=2026, part=11
        )
    with pytest.raises(PermissionDenied):
        services.meeting_convene(
            user=world.inspector,
            township=world.township,
            kind="joint",
            held_on=dt.date(2026, 11, 1),
            place="乡政府",
            agenda="a",
        )


def test_photos_are_kept_and_huge_images_refused(world, monkeypatch):
    tpl = template(world)
    insp = services.inspection_record(
        user=world.inspector,
        village=world.village,
        point=world.point,
        kind="monthly",
        inspected_on=dt.date(2026, 11, 20),
        template=tpl,
        answers=answers(tpl, "meets", "meets", "fails"),
        photos=[png()],
    )
    assert insp.photos.count() == 1
    monkeypatch.setattr("dianjiao.oversight.services.MAX_PIXELS", 50)
    with pytest.raises(ValidationError) as exc:
        services.inspection_record(
            user=world.inspector,
            village=world.village,
            kind="monthly",
            inspected_on=dt.date(2026, 11, 21),
            template=tpl,
            answers=answers(tpl, "meets", "meets", "fails"),
            photos=[png(size=(10, 10))],
        )
    assert "像素过大" in exc.value.message_dict["photos"][0]
    assert Inspection.objects.count() == 1


def test_a_submitted_inspection_is_corrected_by_a_new_version(world):
    tpl = template(world)
    old = inspect(world, tpl, "meets", "partly", "fails")
    with pytest.raises(ValidationError) as exc:
        services.inspection_correct(
            user=world.inspector, inspection=old, reason="", answers=answers(tpl, *["meets"] * 3)
        )
    assert "reason" in exc.value.message_dict
    new = services.inspection_correct(
        user=world.inspector,
        inspection=old,
        reason="手册当天已填写，误判",
        answers=answers(tpl, "meets", "meets", "fails"),
    )
    old.refresh_from_db()
    assert not old.current and old.score == 35
    assert new.current and new.version == 2 and new.corrects == old and new.score == 50
    with pytest.raises(ValidationError):
        services.inspection_correct(
            user=world.inspector, inspection=old, reason="再改", answers=answers(tpl, *["na"] * 3)
        )


def test_not_applicable_items_leave_the_maximum(world):
    tpl = template(world)
    insp = inspect(world, tpl, "meets", "na", "fails")
    assert (insp.score, insp.max_score) == (20, 70)
    assert insp.results.get(status=InspectionResult.Status.NA).score == 0


# ---------------------------------------------------------------- rectifications


def test_a_rectification_is_followed_to_its_fix(world):
    tpl = template(world)
    rect = inspect(world, tpl, "meets", "meets", "fails").rectifications.get()
    with pytest.raises(ValidationError) as exc:
        services.rectification_submit(user=world.operator, rectification=rect, response="  ")
    assert "证据" in exc.value.message_dict["response"][0]
    with pytest.raises(PermissionDenied):
        services.rectification_submit(user=world.other_op, rectification=rect, response="x")
    rect = services.rectification_submit(
        user=world.operator, rectification=rect, response="已补放", photo=png()
    )
    assert rect.status == "submitted" and rect.evidence_photo
    rect = services.rectification_return(user=world.station, rectification=rect, reason="照片不清")
    assert rect.status == "returned"
    rect = services.rectification_submit(user=world.operator, rectification=rect, response="重拍")
    with pytest.raises(PermissionDenied):
        services.rectification_accept(user=world.leader, rectification=rect)
    rect = services.rectification_accept(user=world.station, rectification=rect)
    assert rect.status == "accepted" and rect.decided_by == world.station


def test_overdue_is_judged_by_the_due_day(world):
    tpl = template(world)
    rect = inspect(world, tpl, "meets", "meets", "fails").rectifications.get()
    assert not rect.overdue_on(rect.due_on)
    assert rect.overdue_on(rect.due_on + dt.timedelta(days=1))


# ---------------------------------------------------------------- bulletins


def _bulletin(world):
    tpl = template(world)
    inspect(world, tpl, "meets", "partly", "fails")  # 35
    inspect(
        world,
        tpl,
        "meets",
        "meets",
        "meets",
        village=world.pastoral,
        point=world.pastoral_point,
        i2={"override_reason": "流动放映"},
    )  # 100
    return services.bulletin_draft(
        user=world.station, township=world.township, period="month", year=2026, part=11
    )


def test_a_bulletin_ranks_villages_and_lists_the_rectifications_due(world):
    b = _bulletin(world)
    assert b.title == "乌伦古乡2026年11月党员电教工作检查情况通报"
    assert [(r["name"], r["score"]) for r in b.ranking] == [("阿克达拉村", 100.0), ("红星村", 35.0)]
    assert [d["village"] for d in b.rectifications_due] == ["红星村"]


def test_the_leader_approves_a_bulletin_and_it_is_issued_with_checkpoints(world):
    b = _bulletin(world)
    with pytest.raises(ValidationError):
        services.bulletin_approve(user=world.leader, bulletin=b)  # not submitted yet
    b = services.bulletin_submit(user=world.station, bulletin=b)
    with pytest.raises(PermissionDenied):
        services.bulletin_approve(user=world.station, bulletin=b)
    with pytest.raises(PermissionDenied):
        services.bulletin_approve(user=world.inspector, bulletin=b)
    b = services.bulletin_approve(user=world.leader, bulletin=b)
    assert b.status == Bulletin.Status.ISSUED and b.approved_by == world.leader and b.issued_at
    assert {c["name"] for c in b.checkpoints.values()} == {"红星村", "阿克达拉村"}
    with pytest.raises(ValidationError):
        services.bulletin_update(user=world.station, bulletin=b, title="改")


def test_the_leader_returns_a_bulletin_with_a_reason(world):
    b = services.bulletin_submit(user=world.station, bulletin=_bulletin(world))
    with pytest.raises(ValidationError) as exc:
        services.bulletin_return(user=world.leader, bulletin=b, reason="")
    assert "reason" in exc.value.message_dict
    b = services.bulletin_return(user=world.leader, bulletin=b, reason="请补充好的做法")
    assert b.status == "returned"
    b = services.bulletin_update(user=world.station, bulletin=b, good_practice="红星村夜校")
    assert b.status == "draft"


def test_nobody_approves_their_own_draft(world, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", password="x")
    b = services.bulletin_draft(
        user=boss, township=world.township, period="year", year=2026, part=0
    )
    b = services.bulletin_submit(user=boss, bulletin=b)
    with pytest.raises(ValidationError) as exc:
        services.bulletin_approve(user=boss, bulletin=b)
    assert exc.value.message_dict["status"] == ["不能审批自己起草的通报"]
    b.refresh_from_db()
    assert b.status == "submitted"


# ---------------------------------------------------------------- assessment


def test_weighted_score_by_hand():
    rates = {
        "inspections": (80.0, ""),
        "viewing": (50.0, ""),
        "coverage": (None, ""),
        "four_ring": (100.0, ""),
    }
    weights = {"inspections": 50, "viewing": 30, "coverage": 10, "four_ring": 20}
    score, parts = services.weighted_score(rates, weights)
    # (80*50 + 50*30 + 100*20) / (50+30+20) = 75.0; coverage has nothing to judge.
    assert score == Decimal("75.0")
    assert parts["inspections"]["points"] == 40.0 and parts["coverage"]["points"] == 0.0


def test_a_branchs_assessment_from_a_hand_made_fixture(world):
    tpl = template(world)
    inspect(world, tpl, "meets", "partly", "fails")  # 35 %
    inspect(world, tpl, "meets", "meets", "fails", day=dt.date(2026, 10, 20))  # 50 %
    a = services.assessment_compute(
        user=world.station,
        township=world.township,
        year=2026,
        weights={"inspections": 60, "viewing": 40},
        as_of=dt.date(2026, 11, 29),
    )
    red = a.scores.get(village=world.village)
    # No viewing recorded in the ten ended months: 0 %; inspections average 42.5 %.
    assert red.components["viewing"]["rate"] == 0.0
    assert red.components["inspections"]["rate"] == 42.5
    assert red.score == Decimal("25.5")  # 42.5 * 60 / 100
    assert a.scores.get(village=world.pastoral).score == Decimal("0.0")
    assert red.rank == 1 and red.candidate


def test_a_published_year_changes_only_by_amendment(world):
    tpl = template(world)
    inspect(world, tpl, "meets", "partly", "fails")
    a = services.assessment_compute(user=world.station, township=world.township, year=2026)
    with pytest.raises(PermissionDenied):
        services.assessment_publish(user=world.station, assessment=a)
    a = services.assessment_publish(user=world.leader, assessment=a)
    with pytest.raises(ValidationError):
        services.assessment_compute(user=world.station, township=world.township, year=2026)
    score = a.scores.get(village=world.village)
    original = score.score
    with pytest.raises(ValidationError) as exc:
        services.assessment_amend(user=world.station, score=score, new_score=90, reason="")
    assert "reason" in exc.value.message_dict
    amend = services.assessment_amend(
        user=world.station, score=score, new_score=90, reason="年查复核加分"
    )
    score.refresh_from_db()
    assert score.score == original and amend.old_score == original
    assert amend.new_score == Decimal("90.0")
    assert Assessment.objects.get().status == "published"
    assert AssessmentScore.objects.count() == 2


# ---------------------------------------------------------------- meetings, trainings, demos


def test_the_leader_convenes_a_meeting_with_attendance_and_actions(world):
    with pytest.raises(PermissionDenied):
        services.meeting_convene(
            user=world.station,
            township=world.township,
            kind="joint",
            held_on=dt.date(2026, 10, 8),
            place="乡政府",
            agenda="三季度工作",
        )
    m = services.meeting_convene(
        user=world.leader,
        township=world.township,
        kind="joint",
        held_on=dt.date(2026, 10, 8),
        place="乡政府会议室",
        agenda="三季度工作",
    )
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            user=world.leader,
            meeting=m,
            minutes="纪要",
            attendance=[{"village": world.pastoral, "name": "努尔兰", "present": False}],
        )
    assert "缺席须写明原因" in exc.value.message_dict["attendance"][0]
    services.meeting_record(
        user=world.leader,
        meeting=m,
        minutes="纪要",
        attendance=[
            {"village": world.village, "name": "刘电教"},
            {
                "village": world.pastoral,
                "name": "努尔兰",
                "present": False,
                "absence_reason": "转场",
            },
        ],
        actions=[{"text": "更换投影仪", "village": world.village, "due_on": dt.date(2026, 11, 30)}],
    )
    action = m.actions.get()
    with pytest.raises(PermissionDenied):
        services.action_close(user=world.other_op, action=action, note="done")
    action = services.action_close(user=world.operator, action=action, note="已更换")
    assert action.closed_by == world.operator


def test_the_station_records_a_training(world):
    t = services.training_record(
        user=world.station,
        township=world.township,
        kind="theory",
        title="电教业务培训",
        starts_on=dt.date(2026, 5, 10),
        ends_on=dt.date(2026, 5, 11),
        hours=Decimal("12"),
        trainers="县电教中心",
        attendees=[{"village": world.village, "name": "刘电教"}],
    )
    assert t.attendance.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.training_record(
            user=world.station,
            township=world.township,
            kind="field",
            title="x",
            starts_on=dt.date(2026, 5, 10),
            ends_on=dt.date(2026, 5, 9),
            hours=Decimal("4"),
            trainers="y",
        )
    assert "ends_on" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.training_record(
            user=world.leader,
            township=world.township,
            kind="field",
            title="x",
            starts_on=dt.date(2026, 5, 10),
            ends_on=dt.date(2026, 5, 10),
            hours=Decimal("4"),
            trainers="y",
        )


def test_a_demonstration_unit_is_named_only_with_evidence(world):
    u = services.demo_unit_save(
        user=world.station, village=world.village, kind="village", year=2026, sponsor="县农业局"
    )
    with pytest.raises(ValidationError) as exc:
        services.demo_unit_name(user=world.station, unit=u, named_on=dt.date(2026, 12, 20))
    assert "示范成效" in exc.value.message_dict["named_on"][0]
    u = services.demo_unit_save(user=world.station, unit=u, evidence="大棚蔬菜增收")
    u = services.demo_unit_name(user=world.station, unit=u, named_on=dt.date(2026, 12, 20))
    assert u.status == "named"
    with pytest.raises(ValidationError):
        services.demo_unit_save(user=world.station, unit=u, sponsor="改")
    with pytest.raises(ValidationError) as exc:
        services.demo_unit_save(
            user=world.station, village=world.village, kind="household", year=2026
        )
    assert "household" in exc.value.message_dict


def test_a_bulletin_draft_picks_good_practice_from_adopted_information_items(world, clock):
    from dianjiao.infoitems import services as info
    from tests.infoitems.helpers import send

    item = send(world, title="红星村开办“电教夜校”")
    info.item_adopt(item=item, user=world.station)
    send(world, title="尚未采用的信息")
    b = services.bulletin_draft(
        user=world.station, township=world.township, period="month", year=2026, part=11
    )
    assert b.good_practice == "红星村：红星村开办“电教夜校”"
