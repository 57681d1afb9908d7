"""A roster of 10,000 rows in one file (issue 14 part 4): read once by calamine within bounds
checked beforehand, validated in sets, saved in bulk and audited as one import event."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse

from dianjiao.audit.models import AuditEvent
from dianjiao.audit.recorder import acting_as
from dianjiao.lib import idcard
from dianjiao.members import roster_xlsx, services
from dianjiao.members.models import Member, RosterImport, RosterImportRow
from dianjiao.members.roster_sample import sample_roster
from tests.members import bombs
from tests.members.sheets import person, upload_file, xlsx

IMPORT = reverse("members:import")
VILLAGES = [("红星村", ["村委会电教室"]), ("阿克达拉村", ["夏牧场流动播放点"])]


def test_it_imports_ten_thousand_rows_in_one_file_as_one_audited_event(world):
    content = sample_roster(VILLAGES, 10_000)
    members_before = Member.objects.count()
    with acting_as(world.station):
        batch = services.roster_import_upload(
            user=world.station, file=content, filename="万人.xlsx"
        )
        events_before = AuditEvent.objects.count()
        preview = services.roster_import_review(user=world.station, batch=batch)
        assert preview.bad_rows == []
        assert preview.counts == {"created": 10_000, "updated": 0, "unchanged": 0}

        result = services.roster_import_apply(user=world.station, batch=batch)

    assert result == {"created": 10_000, "updated": 0, "unchanged": 0}
    assert Member.objects.count() == members_before + 10_000
    (event,) = AuditEvent.objects.filter(pk__gt=0).exclude(
        pk__in=AuditEvent.objects.order_by("pk").values("pk")[:events_before]
    )
    assert (event.model, event.object_pk, event.action, event.actor) == (
        "members.rosterimport",
        str(batch.pk),
        "import",
        world.station,
    )
    assert event.data["created"] == 10_000 and len(event.data["rows"]) == 10_000
    imported = RosterImportRow.objects.filter(batch=batch)
    assert imported.count() == 10_000
    assert imported.values("member").distinct().count() == 10_000
    # Rows 3 to 10,002 under the title row and the header; the totals rows are not members.
    assert sorted(imported.values_list("row", flat=True)) == list(range(3, 10_003))
    # What Member.save() would have done, done for every row saved in bulk.
    saved = Member.objects.filter(import_rows__batch=batch)
    assert not saved.filter(name_pinyin="").exists()
    assert not saved.exclude(township=world.township).exists()
    for ident, birth, name in saved.values_list("id_number", "birth_date", "name"):
        assert idcard.parse(ident)[0] == birth  # 出生年月 rows too: the day from the ID number
        assert "•" not in name and "." not in name and " " not in name
    assert saved.filter(name__contains="·").count() > 1000  # Kazakh names, one middle dot
    assert saved.filter(point__isnull=True).count() == 0  # blank points: the village's only one


def test_the_member_page_names_the_import_that_registered_the_member(world, login):
    client = login(world.station)
    client.post(IMPORT, {"file": upload_file(xlsx([person("张顺")]), "三月花名册.xlsx")})
    batch = RosterImport.objects.get()
    client.post(reverse("members:import_preview", args=[batch.pk]), {"action": "apply"})
    member = Member.objects.get(name="张顺")

    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()

    assert "导入 三月花名册.xlsx" in page


def test_more_rows_than_one_import_takes_are_refused_next_to_the_file_field(
    world, login, monkeypatch
):
    monkeypatch.setattr(roster_xlsx, "MAX_ROWS", 3)
    response = login(world.station).post(
        IMPORT, {"file": upload_file(xlsx([person(f"成员{i}") for i in range(4)]))}
    )
    assert response.context["form"].errors["file"] == ["一次最多导入3行，请分成几个文件上传"]
    assert not RosterImport.objects.exists()


def _far_cells(cell: str) -> bytes:
    """A tiny roster whose sheet has a cell at A1 and one at `cell`: calamine would hold the
    grid between them in memory (XFD1048576: 512 GB)."""
    parts = bombs._parts(bombs._strings())
    row = int("".join(ch for ch in cell if ch.isdigit()))
    sheet = (
        f'<worksheet xmlns="{bombs._MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        f'<row r="{row}"><c r="{cell}" t="s"><v>4</v></c></row></sheetData></worksheet>'
    )
    parts[-1] = bombs.Member.of("xl/worksheets/sheet1.xml", sheet.encode())
    strings = "".join(f"<si><t>{s}</t></si>" for s in bombs._strings())
    shared = f'<sst xmlns="{bombs._MAIN}">{strings}</sst>'.encode()
    return bombs.zip_bytes([*parts, bombs.Member.of("xl/sharedStrings.xml", shared)])


@pytest.mark.parametrize(
    "cell, message",
    [
        ("XFD1048576", "1048576 行 × 16384 列"),
        ("B30000", "30000 行 × 2 列"),
        ("ZZ19999", "19999 行 × 702 列"),  # each within bounds, the grid not (14 million cells)
    ],
)
def test_a_sheet_whose_cells_reach_too_far_is_refused_before_calamine_reads_it(
    world, login, cell, message
):
    response = login(world.station).post(IMPORT, {"file": upload_file(_far_cells(cell))})
    (error,) = response.context["form"].errors["file"]
    assert message in error and "过大" in error


def test_the_far_cells_check_counts_cells_without_a_reference():
    extent = roster_xlsx._extent(
        b'<worksheet><sheetData><row r="1"><c r="A1"/>' + b"<c/>" * 50 + b"</row><row/><row/>"
        b'<x:row r="7"/></sheetData></worksheet>'
    )
    assert (extent.rows, extent.columns) == (9, 51)


def test_a_part_is_read_no_further_than_its_declared_size():
    """An archive that declares a small sheet but inflates to more: Python stops at the declared
    size, and calamine only ever sees what Python read."""
    content = bombs.roster_small()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        real = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    lying = content.replace(
        real.to_bytes(4, "little") + len("xl/worksheets/sheet1.xml").to_bytes(2, "little"),
        (real - 40).to_bytes(4, "little") + len("xl/worksheets/sheet1.xml").to_bytes(2, "little"),
    )
    assert lying != content
    with pytest.raises(roster_xlsx.RosterFileError):
        roster_xlsx.read(lying)


def test_calamine_reads_the_cells_as_openpyxl_did(world):
    """Numbers typed into text columns, dates as dates and as text, blank cells: as before."""
    row = person("周舒", 联系电话=13812345678, 入党时间="2005年7月1日", 民族=None)
    sheet = roster_xlsx.read(xlsx([row]))
    (read,) = sheet.rows
    assert read.number == 2
    assert read.cells["phone"] == 13812345678 and read.cells["ethnicity"] is None
    assert read.cells["birth_date"] == dt.date(1980, 5, 6) or read.cells[
        "birth_date"
    ] == dt.datetime(1980, 5, 6)
    assert read.cells["joined_on"] == "2005年7月1日"


def test_the_upload_with_progress_answers_where_to_go_next(world, login):
    """members/import.js sends the file itself (to show the bytes sent) and is told where to go
    next, or what to say next to the file field."""
    client = login(world.station)
    page = client.get(IMPORT).content.decode()
    assert "data-upload-progress" in page and "members/import.js" in page

    done = client.post(
        IMPORT, {"file": upload_file(xlsx([person()]))}, headers={"X-Upload-Progress": "1"}
    )
    refused = client.post(
        IMPORT, {"file": upload_file(b"not a roster")}, headers={"X-Upload-Progress": "1"}
    )

    batch = RosterImport.objects.get()
    assert done.json() == {"redirect": reverse("members:import_preview", args=[batch.pk])}
    assert refused.json() == {"errors": ["无法读取该文件，请上传 Excel（.xlsx）格式的党员花名册"]}
    preview = client.get(done.json()["redirect"]).content.decode()
    assert 'data-busy="正在导入 1 行' in preview and "import-progress" in preview


def test_the_preview_of_a_long_roster_shows_a_page_of_rows(world, login, monkeypatch):
    from dianjiao.members import views

    monkeypatch.setattr(views, "PREVIEW_ROWS", 2)
    client = login(world.station)
    client.post(IMPORT, {"file": upload_file(xlsx([person(f"成员{i}") for i in range(5)]))})
    url = reverse("members:import_preview", args=[RosterImport.objects.get().pk])

    second = client.get(url, {"page": 2})

    assert [r.name for r in second.context["rows_page"]] == ["成员2", "成员3"]
    assert "第 2 / 3 页" in second.content.decode()
    assert "确认导入（新增 5 人，更新 0 人）" in second.content.decode()


def test_bench_import_times_the_pages_beside_a_bare_insert_and_leaves_no_trace(world):
    from io import StringIO

    from django.core.management import call_command

    members, events = Member.objects.count(), AuditEvent.objects.count()
    out = StringIO()

    call_command("bench-import", rows=30, stdout=out)

    text = out.getvalue()
    for line in ("upload", "preview page", "confirm", "bare INSERT", "ratio (wall)"):
        assert line in text, text
    assert (Member.objects.count(), AuditEvent.objects.count()) == (members, events)
    assert not RosterImport.objects.exists()
