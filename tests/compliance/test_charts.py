"""The bar charts' geometry (issue 10, part 8): text in CSS px that never scales, bars that leave
room for their values on the narrowest phone, whole village names."""

import pytest
from django.urls import reverse

from dianjiao.compliance import charts
from tests.compliance.test_compliance import year  # noqa: F401  (the hand-counted year)


def _fits_narrowest(chart):
    """A full bar and its value fit a chart of the narrowest planned width."""
    end = chart["x0"] + chart["span"] / 100 * charts.NARROWEST_PX
    return end + charts.VALUE_ROOM_PX <= charts.NARROWEST_PX


def test_text_width_counts_cjk_as_one_em():
    assert charts.text_px("红星村") == 3 * charts.FONT_PX
    assert charts.text_px("12") == round(2 * 0.6 * charts.FONT_PX)


def test_short_labels_stand_left_of_their_bars_and_values_follow_the_bar():
    chart = charts.hbars([("1月", 50.0, ""), ("12月", 100.0, ""), ("2月", None, "")])
    assert not chart["stacked"]
    assert chart["x0"] == charts.text_px("12月") + charts.GAP_PX
    assert _fits_narrowest(chart)
    half, full, none = chart["bars"]
    assert full["length"] == chart["span"] and half["length"] == chart["span"] / 2
    assert none["length"] == 0 and none["value"] == "—"
    assert (half["value"], full["value"]) == ("50%", "100%")
    # one row per bar, each row below the previous, the chart tall enough for all of them
    assert half["bar_y"] < full["bar_y"] < none["bar_y"] < chart["height"]
    assert chart["font"] >= 13


def test_long_names_go_above_their_bars_whole():
    name = "克孜勒希力克牧业新村"
    chart = charts.hbars([(name, 73.0, ""), ("红星村", 120.0, "")])
    assert chart["stacked"] and chart["x0"] == 0
    assert _fits_narrowest(chart)
    first, second = chart["bars"]
    assert first["label"] == name
    assert first["label_y"] < first["bar_y"]  # the name above its bar
    assert first["bar_y"] + chart["bar_h"] < second["label_y"] - charts.FONT_PX  # rows apart
    assert second["length"] == chart["span"]  # more than 100 % is drawn as 100 %


@pytest.mark.parametrize("names", [["阔克阿尕什村"], ["克孜勒希力克牧业新村"]])
def test_every_label_fits_left_or_above(names):
    chart = charts.hbars([(n, 10.0, "") for n in names])
    assert _fits_narrowest(chart)
    if not chart["stacked"]:
        assert charts.text_px(names[0]) <= charts.LEFT_LABEL_MAX_PX


def test_the_dashboard_names_every_village_in_full_in_its_chart(year, world, login):  # noqa: F811
    html = login(world.station).get(reverse("planning:dashboard"), {"year": 2026}).content.decode()
    chart = html[html.index('<svg class="chart" role="img" aria-label="各村') :]
    chart = chart[: chart.index("</svg>")]
    assert ">阿克达拉村</text>" in chart and ">红星村</text>" in chart
    assert "viewBox" not in chart and 'width="100%"' in chart
