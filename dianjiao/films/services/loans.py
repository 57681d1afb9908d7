"""Loans: the station dispatches a copy, the village confirms receipt, the station takes it back."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dianjiao.accounts.models import User
from dianjiao.accounts.scope import can_write, is_operator, require_station, require_write
from dianjiao.films.models import (
    FilmCopy,
    FilmRequest,
    FilmRequestLine,
    Loan,
)
from dianjiao.lib.dates import cn_date
from dianjiao.orgs.models import Village

from . import requests
from .common import local_day, now_or, save
from .copies import copy_out_message


def loan_dispatch(
    *,
    copy: FilmCopy,
    user: User,
    due_on: dt.date,
    line: FilmRequestLine | None = None,
    village: Village | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Loan:
    """Lend a copy to a village until `due_on`, for a line of an approved request or directly.

    The copy's row is locked first (SELECT … FOR UPDATE; on SQLite the IMMEDIATE transaction
    takes the write lock at BEGIN), so of two staff dispatching the last copy at the same moment
    one waits for the other and is then told it is out. The partial unique constraint on open
    loans is the floor under this check."""
    require_station(user, copy.township_id)
    at = now_or(at)
    try:
        with transaction.atomic():
            copy = FilmCopy.objects.select_for_update().select_related("film").get(pk=copy.pk)
            if (
                copy.status == FilmCopy.Status.LOANED
                or Loan.objects.open().filter(copy=copy).exists()
            ):
                raise ValidationError({"copy": copy_out_message()})
            if copy.is_retired:
                raise ValidationError(
                    {
                        "copy": _("该拷贝已%(status)s，不能借出")
                        % {"status": copy.get_status_display()}
                    }
                )
            if copy.medium == FilmCopy.Medium.FILE:
                raise ValidationError(
                    {"copy": _("数字文件不用借出：村电教员在片目页面即可在线播放")}
                )
            film_request = None
            if line is not None:
                line = FilmRequestLine.objects.select_related("request__village", "film").get(
                    pk=line.pk
                )
                film_request = FilmRequest.objects.select_for_update().get(pk=line.request_id)
                if Loan.objects.filter(line=line).exists():
                    raise ValidationError({"line": _("该申请片目已经发放过拷贝")})
                if film_request.status != FilmRequest.Status.APPROVED:
                    raise ValidationError(
                        {
                            "line": _("该申请%(status)s，不能发放")
                            % {"status": film_request.get_status_display()}
                        }
                    )
                if line.film_id != copy.film_id:
                    raise ValidationError(
                        {
                            "copy": _("拷贝是%(copy)s，而申请的是%(film)s")
                            % {"copy": copy.film, "film": line.film}
                        }
                    )
                if village is not None and village.pk != line.request.village_id:
                    raise ValidationError(
                        {
                            "village": _("该申请来自%(village)s")
                            % {"village": line.request.village.name}
                        }
                    )
                village = line.request.village
            if village is None:
                raise ValidationError({"village": _("请选择借片的村")})
            if village.township_id != copy.township_id:
                raise ValidationError({"village": _("只能借给本乡的村")})
            if due_on is None or due_on < local_day(at):
                raise ValidationError(
                    {
                        "due_on": _("应还日期不能早于发放日期（%(day)s）")
                        % {"day": cn_date(local_day(at))}
                    }
                )
            loan = save(
                Loan(
                    copy=copy,
                    village=village,
                    line=line,
                    dispatched_at=at,
                    dispatched_by=user,
                    due_on=due_on,
                    language_id=copy.language_id,  # the language sent
                    note=note,
                    township_id=copy.township_id,
                )
            )
            copy.status = FilmCopy.Status.LOANED
            save(copy)
            requests.request_settle(film_request)
    except IntegrityError as exc:
        # Only reached if two dispatches slipped past the lock (a database without row locks).
        if "copy" in str(exc):
            raise ValidationError({"copy": copy_out_message()}) from None
        raise
    return loan


def may_confirm_receipt(user, loan: Loan) -> bool:
    """Receipt is the village's word that the copy arrived, so only its own operator gives it;
    the station that sent the copy cannot sign for it."""
    return can_write(user) and is_operator(user, loan.village_id)


def loan_confirm_receipt(*, loan: Loan, user: User, at: dt.datetime | None = None) -> Loan:
    """The village says the copy has arrived: only its own operator may say so."""
    require_write(user)
    if not may_confirm_receipt(user, loan):
        raise PermissionDenied(_("只有借片村的电教员可以确认收到"))
    at = now_or(at)
    with transaction.atomic():
        loan = (
            Loan.objects.select_for_update().select_related("copy__film", "village").get(pk=loan.pk)
        )
        if not loan.is_open:
            raise ValidationError({"loan": _("该拷贝已归还，无需再确认收到")})
        if loan.received_at is not None:
            raise ValidationError(
                {
                    "loan": _("已于%(day)s确认收到，无需重复确认")
                    % {"day": cn_date(loan.received_at)}
                }
            )
        if at < loan.dispatched_at:
            raise ValidationError({"loan": _("签收时间不能早于发放时间")})
        loan.received_at, loan.received_by = at, user
        return save(loan)


def loan_return(
    *,
    user: User,
    loan: Loan | None = None,
    copy: FilmCopy | None = None,
    condition: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> Loan:
    """The station takes a copy back: name the loan (a row of the list) or the copy (the disc in
    hand). `condition`, if given, becomes the copy's condition."""
    if (loan is None) == (copy is None):
        raise TypeError("loan_return() needs exactly one of loan= or copy=")
    copy_id = loan.copy_id if loan is not None else copy.pk
    township_id = loan.township_id if loan is not None else copy.township_id
    require_station(user, township_id)
    at = now_or(at)
    with transaction.atomic():
        locked_copy = FilmCopy.objects.select_for_update().select_related("film").get(pk=copy_id)
        if loan is not None:
            loan = Loan.objects.select_for_update().select_related("village").get(pk=loan.pk)
            if not loan.is_open:
                raise ValidationError(
                    {
                        "loan": _("该拷贝已于%(day)s归还，不能重复登记归还")
                        % {
                            "day": cn_date(loan.returned_at),
                        }
                    }
                )
        else:
            loan = (
                Loan.objects.select_for_update()
                .open()
                .filter(copy=locked_copy)
                .select_related("village")
                .first()
            )
            if loan is None:
                last = Loan.objects.filter(copy=locked_copy).order_by("-returned_at").first()
                if last is None:
                    raise ValidationError({"copy": _("该拷贝从未借出，无需登记归还")})
                raise ValidationError(
                    {
                        "copy": _("该拷贝已于%(day)s归还，不能重复登记归还")
                        % {
                            "day": cn_date(last.returned_at),
                        }
                    }
                )
        if at < loan.dispatched_at:
            raise ValidationError({"loan": _("归还时间不能早于发放时间")})
        if condition and condition not in FilmCopy.Condition.values:
            raise ValidationError({"condition": _("请选择拷贝的状况")})
        loan.returned_at, loan.returned_to = at, user
        loan.return_condition, loan.return_note = condition, (note or "")[:200]
        save(loan)
        locked_copy.status = FilmCopy.Status.SHELF
        if condition:
            locked_copy.condition = condition
        save(locked_copy)
        requests.request_settle(loan.line.request if loan.line_id else None)
    return loan
