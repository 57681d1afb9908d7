"""The compliance dashboard in a real browser: the station's to-do list leads, the villages ×
months matrix scrolls inside its frame on a phone, and a cell drills down to its records."""

import pytest
from playwright.sync_api import expect

from dianjiao.lib import dates
from dianjiao.plans.models import AnnualPlan
from dianjiao.reports.models import QuarterlyReport
from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.browser


def _year(world):
    AnnualPlan.objects.create(
        township=world.township, year=dates.today().year, quarterly_report_due_days=10
    )
    QuarterlyReport.objects.create(
        village=world.village,
        year=dates.today().year,
        quarter=1,
        author=world.operator,
        created_at=dates.now(),
        status="approved",
    )


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_station_reads_the_dashboard_and_drills_into_a_cell(
    transactional_db, live_server, request, size
):
    world = World()
    _year(world)
    page = request.getfixturevalue(f"{size}_page")
    login_via_form(page, live_server, "station", PASSWORD)
    expect(page.locator(".todos")).to_contain_text("待办事项")
    expect(page.locator(".todos")).to_contain_text("季度报告尚未上报")

    page.goto(f"{live_server.url}/plan/")
    expect(page.locator("h1")).to_contain_text("年达标情况")
    expect(page.locator("main")).to_contain_text("季度报告情况")
    expect(page.locator("main")).to_contain_text("已审核")
    assert horizontal_overflow(page) == 0
    shot(page, f"plan-dashboard-{size}")

    january = page.locator("table").last.locator("tbody tr").first.locator("td").first
    january.locator("a").first.click()
    page.wait_for_url("**/teaching/**")
    assert "village=" in page.url and "month=" in page.url
