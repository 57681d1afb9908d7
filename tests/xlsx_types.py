"""Reading an export back to check what kind of cell each figure is (issue 10, part 8).

A spreadsheet can sum, sort and chart only numbers: a count must be a number cell holding an
integer, a rate a number cell holding the fraction (0.875) with a percent format, a date a date
cell. Text such as "87.5%" or "12/12" is what these helpers reject."""

import datetime as dt
import io

from openpyxl import load_workbook


def columns(content: bytes) -> dict[str, list]:
    """The first sheet's cells by header, header row left out."""
    ws = load_workbook(io.BytesIO(content)).active
    headers = [c.value for c in ws[1]]
    assert len(set(headers)) == len(headers), headers
    return {h: [row[i] for row in ws.iter_rows(min_row=2)] for i, h in enumerate(headers)}


def filled(cells) -> list:
    cells = [c for c in cells if c.value is not None]
    assert cells, "the column is empty: nothing was checked"
    return cells


def assert_counts(cells) -> None:
    for c in filled(cells):
        assert c.data_type == "n" and isinstance(c.value, int), (c.coordinate, c.value)
        assert c.number_format in ("General", "0"), (c.coordinate, c.number_format)


def assert_decimals(cells) -> None:
    for c in filled(cells):
        assert c.data_type == "n" and isinstance(c.value, int | float), (c.coordinate, c.value)


def assert_percents(cells) -> None:
    for c in filled(cells):
        assert c.data_type == "n", (c.coordinate, c.value, c.data_type)
        assert 0 <= c.value <= 1, (c.coordinate, c.value)  # 0.875, not 87.5
        assert c.number_format == "0.0%", (c.coordinate, c.number_format)


def assert_dates(cells, number_format: str | None = None) -> None:
    for c in filled(cells):
        assert c.data_type in ("d", "n") and c.is_date, (c.coordinate, c.value, c.data_type)
        assert isinstance(c.value, dt.date), (c.coordinate, c.value)
        if number_format:
            assert c.number_format == number_format, (c.coordinate, c.number_format)


def assert_no_figure_text(content: bytes) -> None:
    """No string cell is a figure in disguise: "87.5%", "3/4", "12"."""
    import re

    ws = load_workbook(io.BytesIO(content)).active
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if c.data_type == "s" and isinstance(c.value, str):
                assert not re.fullmatch(r"\s*[\d.]+\s*(%|/\s*\d+)?\s*", c.value), (
                    c.coordinate,
                    c.value,
                )
