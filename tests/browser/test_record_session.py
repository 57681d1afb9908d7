"""The village operator, on a phone, records a key-film session end to end: the film, who came
(王五 excused for herding, 赵六 absent), the four rings; then finds it listed as complete."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dianjiao.teaching.models import ViewingSession
from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.factories import PASSWORD, World
from tests.teaching.conftest import Cast

pytestmark = pytest.mark.browser


def _row(page, name):
    return page.locator(".att-row", has=page.locator(".who", has_text=name))


def test_it_records_a_key_film_session_with_attendance_on_a_phone(
    transactional_db, live_server, phone_page
):
    cast = Cast(World())  # live_server serves from another thread: the rows must be committed
    page = phone_page
    login_via_form(page, live_server, "operator", PASSWORD)

    page.get_by_role("button", name="菜单").click()  # the phone's menu is folded
    page.get_by_role("link", name="播放收看", exact=True).click()
    expect(page.locator("main h1")).to_have_text("播放收看")
    page.get_by_role("link", name="登记播放收看").click()

    # Step one: a key-film session at the village's point.
    page.locator("#id_kind").select_option(label="重点片教学")
    page.get_by_role("button", name="更换").click()
    expect(page.locator("#step-attendance .rule")).to_contain_text("应到 4 人")
    expect(page.locator("#step-attendance .rule")).to_contain_text("到课率 = 实到 ÷ 应到（4 人）")
    # A key film is recorded in steps, one at a time on a phone.
    steps = page.locator(".stepbar a")
    expect(steps).to_have_text(["1. 准备", "2. 播放与提示", "3. 出勤", "4. 讨论", "5. 实践"])
    next_step = page.get_by_role("button", name="下一步")

    # 1. Preparation: the film and what was prepared.
    yesterday = timezone.localtime() - dt.timedelta(days=1)
    page.get_by_label("《榜样8》（重点片）").check()
    page.get_by_label("播前备课内容").fill("学习《榜样8》简介，拟定讨论题：身边的榜样是谁？")
    page.get_by_label("备课时间").fill(f"{yesterday:%Y-%m-%dT%H:%M}")
    next_step.click()
    # 2. Showing and prompts.
    page.get_by_label("时长（分钟）").fill("120")
    page.get_by_label("播中提示").fill("第二个人物处暂停，提示注意基层干部如何为群众办实事")
    page.get_by_label("收看记录").fill("大家认真收看，李梅做了笔记")
    next_step.click()
    # 3. Who came: 张三 and 李梅; 王五 is herding (excused); 赵六 is 缺席 (nobody is by default).
    _row(page, "张三").get_by_text("到场", exact=True).click()
    _row(page, "李梅").get_by_text("到场", exact=True).click()
    _row(page, "赵六").get_by_text("缺席", exact=True).click()
    _row(page, "王五").get_by_text("请假", exact=True).click()
    _row(page, "王五").get_by_role("combobox").select_option(label="放牧转场")
    page.locator("input[name=guest0_name]").fill("马丽")
    page.locator("input[name=guest0_note]").fill("邻村党员")
    next_step.click()
    # 4. Discussion.
    page.get_by_label("讨论情况").fill("围绕身边的榜样讨论，表示要在冬季舍饲中带头")
    speakers = page.locator("#id_speakers")
    speakers.get_by_label("张三").check()
    speakers.get_by_label("李梅").check()
    next_step.click()
    # 5. Practice.
    page.locator("select[name=task0_member]").select_option(label="张三")
    page.locator("input[name=task0_task]").fill("帮助两户困难户修缮羊圈")
    page.locator("input[name=task0_due]").fill(
        f"{timezone.localdate() + dt.timedelta(days=30):%Y-%m-%d}"
    )
    shot(page, "operator-390-record-session-filled")
    assert horizontal_overflow(page) <= 1, "the record form scrolls sideways on a phone"

    page.get_by_role("button", name="保存并记入《电教手册》").click()
    page.locator("dialog#roll-confirm").get_by_role("button", name="确认保存").click()

    # The session's page: the rate is of the 4 expected, and who is missing comes first.
    expect(page.locator(".messages")).to_contain_text("并已记入《电教手册》")
    expect(page.locator("main")).to_contain_text("四环完整")
    expect(page.locator(".formula")).to_have_text("到课率 = 实到 ÷ 应到（4 人）")
    expect(page.locator(".stats")).to_contain_text("50.0%")
    expect(page.locator("main")).to_contain_text("王五（放牧转场）")
    shot(page, "operator-390-session-detail")
    assert horizontal_overflow(page) <= 1, "the session page scrolls sideways on a phone"

    session = ViewingSession.objects.get()
    assert session.four_ring_complete and session.entry is not None
    assert dict(session.attendances.values_list("member__name", "status")) == {
        "张三": "present",
        "李梅": "present",
        "王五": "excused",
        "赵六": "absent",
    }

    page.get_by_role("link", name="返回列表").click()
    row = page.locator("main table tbody tr").first
    expect(row).to_contain_text("重点片教学")
    expect(row).to_contain_text("2 / 4")
    expect(row.locator(".tag.ok")).to_have_text("四环完整")
    expect(row).not_to_contain_text("四环不完整")
    shot(page, "operator-390-sessions-list")
    assert horizontal_overflow(page) <= 1, "the sessions list scrolls sideways on a phone"
    assert cast.zhang.attendances.get().status == "present"


def test_it_lays_out_the_other_teaching_pages_on_a_phone(transactional_db, live_server, phone_page):
    from dianjiao.teaching import services
    from tests.teaching.conftest import ABSENT, EXCUSED, four_ring

    cast = Cast(World())
    held_at = timezone.now() - dt.timedelta(minutes=5)
    session = services.session_record(
        author=cast.world.operator,
        village=cast.world.village,
        point=cast.world.point,
        held_at=held_at,
        kind="key_film",
        films=[cast.key_film],
        duration_minutes=120,
        attendance={
            **cast.everyone(),
            cast.wang.pk: (EXCUSED, "migrant"),
            cast.zhao.pk: (ABSENT, ""),
        },
        four_ring=four_ring(cast, held_at),
    )
    page = phone_page
    login_via_form(page, live_server, "operator", PASSWORD)
    pages = {
        "makeup-form": "/teaching/new/?kind=makeup",
        "practice": f"/teaching/{session.pk}/practice/",
        "correct": f"/teaching/{session.pk}/correct/",
        "learning": "/teaching/learning/",
        "feedback": "/teaching/feedback/",
    }
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        expect(page.locator("main h1")).to_be_visible()
        shot(page, f"operator-390-teaching-{name}")
        assert horizontal_overflow(page) <= 1, f"{path} scrolls sideways on a phone"
    page.goto(f"{live_server.url}/teaching/new/?kind=makeup")
    expect(page.locator(".att-row .who")).to_have_text(
        ["王五", "赵六"]
    )  # excused or absent, not made up
