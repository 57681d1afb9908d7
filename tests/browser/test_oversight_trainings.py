"""The pages issue 12's last parts added or changed, in a real browser: a whole village inspected
on a 390-px phone with a partly met item sent to rectification; the station hands out a
training's material and withdraws it on a PC; the AV cadres' training records; the assessment's
official document. Screenshots at 390 and 1366 px, none wider than the screen."""

import datetime as dt

import pytest
from docx import Document
from playwright.sync_api import expect

from dianjiao.lib import dates
from dianjiao.oversight import services
from dianjiao.oversight.models import Inspection, TrainingMaterial
from tests.browser.helpers import horizontal_overflow, login_via_form, shot
from tests.factories import PASSWORD, World
from tests.oversight.helpers import inspect, template

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}


def test_a_whole_village_inspected_on_a_phone_sends_a_partly_met_item_to_rectification(
    transactional_db, live_server, phone_page
):
    w = World()
    tpl = template(w)
    page = phone_page
    login_via_form(page, live_server, "inspector", PASSWORD)
    page.goto(f"{live_server.url}/oversight/inspections/new/")
    page.locator("select[name=village]").select_option(str(w.village.pk))
    page.locator("select[name=kind]").select_option("annual")
    page.locator("input[name=inspected_on]").fill(dates.today().isoformat())
    assert horizontal_overflow(page) == 0
    shot(page, "oversight-inspection-village-start-phone")
    page.get_by_role("button", name="开始检查").click()
    expect(page.locator("main h1")).to_contain_text("红星村（整村）")
    first, second, viewing = tpl.items.all()
    page.locator(f"select[name=item_{first.pk}_status]").select_option("partly")
    page.locator(f"input[name=item_{first.pk}_score]").fill("12")
    page.locator(f"textarea[name=item_{first.pk}_note]").fill("投影仪灯泡偏暗")
    page.locator(f"input[name=item_{first.pk}_rectify]").check()
    page.locator(f"select[name=item_{second.pk}_status]").select_option("meets")
    page.locator(f"input[name=item_{second.pk}_score]").fill("30")
    page.locator(f"input[name=item_{viewing.pk}_score]").fill("0")  # the records' "fails"
    assert horizontal_overflow(page) == 0
    shot(page, "oversight-checklist-village-phone")
    page.get_by_role("button", name="提交检查").click()
    expect(page.locator("main h1").first).to_contain_text("红星村")
    insp = Inspection.objects.get()
    assert insp.point is None and insp.kind == "annual"
    statuses = sorted(r.result.status for r in insp.rectifications.select_related("result"))
    assert statuses == ["fails", "partly"]
    assert horizontal_overflow(page) == 0
    shot(page, "oversight-inspection-village-detail-phone")
    page.goto(f"{live_server.url}/oversight/rectifications/")
    expect(page.locator("main")).to_contain_text("部分达标")
    assert horizontal_overflow(page) == 0
    shot(page, "oversight-rectifications-partly-phone")


def test_the_station_hands_out_and_withdraws_a_material_and_reads_the_cadres_records(
    transactional_db, live_server, new_context, tmp_path
):
    w = World()
    t = services.training_record(
        user=w.station,
        township=w.township,
        kind="field",
        title="赴示范村学习电教阵地建设经验",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 9, 2),
        hours=12,
        trainers="县委组织部电教中心",
        place="县城",
        attendees=[
            {"village": w.village, "name": "刘电教"},
            {"village": w.pastoral, "name": "巴合提别克·努尔兰"},
        ],
    )
    handout = tmp_path / "党员电教工作手册（2026年修订版）.pdf"
    handout.write_bytes(b"%PDF-1.4\n% handout\n")
    pc = new_context(viewport=WIDE).new_page()
    login_via_form(pc, live_server, "station", PASSWORD)
    pc.goto(f"{live_server.url}/oversight/trainings/{t.pk}/")
    pc.get_by_role("link", name="上传资料").click()
    shot(pc, "oversight-material-upload-pc")
    pc.locator("input[name=file]").set_input_files(str(handout))
    pc.get_by_role("button", name="保存").click()
    expect(pc.locator(".messages")).to_contain_text("培训资料已上传")
    m = TrainingMaterial.objects.get()
    expect(pc.locator("main")).to_contain_text("党员电教工作手册（2026年修订版）")
    with pc.expect_download() as download:
        pc.get_by_role("link", name="党员电教工作手册（2026年修订版）").click()
    assert download.value.suggested_filename == handout.name
    shot(pc, "oversight-training-pc")
    # withdraw: a reason is required, then it is marked and kept
    pc.get_by_role("link", name="撤回").click()
    pc.get_by_role("button", name="保存").click()
    expect(pc.locator(".error")).to_be_visible()
    pc.locator("textarea[name=reason]").fill("已有新版")
    pc.get_by_role("button", name="保存").click()
    expect(pc.locator("main")).to_contain_text("已撤回")
    m.refresh_from_db()
    assert m.withdrawn and m.withdraw_reason == "已有新版"
    assert horizontal_overflow(pc) == 0
    shot(pc, "oversight-training-withdrawn-pc")
    # the AV cadres' records, from the training's attendance
    pc.get_by_role("link", name="刘电教").click()
    expect(pc.locator("main h1")).to_contain_text("刘电教")
    expect(pc.locator("main")).to_contain_text("赴示范村学习电教阵地建设经验")
    shot(pc, "oversight-cadre-pc")
    pc.get_by_role("link", name="电教干部培训档案").first.click()
    expect(pc.locator("main")).to_contain_text("巴合提别克·努尔兰")
    assert horizontal_overflow(pc) == 0
    shot(pc, "oversight-cadres-pc")

    # the same pages on the village operator's phone
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login_via_form(phone, live_server, "operator", PASSWORD)
    pages = {
        "training": f"/oversight/trainings/{t.pk}/",
        "cadres": "/oversight/trainings/cadres/",
        "cadre": f"/oversight/trainings/cadres/{w.village.pk}/刘电教/",
        "trainings": "/oversight/trainings/",
    }
    for name, path in pages.items():
        response = phone.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert horizontal_overflow(phone) == 0, f"{name} overflows at 390 px"
        shot(phone, f"oversight-{name}-operator-phone")
    # the withdrawn material is no longer handed to the village
    phone.goto(f"{live_server.url}/oversight/trainings/{t.pk}/")
    expect(phone.locator("main")).not_to_contain_text("党员电教工作手册")


def test_the_assessment_offers_its_official_document(transactional_db, live_server, new_context):
    w = World()
    tpl = template(w)
    inspect(w, tpl, "meets", "partly", "fails")
    a = services.assessment_compute(user=w.station, township=w.township, year=2026)
    services.assessment_publish(user=w.leader, assessment=a)
    for label, size in (("phone", PHONE), ("pc", WIDE)):
        page = new_context(viewport=size, is_mobile=label == "phone").new_page()
        login_via_form(page, live_server, "leader", PASSWORD)
        page.goto(f"{live_server.url}/oversight/assessments/{a.pk}/")
        assert horizontal_overflow(page) == 0
        shot(page, f"oversight-assessment-docx-{label}")
        with page.expect_download() as download:
            page.get_by_role("link", name="导出公文（Word）").click()
        doc = Document(str(download.value.path()))
        assert "乌伦古乡2026年度党支部党员电教工作考核结果" in [p.text for p in doc.paragraphs]
