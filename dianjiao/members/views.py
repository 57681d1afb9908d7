from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from dianjiao.accounts.scope import get_for_user, require_write
from dianjiao.audit.models import AuditEvent

from .forms import LeaveForm, MemberFilterForm, MemberForm
from .models import Member


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
    history = AuditEvent.objects.filter(model="members.member", object_pk=str(member.pk))[:20]
    return render(request, "members/detail.html", {"member": member, "history": history})


def member_create(request):
    require_write(request.user)
    form = MemberForm(request.POST or None, user=request.user, initial={"village": request.GET.get("village")})
    if form.is_valid():
        member = form.save()
        messages.success(request, f"已登记党员“{member.name}”")
        return redirect("members:detail", member.pk)
    return render(request, "web/form.html", {"form": form, "title": "登记党员", "cancel_url": reverse("members:list")})


def member_edit(request, pk):
    member = get_for_user(request, Member, pk, write=True)
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "党员信息已保存，修改前的内容保留在操作记录中")
        return redirect("members:detail", member.pk)
    return render(request, "web/form.html", {
        "form": form, "title": f"修改党员信息：{member.name}", "cancel_url": reverse("members:detail", args=[pk]),
    })


def member_leave(request, pk):
    member = get_for_user(request, Member.objects.filter(active=True), pk, write=True)
    form = LeaveForm(request.POST or None, instance=member)
    if form.is_valid():
        form.save()
        messages.success(request, f"{member.name} 已离册，记录仍保留")
        return redirect("members:detail", member.pk)
    return render(request, "web/form.html", {
        "form": form, "title": f"离册：{member.name}", "cancel_url": reverse("members:detail", args=[pk]),
    })
