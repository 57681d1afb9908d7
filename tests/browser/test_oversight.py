"""The oversight loop in a real browser: the inspector walks a checklist on a 390-px phone (one
item pre-filled from the records) through a failed item; the village answers the rectification
with evidence on its phone and the station accepts it; the leader approves a bulletin on a PC.
Screenshots of the main oversight pages at 390 and 1366 px, none wider than the screen."""

import pytest
from playwright.sync_api import expect

from dianjiao.lib import dates
from dianjiao.oversight import services
from dianjiao.oversight.models import Bulletin, Inspection, Rectification
from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.factories import PASSWORD, World
from tests.oversight.helpers import template

pytestmark = pytest.mark.browser
WIDE = {"width": 1366, "height": 900}


def test_an_inspection_on_a_phone_to_a_closed_rectification_and_an_approved_bulletin(
    transactional_db, live_server, phone_page, new_context
):
    w = World()
    tpl = template(w)
    page = phone_page
    login_via_form(page, live_server, "inspector", PASSWORD)
    page.goto(f"{live_server.url}/oversight/inspections/new/")
    page.locator("select[name=point]").select_option(str(w.point.pk))
    page.locator("input[name=inspected_on]").fill(dates.today().isoformat())
    shot(page, "oversight-inspection-start-phone")
    page.get_by_role("button", name="开始检查").click()
    items = list(tpl.items.all())
    # The viewing item is answered by the records: no viewing this month, so "fails" is preset.
    expect(page.locator(".fromrec")).to_contain_text("来自记录")
    viewing = items[2]
    assert page.locator(f"select[name=item_{viewing.pk}_status]").input_value() == "fails"
    page.locator(f"select[name=item_{items[0].pk}_status]").select_option("meets")
    page.locator(f"input[name=item_{items[0].pk}_score]").fill("20")
    page.locator(f"select[name=item_{items[1].pk}_status]").select_option("fails")
    page.locator(f"input[name=item_{items[1].pk}_score]").fill("0")
    page.locator(f"textarea[name=item_{items[1].pk}_note]").fill("手册有补记")
    page.locator(f"input[name=item_{viewing.pk}_score]").fill("0")
    assert horizontal_overflow(page) == 0
    shot(page, "oversight-checklist-phone")
    page.get_by_role("button", name="提交检查").click()
    expect(page.locator("main h1")).to_contain_text("红星村")
    assert horizontal_overflow(page) == 0
    shot(page, "oversight-inspection-detail-phone")
    insp = Inspection.objects.get()
    assert insp.score == 20 and insp.rectifications.count() == 2

    # The village answers on its phone, with evidence.
    rect = Rectification.objects.filter(result__item=items[1]).get()
    village = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    login_via_form(village, live_server, "operator", PASSWORD)
    village.goto(f"{live_server.url}/oversight/rectifications/{rect.pk}/")
    village.get_by_role("button", name="报送").click()
    expect(village.locator(".error")).to_contain_text("请写明整改情况或上传整改照片")
    village.locator("textarea[name=response]").fill("已补学手册填写要求，此后当天填写")
    village.get_by_role("button", name="报送").click()
    expect(village.locator(".messages")).to_contain_text("等待电教站验收")
    assert horizontal_overflow(village) == 0
    shot(village, "oversight-rectification-phone")

    # The station accepts on a PC; then drafts a bulletin and submits it.
    pc = new_context(viewport=WIDE).new_page()
    login_via_form(pc, live_server, "station", PASSWORD)
    pc.goto(f"{live_server.url}/oversight/rectifications/{rect.pk}/")
    pc.get_by_role("link", name="验收", exact=True).click()
    pc.locator("main button[type=submit]").click()
    rect.refresh_from_db()
    assert rect.status == "accepted"
    today = dates.today()
    b = services.bulletin_draft(
        user=w.station, township=w.township, period="month", year=today.year, part=today.month
    )
    services.bulletin_submit(user=w.station, bulletin=b)

    leader = new_context(viewport=WIDE).new_page()
    login_via_form(leader, live_server, "leader", PASSWORD)
    leader.goto(f"{live_server.url}/oversight/bulletins/{b.pk}/")
    shot(leader, "oversight-bulletin-pc")
    leader.get_by_role("link", name="批准印发").click()
    leader.locator("main button[type=submit]").click()
    expect(leader.locator("main")).to_contain_text("已印发")
    b.refresh_from_db()
    assert b.status == Bulletin.Status.ISSUED and b.approved_by == w.leader


def test_the_oversight_pages_fit_a_phone_and_a_pc(transactional_db, live_server, new_context):
    from dianjiao.demo.oversight import build_oversight

    w = World()
    import random

    users = [w.station, w.leader, w.inspector, w.operator, w.other_op]
    build_oversight(random.Random(3), township=w.township, users=users, as_of=dates.today())
    pages = {
        "overview": "/oversight/",
        "inspections": "/oversight/inspections/",
        "inspection": f"/oversight/inspections/{Inspection.objects.first().pk}/",
        "rectifications": "/oversight/rectifications/",
        "bulletins": "/oversight/bulletins/",
        "bulletin": f"/oversight/bulletins/{Bulletin.objects.filter(status='issued').first().pk}/",
        "assessments": "/oversight/assessments/",
        "meetings": "/oversight/meetings/",
        "trainings": "/oversight/trainings/",
        "demos": "/oversight/demonstration/",
        "checklists": "/oversight/checklists/",
    }
    from dianjiao.oversight.models import Assessment, Meeting

    pages["assessment"] = (
        f"/oversight/assessments/{Assessment.objects.order_by('year').first().pk}/"
    )
    pages["meeting"] = f"/oversight/meetings/{Meeting.objects.first().pk}/"
    for label, size in (("phone", {"width": 390, "height": 844}), ("pc", WIDE)):
        page = new_context(viewport=size, is_mobile=label == "phone").new_page()
        login_via_form(page, live_server, "station", PASSWORD)
        for name, path in pages.items():
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            shot(page, f"oversight-{name}-{label}")
            assert horizontal_overflow(page) == 0, f"{name} overflows at {size['width']} px"
