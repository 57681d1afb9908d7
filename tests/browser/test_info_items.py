"""Information items in a real browser: an operator sends news with a photo from a phone, the
station adopts and publishes it, and the published list shows it to the village."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from dianjiao.infoitems.models import InfoItem
from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.browser


def _photo(tmp_path):
    """A wide camera-like photo: wider than any phone, so the page must shrink it."""
    path = tmp_path / "放映现场.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (1600, 900), (170, 40, 40)).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return path


def test_news_goes_from_a_phone_to_the_published_list(
    transactional_db, live_server, phone_page, desktop_page, tmp_path
):
    World()
    page = phone_page
    login_via_form(page, live_server, "operator", PASSWORD)
    page.goto(f"{live_server.url}/info/new/")
    page.locator("input[name=title]").fill("红星村冬季集中收看《榜样8》")
    page.locator("select[name=category]").select_option("news")
    page.locator("textarea[name=text]").fill(
        "11月25日，红星村组织党员集中收看《榜样8》，收看后分组讨论。"
    )
    page.locator("input[name=photos]").set_input_files(str(_photo(tmp_path)))
    shot(page, "infoitem-send-phone")
    page.locator("main button[type=submit]").first.click()
    expect(page.locator("main h1")).to_contain_text("红星村冬季集中收看")
    expect(page.locator(".photos img")).to_be_visible()
    assert page.locator(".photos img").evaluate("img => img.getBoundingClientRect().width") <= 390
    assert horizontal_overflow(page) == 0
    shot(page, "infoitem-detail-phone")
    item = InfoItem.objects.get()
    assert item.status == InfoItem.Status.SENT

    station = desktop_page
    login_via_form(station, live_server, "station", PASSWORD)
    station.goto(f"{live_server.url}/info/{item.pk}/")
    station.get_by_role("link", name="采用", exact=True).click()
    station.locator("main button[type=submit]").click()
    station.goto(f"{live_server.url}/info/{item.pk}/")
    station.get_by_role("link", name="发布", exact=True).click()
    station.locator("main button[type=submit]").click()
    item.refresh_from_db()
    assert item.status == InfoItem.Status.PUBLISHED

    page.goto(f"{live_server.url}/info/published/")
    expect(page.locator("main")).to_contain_text("红星村冬季集中收看《榜样8》")
    shot(page, "infoitem-published-phone")
