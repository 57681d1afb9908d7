"""loan_dispatch / loan_confirm_receipt / loan_return: a copy goes out, arrives, comes back."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dianjiao.audit.models import AuditEvent
from dianjiao.audit.recorder import acting_as
from dianjiao.films import services
from dianjiao.films.models import FilmCopy, FilmRequest, Loan
from dianjiao.lib.dates import cn_date, today
from tests.films.helpers import approved_request, copy, film, loan, overdue_loan

D = dt.timedelta


def test_the_station_dispatches_a_copy_for_an_approved_request(world):
    key = film(world, "榜样8")
    disc = copy(world, key, "WLG-0001")
    request = approved_request(world, [key])
    line = request.lines.get()

    with acting_as(world.station):
        out = services.loan_dispatch(
            copy=disc, user=world.station, line=line, due_on=today() + D(days=30), note="含讨论提纲"
        )

    assert (out.village, out.copy, out.line, out.dispatched_by) == (
        world.village,
        disc,
        line,
        world.station,
    )
    assert out.due_on == today() + D(days=30) and out.is_open and not out.is_overdue
    assert out.received_at is None and out.returned_at is None
    disc.refresh_from_db()
    assert disc.status == FilmCopy.Status.LOANED
    request.refresh_from_db()
    assert request.status == FilmRequest.Status.DISPATCHED
    assert AuditEvent.objects.get(model="films.loan", object_pk=str(out.pk)).actor == world.station


def test_a_request_stays_approved_until_every_film_has_gone_out(world):
    a, b = film(world), film(world)
    request = approved_request(world, [a, b])
    first, second = request.lines.order_by("pk")

    services.loan_dispatch(
        copy=copy(world, a), user=world.station, line=first, due_on=today() + D(days=20)
    )
    request.refresh_from_db()
    assert request.status == FilmRequest.Status.APPROVED
    services.loan_dispatch(
        copy=copy(world, b), user=world.station, line=second, due_on=today() + D(days=20)
    )
    request.refresh_from_db()
    assert request.status == FilmRequest.Status.DISPATCHED


def test_it_refuses_to_lend_a_copy_that_is_out(world):
    disc = copy(world)
    loan(world, disc)

    with pytest.raises(ValidationError) as exc:
        loan(world, disc, village=world.pastoral)
    assert exc.value.message_dict == {"copy": ["该拷贝已被借出，请选择其他在站的拷贝"]}
    assert Loan.objects.filter(copy=disc).count() == 1


def test_the_database_refuses_a_second_open_loan_of_a_copy(world):
    first = loan(world)
    twin = Loan(
        copy=first.copy,
        village=world.pastoral,
        dispatched_at=timezone.now(),
        dispatched_by=world.station,
        due_on=today() + D(days=5),
        township=world.township,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_it_refuses_a_due_date_before_the_dispatch_date(world):
    with pytest.raises(ValidationError) as exc:
        loan(world, due_on=today() - D(days=1))
    day = today()
    assert exc.value.message_dict == {
        "due_on": [f"应还日期不能早于发放日期（{day.year}年{day.month}月{day.day}日）"]
    }
    assert loan(world, due_on=today()).due_on == today()  # back the same day is fine


def test_it_refuses_to_lend_a_digital_file(world):
    with pytest.raises(ValidationError) as exc:
        loan(world, copy(world, medium=FilmCopy.Medium.FILE))
    assert exc.value.message_dict == {"copy": ["数字文件不用借出：村电教员在片目页面即可在线播放"]}


def test_it_matches_the_copy_to_the_request(world):
    asked, other = film(world, "榜样8"), film(world, "焦裕禄")
    line = approved_request(world, [asked]).lines.get()

    with pytest.raises(ValidationError) as exc:
        services.loan_dispatch(
            copy=copy(world, other), user=world.station, line=line, due_on=today() + D(days=9)
        )
    assert exc.value.message_dict == {"copy": ["拷贝是《焦裕禄》，而申请的是《榜样8》"]}
    with pytest.raises(ValidationError) as exc:
        services.loan_dispatch(
            copy=copy(world, asked),
            user=world.station,
            line=line,
            village=world.pastoral,
            due_on=today() + D(days=9),
        )
    assert exc.value.message_dict == {"village": ["该申请来自红星村"]}
    services.loan_dispatch(
        copy=copy(world, asked), user=world.station, line=line, due_on=today() + D(days=9)
    )
    with pytest.raises(ValidationError) as exc:
        services.loan_dispatch(
            copy=copy(world, asked), user=world.station, line=line, due_on=today() + D(days=9)
        )
    assert exc.value.message_dict == {"line": ["该申请片目已经发放过拷贝"]}


def test_it_dispatches_only_approved_requests(world):
    key = film(world)
    request = services.request_create(
        village=world.village, author=world.operator, lines=[(key, today() + D(days=9))]
    )

    with pytest.raises(ValidationError) as exc:
        services.loan_dispatch(
            copy=copy(world, key),
            user=world.station,
            line=request.lines.get(),
            due_on=today() + D(days=9),
        )
    assert exc.value.message_dict == {"line": ["该申请待审批，不能发放"]}


def test_it_lends_only_to_villages_of_the_township(world):
    with pytest.raises(ValidationError) as exc:
        loan(world, village=world.far_village)
    assert exc.value.message_dict == {"village": ["只能借给本乡的村"]}
    with pytest.raises(ValidationError) as exc:
        services.loan_dispatch(copy=copy(world), user=world.station, due_on=today())
    assert exc.value.message_dict == {"village": ["请选择借片的村"]}


@pytest.mark.parametrize("persona", ["operator", "leader", "inspector", "outsider"])
def test_only_the_station_dispatches(world, persona):
    with pytest.raises(PermissionDenied):
        services.loan_dispatch(
            copy=copy(world), user=world.personas[persona], village=world.village, due_on=today()
        )


def test_the_village_confirms_receipt(world):
    out = loan(world)

    services.loan_confirm_receipt(loan=out, user=world.operator)

    out.refresh_from_db()
    assert out.received_by == world.operator and out.received_at is not None
    with pytest.raises(ValidationError) as exc:
        services.loan_confirm_receipt(loan=out, user=world.operator)
    assert exc.value.message_dict["loan"][0].endswith("确认收到，无需重复确认")


@pytest.mark.parametrize("persona", ["station", "other_op", "leader", "outsider"])
def test_only_the_receiving_village_signs_for_a_copy(world, persona):
    with pytest.raises(PermissionDenied):
        services.loan_confirm_receipt(loan=loan(world), user=world.personas[persona])


def test_the_station_records_the_return(world):
    key = film(world)
    disc = copy(world, key)
    request = approved_request(world, [key])
    out = services.loan_dispatch(
        copy=disc, user=world.station, line=request.lines.get(), due_on=today() + D(days=9)
    )
    services.loan_confirm_receipt(loan=out, user=world.operator)

    services.loan_return(
        user=world.station, loan=out, condition=FilmCopy.Condition.WORN, note="盒子破损"
    )

    out.refresh_from_db()
    assert (
        not out.is_open and out.returned_to == world.station and out.returned_at >= out.received_at
    )
    assert (out.return_condition, out.return_note, out.lost) == ("worn", "盒子破损", False)
    disc.refresh_from_db()
    assert (disc.status, disc.condition) == (FilmCopy.Status.SHELF, FilmCopy.Condition.WORN)
    request.refresh_from_db()
    assert request.status == FilmRequest.Status.COMPLETED
    with pytest.raises(ValidationError) as exc:
        services.loan_confirm_receipt(loan=out, user=world.operator)
    assert exc.value.message_dict == {"loan": ["该拷贝已归还，无需再确认收到"]}
    # Back on the shelf, it can go out again.
    assert loan(world, disc, village=world.pastoral).is_open


def test_it_takes_back_the_copy_in_hand(world):
    disc = copy(world)
    out = loan(world, disc)

    assert services.loan_return(user=world.station, copy=disc) == out


def test_it_refuses_to_take_back_a_copy_never_lent(world):
    with pytest.raises(ValidationError) as exc:
        services.loan_return(user=world.station, copy=copy(world))
    assert exc.value.message_dict == {"copy": ["该拷贝从未借出，无需登记归还"]}


def test_it_refuses_to_take_back_a_copy_twice(world):
    out = loan(world)
    services.loan_return(user=world.station, loan=out)
    day = cn_date(today())

    with pytest.raises(ValidationError) as exc:
        services.loan_return(user=world.station, loan=out)
    assert exc.value.message_dict == {"loan": [f"该拷贝已于{day}归还，不能重复登记归还"]}
    with pytest.raises(ValidationError) as exc:
        services.loan_return(user=world.station, copy=out.copy)
    assert exc.value.message_dict == {"copy": [f"该拷贝已于{day}归还，不能重复登记归还"]}


def test_it_refuses_a_return_dated_before_the_dispatch(world):
    out = loan(world)
    with pytest.raises(ValidationError) as exc:
        services.loan_return(user=world.station, loan=out, at=out.dispatched_at - D(hours=1))
    assert exc.value.message_dict == {"loan": ["归还时间不能早于发放时间"]}


@pytest.mark.parametrize("persona", ["operator", "leader", "outsider"])
def test_only_the_station_takes_copies_back(world, persona):
    with pytest.raises(PermissionDenied):
        services.loan_return(user=world.personas[persona], loan=loan(world))


def test_it_knows_which_loans_are_overdue(world):
    late = overdue_loan(world, days=4)
    due_today = loan(world, due_on=today())
    returned = overdue_loan(world, days=2)
    services.loan_return(user=world.station, loan=returned)

    assert list(Loan.objects.overdue()) == [late]
    assert (late.is_overdue, late.days_overdue) == (True, 4)
    assert not due_today.is_overdue
    returned.refresh_from_db()
    assert not returned.is_overdue
