"""The plan year's figures read once (dianjiao.demo.figures) are the services' own: on a small
built scale, every village's month summary and quarter figures equal what
`teaching.selectors.month_summary` and `reports.services.compute_figures` compute, and the
feedback and reports written in bulk hold them."""

import pytest

from dianjiao.demo import plan_year, scale
from dianjiao.demo.figures import Figures
from dianjiao.orgs.models import Township
from dianjiao.reports import services as report_services
from dianjiao.reports.models import QuarterlyReport
from dianjiao.teaching import selectors
from dianjiao.teaching.models import MonthlyFeedback, ViewingSession
from tests.clock import TODAY
from tests.test_demo import FAST_HASHER

SMALL = scale.Scale("small", counties=1, townships=1, villages=3, members=10, years=2)


@pytest.mark.django_db
def test_the_figures_read_once_are_the_services_figures(settings, tmp_path, clock):  # noqa: ARG001
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    scale.build_scale(SMALL)
    township = Township.objects.get()
    villages = list(township.villages.order_by("sort_order", "name"))
    story = plan_year.story([v.name for v in villages], TODAY)
    figures = Figures(villages, story.months)

    months = 0
    for village in villages:
        for y, m in story.months:
            assert figures.month_summary(village, y, m) == selectors.month_summary(village, y, m)
            months += 1
        for y, q in story.quarters:
            assert figures.quarter(village, y, q) == report_services.compute_figures(village, y, q)
    assert months == 3 * 12
    # The build's feedback and reports hold the same figures (nothing was written after them
    # that changes a session).
    feedback = list(MonthlyFeedback.objects.all())
    assert len(feedback) > 20
    for f in feedback:
        assert f.summary == selectors.month_summary(f.village, f.year, f.month)
    reports = list(QuarterlyReport.objects.select_related("village"))
    assert reports
    for r in reports:
        assert r.figures == report_services.compute_figures(r.village, r.year, r.quarter)
    # The figures compared were not trivial: make-ups, key films, presences counted.
    kinds = set(ViewingSession.objects.values_list("kind", flat=True))
    assert {ViewingSession.Kind.MAKEUP, ViewingSession.Kind.KEY_FILM} <= kinds
    assert sum(f.summary["members_covered"] for f in feedback) > 0
    assert any(f.summary["uncovered"] for f in feedback)
    assert any(f.summary["makeups"] for f in feedback)


@pytest.mark.django_db
def test_the_figures_refuse_a_month_outside_their_window(settings, tmp_path, clock):  # noqa: ARG001
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.VAR_DIR = tmp_path
    scale.build_scale(scale.Scale("one", counties=1, townships=1, villages=1, members=6, years=1))
    village = Township.objects.get().villages.get()
    figures = Figures([village], plan_year.history_months(TODAY, 2))
    y, m = plan_year.history_months(TODAY, 3)[0]
    with pytest.raises(ValueError):
        figures.month_summary(village, y, m)
