"""Roll call on a phone: 35 members recorded in a handful of taps (全部到场, two exceptions found
by pinyin initials, confirm the tally, save), and nobody left unmarked passes for absent."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from dianjiao.teaching.models import ViewingSession
from tests import factories
from tests.browser.helpers import SCREENSHOTS, horizontal_overflow, login_via_form, shot
from tests.factories import PASSWORD, World
from tests.teaching.conftest import Cast

pytestmark = pytest.mark.browser

SURNAMES = "陈刘杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅"
GIVEN = "建国"


def _roster_of_35(cast):
    """The point's 4 members and 31 more: 35 expected."""
    for i, surname in enumerate(SURNAMES[:31]):
        factories.member(
            cast.world.village,
            f"{surname}{GIVEN}",
            cast.world.point,
            birth=dt.date(1950 + i, 1 + i % 12, 1 + i % 28),
        )


def _row(page, name):
    return page.locator(".att-row", has=page.locator(".who", has_text=name))


def _tally(page):
    return {
        k: page.locator(f"#roll-tally [data-tally={k}]").inner_text()
        for k in ("expected", "present", "excused", "absent", "unmarked")
    }


def test_a_35_member_session_is_recorded_on_a_phone_in_a_handful_of_taps(
    transactional_db, live_server, phone_page
):
    cast = Cast(World())
    _roster_of_35(cast)
    page = phone_page
    login_via_form(page, live_server, "operator", PASSWORD)
    page.goto(f"{live_server.url}/teaching/new/")
    page.locator("details.morefilms > summary").click()
    page.get_by_label("《农村实用技术：冬季舍饲养羊》").check()

    # Nobody is marked yet; saving now names who is missing instead of recording 35 absences.
    assert _tally(page) == {
        "expected": "35",
        "present": "0",
        "excused": "0",
        "absent": "0",
        "unmarked": "35",
    }
    page.get_by_role("button", name="保存并记入《电教手册》").click()
    expect(page.locator("#roll-unmarked")).to_be_visible()
    expect(page.locator("#roll-unmarked")).to_contain_text("还有 35 人没有登记到场、请假或缺席")
    assert not ViewingSession.objects.exists()

    # 全部到场, then the two exceptions, found by pinyin initials.
    page.get_by_role("button", name="全部到场").click()
    search = page.get_by_role("searchbox", name="按姓名或拼音首字母查找党员")
    search.fill("ww")
    expect(page.locator(".att-row:visible")).to_have_count(1)
    _row(page, "王五").get_by_text("请假", exact=True).click()
    _row(page, "王五").get_by_role("combobox").select_option(label="放牧转场")
    search.fill("zl")
    _row(page, "赵六").get_by_text("缺席", exact=True).click()
    search.fill("")
    expect(page.locator(".att-row:visible")).to_have_count(35)
    assert _tally(page) == {
        "expected": "35",
        "present": "33",
        "excused": "1",
        "absent": "1",
        "unmarked": "0",
    }
    expect(page.locator("#roll-unmarked")).to_be_hidden()

    # The tally stays in sight while the list scrolls under it.
    _row(page, SURNAMES[25] + GIVEN).scroll_into_view_if_needed()
    box = page.locator("#roll-tally").bounding_box()
    assert box is not None and 0 <= box["y"] <= 60, box
    # What the operator sees at that moment (a full-page shot cannot show what sticks).
    page.screenshot(path=str(SCREENSHOTS / "operator-390-roll-call-scrolled.png"))
    shot(page, "operator-390-roll-call")
    assert horizontal_overflow(page) <= 1, "the roll call scrolls sideways on a phone"

    # Saving asks first, with the tally and the names of who is missing.
    page.get_by_role("button", name="保存并记入《电教手册》").click()
    dialog = page.locator("dialog#roll-confirm")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-tally=present]")).to_have_text("33")
    expect(dialog.locator("[data-names=excused]")).to_have_text("王五")
    expect(dialog.locator("[data-names=absent]")).to_have_text("赵六")
    shot(page, "operator-390-roll-call-confirm")
    dialog.get_by_role("button", name="确认保存").click()

    expect(page.locator(".messages")).to_contain_text("并已记入《电教手册》")
    session = ViewingSession.objects.get()
    statuses = dict(session.attendances.values_list("member__name", "status"))
    assert len(statuses) == 35
    assert statuses.pop("王五") == "excused" and statuses.pop("赵六") == "absent"
    assert set(statuses.values()) == {"present"}
    assert session.attendances.get(member=cast.wang).excuse_reason == "herding"


def test_the_roll_call_on_a_pc(transactional_db, live_server, new_context):
    Cast(World())
    page = new_context(viewport={"width": 1366, "height": 800}).new_page()
    login_via_form(page, live_server, "operator", PASSWORD)
    page.goto(f"{live_server.url}/teaching/new/")
    page.get_by_role("button", name="全部到场").click()
    expect(page.locator("#roll-tally [data-tally=present]")).to_have_text("4")
    shot(page, "operator-1366-roll-call")
    assert horizontal_overflow(page) <= 1
