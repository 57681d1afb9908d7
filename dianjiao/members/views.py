from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dianjiao.accounts.scope import get_for_user, require_write
from dianjiao.audit.models import AuditEvent
from dianjiao.lib.dates import today
from dianjiao.lib.forms import run_service
from dianjiao.lib.sizes import size_label

from . import roster_xlsx, services
from .forms import LeaveForm, MemberFilterForm, MemberForm, RosterUploadForm
from .models import Member, RosterImport, RosterImportRow


def member_queryset(request):
    """The roster the user sees, filtered by the list's query string (shared with the export)."""
    form = MemberFilterForm(request.GET or None, user=request.user)
    queryset = Member.objects.visible_to(request.user).select_related("village", "point")
    return form, form.filter(queryset)


def member_list(request):
    form, queryset = member_queryset(request)
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    template = "members/_rows.html" if request.headers.get("HX-Request") else "members/list.html"
    return render(request, template, {"form": form, "page_obj": page})


def member_detail(request, pk):
    member = get_for_user(request, Member.objects.select_related("village", "point"), pk)
    # Its own saves, and the imports that created or updated it (one event per import).
    imports = (
        RosterImportRow.objects.filter(member=member)
        .annotate(key=Cast("batch_id", CharField()))
        .values("key")
    )
    history = AuditEvent.objects.filter(
        Q(model="members.member", object_pk=str(member.pk))
        | Q(model="members.rosterimport", action=AuditEvent.Action.IMPORT, object_pk__in=imports)
    ).defer("data")[:20]
    return render(request, "members/detail.html", {"member": member, "history": history})


def member_create(request):
    require_write(request.user)
    form = MemberForm(
        request.POST or None, user=request.user, initial={"village": request.GET.get("village")}
    )
    if form.is_valid() and (
        member := run_service(form, services.member_create, user=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("已登记党员“%(name)s”") % {"name": member.name})
        return redirect("members:detail", member.pk)
    return render(
        request,
        "web/form.html",
        {"form": form, "title": _("登记党员"), "cancel_url": reverse("members:list")},
    )


def member_edit(request, pk):
    member = get_for_user(request, Member, pk, write=True)
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    if form.is_valid() and run_service(
        form, services.member_update, user=request.user, member=member, **form.cleaned_data
    ):
        messages.success(request, _("党员信息已保存，修改前的内容保留在操作记录中"))
        return redirect("members:detail", member.pk)
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": _("修改党员信息：%(name)s") % {"name": member.name},
            "cancel_url": reverse("members:detail", args=[pk]),
        },
    )


def member_leave(request, pk):
    member = get_for_user(request, Member.objects.filter(active=True), pk, write=True)
    form = LeaveForm(request.POST or None)
    if form.is_valid() and run_service(
        form, services.member_leave, user=request.user, member=member, **form.cleaned_data
    ):
        messages.success(request, _("%(name)s 已离册，记录仍保留") % {"name": member.name})
        return redirect("members:detail", member.pk)
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": _("离册：%(name)s") % {"name": member.name},
            "cancel_url": reverse("members:detail", args=[pk]),
        },
    )


def member_import(request):
    require_write(request.user)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    # Sent by members/import.js, which shows the upload's progress: the answer is where to go
    # next, or what to say next to the file field, instead of a page.
    progress = request.method == "POST" and request.headers.get("X-Upload-Progress") == "1"
    if form.is_valid():
        try:
            batch = services.roster_import_upload(user=request.user, file=form.cleaned_data["file"])
        except services.RosterImportError as exc:
            form.add_error("file", str(exc))
        else:
            if progress:
                return JsonResponse(
                    {"redirect": reverse("members:import_preview", args=[batch.pk])}
                )
            return redirect("members:import_preview", batch.pk)
    if progress:
        return JsonResponse(
            {
                "errors": [str(e) for e in form.errors.get("file", [])]
                or [str(e) for e in form.non_field_errors()]
            }
        )
    return render(
        request,
        "members/import.html",
        {
            "form": form,
            "max_size": size_label(settings.DIANJIAO_MAX_UPLOAD_BYTES),
            "max_rows": roster_xlsx.MAX_ROWS,
        },
    )


PREVIEW_ROWS = 100
PREVIEW_BAD_ROWS = 300


def member_import_preview(request, pk):
    batch = get_for_user(request, RosterImport.objects.defer("sheet"), pk, write=True)
    preview = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "discard":
                services.roster_import_discard(user=request.user, batch=batch)
                messages.success(request, _("已放弃本次导入，未保存任何数据"))
                return redirect("members:import")
            counts = services.roster_import_apply(user=request.user, batch=batch)
        except services.RosterImportInvalid as exc:
            messages.error(request, str(exc))
            preview = exc.preview
        except services.RosterImportError as exc:
            messages.error(request, str(exc))
            return redirect("members:import_preview", batch.pk)
        else:
            messages.success(
                request,
                _("导入完成：新增 %(created)s 人，更新 %(updated)s 人，%(unchanged)s 人无变化")
                % counts,
            )
            return redirect("members:import_preview", batch.pk)
    if batch.status == RosterImport.Status.PENDING and preview is None:
        preview = services.roster_import_review(user=request.user, batch=batch)
    earlier = (
        RosterImport.objects.visible_to(request.user)
        .filter(sha256=batch.sha256, status=RosterImport.Status.APPLIED)
        .exclude(pk=batch.pk)
        .first()
    )
    # A roster of 10,000 rows is shown a page at a time, and at most the first bad rows: a phone
    # gets a page it can render, the counts above say the rest.
    rows_page = Paginator(preview.rows if preview else [], PREVIEW_ROWS).get_page(
        request.GET.get("page")
    )
    bad_rows = preview.bad_rows if preview else []
    return render(
        request,
        "members/import_preview.html",
        {
            "batch": batch,
            "preview": preview,
            "earlier": earlier,
            "rows_page": rows_page,
            "bad_rows": bad_rows[:PREVIEW_BAD_ROWS],
            "bad_rows_not_shown": max(0, len(bad_rows) - PREVIEW_BAD_ROWS),
        },
    )


@require_GET
def member_export(request):
    """The rows the list shows for the same query string, every page of them; ?template=1 gives
    the headers alone, as a blank roster to fill in."""
    if request.GET.get("template"):
        members, filename = Member.objects.none(), "党员花名册模板.xlsx"
    else:
        _form, members = member_queryset(request)
        filename = f"党员花名册-{today():%Y-%m-%d}.xlsx"
    response = HttpResponse(
        roster_xlsx.write(members),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    # An ASCII name for old browsers, the Chinese one (RFC 5987) for the rest.
    response["Content-Disposition"] = (
        "attachment; filename=\"roster-{}.xlsx\"; filename*=UTF-8''{}".format(
            "template" if request.GET.get("template") else f"{today():%Y-%m-%d}",
            quote(filename),
        )
    )
    return response
