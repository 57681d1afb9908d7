"""The dashboard with oversight's figures against the plan, in a real browser at 1366 px (a
common office PC) and 390 px (a phone): the plan card shows meetings, trainings and monthly
checks held against their targets, the to-do list carries the overdue rectification, nothing
sticks out sideways; and a village's home page shows the latest issued bulletin."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from dianjiao.lib import dates
from dianjiao.oversight import services
from dianjiao.plans.models import AnnualPlan
from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.factories import PASSWORD, World
from tests.oversight.helpers import inspect, template

pytestmark = pytest.mark.browser

SIZES = {
    "pc": {"viewport": {"width": 1366, "height": 768}},
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
}


def _year(world):
    today = dates.today()
    AnnualPlan.objects.create(township=world.township, year=today.year)
    services.meeting_convene(
        user=world.leader,
        township=world.township,
        kind="joint",
        held_on=dt.date(today.year, 1, 10),
        place="乡政府",
        agenda="部署全年电教工作",
    )
    services.training_record(
        user=world.station,
        township=world.township,
        kind="theory",
        title="电教员业务培训",
        starts_on=dt.date(today.year, 1, 12),
        ends_on=dt.date(today.year, 1, 12),
        hours=4,
        trainers="县电教中心",
    )
    tpl = template(world)
    inspect(world, tpl, "meets", "fails", "fails", day=today)
    b = services.bulletin_draft(
        user=world.station,
        township=world.township,
        period="year",
        year=today.year - 1,
        title="关于上年度党员电教工作检查情况的通报",
    )
    b = services.bulletin_submit(user=world.station, bulletin=b)
    services.bulletin_approve(user=world.leader, bulletin=b)


@pytest.mark.parametrize("size", ["pc", "phone"])
def test_the_dashboard_shows_the_plan_measured_from_the_records(
    transactional_db, live_server, new_context, size
):
    world = World()
    _year(world)
    page = new_context(**SIZES[size]).new_page()
    login_via_form(page, live_server, "station", PASSWORD)
    page.goto(f"{live_server.url}/plan/")
    card = page.locator("section.card").filter(has_text="年度计划").first
    expect(card).to_contain_text("联席会议（已召开/目标）")
    expect(card.locator(".stat").filter(has_text="联席会议")).to_contain_text("1/4")
    expect(card.locator(".stat").filter(has_text="培训")).to_contain_text("1/1")
    expect(card.locator(".stat").filter(has_text="整改")).to_contain_text("2/")
    expect(page.locator("main")).not_to_contain_text("记录这些活动后计入")
    expect(page.locator(".todos")).to_contain_text("本月还有1个播放点未检查")
    assert horizontal_overflow(page) == 0
    shot(page, f"plan-dashboard-oversight-{size}")
    card.locator(".stat").filter(has_text="联席会议").locator("a").click()
    page.wait_for_url("**/oversight/meetings/**")


def test_a_village_sees_the_latest_bulletin_on_its_home_page(
    transactional_db, live_server, new_context
):
    world = World()
    _year(world)
    page = new_context(**SIZES["phone"]).new_page()
    login_via_form(page, live_server, "operator", PASSWORD)
    bulletins = page.locator("section.bulletins")
    expect(bulletins).to_contain_text("关于上年度党员电教工作检查情况的通报")
    expect(page.locator(".todos")).to_contain_text("整改")
    assert horizontal_overflow(page) == 0
    shot(page, "home-village-bulletins-phone")
    bulletins.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text("关于上年度党员电教工作检查情况的通报")
