import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dianjiao.accounts.scope import (
    get_for_user,
    is_station,
    may_write_village,
    require_station,
    require_write,
)
from dianjiao.lib import dates
from dianjiao.lib.forms import add_service_errors, id_or_none
from dianjiao.orgs.models import Village

from . import selectors, services
from .forms import BookFilterForm, CorrectionForm, EntryForm, GrantForm
from .models import LogbookEntry

PAGE_SIZE = 30


def _month_label(year, month) -> str:
    if month:
        return dateformat.format(dt.date(int(year), int(month), 1), _("Y年n月"))
    return _("%(year)s年") % {"year": year}


def book(request):
    """The books of the villages the user sees: one village, one month (or all), seq order."""
    today = dates.today()
    data = request.GET.copy()
    if "month" not in data:
        data["month"] = f"{today:%Y-%m}"
    form = BookFilterForm(data, user=request.user)
    form.is_valid()
    clean = getattr(form, "cleaned_data", {})
    village = (
        clean.get("village")
        or (
            Village.objects.visible_to(request.user).filter(pk=request.user.village_id).first()
            if request.user.village_id
            else None
        )
        or Village.objects.visible_to(request.user).first()
    )
    period = (
        clean.get("month", (today.year, today.month))
        if "month" not in form.errors
        else (today.year, today.month)
    )
    page = None
    if village is not None:
        bounds = selectors.period_bounds(*period) if period else None
        entries = selectors.book_entries(request.user, village, bounds=bounds, q=clean.get("q", ""))
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    year, month = period or (today.year, None)
    return render(
        request,
        "logbook/book.html",
        {
            "form": form,
            "village": village,
            "page_obj": page,
            "period": period,
            "period_label": _month_label(*period) if period else _("全部"),
            "print_url": village
            and reverse("logbook:print", args=[village.pk])
            + "?"
            + urlencode({"year": year, **({"month": month} if month else {})}),
            "can_write": bool(village) and may_write_village(request.user, village),
        },
    )


def entry_detail(request, pk):
    entry = get_for_user(
        request,
        LogbookEntry.objects.select_related("village", "corrects", "late_exception__granted_by"),
        pk,
    )
    corrections = entry.corrections.order_by("seq")
    return render(
        request,
        "logbook/detail.html",
        {
            "entry": entry,
            "corrections": corrections,
            "can_write": Village.objects.writable_by(request.user)
            .filter(pk=entry.village_id)
            .exists(),
        },
    )


def entry_create(request):
    """An operator records another piece of AV work (repairs, meetings, training ...)."""
    require_write(request.user)
    initial = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
    if id_or_none(request.GET.get("village")):
        initial["village"] = request.GET["village"]
    form = EntryForm(request.POST or None, user=request.user, initial=initial)
    if form.is_valid():
        d = form.cleaned_data
        try:
            entry = services.entry_append(
                village=d["village"],
                kind=d["kind"],
                title=d["title"],
                body={"text": d["text"]} if d["text"] else {},
                occurred_at=d["occurred_at"],
                author=request.user,
                client_id=d["client_id"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"body": "text"})
        except services.ConflictError as exc:
            if exc.entry is None:
                form.add_error(None, str(exc))
            else:
                form.add_error(None, _("这份表单已经提交过，内容却不同：请重新打开“记一笔”再填写"))
        else:
            messages.success(request, _("已记入《电教手册》第 %(seq)s 条") % {"seq": entry.seq})
            return redirect(
                reverse("logbook:book")
                + "?"
                + urlencode({"village": entry.village_id})
                + f"#e-{entry.pk}"
            )
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": _("记一笔：电教工作"),
            "cancel_url": reverse("logbook:book"),
        },
    )


def entry_correct(request, pk):
    """A correction: a new entry, made now, pointing at the one it corrects, with a reason."""
    entry = get_for_user(request, LogbookEntry.objects.select_related("village"), pk, write=True)
    form = CorrectionForm(request.POST or None, entry=entry)
    if form.is_valid():
        d = form.cleaned_data
        body = (
            {k: v for k, v in entry.body.items() if k != "text"}
            if isinstance(entry.body, dict)
            else {}
        )
        if d["text"]:
            body["text"] = d["text"]
        try:
            correction = services.entry_append(
                village=entry.village,
                kind=d["kind"],
                title=d["title"],
                body=body,
                occurred_at=timezone.now(),
                author=request.user,
                client_id=d["client_id"],
                corrects=entry,
                reason=d["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"body": "text"})
        except services.ConflictError as exc:
            if exc.entry is None:
                form.add_error(None, str(exc))
            else:
                form.add_error(None, _("这份表单已经提交过，内容却不同：请重新打开更正页面"))
        else:
            messages.success(
                request,
                _("更正已记入第 %(seq)s 条，原记录保留并标明已更正") % {"seq": correction.seq},
            )
            return redirect("logbook:detail", entry.pk)
    return render(request, "logbook/correct.html", {"form": form, "entry": entry})


def exceptions(request):
    """Late-entry exceptions (补录批准): the list for everyone in scope, the form for the station."""
    may_grant = is_station(request.user)
    form = None
    if request.method == "POST":
        require_station(request.user, denied=_("只有电教站管理员可以批准补录"))
    if may_grant:
        form = GrantForm(
            request.POST or None,
            user=request.user,
            initial={"day": dates.today() - dt.timedelta(days=1)},
        )
        if form.is_valid():
            d = form.cleaned_data
            try:
                exception = services.entry_grant_late(
                    village=d["village"],
                    day=d["day"],
                    granted_by=request.user,
                    reason=d["reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("已批准%(village)s补录%(day)s的记录，批准已记入该村手册")
                    % {
                        "village": exception.village.name,
                        "day": dates.cn_date(exception.day),
                    },
                )
                return redirect("logbook:exceptions")
    page = Paginator(selectors.exceptions_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    doubtful = selectors.capture_doubts_for(request.user)[:100]
    return render(
        request,
        "logbook/exceptions.html",
        {"form": form, "page_obj": page, "doubtful": doubtful, "is_station": may_grant},
    )


@require_POST
def entry_review_capture(request, pk):
    """The station marks an entry with a doubtful capture time as reviewed (a new record)."""
    entry = get_for_user(request, LogbookEntry.objects.select_related("village"), pk, write=True)
    try:
        services.entry_review_capture(user=request.user, entry=entry, note=request.POST.get("note"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已标为已核查，记录和红色标记仍保留"))
    return redirect(reverse("logbook:exceptions") + "#capture-doubts")


def book_print(request, village_pk):
    """A month (or a year) of one village's book, paper-shaped: A4, for filing."""
    village = get_for_user(request, Village.objects.select_related("township"), village_pk)
    today = dates.today()
    try:
        year = int(request.GET.get("year") or today.year)
        month = int(request.GET["month"]) if request.GET.get("month") else None
        bounds = selectors.period_bounds(year, month)
    except (ValueError, OverflowError):
        year, month = today.year, today.month
        bounds = selectors.period_bounds(year, month)
    entries = list(selectors.book_entries(request.user, village, bounds=bounds))
    head = max(entries, key=lambda e: e.seq) if entries else None
    return render(
        request,
        "logbook/print.html",
        {
            "village": village,
            "entries": entries,
            "head": head,
            "period_label": _month_label(year, month),
            "printed_at": timezone.now(),
        },
    )
