"""A quarter's report end to end in a real browser: 红星村's operator, on a phone, writes the report
with the figures the system counted and a film need, and submits it; the station, at its PC,
returns it with a reason; the operator reads the reason, edits and submits again; the station
approves, and the film need becomes a film request of 红星村."""

import datetime as dt
from unittest import mock

import pytest
from playwright.sync_api import expect

from dianjiao.films.models import FilmRequest
from dianjiao.lib import dates
from dianjiao.reports.models import QuarterlyReport
from dianjiao.reports.selectors import last_ended_quarter
from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.clock import local
from tests.factories import PASSWORD, World
from tests.teaching.conftest import Cast, record

pytestmark = pytest.mark.browser


def _session_in(cast, year, quarter):
    """A viewing with everyone present on the 10th of the quarter's first month, recorded that day."""
    month = 3 * quarter - 2
    with mock.patch("django.utils.timezone.now", lambda: local(year, month, 10, 10, 0)):
        record(cast, held_at=local(year, month, 10, 9, 0))


def _fits(page, what):
    assert horizontal_overflow(page) <= 1, (
        f"{what} scrolls sideways at {page.viewport_size['width']}px"
    )


def test_a_report_goes_from_the_village_to_the_station_and_back_to_approval(
    transactional_db, live_server, phone_page, desktop_page
):
    cast = Cast(World())  # live_server serves from another thread, so the rows must be committed
    year, quarter = last_ended_quarter(dates.today())
    _session_in(cast, year, quarter)
    wanted = dates.today() + dt.timedelta(days=20)
    url = live_server.url

    # The operator, on a phone: the menu's 季度报告, then 填写季度报告.
    op = phone_page
    login_via_form(op, live_server, "operator", PASSWORD)
    op.get_by_role("button", name="菜单").click()  # the phone's menu is folded
    op.locator(".mainnav").get_by_role("link", name="季度报告").click()
    expect(op.locator("main h1")).to_have_text("我村的季度报告")
    op.get_by_role("link", name="填写季度报告").click()
    expect(op.locator("main h1")).to_have_text("填写季度报告")
    figures = op.locator("#figures")
    expect(figures).to_contain_text("应到人次")
    expect(figures.locator("tr", has_text="播放收看场次")).to_contain_text("1")
    expect(figures.locator("tr", has_text="到课率")).to_contain_text("100.0%")

    # Choosing another quarter reloads the figures in place (htmx), then back to the report's.
    other = 1 if quarter != 1 else 2
    with op.expect_response(lambda r: f"quarter={other}" in r.url):
        op.locator("#id_quarter").select_option(str(other))
    expect(figures.locator("tr", has_text="播放收看场次")).to_contain_text("0")
    with op.expect_response(lambda r: f"quarter={quarter}" in r.url):
        op.locator("#id_quarter").select_option(str(quarter))
    expect(figures.locator("tr", has_text="播放收看场次")).to_contain_text("1")

    op.get_by_label("本季度工作情况").fill(
        "组织党员集中收看《农村实用技术：冬季舍饲养羊》一次，全员到场。"
    )
    op.get_by_label("下季度播放计划").fill("下季度组织收看年度重点片《榜样8》，开展四环教学。")
    op.locator("#id_lines-0-film").select_option(str(cast.key_film.pk))
    op.locator("#id_lines-0-wanted_on").fill(f"{wanted:%Y-%m-%d}")
    shot(op, "reports-390-form")
    _fits(op, "the report form")
    op.get_by_role("button", name="保存草稿").click()
    expect(op.locator(".messages")).to_contain_text("已保存为草稿")
    expect(op.locator("main")).to_contain_text("《榜样8》")
    op.get_by_role("link", name="上报", exact=True).click()
    op.get_by_role("button", name="上报", exact=True).click()
    expect(op.locator(".messages")).to_contain_text("已上报")
    report = QuarterlyReport.objects.get(village=cast.world.village)
    assert report.status == "submitted"

    # The station, at its PC: the report is in the list, 阿克达拉村 is still missing.
    st = desktop_page
    login_via_form(st, live_server, "station", PASSWORD)
    st.goto(f"{url}/reports/")
    expect(st.locator("#not-submitted")).to_contain_text("阿克达拉村")
    expect(st.locator("#not-submitted")).not_to_contain_text("红星村")
    shot(st, "reports-1280-list")
    _fits(st, "the report list")
    st.locator("main table").last.get_by_role("link").first.click()
    expect(st.locator("main h1")).to_contain_text("红星村")
    st.get_by_role("link", name="退回", exact=True).click()
    st.get_by_role("button", name="保存").click()
    expect(st.locator(".field.has-error")).to_contain_text("退回时必须填写理由")
    st.get_by_label("退回理由").fill("请补充未播放月份的原因。")
    st.get_by_role("button", name="保存").click()
    expect(st.locator(".messages")).to_contain_text("已退回红星村")

    # The operator reads the reason, edits and submits again.
    op.goto(f"{url}/reports/{report.pk}/")
    expect(op.locator(".errorlist")).to_contain_text("请补充未播放月份的原因。")
    op.get_by_role("link", name="修改", exact=True).click()
    expect(op.locator("#id_lines-0-film")).to_have_value(str(cast.key_film.pk))
    op.get_by_label("本季度工作情况").fill(
        "组织党员集中收看一次，全员到场。其余两个月牧民转场，未能组织集中收看。"
    )
    op.get_by_role("button", name="保存草稿").click()
    op.get_by_role("link", name="重新上报").click()
    op.get_by_role("button", name="上报", exact=True).click()
    expect(op.locator(".messages")).to_contain_text("已上报")
    shot(op, "reports-390-detail")
    _fits(op, "the report page")
    op.goto(f"{url}/reports/")
    shot(op, "reports-390-list")
    _fits(op, "the report list")

    # The station approves: the film need becomes 红星村's film request.
    st.goto(f"{url}/reports/{report.pk}/")
    st.get_by_role("link", name="审核通过").click()
    st.get_by_role("button", name="审核通过").click()
    expect(st.locator(".messages")).to_contain_text("片源需求已转为片源申请")
    expect(st.locator("#versions")).to_contain_text("第 2 版")
    expect(st.locator("#versions")).to_contain_text("请补充未播放月份的原因。")
    st.locator("#versions details").first.locator("summary").click()
    expect(st.locator("#versions details").first).to_contain_text("全员到场。")
    shot(st, "reports-1280-detail")
    _fits(st, "the report page")
    st.goto(f"{url}/reports/new/?village={cast.world.pastoral.pk}")
    expect(st.locator("#figures")).to_contain_text("应到人次")
    shot(st, "reports-1280-form")
    _fits(st, "the report form")

    report.refresh_from_db()
    assert report.status == "approved" and report.versions.count() == 2
    film_request = FilmRequest.objects.get(village=cast.world.village)
    assert [(line.film, line.wanted_on) for line in film_request.lines.all()] == [
        (cast.key_film, wanted)
    ]


def test_the_station_sees_who_has_not_submitted_on_a_phone(
    transactional_db, live_server, phone_page
):
    World()
    page = phone_page
    login_via_form(page, live_server, "station", PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    panel = page.locator("#not-submitted")
    expect(panel).to_contain_text("红星村")
    expect(panel).to_contain_text("阿克达拉村")
    expect(panel).to_contain_text("截止日期")
    shot(page, "reports-390-station-list")
    _fits(page, "the station's report list")
