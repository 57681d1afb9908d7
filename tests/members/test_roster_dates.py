"""Dates in a roster sheet (dianjiao.members.roster_xlsx.date), over generated days: every way
a county's sheets write a date reads back as that day, and anything else is a CellError with a
message for the user, never a crash."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.datetime import to_excel

from dianjiao.members import roster_xlsx
from dianjiao.members.roster_xlsx import CellError

days = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2099, 12, 31))


def spellings(d: dt.date):
    yield d
    yield dt.datetime.combine(d, dt.time(0, 0))
    yield f"{d:%Y-%m-%d}"
    yield f"{d.year}/{d.month}/{d.day}"
    yield f"{d.year}.{d.month:02d}.{d.day:02d}"
    yield f"{d.year}年{d.month}月{d.day}日"
    yield f"{d.year} 年 {d.month} 月 {d.day} 日"
    yield f"{d:%Y-%m-%d} 00:00:00"
    yield f"{d:%Y%m%d}"
    yield int(f"{d:%Y%m%d}")  # 19750308 typed as a number
    yield float(f"{d:%Y%m%d}")
    yield to_excel(d)  # a date serial in a cell not formatted as a date


@given(days)
def test_every_spelling_of_a_day_reads_as_that_day(d):
    for value in spellings(d):
        assert roster_xlsx.date(value) == d, value


@given(days)
def test_a_day_written_out_as_text_reads_back(d):
    assert roster_xlsx.date(roster_xlsx.text(d)) == d


@given(st.text(max_size=20) | st.integers() | st.floats())
def test_anything_else_is_a_cell_error_or_a_day(value):
    try:
        result = roster_xlsx.date(value)
    except CellError as exc:
        assert str(exc)
    else:
        assert result is None or isinstance(result, dt.date)


@given(st.integers(1900, 2099), st.integers(1, 12), st.integers(29, 31))
def test_a_day_that_does_not_exist_is_refused(year, month, day):
    try:
        dt.date(year, month, day)
    except ValueError:
        with pytest.raises(CellError, match="不存在"):
            roster_xlsx.date(f"{year}-{month}-{day}")
