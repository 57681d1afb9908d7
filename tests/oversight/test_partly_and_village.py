"""A partly met item (部分达标) may open a rectification like a failed one, and the web form
inspects a whole village as well as a viewing point."""

import datetime as dt
import re

from django.urls import reverse

from dianjiao.audit.models import AuditEvent
from dianjiao.oversight import selectors, services
from dianjiao.oversight.models import Inspection, Rectification
from tests.oversight.helpers import answers, inspect, template


def _form(tpl, statuses, scores, where, **extra):
    data = {"kind": "monthly", "inspected_on": "2026-11-20", **where}
    for item, status, score in zip(tpl.items.all(), statuses, scores, strict=True):
        data[f"item_{item.pk}_status"] = status
        data[f"item_{item.pk}_score"] = score
    return data | extra


# ---------------------------------------------------------------- partly met items


def test_a_partly_met_item_opens_a_rectification_when_the_inspector_asks(world):
    tpl = template(world)
    first, second, _viewing = tpl.items.all()
    marks = answers(
        tpl, "partly", "partly", "fails", i0={"rectify": True}, i2={"override_reason": "x"}
    )
    insp = services.inspection_record(
        user=world.inspector,
        village=world.village,
        point=world.point,
        kind="monthly",
        inspected_on=dt.date(2026, 11, 20),
        template=tpl,
        answers=marks,
    )
    rects = {r.result.item_id: r for r in insp.rectifications.select_related("result")}
    # the marked partly item and the failed one; the unmarked partly item none
    assert set(rects) == {first.pk, tpl.items.last().pk}
    assert rects[first.pk].result.status == "partly"
    assert rects[first.pk].due_on == dt.date(2026, 12, 20) and rects[first.pk].status == "open"
    assert second.pk not in rects


def test_a_met_item_never_opens_one_even_when_marked(world):
    tpl = template(world)
    insp = inspect(
        world,
        tpl,
        "meets",
        "na",
        "meets",
        i0={"rectify": True},
        i1={"rectify": True},
        i2={"override_reason": "x"},
    )
    assert not insp.rectifications.exists()


def test_the_partly_rectification_is_listed_owed_and_counted_like_a_failed_one(world, login):
    tpl = template(world)
    insp = inspect(
        world,
        tpl,
        "partly",
        "meets",
        "meets",
        i0={"rectify": True},
        i2={"override_reason": "x"},
        day=dt.date(2026, 10, 1),
    )
    rect = insp.rectifications.get()
    today = dt.date(2026, 11, 29)
    assert rect.due_on < today
    # the village's and the station's to-do lists: overdue
    assert any(
        t.overdue and rect.problem in t.text for t in selectors.todos_for(world.operator, today)
    )
    assert any(
        t.overdue and rect.problem in t.text for t in selectors.todos_for(world.station, today)
    )
    # the list shows its verdict
    page = login(world.station).get(reverse("oversight:rectifications"))
    assert rect.problem in page.text and "部分达标" in page.text
    detail = login(world.operator).get(reverse("oversight:rectification", args=[rect.pk]))
    assert "部分达标" in detail.text
    # the assessment counts it: one owed, none accepted on time
    a = services.assessment_compute(user=world.station, township=world.township, year=2026)
    c = a.scores.get(village=world.village).components["rectifications"]
    assert c["rate"] == 0.0 and "0/1" in c["detail"]


def test_the_web_checklist_offers_the_choice_and_a_correction_keeps_it(world, login):
    tpl = template(world)
    first = tpl.items.first()
    client = login(world.inspector)
    url = reverse("oversight:inspection_new")
    data = _form(
        tpl,
        ["partly", "meets", "fails"],
        [10, 30, 0],
        {"point": world.point.pk},
        **{f"item_{first.pk}_rectify": "on"},
    )
    page = client.get(url, {"point": world.point.pk})
    assert f'name="item_{first.pk}_rectify"' in page.text
    response = client.post(url, data)
    insp = Inspection.objects.get()
    assert response.status_code == 302
    assert insp.rectifications.count() == 2
    assert AuditEvent.objects.filter(
        model="oversight.rectification", actor=world.inspector
    ).exists()
    form = client.get(reverse("oversight:inspection_correct", args=[insp.pk]))
    box = re.search(rf'<input[^>]*name="item_{first.pk}_rectify"[^>]*>', form.text).group()
    assert "checked" in box


# ---------------------------------------------------------------- a whole village


def test_the_inspector_inspects_a_whole_village_from_the_web_form(world, login):
    tpl = template(world)
    client = login(world.inspector)
    url = reverse("oversight:inspection_new")
    start = client.get(url)
    assert 'name="village"' in start.text and "或检查整村" in start.text
    page = client.get(url, {"village": world.village.pk, "kind": "annual", "point": ""})
    assert page.status_code == 200 and "提交检查" in page.text and "（整村）" in page.text
    data = _form(
        tpl,
        ["meets", "meets", "fails"],
        [20, 30, 0],
        {"village": world.village.pk, "point": ""},
        kind="annual",
    )
    response = client.post(url, data)
    insp = Inspection.objects.get()
    assert response.status_code == 302
    assert (insp.village, insp.point, insp.kind) == (world.village, None, "annual")
    assert insp.rectifications.get().village == world.village
    detail = client.get(reverse("oversight:inspection", args=[insp.pk]))
    assert "红星村" in detail.text and "整村" in detail.text
    listing = client.get(reverse("oversight:inspections"))
    assert "整村" in listing.text


def test_neither_point_nor_village_is_refused_next_to_the_field(world, login):
    template(world)
    page = login(world.inspector).get(
        reverse("oversight:inspection_new"), {"kind": "monthly", "point": "", "village": ""}
    )
    assert "提交检查" not in page.text and "请选择播放点，或选择要检查的村" in page.text


def test_a_point_of_another_village_than_the_one_chosen_is_refused(world, login):
    template(world)
    page = login(world.inspector).get(
        reverse("oversight:inspection_new"),
        {"kind": "monthly", "point": world.point.pk, "village": world.pastoral.pk},
    )
    assert "提交检查" not in page.text and "该播放点不属于阿克达拉村" in page.text


def test_a_village_inspection_is_scoped_like_any_other(world, login):
    tpl = template(world)
    # another township's station cannot pick our village: refused next to the field, nothing
    # written
    outsider = login(world.outsider)
    data = _form(tpl, ["meets", "meets", "meets"], [20, 30, 50], {"village": world.village.pk})
    page = outsider.post(reverse("oversight:inspection_new"), data)
    assert page.status_code == 200 and 'class="error"' in page.text
    assert not Inspection.objects.exists()
    # read-only roles are refused (403) and write nothing
    for user in (world.leader, world.county_viewer, world.operator):
        assert login(user).post(reverse("oversight:inspection_new"), data).status_code == 403
    assert not Inspection.objects.exists()
    insp = services.inspection_record(
        user=world.inspector,
        village=world.village,
        kind="monthly",
        inspected_on=dt.date(2026, 11, 20),
        template=tpl,
        answers=answers(tpl, "meets", "meets", "meets", i2={"override_reason": "x"}),
    )
    detail = reverse("oversight:inspection", args=[insp.pk])
    correct = reverse("oversight:inspection_correct", args=[insp.pk])
    for user in (world.outsider, world.other_op):
        assert login(user).get(detail).status_code == 404
        assert login(user).post(correct, {"reason": "x"}).status_code == 404
    for user in (world.leader, world.county_viewer, world.operator):
        assert login(user).get(detail).status_code == 200
        assert login(user).post(correct, {"reason": "x"}).status_code == 403
    assert Inspection.objects.count() == 1 and not Rectification.objects.exists()
