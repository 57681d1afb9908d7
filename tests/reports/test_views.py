"""The quarterly-report pages (R11), told through the World personas on 29 November 2026."""

import io

import openpyxl
import pytest
from django.urls import reverse
from docx import Document

from dianjiao.films.models import FilmRequest
from dianjiao.plans.models import AnnualPlan
from dianjiao.reports import services
from dianjiao.reports.models import QuarterlyReport, ReportVersion
from tests.teaching.conftest import NOW, local, record

pytestmark = pytest.mark.django_db


def _report(world, *, village=None, author=None, year=2026, quarter=3, **kw):
    kw.setdefault("narrative", "本季度按计划播放。")
    return services.report_create(
        village=village or world.village,
        author=author or world.operator,
        year=year,
        quarter=quarter,
        **kw,
    )


def _form(lines=(), **kw):
    """The create/edit form's POST data; `lines` are (film_pk, wanted_on) pairs, the rest blank."""
    data = {
        "year": 2026,
        "quarter": 3,
        "narrative": "七月组织收看一次。",
        "plan": "十二月播放《榜样8》。",
        "lines-TOTAL_FORMS": 3,
        "lines-INITIAL_FORMS": 0,
        "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 20,
    }
    for i, (film, wanted_on) in enumerate(lines):
        data[f"lines-{i}-film"], data[f"lines-{i}-wanted_on"] = film, wanted_on
    data.update(kw)
    return data


def _july_session(cast, clock):
    clock.at = local(2026, 7, 10, 10, 0)
    record(cast, held_at=local(2026, 7, 10, 9, 0))
    clock.at = NOW


# --- scope -------------------------------------------------------------------------------


def test_it_lists_only_the_reports_the_user_sees(world, login, clock):
    mine = _report(world)
    theirs = _report(world, village=world.pastoral, author=world.other_op)
    page = login(world.operator).get(reverse("reports:list"))
    assert [r.pk for r in page.context["page_obj"]] == [mine.pk]
    html = page.content.decode()
    assert 'name="village"' not in html  # one village: no village filter
    assert page.context["panel"] is None  # a village sees no other villages' lateness
    page = login(world.station).get(reverse("reports:list"))
    assert {r.pk for r in page.context["page_obj"]} == {mine.pk, theirs.pk}
    assert 'name="village"' in page.content.decode()
    assert not login(world.outsider).get(reverse("reports:list")).context["page_obj"].object_list


def test_it_hides_a_report_from_another_village_and_township(world, login, clock):
    report = services.report_submit(_report(world), user=world.operator)
    for persona in (world.other_op, world.outsider):
        client = login(persona)
        for name in (
            "reports:detail",
            "reports:edit",
            "reports:submit",
            "reports:approve",
            "reports:return",
            "reports:docx",
            "reports:xlsx",
        ):
            assert client.get(reverse(name, args=[report.pk])).status_code == 404, (persona, name)
        assert client.post(reverse("reports:approve", args=[report.pk])).status_code == 404


def test_it_refuses_read_only_roles_every_write(world, login, clock, cast):
    draft = _report(world, quarter=2)
    sent = services.report_submit(_report(world), user=world.operator)
    for persona in (world.leader, world.inspector, world.county_viewer):
        client = login(persona)
        assert client.get(reverse("reports:create")).status_code == 403
        assert client.post(reverse("reports:create"), _form(quarter=1)).status_code == 403
        assert client.post(reverse("reports:edit", args=[draft.pk]), _form()).status_code == 403
        assert client.post(reverse("reports:submit", args=[draft.pk])).status_code == 403
        assert client.post(reverse("reports:approve", args=[sent.pk])).status_code == 403
        assert (
            client.post(reverse("reports:return", args=[sent.pk]), {"reason": "x"}).status_code
            == 403
        )
        assert client.get(reverse("reports:detail", args=[sent.pk])).status_code == 200
    assert QuarterlyReport.objects.count() == 2
    draft.refresh_from_db()
    sent.refresh_from_db()
    assert (
        draft.status == "draft"
        and draft.narrative == "本季度按计划播放。"
        and sent.status == "submitted"
    )


def test_it_lets_only_the_station_decide(world, login, clock):
    report = services.report_submit(_report(world), user=world.operator)
    client = login(world.operator)
    assert client.post(reverse("reports:approve", args=[report.pk])).status_code == 403
    assert (
        client.post(reverse("reports:return", args=[report.pk]), {"reason": "x"}).status_code == 403
    )
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:approve", args=[report.pk]) not in page
    page = login(world.station).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:approve", args=[report.pk]) in page
    report.refresh_from_db()
    assert report.status == "submitted"


# --- list, filters, export ---------------------------------------------------------------------


def test_it_filters_the_list(world, login, clock):
    q3 = services.report_submit(_report(world), user=world.operator)
    q2 = _report(world, quarter=2)
    old = _report(world, year=2025, quarter=4)
    pastoral = _report(world, village=world.pastoral, author=world.other_op)
    client = login(world.station)

    def pks(**params):
        return {r.pk for r in client.get(reverse("reports:list"), params).context["page_obj"]}

    assert pks() == {q3.pk, q2.pk, old.pk, pastoral.pk}
    assert pks(year=2025) == {old.pk}
    assert pks(year=2026, quarter=3) == {q3.pk, pastoral.pk}
    assert pks(status="submitted") == {q3.pk}
    assert pks(village=world.pastoral.pk) == {pastoral.pk}
    assert pks(year=2026, quarter=2, village=world.village.pk) == {q2.pk}


def test_it_exports_the_filtered_list(world, login, clock, cast):
    _july_session(cast, clock)
    report = services.report_submit(_report(world), user=world.operator)
    services.report_return(report, user=world.station, reason="缺少八月情况")
    _report(world, year=2025, quarter=4)
    response = login(world.station).get(reverse("reports:export"), {"year": 2026})
    assert response.status_code == 200
    assert (
        "filename*=UTF-8''" in response["Content-Disposition"]
        and ".xlsx" in response["Content-Disposition"]
    )
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert rows[0][:5] == ("序号", "村", "年度", "季度", "状态")
    assert len(rows) == 2  # the 2025 report is filtered out
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (
        row["村"] == "红星村"
        and row["年度"] == 2026
        and row["季度"] == 3
        and row["状态"] == "已退回"
    )
    assert (
        row["版本数"] == 1
        and row["播放收看场次"] == 1
        and row["应到人次"] == 4
        and row["退回理由"] == "缺少八月情况"
    )


# --- create and its errors ------------------------------------------------------------------


def test_it_prefills_the_figures_and_creates_a_draft(world, login, clock, cast):
    _july_session(cast, clock)
    client = login(world.operator)
    page = client.get(reverse("reports:create"))
    assert page.status_code == 200
    assert (
        page.context["form"].initial["year"] == 2026
        and page.context["form"].initial["quarter"] == 3
    )
    figures = dict(page.context["figures"])
    assert (
        figures["播放收看场次"] == "1" and figures["应到人次"] == "4" and figures["实到人次"] == "4"
    )
    assert figures["到课率（实到/应到）"] == "100.0%" and figures["未播放月份"] == "8月、9月"
    assert "农村实用技术：冬季舍饲养羊" in page.content.decode()
    # Another quarter chosen: its own (empty) figures.
    assert (
        dict(
            client.get(reverse("reports:create"), {"year": 2026, "quarter": 2}).context["figures"]
        )["播放收看场次"]
        == "0"
    )

    response = client.post(
        reverse("reports:create"), _form(lines=[(cast.key_film.pk, "2026-12-20")])
    )
    report = QuarterlyReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:detail", args=[report.pk]
    )
    assert (
        report.village == world.village
        and report.status == "draft"
        and report.author == world.operator
    )
    assert report.figures["sessions"] == 1 and report.film_lines == [
        {"film": cast.key_film.pk, "wanted_on": "2026-12-20"}
    ]
    page = client.get(response["Location"]).content.decode()
    assert "《榜样8》" in page and "七月组织收看一次。" in page and "100.0%" in page


def test_the_station_writes_for_a_village_it_chooses(world, login, clock, cast):
    client = login(world.station)
    page = client.get(reverse("reports:create"))
    assert page.context["figures"] is None  # no village chosen yet
    assert list(page.context["form"].fields["village"].queryset) == [world.village, world.pastoral]
    page = client.get(
        reverse("reports:create"), {"village": world.pastoral.pk, "year": 2026, "quarter": 3}
    )
    assert page.context["figures"] is not None
    client.post(reverse("reports:create"), _form(village=world.pastoral.pk))
    assert QuarterlyReport.objects.get().village == world.pastoral
    # A village of another township is not a choice.
    response = client.post(
        reverse("reports:create"), _form(village=world.far_village.pk, quarter=2)
    )
    assert response.context["form"].errors["village"] and QuarterlyReport.objects.count() == 1


def test_it_shows_a_quarter_not_ended_next_to_the_field(world, login, clock):
    response = login(world.operator).post(
        reverse("reports:create"), _form(quarter=4, other_quarter="on")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["quarter"] == ["该季度尚未结束，不能填报季度报告"]
    assert "该季度尚未结束，不能填报季度报告" in response.content.decode()
    assert not QuarterlyReport.objects.exists()


def test_it_shows_a_duplicate_next_to_the_field(world, login, clock):
    first = _report(world)
    response = login(world.operator).post(
        reverse("reports:create"), _form(narrative="另一份", other_quarter="on")
    )
    assert response.context["form"].errors["quarter"] == [
        "本村该季度的报告已存在，请修改后重新上报"
    ]
    assert "本村该季度的报告已存在" in response.content.decode()
    assert QuarterlyReport.objects.get() == first and first.narrative == "本季度按计划播放。"


def test_it_shows_a_bad_film_next_to_the_line(world, login, clock, cast):
    client = login(world.operator)
    response = client.post(
        reverse("reports:create"), _form(lines=[(cast.far_film.pk, "2026-12-20")])
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["film"]
    response = client.post(
        reverse("reports:create"),
        _form(lines=[(cast.film.pk, "2026-12-20"), (cast.film.pk, "2026-12-21")]),
    )
    assert "同一部电教片选了两次" in response.content.decode()
    response = client.post(reverse("reports:create"), _form(lines=[(cast.film.pk, "")]))
    assert response.context["formset"].forms[0].errors["wanted_on"] == ["请填写计划放映日期"]
    assert not QuarterlyReport.objects.exists()


def test_it_shows_a_film_the_service_refuses_under_the_lines(
    world, login, clock, cast, monkeypatch
):
    from django.core.exceptions import ValidationError

    def refuse(village, lines):
        raise ValidationError({"film_lines": "所选电教片不存在"})

    monkeypatch.setattr("dianjiao.reports.services._parse_lines", refuse)
    response = login(world.operator).post(
        reverse("reports:create"), _form(lines=[(cast.film.pk, "2026-12-20")])
    )
    assert response.context["line_errors"] == ["所选电教片不存在"]
    assert "所选电教片不存在" in response.content.decode()
    assert not QuarterlyReport.objects.exists()


# --- the whole flow --------------------------------------------------------------------------


def test_it_walks_a_report_through_return_resubmit_and_approval(world, login, clock, cast):
    op = login(world.operator)
    op.post(reverse("reports:create"), _form(lines=[(cast.key_film.pk, "2026-12-20")]))
    report = QuarterlyReport.objects.get()
    assert (
        "上报" in op.get(reverse("reports:submit", args=[report.pk])).content.decode()
    )  # the confirm page
    op.post(reverse("reports:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "submitted" and report.versions.count() == 1
    # Submitted: no more editing, and no second submission.
    response = op.post(reverse("reports:edit", args=[report.pk]), _form(narrative="偷偷改"))
    assert response.status_code == 302
    op.post(reverse("reports:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.narrative == "七月组织收看一次。" and report.versions.count() == 1

    st = login(world.station)
    response = st.post(reverse("reports:return", args=[report.pk]), {"reason": "  "})
    assert response.context["form"].errors["reason"] == ["退回时必须填写理由"]
    report.refresh_from_db()
    assert report.status == "submitted"
    st.post(reverse("reports:return", args=[report.pk]), {"reason": "缺少八月、九月未播放的原因"})
    report.refresh_from_db()
    assert report.status == "returned"

    op = login(world.operator)
    page = op.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert (
        "缺少八月、九月未播放的原因" in page and reverse("reports:edit", args=[report.pk]) in page
    )
    page = op.get(reverse("reports:edit", args=[report.pk]))
    assert page.context["form"].initial["narrative"] == "七月组织收看一次。"
    assert page.context["formset"].forms[0].initial["film"] == cast.key_film.pk
    op.post(
        reverse("reports:edit", args=[report.pk]),
        _form(
            narrative="补充：八月、九月牧民转场，未组织播放。",
            lines=[(cast.key_film.pk, "2026-12-20"), (cast.film.pk, "2027-01-10")],
        ),
    )
    op.post(reverse("reports:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "submitted" and report.return_reason == ""
    page = op.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert (
        "审核时间" not in page
    )  # the earlier return's time is in the versions, not the report's facts

    st = login(world.station)
    assert st.get(reverse("reports:approve", args=[report.pk])).status_code == 200
    st.post(reverse("reports:approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "approved"
    versions = list(ReportVersion.objects.filter(report=report).order_by("number"))
    assert [(v.number, v.outcome, v.reason) for v in versions] == [
        (1, "returned", "缺少八月、九月未播放的原因"),
        (2, "approved", ""),
    ]
    assert versions[0].narrative == "七月组织收看一次。" and versions[1].narrative.startswith(
        "补充"
    )
    request = FilmRequest.objects.get(village=world.village)
    assert "2026年第3季度" in request.source
    assert sorted((line.film.title, str(line.wanted_on)) for line in request.lines.all()) == [
        ("农村实用技术：冬季舍饲养羊", "2027-01-10"),
        ("榜样8", "2026-12-20"),
    ]
    page = st.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert (
        "七月组织收看一次。" in page
        and "补充：八月、九月牧民转场" in page
        and "第 1 版" in page
        and "第 2 版" in page
    )
    assert reverse("reports:approve", args=[report.pk]) not in page  # decided: no more buttons


def test_it_sends_a_decided_report_back_to_its_page(world, login, clock):
    report = services.report_approve(
        services.report_submit(_report(world), user=world.operator), user=world.station
    )
    client = login(world.station)
    for name in ("reports:approve", "reports:return", "reports:edit", "reports:submit"):
        response = client.get(reverse(name, args=[report.pk]))
        assert response.status_code == 302 and response["Location"] == reverse(
            "reports:detail", args=[report.pk]
        ), name
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "只有已上报的报告可以审核" in page


# --- downloads -----------------------------------------------------------------------------


def test_it_downloads_the_report_as_docx_and_xlsx(world, login, clock, cast):
    _july_session(cast, clock)
    report = services.report_submit(_report(world), user=world.operator)
    client = login(world.leader)
    response = client.get(reverse("reports:docx", args=[report.pk]))
    assert response.status_code == 200
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = response["Content-Disposition"]
    assert f'filename="quarterly-report-2026-Q3-{report.pk}.docx"' in disposition
    assert "filename*=UTF-8''%E7%BA%A2%E6%98%9F%E6%9D%91" in disposition  # 红星村…
    doc = Document(io.BytesIO(response.content))
    assert "红星村2026年第3季度党员电化教育工作报告" in [p.text for p in doc.paragraphs]
    assert "本季度按计划播放。" in [p.text for p in doc.paragraphs]
    assert "应到人次" in [c.text for row in doc.tables[0].rows for c in row.cells]
    response = client.get(reverse("reports:xlsx", args=[report.pk]))
    rows = {
        r[0]: r[1]
        for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    }
    # figures as numbers, the rate as a fraction shown as a percent (issue 10, part 8)
    assert rows["播放收看场次"] == 1 and rows["到课率（实到/应到）"] == 1.0


# --- who has not submitted ---------------------------------------------------------------------


def _panel(client, **params):
    panel = client.get(reverse("reports:list"), params).context["panel"]
    return {m.village.name: m for m in panel["rows"]}, panel


def test_it_lists_the_villages_that_have_not_submitted_with_their_due_dates(world, login, clock):
    import datetime as dt

    client = login(world.station)
    rows, panel = _panel(client)
    assert (panel["year"], panel["quarter"]) == (
        2026,
        3,
    )  # the last ended quarter on 29 November 2026
    # No plan for 2026: 10 days after 30 September.
    assert set(rows) == {"红星村", "阿克达拉村"}
    assert rows["红星村"].due == dt.date(2026, 10, 10) and rows["红星村"].overdue
    html = client.get(reverse("reports:list")).content.decode()
    assert "逾期未报" in html
    assert (
        f"{reverse('reports:create')}?village={world.pastoral.pk}&amp;year=2026&amp;quarter=3"
        in html
    )

    draft = _report(world)
    rows, _ = _panel(client)
    assert rows["红星村"].report == draft  # a draft is not submitted
    services.report_submit(draft, user=world.operator)
    rows, _ = _panel(client)
    assert set(rows) == {"阿克达拉村"}

    # The plan gives 60 days: due 29 November, today: not yet overdue. 59 days: overdue since today.
    plan = AnnualPlan.objects.create(
        township=world.township, year=2026, quarterly_report_due_days=60
    )
    rows, _ = _panel(client)
    assert rows["阿克达拉村"].due == dt.date(2026, 11, 29) and not rows["阿克达拉村"].overdue
    plan.quarterly_report_due_days = 59
    plan.save()
    rows, _ = _panel(client)
    assert rows["阿克达拉村"].overdue

    # Another quarter, chosen in the filter: 2026 Q4 has not ended, nobody is overdue.
    rows, panel = _panel(client, year=2026, quarter=4)
    assert (
        not panel["ended"]
        and set(rows) == {"红星村", "阿克达拉村"}
        and not any(m.overdue for m in rows.values())
    )
    # A plan of 2025 does not change 2026's dates; a 2025 quarter uses the 2025 plan.
    AnnualPlan.objects.create(township=world.township, year=2025, quarterly_report_due_days=20)
    rows, _ = _panel(client, year=2025, quarter=4)
    assert rows["红星村"].due == dt.date(2026, 1, 20)


def test_the_county_sees_every_townships_villages_in_the_panel(world, login, clock):
    rows, _ = _panel(login(world.county_viewer))
    assert set(rows) == {"红星村", "阿克达拉村", "喀拉吉拉村"}
    rows, _ = _panel(login(world.leader))
    assert set(rows) == {"红星村", "阿克达拉村"}


# --- fixed query counts ----------------------------------------------------------------------


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_it_lists_in_a_fixed_number_of_queries(world, login, clock, django_assert_num_queries):
    client = login(world.station)
    _report(world)
    urls = [reverse("reports:list"), reverse("reports:export")]
    counts = [_count(client, url) for url in urls]
    for year, quarter in ((2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2)):
        for village, author in ((world.village, world.operator), (world.pastoral, world.other_op)):
            report = services.report_submit(
                _report(world, village=village, author=author, year=year, quarter=quarter),
                user=author,
            )
            services.report_return(report, user=world.station, reason="补充")
            services.report_submit(report, user=author)
    AnnualPlan.objects.create(township=world.township, year=2026, quarterly_report_due_days=20)
    for url, n in zip(urls, counts, strict=True):
        with django_assert_num_queries(n):
            client.get(url)


def test_it_shows_a_report_in_a_fixed_number_of_queries(
    world, login, clock, cast, django_assert_num_queries
):
    client = login(world.station)
    report = _report(world, lines=[(cast.key_film.pk, "2026-12-20")])
    url = reverse("reports:detail", args=[report.pk])
    services.report_submit(report, user=world.operator)
    n = _count(client, url)
    for reason in ("第一次退回", "第二次退回", "第三次退回"):
        services.report_return(report, user=world.station, reason=reason)
        services.report_edit(
            report,
            user=world.operator,
            narrative=f"针对{reason}修改",
            plan="",
            lines=[(cast.key_film.pk, "2026-12-20"), (cast.film.pk, "2026-12-21")],
        )
        services.report_submit(report, user=world.operator)
    with django_assert_num_queries(n):
        page = client.get(url).content.decode()
    assert "第三次退回" in page and "第 4 版" in page and "农村实用技术：冬季舍饲养羊" in page


def test_it_reads_in_english_after_switching(world, login, clock):
    report = services.report_submit(_report(world), user=world.operator)
    client = login(world.station)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert (
        "Submissions" in html
        and "Download Word" in html
        and "Approve" in html
        and "Version 1" in html
    )
    assert "本季度按计划播放。" in html  # the report itself stays as written
    html = client.get(reverse("reports:list")).content.decode()
    assert (
        "Villages that have not submitted for Q3 2026" in html and ">Quarterly reports</a>" in html
    )


def test_a_refused_approval_changes_nothing_and_says_why(world, login, clock, cast):
    """The wanted date passed while the report waited: the film request would be refused, so the
    approval is too, and the report stays submitted for the station to return."""
    report = services.report_submit(
        _report(world, lines=[(cast.key_film.pk, "2026-12-01")]), user=world.operator
    )
    clock.at = local(2026, 12, 2, 10, 0)
    client = login(world.station)
    response = client.post(reverse("reports:approve", args=[report.pk]), follow=True)
    assert "计划放映日期不能早于今天" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted" and report.versions.get().outcome == ""
    assert not FilmRequest.objects.exists()


def test_the_due_quarter_is_the_latest_ended_one_without_a_report(world):
    """29 November 2026, last ended quarter 2026-Q3. A village without reports is due for it;
    one whose latest report is 2025-Q4 is still due for 2026-Q3 (not the old 2026-Q1); once Q3
    is reported the gap at Q2 is due; with the whole year reported nothing is, never a reported
    quarter."""
    import datetime as dt

    from dianjiao.lib.dates import now
    from dianjiao.reports import selectors

    def filed(year, quarter):
        QuarterlyReport.objects.create(
            village=world.village,
            year=year,
            quarter=quarter,
            author=world.operator,
            created_at=now(),
        )

    today = dt.date(2026, 11, 29)
    assert selectors.quarter_due(world.village, today) == (2026, 3)
    filed(2025, 4)
    assert selectors.quarter_due(world.village, today) == (2026, 3)
    filed(2026, 3)
    assert selectors.quarter_due(world.village, today) == (2026, 2)
    filed(2026, 2)
    filed(2026, 1)
    assert selectors.quarter_due(world.village, today) is None
    assert selectors.quarter_due(world.village, dt.date(2027, 2, 1)) == (2026, 4)
    assert selectors.quarter_due(world.pastoral, dt.date(2027, 2, 1)) == (2026, 4)


def test_the_form_opens_on_the_due_quarter_never_on_a_reported_one(world, login, clock):
    client = login(world.operator)
    _report(world, year=2026, quarter=3)
    page = client.get(reverse("reports:create"))
    form = page.context["form"]
    assert (form.initial["year"], form.initial["quarter"]) == (2026, 2)
    assert "应报季度：2026年第2季度" in page.content.decode()
    for quarter in (1, 2):
        _report(world, year=2026, quarter=quarter)
    _report(world, year=2025, quarter=4)
    page = client.get(reverse("reports:create"))
    assert page.context["form"].initial["quarter"] is None  # nothing chosen for the user
    assert page.context["figures"] is None
    assert "目前没有应报的季度" in page.content.decode()


def test_another_quarter_than_the_due_one_is_an_explicit_choice(world, login, clock):
    client = login(world.operator)
    response = client.post(reverse("reports:create"), _form(quarter=2))
    assert response.status_code == 200
    assert "应报的是2026年第3季度" in response.content.decode()
    assert not QuarterlyReport.objects.exists()

    response = client.post(reverse("reports:create"), _form(quarter=2, other_quarter="on"))
    assert response.status_code == 302
    assert QuarterlyReport.objects.get().quarter == 2
