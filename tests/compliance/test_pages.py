"""The /plan/ pages: dashboard with SVG charts, exports read back, plan and work-plan forms."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from dianjiao.plans.models import AnnualPlan, VillageWorkPlan
from tests.compliance.test_compliance import year  # noqa: F401  (the hand-counted year)

URL = reverse("planning:dashboard")


def sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return [
        list(r)
        for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]


def test_the_station_sees_the_matrix_with_drill_down_and_inline_svg(year, world, login):  # noqa: F811
    r = login(world.station).get(URL, {"year": 2026})
    html = r.content.decode()
    assert r.status_code == 200
    assert "<svg" in html and "<rect" in html and "style=" not in html
    assert f"{reverse('teaching:list')}?village={world.village.pk}&amp;month=2026-10" in html
    assert f"{reverse('infoitems:list')}?village={world.village.pk}&amp;month=2026-10" in html
    assert f"{reverse('teaching:feedback')}?village={world.village.pk}&amp;month=2026-10" in html
    assert "分母是应到党员" in html
    assert "2026年年度计划尚未制定" in html  # the station's to-do


def test_the_exports_read_back(year, world, login):  # noqa: F811
    client = login(world.station)
    rows = sheet(client.get(reverse("planning:export"), {"year": 2026, "table": "matrix"}))
    assert rows[0][:3] == ["村", "月份", "收看场次"]
    # a month is a date, coverage a fraction shown as a percent (issue 10, part 8)
    october = next(row for row in rows if row[0] == "红星村" and row[1] == dt.datetime(2026, 10, 1))
    assert october[2] == 2 and october[-3:] == [4, 3, 0.75]
    cov = sheet(client.get(reverse("planning:export"), {"year": 2026, "table": "coverage"}))
    assert cov[1][:8] == ["红星村", 10, 2, 1, 1, 8, 7, 0.875]
    assert cov[2][0] == "阿克达拉村" and cov[2][-1] == "未报送"
    towns = sheet(
        login(world.county_viewer).get(
            reverse("planning:export"), {"year": 2026, "table": "townships"}
        )
    )
    assert [t[0] for t in towns[1:]] == ["乌伦古乡", "齐干吉迭乡"]
    assert client.get(reverse("planning:export"), {"table": "nope"}).status_code == 404
    reports = sheet(client.get(reverse("planning:export"), {"year": 2026, "table": "reports"}))
    assert reports[0] == ["村", "第1季度", "第2季度", "第3季度", "第4季度"]
    assert reports[1] == ["红星村", "逾期未报", "逾期未报", "逾期未报", "未到期"]


def _crowd(world, n):
    """n more villages with a member, a report and an information item each."""
    import datetime as dt

    from dianjiao.reports.models import QuarterlyReport
    from tests import factories
    from tests.infoitems.helpers import send
    from tests.teaching.conftest import NOW, local

    for i in range(n):
        v = factories.village(f"新村{i:02d}", world.township, sort_order=10 + i)
        factories.member(
            v,
            f"党员{i:02d}",
            factories.point(v, "电教室"),
            birth=dt.date(1970, 1, 1) + dt.timedelta(days=i),
        )
        QuarterlyReport.objects.create(
            village=v,
            year=2026,
            quarter=1,
            author=world.station,
            created_at=NOW,
            status="submitted",
        )
        send(world, user=world.station, village=v, at=local(2026, 10, 1 + i, 15))


def test_the_dashboard_and_the_home_page_run_a_fixed_number_of_queries(
    year,  # noqa: F811
    world,
    login,
    django_assert_num_queries,
):
    client = login(world.station)
    # The station's dashboard: session and user, compliance (10), the plan's progress (9), the
    # to-dos of compliance (8) and oversight (4), the page frame's scope (2); the home page:
    # coverage counts and announcements instead of compliance and progress, and the reminders
    # last received (see tests/web).
    counts = {URL: 2 + 10 + 9 + 8 + 4 + 2, reverse("web:home"): 2 + 2 + 8 + 4 + 2 + 1}
    for url in (URL, reverse("web:home")):
        client.get(url)  # warm the session and the caches
        with django_assert_num_queries(counts[url]):
            assert client.get(url).status_code == 200
    _crowd(world, 6)
    for url in (URL, reverse("web:home")):
        with django_assert_num_queries(counts[url]):
            html = client.get(url).content.decode()
        assert "新村05" in html


def test_the_to_do_list_leads_the_home_page(year, world, login):  # noqa: F811
    html = login(world.operator).get(reverse("web:home")).content.decode()
    assert "待办事项" in html and "2026年第1季度报告尚未上报" in html
    assert (
        f"{reverse('reports:list')}?year=2026&amp;quarter=1&amp;village={world.village.pk}" in html
    )


def test_the_county_sees_townships_side_by_side(year, world, login):  # noqa: F811
    html = login(world.county_viewer).get(URL, {"year": 2026}).content.decode()
    assert "各乡镇达标情况" in html and "乌伦古乡" in html and "齐干吉迭乡" in html
    assert "2/20" in html


def test_the_station_sets_the_plan_and_errors_show_next_to_fields(world, login):
    client = login(world.station)
    url = reverse("planning:plan_edit", args=[2026])
    data = {
        "viewings_per_member": 0,
        "info_items_per_village_month": 1,
        "quarterly_report_due_days": 10,
        "joint_meetings": 4,
        "summary_meetings": 2,
        "trainings": 1,
        "pastoral_hours": 20,
    }
    r = client.post(url, data)
    assert r.status_code == 200 and not AnnualPlan.objects.exists()
    assert "不得少于30学时" in r.content.decode()
    r = client.post(url, {**data, "viewings_per_member": 10, "pastoral_hours": 40})
    assert r.status_code == 302
    assert AnnualPlan.objects.get(township=world.township, year=2026).viewings_per_member == 10
    assert "10" in client.get(URL, {"year": 2026}).content.decode()


def test_villages_submit_work_plans_and_see_versions(world, login):
    client = login(world.operator)
    r = client.post(
        reverse("planning:workplan_submit") + "?year=2026",
        {"text": "全年每月组织一次集中收看，重点片按四环节教学。"},
    )
    assert r.status_code == 302
    client.post(
        reverse("planning:workplan_submit") + "?year=2026",
        {"text": "第二稿：全年每月组织一次集中收看，冬季增加技术片。"},
    )
    assert list(VillageWorkPlan.objects.values_list("village__name", "version")) == [
        ("红星村", 2),
        ("红星村", 1),
    ]
    html = login(world.station).get(reverse("planning:workplans"), {"year": 2026}).content.decode()
    assert "第2版" in html and "第1版" in html and "未报送" in html  # 阿克达拉村 has none
    r = login(world.station).post(
        reverse("planning:workplan_submit") + "?year=2026",
        {"village": world.pastoral.pk, "text": "牧区夏季流动播放，冬季集中收看。"},
    )
    assert (
        r.status_code == 302 and VillageWorkPlan.objects.filter(village=world.pastoral).count() == 1
    )
    rows = sheet(
        login(world.station).get(reverse("planning:export"), {"year": 2026, "table": "workplans"})
    )
    assert rows[0] == ["村", "最新版本", "报送人", "报送时间", "工作计划"]
    assert [r[:3] for r in rows[1:]] == [["红星村", 2, "刘电教"], ["阿克达拉村", 1, "王站长"]]
    assert rows[1][4].startswith("第二稿")


def test_the_party_committee_reads_the_dashboard_without_changing_anything(year, world, login):  # noqa: F811
    client = login(world.leader)
    html = client.get(URL, {"year": 2026}).content.decode()
    assert "逐月达标情况" in html and "红星村" in html
    assert reverse("planning:plan_edit", args=[2026]) not in html
    assert client.get(reverse("planning:plan_edit", args=[2026])).status_code == 403
