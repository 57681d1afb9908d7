"""The coverage kept per village and month (teaching.rollups) follows every write that changes
it, and `dianjiao rollups` finds and mends cells that a write outside the services left behind.

红星村's showing on 29 November expects its four members (张三, 李梅, 王五, 赵六)."""

import pytest
from django.core.management import CommandError, call_command

from dianjiao.compliance import compute
from dianjiao.members import services as members
from dianjiao.teaching import rollups, services
from dianjiao.teaching.models import Attendance, MonthlyCoverage
from tests.members.sheets import person, upload_file, xlsx

from .conftest import ABSENT, PRESENT, TODAY, record

NOVEMBER = 11


def kept(village) -> tuple[int, int]:
    """(expected, present) as stored for the village's November."""
    cell = MonthlyCoverage.objects.filter(village=village, year=2026, month=NOVEMBER).first()
    return (cell.expected, cell.present) if cell else (0, 0)


def shown(world, village) -> tuple[int, int]:
    """(expected, present) of the village's November on the compliance matrix."""
    row = next(
        r
        for r in compute.compliance(world.station, year=2026, as_of=TODAY).rows
        if r.village == village
    )
    cell = row.cells[NOVEMBER - 1]
    return cell.expected, cell.present


@pytest.fixture
def showing(world, cast, clock):
    return record(cast, attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")})


def test_a_recorded_session_is_counted_in_its_month(world, showing):
    assert kept(world.village) == shown(world, world.village) == (4, 3)
    assert rollups.check() == []


def test_a_correction_of_attendance_is_counted_again(world, cast, showing):
    services.session_correct(
        author=world.operator,
        session=showing,
        reason="赵六其实到场了，记录有误",
        attendance={cast.zhao.pk: (PRESENT, "")},
    )
    assert kept(world.village) == shown(world, world.village) == (4, 4)
    assert rollups.check() == []


def test_a_member_who_moves_takes_their_viewings_to_the_new_village(world, cast, showing):
    # 王五 watched at 红星村 while he belonged there; once moved, that viewing was not one his
    # new village expected of him, and 红星村's present no longer counts him.
    members.member_update(
        user=world.station, member=cast.wang, village=world.pastoral, point=world.pastoral_point
    )
    assert kept(world.village) == shown(world, world.village) == (4, 2)
    assert kept(world.pastoral) == shown(world, world.pastoral) == (0, 0)
    assert rollups.check() == []
    members.member_update(
        user=world.station, member=cast.wang, village=world.village, point=world.point
    )
    assert kept(world.village) == (4, 3)
    assert rollups.check() == []


def test_a_member_moved_by_a_roster_import_takes_their_viewings_too(world, cast, showing, login):
    wang = cast.wang
    row = person(
        "王五",
        birth=wang.birth_date,
        身份证号=wang.id_number,
        联系电话=wang.phone,
        入党时间=wang.joined_on,
        所在党支部="阿克达拉村",
        收看播放点=world.pastoral_point.name,
    )
    batch = members.roster_import_upload(
        user=world.station, file=upload_file(xlsx([row]), "党员花名册.xlsx")
    )
    members.roster_import_apply(user=world.station, batch=batch)
    wang.refresh_from_db()
    assert wang.village == world.pastoral
    assert kept(world.village) == shown(world, world.village) == (4, 2)
    assert rollups.check() == []


def test_a_write_outside_the_services_is_found_and_mended_by_the_command(world, cast, showing):
    # As an edit in the admin or a bulk load would: the attendance changes, the cells do not.
    Attendance.objects.filter(session=showing, member=cast.li).update(status=ABSENT)
    [difference] = rollups.check()
    assert (difference.village_id, difference.year, difference.month) == (
        world.village.pk,
        2026,
        NOVEMBER,
    )
    assert (difference.stored, difference.counted) == ((4, 3), (4, 2))
    with pytest.raises(CommandError, match="1 个村月的覆盖数与出勤记录不一致"):
        call_command("rollups")

    call_command("rollups", "--rebuild")
    assert kept(world.village) == shown(world, world.village) == (4, 2)
    assert rollups.check() == []
    call_command("rollups")  # consistent now: no error


def test_a_database_without_cells_gets_them_counted_once(world, showing):
    MonthlyCoverage.objects.all().delete()  # as before the upgrade that added them
    assert shown(world, world.village) == (0, 0)
    assert rollups.fill_if_missing() > 0
    assert kept(world.village) == (4, 3)
    # Kept cells are not counted again: a later run writes nothing.
    assert rollups.fill_if_missing() == 0


def test_a_cell_whose_attendance_is_gone_is_set_to_zero_by_the_rebuild(world, showing):
    MonthlyCoverage.objects.create(village=world.pastoral, year=2026, month=3, expected=5)
    assert [(d.village_id, d.month) for d in rollups.check()] == [(world.pastoral.pk, 3)]
    rollups.rebuild()
    assert rollups.check() == []
    assert MonthlyCoverage.objects.get(village=world.pastoral, month=3).expected == 0
