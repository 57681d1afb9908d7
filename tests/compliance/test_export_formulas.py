"""The work-plan table of the compliance exports writes a plan's text that looks like a formula
as text."""

from django.urls import reverse

from tests.test_export_formulas import assert_text


def test_a_work_plan_like_a_formula_exports_as_text(world, login):
    client = login(world.station)
    r = client.post(
        reverse("planning:workplan_submit") + "?year=2026",
        {"village": world.village.pk, "text": "+1 全年播放十二次"},
    )
    assert r.status_code == 302
    response = client.get(reverse("planning:export"), {"year": 2026, "table": "workplans"})
    assert response.status_code == 200
    assert_text(response.content, "+1 全年播放十二次")
