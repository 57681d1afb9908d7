"""The film pages: access helper → form → service → redirect."""

import datetime as dt
import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dianjiao.accounts.scope import get_for_user, is_station, require_station, require_write
from dianjiao.lib.dates import cn_date, today
from dianjiao.lib.forms import id_or_none, run_service
from dianjiao.lib.xlsx import xlsx_response

from . import exports, ranges, selectors, services
from .forms import (
    AnnouncementForm,
    CopyFilterForm,
    CopyForm,
    DispatchForm,
    FilmFilterForm,
    FilmForm,
    LoanFilterForm,
    RejectForm,
    RequestForm,
    RequestLineFormSet,
    ReturnForm,
    VideoUploadForm,
    WriteOffForm,
)
from .models import Announcement, Film, FilmCopy, FilmRequest, FilmRequestLine, Loan


def _form_page(request, form, title, cancel_url):
    return render(
        request, "web/form.html", {"form": form, "title": title, "cancel_url": cancel_url}
    )


def _confirm_page(request, *, title, facts, button, cancel_url, danger=False):
    return render(
        request,
        "web/confirm.html",
        {
            "title": title,
            "facts": facts,
            "button": button,
            "cancel_url": cancel_url,
            "danger": danger,
        },
    )


# --- catalogue ----------------------------------------------------------------------------


def film_list(request):
    form = FilmFilterForm(request.GET or None)
    films = form.filter(selectors.films_for_list(request.user))
    page = Paginator(films, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "films/list.html",
        {
            "form": form,
            "page_obj": page,
            "station": is_station(request.user),
        },
    )


@require_safe
def film_export(request):
    form = FilmFilterForm(request.GET or None)
    films = form.filter(selectors.films_for_list(request.user))
    return xlsx_response(
        exports.catalogue_xlsx(films),
        filename=f"片库目录-{today():%Y-%m-%d}.xlsx",
        ascii_name=f"films-{today():%Y-%m-%d}.xlsx",
    )


def film_detail(request, pk):
    film = get_for_user(request, Film.objects.prefetch_related("themes", "languages"), pk)
    return render(
        request,
        "films/detail.html",
        {
            "film": film,
            "copies": list(selectors.copies_of(film, request.user)),
            "station": is_station(request.user),
        },
    )


def film_create(request):
    require_station(request.user)
    form = FilmForm(request.POST or None)
    if form.is_valid() and (
        film := run_service(form, services.film_create, user=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("已登记%(film)s，请接着登记它的拷贝") % {"film": film})
        return redirect("films:detail", film.pk)
    return _form_page(request, form, _("登记电教片"), reverse("films:list"))


def film_edit(request, pk):
    film = get_for_user(request, Film, pk, write=True)
    require_station(request.user, film.township_id)
    form = FilmForm(request.POST or None, instance=film)
    if form.is_valid() and run_service(
        form, services.film_update, film=film, user=request.user, **form.cleaned_data
    ):
        messages.success(request, _("电教片信息已保存，修改前的内容保留在操作记录中"))
        return redirect("films:detail", film.pk)
    return _form_page(
        request, form, _("修改：%(film)s") % {"film": film}, reverse("films:detail", args=[pk])
    )


# --- copies -------------------------------------------------------------------------------


def copy_create(request, pk):
    film = get_for_user(request, Film, pk, write=True)
    require_station(request.user, film.township_id)
    form = CopyForm(request.POST or None, instance=FilmCopy(film=film))
    if form.is_valid() and (
        copy := run_service(
            form, services.copy_create, user=request.user, film=film, **form.cleaned_data
        )
    ):
        messages.success(request, _("已登记拷贝 %(no)s") % {"no": copy.inventory_no})
        if copy.medium == FilmCopy.Medium.FILE:
            return redirect("films:copy_upload", copy.pk)
        return redirect("films:detail", film.pk)
    return _form_page(
        request, form, _("登记拷贝：%(film)s") % {"film": film}, reverse("films:detail", args=[pk])
    )


def _station_copy(request, pk) -> FilmCopy:
    copy = get_for_user(request, FilmCopy.objects.select_related("film"), pk, write=True)
    require_station(request.user, copy.township_id)
    return copy


def copy_edit(request, pk):
    copy = _station_copy(request, pk)
    form = CopyForm(request.POST or None, instance=copy)
    if form.is_valid() and run_service(
        form, services.copy_update, copy=copy, user=request.user, **form.cleaned_data
    ):
        messages.success(request, _("拷贝信息已保存"))
        return redirect("films:detail", copy.film_id)
    return _form_page(
        request,
        form,
        _("修改拷贝：%(copy)s") % {"copy": copy},
        reverse("films:detail", args=[copy.film_id]),
    )


def copy_upload(request, pk):
    copy = _station_copy(request, pk)
    form = VideoUploadForm(request.POST or None, request.FILES or None)
    if form.is_valid() and run_service(
        form,
        services.copy_attach_video,
        copy=copy,
        user=request.user,
        file=form.cleaned_data["file"],
    ):
        messages.success(request, _("视频已上传，可在片目页面播放"))
        return redirect("films:detail", copy.film_id)
    return _form_page(
        request,
        form,
        _("上传视频：%(copy)s") % {"copy": copy},
        reverse("films:detail", args=[copy.film_id]),
    )


def copy_write_off(request, pk):
    copy = _station_copy(request, pk)
    form = WriteOffForm(request.POST or None)
    if form.is_valid() and run_service(
        form, services.copy_write_off, copy=copy, user=request.user, **form.cleaned_data
    ):
        messages.success(
            request,
            _("拷贝 %(no)s 已登记为%(status)s，记录仍保留")
            % {
                "no": copy.inventory_no,
                "status": FilmCopy.Status(form.cleaned_data["status"]).label,
            },
        )
        return redirect("films:detail", copy.film_id)
    return _form_page(
        request,
        form,
        _("遗失或注销拷贝：%(copy)s") % {"copy": copy},
        reverse("films:detail", args=[copy.film_id]),
    )


@require_safe
def copy_video(request, pk):
    """The video of a digital copy, with Range support so the player can seek."""
    copy = get_for_user(
        request, FilmCopy.objects.exclude(file_name="").exclude(status__in=FilmCopy.RETIRED), pk
    )
    try:
        file = default_storage.open(copy.file_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    size = default_storage.size(copy.file_name)
    etag = '"{}"'.format(hashlib.sha256(f"{copy.file_name}:{size}".encode()).hexdigest()[:20])
    return ranges.ranged_file_response(
        request,
        file,
        size=size,
        content_type=copy.file_type or "application/octet-stream",
        etag=etag,
        last_modified=copy.file_uploaded_at,
        filename=copy.file_original_name or copy.file_name.rsplit("/", 1)[-1],
        download=request.GET.get("download") == "1",
    )


def copy_list(request):
    form = CopyFilterForm(request.GET or None, user=request.user)
    copies = form.filter(selectors.copies_where(request.user), user=request.user)
    page = Paginator(copies, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "films/copy_list.html",
        {
            "form": form,
            "page_obj": page,
            "counts": selectors.copy_counts(request.user),
            "station": is_station(request.user),
        },
    )


# --- announcements ------------------------------------------------------------------------


def announcement_list(request):
    past = (
        Announcement.objects.visible_to(request.user)
        .filter(period_end__lt=today())
        .order_by("-period_start")
    )
    return render(
        request,
        "films/announcement_list.html",
        {
            "announcements": selectors.announcements_for(request.user),
            "past": past.prefetch_related("films")[:12],
            "station": is_station(request.user),
        },
    )


def announcement_create(request):
    require_station(request.user)
    form = AnnouncementForm(request.POST or None, user=request.user)
    if form.is_valid() and run_service(
        form, services.announcement_publish, user=request.user, **form.cleaned_data
    ):
        messages.success(request, _("供片信息已发布，各村首页可以看到"))
        return redirect("films:announcement_list")
    return _form_page(request, form, _("发布供片信息"), reverse("films:announcement_list"))


# --- requests -----------------------------------------------------------------------------


def request_list(request):
    station = is_station(request.user)
    page = Paginator(selectors.requests_for(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "films/request_list.html",
        {
            "station": station,
            "pending": list(selectors.pending_requests(request.user)) if station else [],
            "to_dispatch": list(selectors.lines_to_dispatch(request.user)) if station else [],
            "page_obj": page,
        },
    )


def _pick_list(request, films) -> tuple[list[Film], list[dict], str]:
    """The films a request starts from, with each row's initial values, and where it came from:
    ?film=<pk> the one film the operator chose on its page (ticked: that was the choice);
    ?announcement=<pk> the films an announcement offers, none ticked, each with the first day
    the operator could show it. Neither: no pick list, blank rows to choose from the catalogue."""
    start = today() + dt.timedelta(days=7)
    if pk := request.GET.get("film"):
        film = films.filter(pk=pk).first() if id_or_none(pk) else None
        return ([film], [{"pick": True, "wanted_on": start}], "") if film else ([], [], "")
    if pk := request.GET.get("announcement"):
        found = (
            Announcement.objects.visible_to(request.user).filter(pk=pk).first()
            if id_or_none(pk)
            else None
        )
        if found:
            offered = list(found.films.filter(pk__in=films))
            wanted = max(start, found.period_start)
            return offered, [{"wanted_on": wanted} for _ in offered], found.title
    return [], [], ""


def request_create(request):
    require_write(request.user)
    films = Film.objects.visible_to(request.user).active()
    picks, initial, source = _pick_list(request, films)
    form = RequestForm(request.POST or None, user=request.user, initial={"source": source})
    formset = RequestLineFormSet(
        request.POST or None,
        initial=initial,
        prefix="lines",
        catalogue=films,
        picks=picks,
        options=selectors.language_options(picks or films),
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        film_request = run_service(
            form,
            services.request_create,
            village=d["village"],
            author=request.user,
            lines=formset.lines(),
            note=d["note"],
            source=d["source"],
        )
        if film_request:
            messages.success(request, _("片源申请已提交，等待乡电教站审批"))
            return redirect("films:request_detail", film_request.pk)
    return render(
        request,
        "films/request_form.html",
        {"form": form, "formset": formset, "picks": bool(picks)},
    )


def request_detail(request, pk):
    film_request = get_for_user(request, selectors.requests_for(request.user), pk)
    return render(
        request,
        "films/request_detail.html",
        {
            "r": film_request,
            "station": is_station(request.user),
        },
    )


def _station_request(request, pk) -> FilmRequest:
    film_request = get_for_user(
        request, FilmRequest.objects.select_related("village", "requested_by"), pk, write=True
    )
    require_station(request.user, film_request.township_id)
    return film_request


def request_approve(request, pk):
    film_request = _station_request(request, pk)
    if request.method == "POST":
        try:
            services.request_approve(film_request=film_request, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("已批准%(village)s的申请，请发放拷贝") % {"village": film_request.village.name},
            )
        return redirect("films:request_list")
    lines = FilmRequestLine.objects.filter(request=film_request).select_related("film", "language")
    return _confirm_page(
        request,
        title=_("批准片源申请"),
        button=_("批准"),
        cancel_url=reverse("films:request_detail", args=[pk]),
        facts=[
            (_("申请村"), film_request.village.name),
            (_("申请人"), film_request.requested_by),
            *(
                (
                    f"{line.film} · {line.language}" if line.language_id else str(line.film),
                    cn_date(line.wanted_on),
                )
                for line in lines
            ),
        ],
    )


def request_reject(request, pk):
    film_request = _station_request(request, pk)
    form = RejectForm(request.POST or None)
    if form.is_valid() and run_service(
        form,
        services.request_reject,
        film_request=film_request,
        user=request.user,
        reason=form.cleaned_data["reason"],
    ):
        messages.success(
            request, _("已驳回%(village)s的申请") % {"village": film_request.village.name}
        )
        return redirect("films:request_list")
    return _form_page(
        request,
        form,
        _("驳回%(village)s的片源申请") % {"village": film_request.village.name},
        reverse("films:request_detail", args=[pk]),
    )


# --- loans --------------------------------------------------------------------------------


def _loans(request):
    form = LoanFilterForm(request.GET or None, user=request.user)
    return form, form.filter(selectors.loans_for(request.user))


def loan_list(request):
    form, loans = _loans(request)
    page = Paginator(loans, 30).get_page(request.GET.get("page"))
    station = is_station(request.user)
    return render(
        request,
        "films/loan_list.html",
        {
            "form": form,
            "page_obj": page,
            "counts": selectors.loan_counts(request.user),
            "station": station,
            # What is coming to a village: approved, not yet sent (the station sees these on its queue).
            "coming": [] if station else list(selectors.lines_to_dispatch(request.user)),
        },
    )


def overdue_list(request):
    loans = list(selectors.overdue_loans(request.user))
    contacts = selectors.contacts_by_village(loan.village_id for loan in loans)
    for loan in loans:
        loan.contacts = contacts.get(loan.village_id, [])
    return render(
        request,
        "films/overdue.html",
        {"loans": loans, "station": is_station(request.user)},
    )


@require_safe
def loan_export(request):
    _, loans = _loans(request)
    return xlsx_response(
        exports.loans_xlsx(loans),
        filename=f"借片记录-{today():%Y-%m-%d}.xlsx",
        ascii_name=f"loans-{today():%Y-%m-%d}.xlsx",
    )


def loan_dispatch(request):
    require_station(request.user)
    initial = {
        k: request.GET[k] for k in ("line", "copy", "village") if id_or_none(request.GET.get(k))
    }
    form = DispatchForm(request.POST or None, user=request.user, initial=initial)
    if not request.POST and "line" in initial:
        line = form.fields["line"].queryset.filter(pk=initial["line"]).first()
        if line is not None:  # offer only copies of the film asked for
            form.fields["copy"].queryset = form.fields["copy"].queryset.filter(film=line.film_id)
    if form.is_valid() and (
        loan := run_service(form, services.loan_dispatch, user=request.user, **form.cleaned_data)
    ):
        messages.success(
            request,
            _("已将拷贝 %(no)s 发放给%(village)s，应还日期%(due)s")
            % {
                "no": loan.copy.inventory_no,
                "village": loan.village.name,
                "due": cn_date(loan.due_on),
            },
        )
        return redirect("films:request_list" if loan.line_id else "films:loan_list")
    return _form_page(request, form, _("发放拷贝"), reverse("films:request_list"))


def _loan(request, pk) -> Loan:
    return get_for_user(
        request,
        Loan.objects.select_related("copy__film", "village", "dispatched_by"),
        pk,
        write=True,
    )


def loan_receive(request, pk):
    loan = _loan(request, pk)
    if not services.may_confirm_receipt(request.user, loan):
        raise PermissionDenied(_("只有借片村的电教员可以确认收到"))
    if request.method == "POST":
        try:
            services.loan_confirm_receipt(loan=loan, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已确认收到拷贝 %(no)s") % {"no": loan.copy.inventory_no})
        return redirect("films:loan_list")
    return _confirm_page(
        request,
        title=_("确认收到拷贝"),
        button=_("确认已收到"),
        cancel_url=reverse("films:loan_list"),
        facts=[
            (_("拷贝"), loan.copy),
            (_("发放时间"), cn_date(loan.dispatched_at)),
            (_("发放人"), loan.dispatched_by),
            (_("应还日期"), cn_date(loan.due_on)),
        ],
    )


def loan_return(request, pk):
    loan = _loan(request, pk)
    require_station(request.user, loan.township_id)
    form = ReturnForm(request.POST or None)
    if form.is_valid() and run_service(
        form, services.loan_return, user=request.user, loan=loan, **form.cleaned_data
    ):
        messages.success(request, _("拷贝 %(no)s 已收回入站") % {"no": loan.copy.inventory_no})
        return redirect("films:loan_list")
    if not loan.is_open and not form.is_bound:
        messages.warning(request, _("该拷贝已于%(day)s归还") % {"day": cn_date(loan.returned_at)})
    return _form_page(
        request, form, _("登记归还：%(loan)s") % {"loan": loan}, reverse("films:loan_list")
    )
