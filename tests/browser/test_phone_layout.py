"""Long forms on phones: the header is one short row with a menu button, and the key-film
record is done in steps whose draft stays in the browser until the server has saved it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dianjiao.teaching.models import ViewingSession
from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.factories import PASSWORD, World
from tests.teaching.conftest import Cast

pytestmark = pytest.mark.browser

PC = {"width": 1366, "height": 800}
PAGES = {"home": "/", "members": "/members/", "sessions": "/teaching/"}


def _header_height(page) -> float:
    return page.locator("header.topbar").bounding_box()["height"]


def test_the_header_is_one_short_row_on_a_phone_and_its_menu_opens(
    transactional_db, live_server, phone_page
):
    World()
    page = phone_page
    login_via_form(page, live_server, "operator", PASSWORD)
    for name, path in PAGES.items():
        page.goto(f"{live_server.url}{path}")
        assert _header_height(page) < 80, (name, _header_height(page))
        shot(page, f"operator-390-header-{name}")
        assert horizontal_overflow(page) <= 1, f"{path} scrolls sideways on a phone"

    menu = page.get_by_role("button", name="菜单")
    expect(menu).to_have_attribute("aria-expanded", "false")
    reports = page.locator(".mainnav").get_by_role("link", name="季度报告")
    expect(reports).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(reports).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    shot(page, "operator-390-header-menu-open")
    reports.click()
    expect(page.locator("main h1")).to_have_text("我村的季度报告")


def test_the_header_on_a_pc_shows_the_whole_menu(transactional_db, live_server, new_context):
    World()
    page = new_context(viewport=PC).new_page()
    login_via_form(page, live_server, "station", PASSWORD)
    for name, path in PAGES.items():
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("button", name="菜单")).to_be_hidden()
        expect(page.locator(".mainnav").get_by_role("link", name="达标情况")).to_be_visible()
        assert _header_height(page) < 80, (name, _header_height(page))
        shot(page, f"station-1366-header-{name}")
        assert horizontal_overflow(page) <= 1


def _drafts(page) -> dict:
    return page.evaluate(
        "Object.fromEntries(Object.keys(localStorage)"
        ".filter(k => k.startsWith('dianjiao-draft:')).map(k => [k, localStorage.getItem(k)]))"
    )


def test_the_key_film_draft_survives_a_reload_and_is_gone_after_saving(
    transactional_db, live_server, phone_page
):
    Cast(World())
    page = phone_page
    login_via_form(page, live_server, "operator", PASSWORD)
    url = f"{live_server.url}/teaching/new/?kind=key_film"
    page.goto(url)
    next_step = page.get_by_role("button", name="下一步")
    expect(page.locator("#step-prep")).to_be_visible()
    expect(page.locator("#step-show")).to_be_hidden()  # one step at a time on a phone
    yesterday = timezone.localtime() - dt.timedelta(days=1)
    page.get_by_label("《榜样8》（重点片）").check()
    page.get_by_label("播前备课内容").fill("学习简介，拟定讨论题")
    page.get_by_label("备课时间").fill(f"{yesterday:%Y-%m-%dT%H:%M}")
    next_step.click()
    page.get_by_label("播中提示").fill("第二段暂停提示")
    client_id = page.locator("input[name=client_id]").input_value()
    # (wait_for_function would evaluate a string, which the content security policy forbids)
    for _ in range(50):
        if any("第二段暂停提示" in v for v in _drafts(page).values()):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the draft was not kept in the browser")
    shot(page, "operator-390-key-film-step-2")
    assert horizontal_overflow(page) <= 1

    # The connection dropped, the page is opened again: what was typed is back.
    page.goto(url)
    expect(page.locator("[data-draft-note]")).to_be_visible()
    expect(page.get_by_label("播前备课内容")).to_have_value("学习简介，拟定讨论题")
    expect(page.get_by_label("《榜样8》（重点片）")).to_be_checked()
    assert page.locator("input[name=client_id]").input_value() == client_id
    page.get_by_role("link", name="2. 播放与提示").click()
    expect(page.get_by_label("播中提示")).to_have_value("第二段暂停提示")
    assert len(_drafts(page)) == 1

    # The rest of the steps, then save.
    page.get_by_label("收看记录").fill("认真收看")
    next_step.click()
    page.get_by_role("button", name="全部到场").click()
    next_step.click()
    page.get_by_label("讨论情况").fill("讨论了身边的榜样")
    next_step.click()
    page.locator("select[name=task0_member]").select_option(label="张三")
    page.locator("input[name=task0_task]").fill("帮助两户修羊圈")
    page.locator("input[name=task0_due]").fill(
        f"{timezone.localdate() + dt.timedelta(days=30):%Y-%m-%d}"
    )
    assert len(_drafts(page)) == 1  # sending is not saving
    page.get_by_role("button", name="保存并记入《电教手册》").click()
    page.locator("dialog#roll-confirm").get_by_role("button", name="确认保存").click()
    expect(page.locator(".messages")).to_contain_text("并已记入《电教手册》")
    session = ViewingSession.objects.get()
    assert str(session.pk) == client_id and session.preparation == "学习简介，拟定讨论题"
    assert session.prompts == "第二段暂停提示"
    assert _drafts(page) == {}

    page.goto(url)
    expect(page.locator("[data-draft-note]")).to_be_hidden()
    expect(page.get_by_label("播前备课内容")).to_have_value("")


def test_the_key_film_record_on_a_pc_shows_every_step(transactional_db, live_server, new_context):
    Cast(World())
    page = new_context(viewport=PC).new_page()
    login_via_form(page, live_server, "operator", PASSWORD)
    page.goto(f"{live_server.url}/teaching/new/?kind=key_film")
    for step in ("prep", "show", "attendance", "discuss", "practice"):
        expect(page.locator(f"#step-{step}")).to_be_visible()
    expect(page.get_by_role("button", name="下一步")).to_be_hidden()
    shot(page, "operator-1366-key-film")
    assert horizontal_overflow(page) <= 1


def test_without_javascript_the_menu_is_shown_and_the_server_answers_the_roll_call(
    transactional_db, live_server, new_context
):
    Cast(World())
    page = new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, java_script_enabled=False
    ).new_page()
    login_via_form(page, live_server, "operator", PASSWORD)
    expect(page.get_by_role("button", name="菜单")).to_be_hidden()
    expect(page.locator(".mainnav").get_by_role("link", name="季度报告")).to_be_visible()

    page.goto(f"{live_server.url}/teaching/new/")
    expect(page.locator("#roll-search")).to_be_hidden()  # search needs JavaScript
    page.get_by_role("button", name="全部到场").click()
    expect(page.locator("#roll-tally [data-tally=present]")).to_have_text("4")
    expect(page.locator(".errorlist")).to_have_count(0)  # nothing was saved, nothing refused
    page.locator(".att-row", has_text="赵六").get_by_text("缺席", exact=True).click()
    page.locator("details.morefilms > summary").click()
    page.get_by_label("《农村实用技术：冬季舍饲养羊》").check()
    shot(page, "operator-390-roll-call-no-javascript")
    page.get_by_role("button", name="保存并记入《电教手册》").click()
    expect(page.locator(".messages")).to_contain_text("并已记入《电教手册》")
    statuses = dict(ViewingSession.objects.get().attendances.values_list("member__name", "status"))
    assert statuses == {"张三": "present", "李梅": "present", "王五": "present", "赵六": "absent"}
