"""A roster upload is bounded before it is parsed, and parsed once (issue 11, part 1).

The bomb is the one from the issue: a 1 MB .xlsx whose xl/sharedStrings.xml inflates to 1,000 MB.
It used to be accepted after minutes, with the server's memory grown by 2 GB; the preview page
re-read the stored file on every visit."""

import datetime as dt
import io
import resource
import time
import tracemalloc
import zipfile

import pytest
from django.urls import reverse

from dianjiao.lib import uploads
from dianjiao.members import roster_xlsx
from dianjiao.members.models import Member, RosterImport
from tests.members.bombs import MIB, many_parts, roster_bomb, roster_small
from tests.members.sheets import person, upload_file, xlsx

IMPORT = reverse("members:import")


def _refusal(response) -> str:
    assert response.status_code == 200, response.status_code
    assert not RosterImport.objects.exists()
    (message,) = response.context["form"].errors["file"]
    assert message in response.content.decode()  # shown next to the file field
    return message


def test_a_gigabyte_bomb_is_refused_within_a_second_without_the_memory_growing(world, login):
    bomb = roster_bomb(1000 * MIB)
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:
        assert z.getinfo("xl/sharedStrings.xml").file_size >= 1000 * 1000 * 1000
    assert len(bomb) < 1.1 * MIB
    client = login(world.station)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB, the peak so far
    tracemalloc.start()
    try:
        started = time.perf_counter()
        response = client.post(IMPORT, {"file": upload_file(bomb)})
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert "文件解压后过大" in _refusal(response)
    assert elapsed < 1.0
    assert peak < 32 * MIB  # the 1 MB upload and its request, nothing inflated
    assert rss_growth_mib < 64


def test_the_bomb_is_a_real_workbook_when_it_is_small():
    """The control: the same construction, without the flood, is a roster openpyxl reads."""
    sheet = roster_xlsx.read(roster_small())
    assert [row.cells["name"] for row in sheet.rows] == ["张顺"]


def test_it_refuses_a_compression_ratio_no_spreadsheet_has(world, login):
    bomb = roster_bomb(24 * MIB)  # under the size limits, but a thousand times its packed size
    message = _refusal(login(world.station).post(IMPORT, {"file": upload_file(bomb)}))
    assert "压缩比异常" in message


def test_it_refuses_an_archive_of_too_many_parts(world, login):
    message = _refusal(login(world.station).post(IMPORT, {"file": upload_file(many_parts(600))}))
    assert "部件过多" in message


def test_it_refuses_a_sheet_that_declares_a_million_rows_before_reading_its_cells(
    world, login, monkeypatch
):
    read_rows = []
    real = roster_xlsx._map_header
    monkeypatch.setattr(roster_xlsx, "_map_header", lambda row: read_rows.append(row) or real(row))
    content = roster_small(dimension="A1:D1048576")
    message = _refusal(login(world.station).post(IMPORT, {"file": upload_file(content)}))
    assert "1048576 行" in message and "过大" in message
    assert read_rows == []


def test_the_limits_leave_room_for_a_full_roster():
    content = xlsx([person(f"成员{i}") for i in range(roster_xlsx.MAX_ROWS)])
    uploads.check_zip(content)  # no refusal
    assert len(roster_xlsx.read(content).rows) == roster_xlsx.MAX_ROWS


def test_the_preview_and_the_confirmation_never_parse_the_file_again(world, login, monkeypatch):
    client = login(world.station)
    response = client.post(
        IMPORT, {"file": upload_file(xlsx([person("张顺"), person("马丽", male=False)]))}
    )
    assert response.status_code == 302
    batch = RosterImport.objects.get()

    def no_parsing(*args, **kwargs):
        raise AssertionError("the stored roster was parsed again")

    monkeypatch.setattr(roster_xlsx, "CalamineWorkbook", no_parsing)
    monkeypatch.setattr(roster_xlsx, "read", no_parsing)
    monkeypatch.setattr(uploads, "check_zip", no_parsing)
    url = reverse("members:import_preview", args=[batch.pk])
    for _visit in range(3):
        page = client.get(url)
        assert page.status_code == 200
        assert [r.name for r in page.context["preview"].rows] == ["张顺", "马丽"]
    done = client.post(url, {"action": "apply"}, follow=True)
    assert "导入完成：新增 2 人" in done.content.decode()
    assert set(Member.objects.filter(name__in=["张顺", "马丽"]).values_list("name", flat=True)) == {
        "张顺",
        "马丽",
    }


def test_the_kept_rows_keep_their_cell_types(world, login):
    """Kept as JSON, a number is still a number: an ID number Excel stored as one is still caught,
    and real dates are still dates."""
    row = person("数字号", 入党时间=dt.datetime(2005, 7, 1))
    while row["身份证号"].endswith("X"):
        row = person("数字号", 入党时间=dt.datetime(2005, 7, 1))
    row["身份证号"] = float(row["身份证号"])
    client = login(world.station)
    assert (
        client.post(IMPORT, {"file": upload_file(xlsx([row, person("张顺")]))}).status_code == 302
    )
    batch = RosterImport.objects.get()
    page = client.get(reverse("members:import_preview", args=[batch.pk]))
    bad, good = page.context["preview"].rows
    assert bad.errors and "存成了数字" in bad.errors[0][1]
    assert good.ok and good.member.joined_on == dt.date(2005, 7, 1)


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        7,
        6.5432319800506e17,
        "文本",
        dt.date(2005, 7, 1),
        dt.datetime(2005, 7, 1, 8, 30),
    ],
)
def test_a_cell_survives_the_json_round_trip(value):
    sheet = roster_xlsx.Sheet(
        title="t", headers={}, ignored=[], rows=[roster_xlsx.SheetRow(2, {"name": value})]
    )
    back = roster_xlsx.sheet_from_json(roster_xlsx.sheet_to_json(sheet)).rows[0].cells["name"]
    assert back == value and type(back) is type(value)
