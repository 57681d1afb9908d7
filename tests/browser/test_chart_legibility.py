"""The compliance charts read well on a 390-px phone and a 1366-px PC (issue 10, part 8).

Every text of every chart is measured as drawn: its computed font size times the scale at which
its SVG is drawn (a viewBox shrinks or enlarges everything inside it), and its box on the page.
Labels and values must be at least MIN_PX, inside the chart, clear of one another; each bar has
its value on or beside it; each village is named in full."""

import datetime as dt
from unittest import mock

import pytest

from dianjiao.lib import dates
from dianjiao.teaching.models import Attendance
from tests import factories
from tests.browser.helpers import SCREENSHOTS, horizontal_overflow, login_via_form, shot
from tests.clock import local
from tests.factories import PASSWORD, World
from tests.teaching.conftest import Cast, record

pytestmark = pytest.mark.browser

MIN_PX = 13  # CJK text smaller than this is hard to read for the programme's older operators
PC = {"width": 1366, "height": 768}
VILLAGES = {
    # The demo township's longest names, and a name too long for a label column.
    "names": ["阔克阿尕什村", "喀拉玛盖村"],
    "long-names": ["克孜勒希力克牧业新村", "喀拉玛盖村"],
}

# Each chart's texts as drawn: the font size in CSS px after the SVG's own scaling, and boxes.
MEASURE = """() => [...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBoundingClientRect();
  const vb = svg.viewBox && svg.viewBox.baseVal;
  const scale = vb && vb.width ? box.width / vb.width : 1;
  const rect = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                      width: r.width, height: r.height});
  return {
    label: svg.getAttribute('aria-label'),
    box: rect(box),
    texts: [...svg.querySelectorAll('text')].map(t => ({
      text: t.textContent.trim(),
      cls: t.getAttribute('class') || '',
      px: parseFloat(getComputedStyle(t).fontSize) * scale,
      box: rect(t.getBoundingClientRect()),
    })),
    bars: [...svg.querySelectorAll('rect')].map(r => rect(r.getBoundingClientRect()))
      .filter(r => r.width > 0 && r.height > 0),
  };
})"""


def _overlap(a, b, slack=0.5):
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack
    )


def _year_of_viewings(world, names):
    """Villages with those names beside 红星村, and a viewing in each of the year's first ended
    months: everyone present at 红星村, one of two members absent elsewhere."""
    cast = Cast(world)
    others = []
    for name in names:
        village = factories.village(name, township_obj=world.township)
        point = factories.point(village, "村委会电教室")
        members = [
            factories.member(village, f"{name[:2]}甲", point),
            factories.member(village, f"{name[:2]}乙", point),
        ]
        others.append((village, point, members))
    today = dates.today()
    for month in range(1, min(today.month, 4)):
        held = local(today.year, month, 10, 9, 0)
        with mock.patch(
            "django.utils.timezone.now", lambda held=held: held + dt.timedelta(hours=1)
        ):
            record(cast, held_at=held)
            for i, (village, point, members) in enumerate(others):
                if month == 3 and i == 1:
                    continue  # a village that missed a month: a shorter, orange bar
                present, absent = members
                record(
                    cast,
                    held_at=held,
                    author=world.station,
                    village=village,
                    point=point,
                    attendance={
                        present.pk: (Attendance.Status.PRESENT, ""),
                        absent.pk: (Attendance.Status.ABSENT, ""),
                    },
                )


@pytest.mark.parametrize("names", sorted(VILLAGES))
@pytest.mark.parametrize("size", ["phone", "pc"])
def test_chart_labels_and_values_are_legible_on_a_phone_and_a_pc(
    transactional_db, live_server, request, new_context, size, names
):
    world = World()
    _year_of_viewings(world, VILLAGES[names])
    if size == "pc":
        page = new_context(viewport=PC).new_page()
    else:
        page = request.getfixturevalue("phone_page")
    login_via_form(page, live_server, "station", PASSWORD)
    page.goto(f"{live_server.url}/plan/")
    charts = page.locator("svg.chart")
    assert charts.count() == 2
    charts.first.scroll_into_view_if_needed()
    shot(page, f"plan-charts-{names}-{size}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("svg.chart").first.locator("xpath=../..").screenshot(
        path=str(SCREENSHOTS / f"plan-charts-{names}-{size}-close.png")
    )
    assert horizontal_overflow(page) == 0

    measured = page.evaluate(MEASURE)
    for chart in measured:
        where = f"{chart['label']} at {page.viewport_size['width']}px"
        texts = [t for t in chart["texts"] if t["text"]]
        assert texts, where
        small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < MIN_PX]
        assert not small, f"{where}: text drawn smaller than {MIN_PX}px: {small[:6]}"
        short = [t["text"] for t in texts if t["box"]["height"] < MIN_PX - 1]
        assert not short, f"{where}: glyph boxes lower than {MIN_PX - 1}px: {short[:6]}"
        svg = chart["box"]
        outside = [
            t["text"]
            for t in texts
            if t["box"]["left"] < svg["left"] - 1 or t["box"]["right"] > svg["right"] + 1
        ]
        assert not outside, f"{where}: cut off at the chart's edge: {outside}"
        clashes = [
            (a["text"], b["text"])
            for i, a in enumerate(texts)
            for b in texts[i + 1 :]
            if _overlap(a["box"], b["box"])
        ]
        assert not clashes, f"{where}: overlapping labels: {clashes[:6]}"
        values = [t for t in texts if t["text"].endswith("%") and t["cls"] != "caption"]
        for bar in chart["bars"]:
            near = {**bar, "right": bar["right"] + 24, "top": bar["top"] - 4}
            assert any(_overlap(near, v["box"], slack=0) for v in values), (
                f"{where}: a bar without its value on or beside it"
            )

    held = next(c for c in measured if "各村" in c["label"])
    labels = {t["text"] for t in held["texts"]}
    for name in ["红星村", "阿克达拉村", *VILLAGES[names]]:
        assert name in labels, f"{name} is not named in full: {sorted(labels)}"
    if dates.today().month > 1:
        # 阿克达拉村 has no viewing (0 %, no bar); every other village has its bar
        assert len(held["bars"]) == 1 + len(VILLAGES[names])
