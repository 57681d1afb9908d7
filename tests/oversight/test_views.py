import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from dianjiao.lib import official_docx
from dianjiao.oversight import exports, selectors, services
from dianjiao.oversight.models import Bulletin, Inspection, Meeting, Rectification
from tests.logbook.conftest import append
from tests.oversight.helpers import inspect, template


def _post_data(tpl, point, statuses, scores, **extra):
    data = {"point": point.pk, "kind": "monthly", "inspected_on": "2026-11-20"}
    for item, status, score in zip(tpl.items.all(), statuses, scores, strict=True):
        data[f"item_{item.pk}_status"] = status
        data[f"item_{item.pk}_score"] = score
    return data | extra


def test_the_inspector_records_an_inspection_on_the_web(world, login):
    tpl = template(world)
    client = login(world.inspector)
    start = client.get(reverse("oversight:inspection_new"))
    assert start.status_code == 200 and "开始检查" in start.text
    url = reverse("oversight:inspection_new")
    page = client.get(
        url, {"point": world.point.pk, "kind": "monthly", "inspected_on": "2026-11-20"}
    )
    assert "来自记录" in page.text  # the viewing item, answered by the records (none held)
    viewing = tpl.items.last()
    bad = client.post(url, _post_data(tpl, world.point, ["meets", "fails", "fails"], [25, 0, 0]))
    assert bad.status_code == 200
    assert "得分不能超过该项分值20分" in bad.text
    assert not Inspection.objects.exists()
    good = client.post(url, _post_data(tpl, world.point, ["meets", "fails", "fails"], [20, 0, 0]))
    insp = Inspection.objects.get()
    assert good.status_code == 302 and good["Location"] == reverse(
        "oversight:inspection", args=[insp.pk]
    )
    assert insp.score == 20 and insp.inspector == world.inspector
    assert Rectification.objects.filter(inspection=insp).count() == 2
    assert insp.results.get(item=viewing).record_status == "fails"


def test_an_override_without_reason_is_refused_next_to_the_field(world, login):
    tpl = template(world)
    client = login(world.inspector)
    data = _post_data(tpl, world.point, ["meets", "meets", "meets"], [20, 30, 50])
    response = client.post(reverse("oversight:inspection_new"), data)
    assert "改判须写明理由" in response.text and not Inspection.objects.exists()


def test_read_only_roles_cannot_post_and_nothing_changes(world, login):
    template(world)
    data = {"period": "month", "year": 2026, "part": 11}
    for user in (world.leader, world.inspector, world.county_viewer, world.operator):
        assert login(user).post(reverse("oversight:bulletin_new"), data).status_code == 403
    assert not Bulletin.objects.exists()
    meeting = {"kind": "joint", "held_on": "2026-10-08", "place": "乡政府", "agenda": "a"}
    for user in (world.station, world.inspector, world.operator):
        assert login(user).post(reverse("oversight:meeting_new"), meeting).status_code == 403
    assert not Meeting.objects.exists()
    assert login(world.leader).post(reverse("oversight:meeting_new"), meeting).status_code == 302


def test_a_village_sees_only_issued_bulletins(world, login):
    template(world)
    draft = services.bulletin_draft(
        user=world.station, township=world.township, period="month", year=2026, part=10
    )
    issued = services.bulletin_draft(
        user=world.station, township=world.township, period="month", year=2026, part=11
    )
    issued = services.bulletin_approve(
        user=world.leader, bulletin=services.bulletin_submit(user=world.station, bulletin=issued)
    )
    page = login(world.operator).get(reverse("oversight:bulletins"))
    assert issued.title in page.text and draft.title not in page.text


def _issued(world):
    tpl = template(world)
    inspect(world, tpl, "meets", "partly", "fails")
    inspect(
        world,
        tpl,
        "meets",
        "meets",
        "meets",
        village=world.pastoral,
        point=world.pastoral_point,
        i2={"override_reason": "流动放映"},
    )
    b = services.bulletin_draft(
        user=world.station,
        township=world.township,
        period="month",
        year=2026,
        part=11,
        number="乌电教通〔2026〕11号",
        good_practice="红星村“电教夜校”",
    )
    b = services.bulletin_submit(user=world.station, bulletin=b)
    return services.bulletin_approve(user=world.leader, bulletin=b)


def test_the_bulletin_docx_reads_back_in_the_official_layout(world, login):
    b = _issued(world)
    response = login(world.operator).get(reverse("oversight:bulletin_docx", args=[b.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "乌伦古乡党员电教工作通报"
    assert doc.paragraphs[0].runs[0].font.color.rgb == official_docx.RED
    assert "乌伦古乡2026年11月党员电教工作检查情况通报" in texts
    ranking = doc.tables[0]
    assert [r.cells[1].text for r in ranking.rows[1:]] == ["阿克达拉村", "红星村"]
    unit = world.township.station_name or "乌伦古乡党员电化教育工作站"
    assert texts[-3:-1] == [unit, "2026年11月29日"]  # issuing unit and date, then the annex
    assert "2026年11月29日" in texts
    for p in doc.paragraphs:
        for run in p.runs:
            fonts = run._element.rPr.find(qn("w:rFonts"))
            assert fonts is not None and fonts.get(qn("w:eastAsia"))
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "FangSong"


def test_exports_never_turn_user_text_into_a_formula(world, login):
    tpl = template(world)
    services.inspection_record(
        user=world.inspector,
        village=world.village,
        point=world.point,
        kind="monthly",
        inspected_on=dt.date(2026, 11, 20),
        template=tpl,
        answers={
            i.pk: {"status": "meets", "score": i.max_score, "override_reason": "x"}
            for i in tpl.items.all()
        },
        observation='=HYPERLINK("http://evil","x")',
    )
    response = login(world.station).get(reverse("oversight:inspections_export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://evil","x")' in values
    assert exports.safe("-1+2") == "'-1+2" and exports.safe("\tx") == "'\tx"
    assert exports.safe("红星村") == "红星村" and exports.safe(5) == 5


def test_assessment_export_and_page(world, login):
    tpl = template(world)
    inspect(world, tpl, "meets", "partly", "fails")
    a = services.assessment_compute(user=world.station, township=world.township, year=2026)
    page = login(world.station).get(reverse("oversight:assessment", args=[a.pk]))
    assert "检查得分" in page.text and "1次检查的平均得分率" in page.text
    xlsx = login(world.station).get(reverse("oversight:assessment_export", args=[a.pk]))
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.cell(row=1, column=2).value == "党支部"
    assert ws.max_row == 3


@pytest.mark.django_db(transaction=True)
def test_a_restored_older_database_fails_against_the_bulletins_checkpoints(world, tmp_path):
    append(world)
    docx = tmp_path / "bulletin.docx"
    jsonfile = tmp_path / "checkpoints.json"

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        # After this block is rolled back the database is an older copy: the second entry and
        # the bulletin are gone, but the printed bulletin still shows the head at entry 2.
        append(world, title="设备维修")
        b = _issued(world)
        assert b.checkpoints[str(world.village.pk)]["count"] == 2
        docx.write_bytes(exports.bulletin_docx(b))
        jsonfile.write_text(json.dumps({"checkpoints": b.checkpoints}, ensure_ascii=False), "utf-8")
        call_command("verify-logbook", stdout=io.StringIO())  # passes before the rollback
        raise RolledBack
    call_command("verify-logbook", stdout=io.StringIO())  # the older copy passes on its own
    for path in (docx, jsonfile):
        with pytest.raises(CommandError) as exc:
            call_command("verify-logbook", "--checkpoints", str(path), stdout=io.StringIO())
        assert "红星村" in str(exc.value) and "阿克达拉村" not in str(exc.value)


def test_lists_run_a_fixed_number_of_queries(world, login, django_assert_num_queries):
    tpl = template(world)
    client = login(world.station)
    inspect(world, tpl, "meets", "partly", "fails")
    client.get(reverse("oversight:inspections"))
    client.get(reverse("oversight:overview"))
    counts = {}
    for name in ("oversight:inspections", "oversight:rectifications", "oversight:overview"):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        counts[name] = len(ctx)
    for day in (dt.date(2026, 11, 21), dt.date(2026, 11, 22), dt.date(2026, 10, 3)):
        inspect(world, tpl, "meets", "fails", "fails", day=day)
        inspect(
            world,
            tpl,
            "meets",
            "fails",
            "fails",
            village=world.pastoral,
            point=world.pastoral_point,
            day=day,
        )
    for name, n in counts.items():
        with django_assert_num_queries(n):
            assert client.get(reverse(name)).status_code == 200


def test_todos(world):
    today = dt.date(2026, 11, 29)
    tpl = template(world)
    station = selectors.todos_for(world.station, today)
    assert [t.village.name for t in station if "未检查" in t.text] == ["红星村", "阿克达拉村"]
    rect = inspect(
        world, tpl, "meets", "meets", "fails", day=dt.date(2026, 10, 1)
    ).rectifications.get()
    assert rect.due_on < today
    ops = selectors.todos_for(world.operator, today)
    assert any(t.overdue and "整改已逾期" in t.text for t in ops)
    assert selectors.todos_for(world.other_op, today) == []
    assert any(
        "整改已逾期" in t.text and t.overdue for t in selectors.todos_for(world.station, today)
    )
    b = services.bulletin_submit(
        user=world.station,
        bulletin=services.bulletin_draft(
            user=world.station, township=world.township, period="month", year=2026, part=11
        ),
    )
    assert [t.text for t in selectors.todos_for(world.leader, today)] == ["1份通报待审批"]
    assert b.status == "submitted"


def test_todos_run_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    template(world)
    with django_assert_max_num_queries(6):
        selectors.todos_for(world.station, dt.date(2026, 11, 29))
    with django_assert_max_num_queries(3):
        selectors.todos_for(world.operator, dt.date(2026, 11, 29))


def test_plan_progress_counts_against_the_plans_targets(world, django_assert_num_queries):
    tpl = template(world)
    inspect(world, tpl, "meets", "meets", "fails")
    services.meeting_convene(
        user=world.leader,
        township=world.township,
        kind="joint",
        held_on=dt.date(2026, 4, 8),
        place="乡政府",
        agenda="一季度",
    )
    with django_assert_num_queries(9):
        rows = selectors.plan_progress(world.county_viewer, year=2026, as_of=dt.date(2026, 11, 29))
    row = {r.township.name: r for r in rows}["乌伦古乡"]
    assert (row.points, row.checked, row.inspections) == (2, {11: 1}, 1)
    assert (row.joint_meetings, row.joint_target, row.trainings, row.training_target) == (
        1,
        4,
        0,
        1,
    )
    assert row.months_fully_checked == 0 and not row.meetings_ok


def test_a_link_naming_only_the_point_opens_its_checklist_for_today(world, login):
    template(world)
    page = login(world.station).get(reverse("oversight:inspection_new"), {"point": world.point.pk})
    assert page.status_code == 200 and "提交检查" in page.text


def test_a_point_outside_the_township_is_refused_next_to_the_field(world, login):
    template(world)
    page = login(world.inspector).get(
        reverse("oversight:inspection_new"), {"point": world.far_point.pk}
    )
    assert "提交检查" not in page.text and 'class="error"' in page.text


def test_a_monthly_check_of_a_whole_village_checks_each_of_its_points(world, login):
    """MONTHLY_COVERS: 阿克达拉村 checked as a whole in November counts its two points checked
    for the plan's "every point every month" and leaves them off the to-do of unchecked points;
    红星村's point, checked alone, counts once; another month counts nothing."""
    from tests import factories

    tpl = template(world)
    second = factories.point(world.pastoral, "夏牧场流动点")
    day = dt.date(2026, 11, 29)
    assert {p.pk for p in selectors.unchecked_points(world.station, as_of=day)} >= {
        world.pastoral_point.pk,
        second.pk,
    }
    whole = inspect(world, tpl, "meets", "meets", "fails", village=world.pastoral)
    assert whole.point_id is None
    inspect(world, tpl, "meets", "meets", "fails")  # 红星村's own point
    unchecked = {p.pk for p in selectors.unchecked_points(world.station, as_of=day)}
    assert not unchecked & {world.pastoral_point.pk, second.pk, world.point.pk}
    december = {p.pk for p in selectors.unchecked_points(world.station, as_of=dt.date(2026, 12, 1))}
    assert {world.pastoral_point.pk, second.pk, world.point.pk} <= december

    rows = selectors.plan_progress(world.county_viewer, year=2026, as_of=day)
    row = {r.township.name: r for r in rows}["乌伦古乡"]
    assert row.points == 3 and row.checked == {11: 3}
    # A superseded version does not count twice, a special inspection not at all.
    inspect(world, tpl, "meets", "meets", "fails", village=world.pastoral, kind="special")
    row = {
        r.township.name: r
        for r in selectors.plan_progress(world.county_viewer, year=2026, as_of=day)
    }["乌伦古乡"]
    assert row.checked == {11: 3} and row.months_fully_checked == 1  # November, of 11 due
