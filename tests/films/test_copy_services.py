"""copy_create / copy_update / copy_write_off: every copy, and where it is."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.audit.models import AuditEvent
from dianjiao.films import services
from dianjiao.films.models import FilmCopy, Loan
from tests.films.helpers import copy, digital_copy, film, language, loan, overdue_loan


def test_it_registers_copies_with_an_inventory_number_unique_in_the_township(world):
    made = copy(
        world,
        film(world, "榜样7"),
        "wlg-0001",
        medium=FilmCopy.Medium.DVD,
        language=language("哈萨克语"),
    )

    assert made.inventory_no == "WLG-0001"
    assert (made.status, made.condition, made.township) == (
        FilmCopy.Status.SHELF,
        FilmCopy.Condition.GOOD,
        world.township,
    )
    with pytest.raises(ValidationError) as exc:
        copy(world, film(world, "榜样8"), "WLG-0001")
    assert exc.value.message_dict == {"inventory_no": ["库存编号“WLG-0001”已被《榜样7》的拷贝使用"]}
    theirs = services.film_create(user=world.outsider, title="榜样7", duration_minutes=98)
    assert services.copy_create(user=world.outsider, film=theirs, inventory_no="WLG-0001").pk


def test_it_lets_only_the_station_register_copies(world):
    with pytest.raises(PermissionDenied):
        services.copy_create(user=world.operator, film=film(world), inventory_no="X-1")
    with pytest.raises(PermissionDenied):
        services.copy_create(user=world.outsider, film=film(world), inventory_no="X-1")


def test_it_edits_a_copy_but_keeps_a_video_copy_digital(world):
    disc = copy(world)
    services.copy_update(
        copy=disc, user=world.station, condition=FilmCopy.Condition.WORN, note="封套破损"
    )
    disc.refresh_from_db()
    assert (disc.condition, disc.note) == (FilmCopy.Condition.WORN, "封套破损")

    digital = digital_copy(world)
    with pytest.raises(ValidationError) as exc:
        services.copy_update(copy=digital, user=world.station, medium=FilmCopy.Medium.DVD)
    assert exc.value.message_dict == {"medium": ["该拷贝已上传视频文件，介质只能是“数字文件”"]}


def test_it_writes_off_a_copy_with_a_reason_and_keeps_the_record(world):
    disc = copy(world)

    with pytest.raises(ValidationError) as exc:
        services.copy_write_off(copy=disc, user=world.station, reason="  ")
    assert exc.value.message_dict == {"reason": ["请填写遗失或注销的原因"]}

    services.copy_write_off(
        copy=disc,
        user=world.station,
        reason="光盘划伤，无法读取",
        status=FilmCopy.Status.WRITTEN_OFF,
    )

    disc.refresh_from_db()
    assert disc.status == FilmCopy.Status.WRITTEN_OFF and disc.is_retired
    assert (disc.written_off_by, disc.written_off_reason) == (world.station, "光盘划伤，无法读取")
    assert disc.written_off_at is not None
    assert FilmCopy.objects.filter(pk=disc.pk).exists()  # never deleted
    assert AuditEvent.objects.filter(
        model="films.filmcopy", object_pk=str(disc.pk), action="update"
    ).exists()
    with pytest.raises(ValidationError) as exc:
        services.copy_write_off(copy=disc, user=world.station, reason="再次")
    assert (
        "已于" in exc.value.message_dict["copy"][0] and "注销" in exc.value.message_dict["copy"][0]
    )
    with pytest.raises(ValidationError) as exc:
        services.copy_update(copy=disc, user=world.station, note="x")
    assert exc.value.message_dict == {"copy": ["该拷贝已注销，不能再修改"]}


def test_it_refuses_an_unknown_write_off_kind(world):
    with pytest.raises(ValidationError) as exc:
        services.copy_write_off(
            copy=copy(world), user=world.station, reason="x", status=FilmCopy.Status.SHELF
        )
    assert exc.value.message_dict == {"status": ["请选择“遗失”或“注销”"]}


def test_a_copy_lost_in_a_village_closes_its_loan_and_stops_being_chased(world):
    out = overdue_loan(world)
    assert list(Loan.objects.overdue()) == [out]

    services.copy_write_off(copy=out.copy, user=world.station, reason="转场途中遗失")

    out.refresh_from_db()
    assert not out.is_open and out.lost and out.returned_to == world.station
    assert out.return_note == "遗失：转场途中遗失"
    assert not Loan.objects.overdue().exists()
    out.copy.refresh_from_db()
    assert out.copy.status == FilmCopy.Status.LOST


def test_it_lends_nothing_that_is_written_off(world):
    disc = copy(world)
    services.copy_write_off(copy=disc, user=world.station, reason="遗失")
    with pytest.raises(ValidationError) as exc:
        loan(world, disc)
    assert exc.value.message_dict == {"copy": ["该拷贝已遗失，不能借出"]}
