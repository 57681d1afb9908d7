"""A village asks for films from the station's announcement on a phone (issue 10, part 7):
nothing is ticked for the operator, who ticks two of seven films, says which language each
is wanted in, and sends a request of exactly those two."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from dianjiao.films import services
from dianjiao.films.models import FilmRequest
from dianjiao.lib.dates import today
from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.factories import PASSWORD, World
from tests.films.helpers import copy, film, language

pytestmark = pytest.mark.browser

TITLES = [
    "榜样8",
    "焦裕禄",
    "石榴花开",
    "牧区养殖技术",
    "党史故事100讲",
    "法治天山",
    "冬季舍饲养羊",
]


def _announcement(world):
    """Seven films; the first three held in Mandarin and Kazakh, the first two key films."""
    mandarin, kazakh = language("普通话"), language("哈萨克语")
    films = []
    for i, title in enumerate(TITLES):
        bilingual = i < 3
        made = film(
            world,
            title,
            languages=[mandarin, kazakh] if bilingual else [mandarin],
            is_key_film=i < 2,
        )
        copy(world, made, language=mandarin)
        if bilingual:
            copy(world, made, language=kazakh)
        films.append(made)
    start = today() + dt.timedelta(days=20)
    services.announcement_publish(
        user=world.station,
        title="第一季度供片信息",
        period_start=start,
        period_end=start + dt.timedelta(days=90),
        films=films,
    )
    return mandarin, kazakh


def _row(page, title):
    return page.locator(".pick", has=page.get_by_text(f"《{title}》", exact=True))


def test_an_operator_ticks_two_announced_films_with_their_languages_on_a_phone(
    transactional_db, live_server, phone_page
):
    world = World()
    mandarin, kazakh = _announcement(world)
    page = phone_page
    login_via_form(page, live_server, "operator", PASSWORD)

    page.get_by_role("link", name="按此申请片源").click()
    ticks = page.get_by_role("checkbox")
    expect(ticks).to_have_count(7)
    for i in range(7):
        expect(ticks.nth(i)).not_to_be_checked()
    # Each row shows the film, its key-film mark and its languages; a tick target a thumb hits.
    first = _row(page, "榜样8")
    expect(first).to_contain_text("重点片")
    expect(first).to_contain_text("普通话")
    expect(first).to_contain_text("哈萨克语")
    box = first.locator("label.pick-film").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300, box
    # The date and language of a film show only once it is ticked.
    expect(first.get_by_label("计划放映日期")).to_be_hidden()
    shot(page, "operator-390-film-request-untouched")
    assert horizontal_overflow(page) <= 1, "the pick list scrolls sideways on a phone"

    # Sending with nothing ticked says so next to the list, and sends nothing.
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#picklist-error")).to_have_text("请勾选要申请的电教片，至少一部")
    assert not FilmRequest.objects.exists()

    wanted_on = today() + dt.timedelta(days=30)
    page.get_by_role("checkbox", name=re.compile("焦裕禄")).check()
    row = _row(page, "焦裕禄")
    row.get_by_label("计划放映日期").fill(wanted_on.isoformat())
    row.get_by_text("哈萨克语", exact=True).last.click()
    page.get_by_role("checkbox", name=re.compile("石榴花开")).check()
    _row(page, "石榴花开").get_by_text("普通话", exact=True).last.click()
    shot(page, "operator-390-film-request-ticked")
    assert horizontal_overflow(page) <= 1

    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".messages")).to_contain_text("片源申请已提交")
    made = FilmRequest.objects.get()
    lines = {line.film.title: (line.language, line.wanted_on) for line in made.lines.all()}
    start = today() + dt.timedelta(days=20)
    assert lines == {"焦裕禄": (kazakh, wanted_on), "石榴花开": (mandarin, start)}
    assert (made.village, made.source) == (world.village, "第一季度供片信息")
    expect(page.locator("main")).to_contain_text("哈萨克语")
    shot(page, "operator-390-film-request-sent")


def test_the_pick_list_on_a_pc(transactional_db, live_server, new_context):
    world = World()
    _announcement(world)
    page = new_context(viewport={"width": 1366, "height": 800}).new_page()
    login_via_form(page, live_server, "operator", PASSWORD)
    page.get_by_role("link", name="按此申请片源").click()
    page.get_by_role("checkbox", name=re.compile("榜样8")).check()
    expect(_row(page, "榜样8").get_by_label("计划放映日期")).to_be_visible()
    shot(page, "operator-1366-film-request")
    assert horizontal_overflow(page) <= 1
