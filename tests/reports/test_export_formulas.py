"""The quarterly-report list export writes a return reason that looks like a formula as text."""

from django.urls import reverse

from dianjiao.reports import services
from tests.reports.test_views import _july_session, _report
from tests.test_export_formulas import assert_text


def test_a_return_reason_like_a_formula_exports_as_text(world, login, clock, cast):
    _july_session(cast, clock)
    report = services.report_submit(_report(world), user=world.operator)
    services.report_return(report, user=world.station, reason="=cmd|' /C calc'!A0")
    response = login(world.station).get(reverse("reports:export"), {"year": 2026})
    assert response.status_code == 200
    assert_text(response.content, "=cmd|' /C calc'!A0")
