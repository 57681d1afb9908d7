"""The foundation, end to end in a real browser: an operator on a phone logs in through the form
and sees 红星村 and nothing else; the station admin finds 张三 by typing `zs`."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.browser

PAGES = {"home": "/", "villages": "/villages/", "members": "/members/", "coverage": "/coverage/"}


def test_it_shows_the_operator_only_their_own_village_on_a_phone(
    transactional_db, live_server, phone_page
):
    world = World()  # live_server serves from another thread, so the rows must be committed
    page = phone_page
    login_via_form(page, live_server, "operator", PASSWORD)

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("header")).to_contain_text("党员电化教育")
    expect(page.locator("header")).to_contain_text("刘电教")
    # The run uses production cookie settings: Secure cookies, kept by Chromium on localhost.
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httpOnly"]

    page.goto(f"{live_server.url}/villages/")
    rows = page.locator("main table tbody")
    expect(rows).to_contain_text("红星村")
    expect(rows).not_to_contain_text("阿克达拉村")
    expect(rows).not_to_contain_text("喀拉吉拉村")

    page.goto(f"{live_server.url}/members/")
    rows = page.locator("#rows")
    expect(rows).to_contain_text("张三")
    expect(rows).not_to_contain_text("努尔兰·叶尔肯")
    expect(rows).not_to_contain_text("李四")

    # Typing another village's address gets "not found", not "forbidden": outsiders do not
    # even learn that the village exists.
    for other in (world.pastoral, world.far_village):
        response = page.goto(f"{live_server.url}/villages/{other.pk}/")
        assert response.status == 404, other.name
        expect(page.locator("body")).not_to_contain_text(other.name)


@pytest.mark.parametrize("width", [390, 1280])
def test_it_lays_out_the_operators_pages_without_sideways_scrolling(
    transactional_db, live_server, new_context, width
):
    World()
    context = new_context(viewport={"width": width, "height": 844 if width < 600 else 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    shot(page, f"anonymous-{width}-login")
    assert horizontal_overflow(page) <= 1, f"the login page scrolls sideways at {width}px"
    login_via_form(page, live_server, "operator", PASSWORD)
    for name, path in PAGES.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        expect(page.locator("main h1")).to_be_visible()
        shot(page, f"operator-{width}-{name}")
        assert page.evaluate("window.innerWidth") == width
        assert horizontal_overflow(page) <= 1, f"{path} scrolls sideways at {width}px"


def test_it_finds_a_member_by_initials_as_the_station_admin_types(
    transactional_db, live_server, desktop_page
):
    World()
    page = desktop_page
    login_via_form(page, live_server, "station", PASSWORD)
    page.goto(f"{live_server.url}/members/")
    rows = page.locator("#rows")
    expect(rows).to_contain_text("努尔兰·叶尔肯")  # the whole township before searching

    # A marker on the window survives only if htmx swapped the rows in place, not a full reload.
    page.evaluate("window.__sameDocument = true")
    with page.expect_response(lambda r: "q=zs" in r.url and r.request.headers.get("hx-request")):
        page.locator("#id_q").press_sequentially("zs")

    expect(rows.get_by_role("link", name="张三")).to_be_visible()
    expect(rows).not_to_contain_text("努尔兰·叶尔肯")
    assert page.evaluate("window.__sameDocument === true")
    expect(page).to_have_url(re.compile(r"/members/\?(.*&)?q=zs(&|$)"))  # hx-push-url: shareable
    shot(page, "station-1280-members-search-zs")
