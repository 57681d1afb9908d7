"""403 and 404 in a real browser, on a phone and a PC: the site's own pages, readable, nothing
sticking out."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_missing_page_and_a_refusal_are_pages_of_the_site(
    transactional_db, live_server, request, size
):
    World()
    page = request.getfixturevalue(f"{size}_page")
    login_via_form(page, live_server, "county", PASSWORD)

    response = page.goto(f"{live_server.url}/members/999999/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    expect(page.get_by_role("link", name="回到首页")).to_be_visible()
    assert horizontal_overflow(page) <= 0
    shot(page, f"county-{size}-404")

    # A read-only role asking for a write page: the refusal says why.
    response = page.goto(f"{live_server.url}/members/new/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("没有权限进行此操作")
    assert horizontal_overflow(page) <= 0
    shot(page, f"county-{size}-403")

    page.get_by_role("link", name="回到首页").click()
    page.wait_for_url(f"{live_server.url}/")
