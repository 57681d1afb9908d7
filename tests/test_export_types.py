"""The film, loan, information-item and roster .xlsx keep figures as numbers and dates as dates
(issue 10, part 8): a spreadsheet can sum copies, sort by days overdue, filter by month. The
compliance and report exports have their own tests (tests/compliance, tests/reports)."""

import datetime as dt

from django.urls import reverse

from dianjiao.films import services as film_services
from dianjiao.infoitems import services as info_services
from dianjiao.lib.xlsx import COUNT, MONTH, PERCENT, Formatted, fraction, month, write_table
from tests.factories import member
from tests.films.helpers import copy, overdue_loan
from tests.infoitems.helpers import send
from tests.xlsx_types import (
    assert_counts,
    assert_dates,
    assert_no_figure_text,
    assert_percents,
    columns,
)


def test_write_table_formats_figure_columns_and_refuses_figures_as_text():
    content = write_table(
        "t",
        ["村", "月份", "场次", "覆盖率", "说明"],
        [
            ["红星村", month(2026, 10), 2, fraction(87.5), Formatted(0.25, PERCENT)],
            ["阿克达拉村", month(2026, 11), 0, None, "无"],
        ],
        formats=[None, MONTH, COUNT, PERCENT],
    )
    cols = columns(content)
    assert_dates(cols["月份"], "yyyy-mm")
    assert_counts(cols["场次"])
    assert_percents(cols["覆盖率"])
    assert cols["覆盖率"][0].value == 0.875 and cols["覆盖率"][1].value is None
    assert_percents(cols["说明"][:1])  # one cell with its own format
    try:
        write_table("t", ["覆盖率"], [["87.5%"]], formats=[PERCENT])
    except TypeError as e:
        assert "覆盖率" in str(e)
    else:
        raise AssertionError("a percentage written as text was accepted")


def test_the_film_catalogue_and_loans_keep_counts_and_dates(world, login):
    film = film_services.film_create(
        user=world.station, title="榜样7", duration_minutes=60, year=2022, is_key_film=True
    )
    copy(world, film)
    overdue_loan(world, copy(world, film), days=5)
    client = login(world.station)
    content = client.get(reverse("films:export")).content
    assert_no_figure_text(content)
    cols = columns(content)
    for name in ("序号", "出品年份", "时长（分钟）", "拷贝数", "在站可借"):
        assert_counts(cols[name])
    assert cols["拷贝数"][0].value == 2 and cols["在站可借"][0].value == 1
    content = client.get(reverse("films:loan_export"), {"state": "all"}).content
    assert_no_figure_text(content)
    cols = columns(content)
    assert_counts(cols["序号"])
    assert_counts(cols["逾期天数"])
    assert cols["逾期天数"][0].value == 5
    assert_dates(cols["发放时间"], "yyyy-mm-dd hh:mm")
    assert_dates(cols["应还日期"], "yyyy-mm-dd")


def test_the_information_items_keep_versions_and_times(world, login):
    item = send(world, title="红星村冬季电教")
    info_services.item_adopt(item=item, user=world.station)
    content = login(world.station).get(reverse("infoitems:export")).content
    assert_no_figure_text(content)
    cols = columns(content)
    assert_counts(cols["序号"])
    assert_counts(cols["版本数"])
    assert_dates(cols["报送时间"], "yyyy-mm-dd hh:mm")
    assert_dates(cols["采用时间"], "yyyy-mm-dd hh:mm")


def test_the_roster_keeps_dates_as_dates(world, login):
    member(world.village, "王芳", world.point, male=False, birth=dt.date(1980, 4, 2))
    content = login(world.station).get(reverse("members:export")).content
    cols = columns(content)
    assert_counts(cols["序号"])
    birth = next(h for h in cols if h.startswith("出生"))
    joined = next(h for h in cols if h.startswith("入党"))
    assert_dates(cols[birth], "yyyy-mm-dd")
    assert_dates(cols[joined], "yyyy-mm-dd")
    assert dt.datetime(1980, 4, 2) in [c.value for c in cols[birth]]
