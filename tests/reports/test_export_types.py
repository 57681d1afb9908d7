"""A quarterly report's .xlsx and the report list's .xlsx keep figures as numbers (issue 10,
part 8): counts as integers, the attendance rate as a fraction formatted as percent, times as
dates; the docx and the pages still show "100.0%" and "1/1"."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from dianjiao.reports import exports, services
from tests.clock import NOW
from tests.teaching.conftest import ABSENT, local, record, record_key
from tests.xlsx_types import (
    assert_counts,
    assert_dates,
    assert_no_figure_text,
    assert_percents,
    columns,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world, cast, clock):
    """Q3 2026 of 红星村: a monthly showing with everyone and a key film with 3 of 4 present."""
    clock.at = local(2026, 7, 10, 10, 0)
    record(cast, held_at=local(2026, 7, 10, 9, 0))
    clock.at = local(2026, 8, 12, 10, 0)
    record_key(
        cast,
        held_at=local(2026, 8, 12, 9, 0),
        attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")},
    )
    clock.at = NOW
    r = services.report_create(
        village=world.village, author=world.operator, year=2026, quarter=3, narrative="", plan=""
    )
    return services.report_submit(r, user=world.operator)


def test_a_reports_xlsx_keeps_its_figures_as_numbers(report):
    content = exports.report_xlsx(report)
    assert_no_figure_text(content)
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = {row[0].value: row[1] for row in ws.iter_rows(min_row=2)}
    assert_counts(
        [
            cells["播放收看场次"],
            cells["应到人次"],
            cells["实到人次"],
            cells["放映重点片的场次"],
            cells["其中：四环完整"],
        ]
    )
    assert (cells["应到人次"].value, cells["实到人次"].value) == (8, 7)
    assert (cells["放映重点片的场次"].value, cells["其中：四环完整"].value) == (1, 1)
    assert_percents([cells["到课率（实到/应到）"]])
    assert cells["到课率（实到/应到）"].value == 0.875
    # the report's page and its docx keep the figures as people read them
    shown = dict(exports.figure_rows(report))
    assert shown["到课率（实到/应到）"] == "87.5%"
    assert shown["放映重点片的场次：四环完整/全部"] == "1/1"


def test_the_report_list_export_keeps_figures_as_numbers(report, world, login):
    response = login(world.station).get(reverse("reports:export"), {"year": 2026})
    assert response.status_code == 200
    assert_no_figure_text(response.content)
    cols = columns(response.content)
    for name in ("序号", "年度", "季度", "版本数", "播放收看场次", "应到人次", "实到人次"):
        assert_counts(cols[name])
    assert_percents(cols["到课率"])
    assert cols["到课率"][0].value == 0.875
    assert_dates(cols["上报时间"], "yyyy-mm-dd hh:mm")
    assert cols["上报时间"][0].value.date() == dt.date(2026, 11, 29)
