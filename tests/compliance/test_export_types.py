"""The compliance tables' .xlsx keep figures as numbers (issue 10, part 8): counts as integers,
rates as fractions formatted as percent, months as dates, each pair in two columns."""

import datetime as dt

import pytest
from django.urls import reverse

from dianjiao.plans.services import workplan_submit
from tests.compliance.test_compliance import year  # noqa: F401  (the hand-counted year)
from tests.xlsx_types import (
    assert_counts,
    assert_dates,
    assert_decimals,
    assert_no_figure_text,
    assert_percents,
    columns,
)

pytestmark = pytest.mark.django_db


def _get(client, table):
    response = client.get(reverse("planning:export"), {"year": 2026, "table": table})
    assert response.status_code == 200
    assert_no_figure_text(response.content)
    return columns(response.content)


def test_the_matrix_keeps_months_counts_and_coverage_as_numbers(year, world, login):  # noqa: F811
    cols = _get(login(world.station), "matrix")
    assert_dates(cols["月份"], "yyyy-mm")
    for name in ("收看场次", "重点片场次", "信息条数", "应到党员", "到场党员"):
        assert_counts(cols[name])
    assert_percents(cols["覆盖率"])
    october = [
        i
        for i, (v, m) in enumerate(zip(cols["村"], cols["月份"], strict=True))
        if v.value == "红星村" and m.value == dt.datetime(2026, 10, 1)
    ]
    assert [cols["覆盖率"][i].value for i in october] == [0.75]  # 3 of 4 expected members


def test_the_village_table_splits_reports_sent_and_due(year, world, login):  # noqa: F811
    cols = _get(login(world.station), "coverage")
    for name in (
        "已过月数",
        "收看月数",
        "已反馈月数",
        "四环不完整",
        "应到党员人次",
        "到场党员人次",
        "信息条数",
        "信息不足月数",
        "季度报告已报",
        "季度报告应报",
        "逾期未报季度",
    ):
        assert_counts(cols[name])
    assert_percents(cols["覆盖率"])
    assert cols["覆盖率"][0].value == 0.875  # 红星村: 7 of 8 member-months
    assert_decimals(cols["牧区流动教学学时"])


def test_the_township_table_keeps_rates_as_percent(year, world, login):  # noqa: F811
    cols = _get(login(world.county_viewer), "townships")
    for name in ("村数", "收看月数", "应收看月数", "四环不完整", "季度报告已报", "季度报告应报"):
        assert_counts(cols[name])
    for name in ("收看率", "反馈率", "覆盖率"):
        assert_percents(cols[name])
    wulungu = [c.value for c in cols["乡镇"]].index("乌伦古乡")
    held, ended = cols["收看月数"][wulungu].value, cols["应收看月数"][wulungu].value
    assert cols["收看率"][wulungu].value == pytest.approx(round(held / ended, 3))


def test_the_work_plan_table_keeps_versions_and_times(year, world, login):  # noqa: F811
    workplan_submit(user=world.operator, village=world.village, year=2026, text="全年播放十二次")
    cols = _get(login(world.station), "workplans")
    assert_counts(cols["最新版本"])
    assert_dates(cols["报送时间"], "yyyy-mm-dd hh:mm")
