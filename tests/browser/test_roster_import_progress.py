"""Importing a long roster on a phone (issue 14 part 4): the page says what is under way while
the file is sent, read and checked, and while the confirmation saves, instead of looking dead."""

import pytest
from playwright.sync_api import expect

from dianjiao.members.models import Member, RosterImport
from dianjiao.members.roster_sample import sample_roster
from tests.browser.helpers import login_via_form, shot
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.browser


def test_a_station_imports_3000_rows_on_a_phone_and_sees_the_progress(
    transactional_db, live_server, phone_page, tmp_path
):
    world = World()
    roster = tmp_path / "党员花名册.xlsx"
    roster.write_bytes(
        sample_roster([("红星村", ["村委会电教室"]), ("阿克达拉村", ["夏牧场流动播放点"])], 3000)
    )
    not_a_roster = tmp_path / "说明.xlsx"
    not_a_roster.write_bytes(b"not a spreadsheet")
    page = phone_page
    login_via_form(page, live_server, "station", PASSWORD)
    page.goto(f"{live_server.url}/members/import/")
    progress = page.locator("#import-progress")
    expect(progress).to_be_hidden()

    # A refusal comes back next to the file field, the page stays.
    page.locator("input[type=file]").set_input_files(str(not_a_roster))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator(".field .error")).to_have_text(
        "无法读取该文件，请上传 Excel（.xlsx）格式的党员花名册"
    )
    assert page.url.endswith("/members/import/")

    # Each POST is held until the page has been seen saying what is under way.
    held = []

    def hold(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route("**/members/import/**", hold)
    page.locator("input[type=file]").set_input_files(str(roster))
    page.get_by_role("button", name="上传并预览").click()
    expect(progress).to_be_visible()
    expect(progress.locator("[data-progress-text]")).to_contain_text("正在上传花名册")
    held.pop().continue_()
    page.wait_for_url("**/members/import/*/")
    expect(page.locator(".stats")).to_contain_text("3000")
    shot(page, "station-390-roster-import-preview")

    # The confirmation is a plain form: held here by a listener of the test's own, so the page
    # can be seen while it would be waiting; then sent as it is (pressing again sends nothing).
    page.unroute("**/members/import/**")
    page.evaluate(
        "document.querySelector('form[data-busy]')"
        ".addEventListener('submit', (e) => e.preventDefault())"
    )
    confirm = page.get_by_role("button", name="确认导入（新增 3000 人，更新 0 人）")
    confirm.click()
    expect(progress).to_be_visible()
    expect(progress).to_contain_text("正在导入 3000 行")
    expect(progress).to_contain_text("已用")  # the seconds elapsed, counted while it waits
    shot(page, "station-390-roster-import-confirming")
    page.evaluate(
        "HTMLFormElement.prototype.submit.call(document.querySelector('form[data-busy]'))"
    )
    expect(page.locator(".messages")).to_contain_text("导入完成：新增 3000 人", timeout=60_000)
    assert RosterImport.objects.get(status="applied").result["created"] == 3000
    assert Member.objects.filter(village__in=[world.village, world.pastoral]).count() == 3002
