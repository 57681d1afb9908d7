"""The oversight pages: scope → form → service → redirect. Reads go through `visible_to` /
`get_for_user` (outsiders 404); writes through the services, which check the narrow roles
(inspector, leader) or the ordinary ones (station, village) and answer 403."""

import mimetypes
import os
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dianjiao.accounts.scope import (
    get_for_user,
    is_leader,
    is_station,
    may_inspect,
    may_write_village,
    require_inspector,
    require_leader,
    require_station,
    require_village_writer,
)
from dianjiao.lib.dates import today
from dianjiao.lib.forms import run_service
from dianjiao.orgs.models import Village

from . import exports, records, selectors, services
from .forms import (
    ASSESSMENT_STATUSES,
    BULLETIN_STATUSES,
    COMPONENT_LABELS,
    RECT_STATUSES,
    AmendForm,
    AssessmentForm,
    BulletinEditForm,
    BulletinForm,
    ChecklistForm,
    DemoUnitForm,
    FilterForm,
    MaterialForm,
    MeetingForm,
    MeetingRecordForm,
    NameForm,
    NoteForm,
    ReasonForm,
    RectificationForm,
    StartForm,
    TemplateForm,
    TrainingForm,
)
from .models import (
    ActionItem,
    Assessment,
    AssessmentScore,
    Bulletin,
    ChecklistTemplate,
    DemoUnit,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    Meeting,
    Rectification,
    Training,
    TrainingMaterial,
)

PER_PAGE = 30


def _form_page(request, form, title, cancel_url, template="web/form.html", **extra):
    return render(
        request, template, {"form": form, "title": title, "cancel_url": cancel_url, **extra}
    )


def _page(request, qs):
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


def _township(request):
    """The township a township role acts in; a county viewer and a village have none here."""
    if request.user.township_id and not request.user.village_id:
        return request.user.township
    if request.user.is_superuser:
        from dianjiao.orgs.models import Township

        return Township.objects.order_by("pk").first()
    return None


def _confirm(request, *, title, button, facts, cancel_url, action):
    if request.method == "POST":
        try:
            action()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(cancel_url)
    return render(
        request,
        "web/confirm.html",
        {"title": title, "button": button, "facts": facts, "cancel_url": cancel_url},
    )


def _serve(field_file):
    try:
        file = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(file, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _download(data: bytes, content_type: str, ascii_name: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


# ---------------------------------------------------------------- overview


@require_safe
def overview(request):
    day = today()
    try:
        year = int(request.GET.get("year") or day.year)
    except ValueError:
        year = day.year
    if not 2000 <= year <= day.year + 1:
        year = day.year
    rows = selectors.plan_progress(request.user, year=year, as_of=day)
    return render(
        request,
        "oversight/overview.html",
        {
            "rows": rows,
            "year": year,
            "todos": selectors.todos_for(request.user, day),
            "unchecked": selectors.unchecked_points(request.user, as_of=day)
            if may_inspect(request.user)
            else [],
            "may_inspect": may_inspect(request.user),
        },
    )


# ---------------------------------------------------------------- checklists


@require_safe
def templates(request):
    qs = ChecklistTemplate.objects.visible_to(request.user).select_related("township", "created_by")
    qs = qs.prefetch_related("items")
    return render(
        request,
        "oversight/templates.html",
        {"page_obj": _page(request, qs), "station": is_station(request.user)},
    )


def template_new(request):
    township = _township(request)
    require_station(request.user, township)
    current = services.current_template(township)
    initial = {}
    if current:
        initial = {
            "title": current.title,
            "items": "\n".join(
                f"{i.text}|{i.max_score}|{i.source}|{i.guidance}" for i in current.items.all()
            ),
        }
    form = TemplateForm(request.POST or None, initial=initial)
    if form.is_valid() and run_service(
        form,
        services.template_create,
        user=request.user,
        township=township,
        title=form.cleaned_data["title"],
        items=form.cleaned_data["items"],
    ):
        messages.success(request, _("已制定新版本检查细则，之前的检查仍按原版本计分"))
        return redirect("oversight:templates")
    return _form_page(request, form, _("制定新版本检查细则"), reverse("oversight:templates"))


# ---------------------------------------------------------------- inspections


def _inspection_filter(request):
    form = FilterForm(
        request.GET or None,
        user=request.user,
        statuses=Inspection.Kind.choices,
        search=("observation", "point__name", "village__name"),
    )
    qs = selectors.inspections_for(request.user)
    if not request.GET.get("all"):
        qs = qs.filter(current=True)
    if form.is_valid() and form.cleaned_data.get("status"):
        qs = qs.filter(kind=form.cleaned_data["status"])
        form.cleaned_data["status"] = ""
    return form, form.filter(qs, year="inspected_on__year")


@require_safe
def inspections(request):
    form, qs = _inspection_filter(request)
    return render(
        request,
        "oversight/inspections.html",
        {
            "form": form,
            "page_obj": _page(request, qs),
            "may_inspect": may_inspect(request.user),
        },
    )


@require_safe
def inspections_export(request):
    _form, qs = _inspection_filter(request)
    return _download(
        exports.inspections_xlsx(qs),
        exports.XLSX,
        f"inspections-{today():%Y-%m-%d}.xlsx",
        f"检查记录-{today():%Y-%m-%d}.xlsx",
    )


def inspection_new(request):
    """Step one (GET without a point or village): where and what; step two: the checklist,
    pre-filled from the records of that village and month. The inspected unit is a viewing
    point, or a whole village (no point)."""
    township = _township(request)
    if township is None:
        raise PermissionDenied(_("只有检查员或电教站管理员可以登记检查"))
    require_inspector(request.user, township)
    template = services.current_template(township)
    data = (request.POST if request.method == "POST" else request.GET).copy()
    # A link from the to-do list names the point only; the start form sends its kind too. A
    # link naming a village and a month (the to-do of its unchecked points) opens step one.
    chosen = "point" in data or "kind" in data
    if chosen:
        data.setdefault("kind", "monthly")
        data.setdefault("inspected_on", today().isoformat())
    start = StartForm(
        data if chosen else None,
        user=request.user,
        initial={"inspected_on": today(), "kind": "monthly"},
    )
    if template is None:
        messages.warning(request, _("请先由电教站制定本乡的检查细则"))
    if not start.is_valid() or template is None:
        return render(
            request,
            "oversight/inspection_start.html",
            {"start": start, "title": _("登记检查")},
        )
    point = start.cleaned_data["point"]
    village = start.cleaned_data["village"]
    day = start.cleaned_data["inspected_on"]
    record = records.record_statuses(request.user, village, day)
    form = ChecklistForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        template=template,
        record=record,
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            services.inspection_record,
            user=request.user,
            village=village,
            point=point,
            kind=start.cleaned_data["kind"],
            inspected_on=day,
            template=template,
            answers=form.answers(),
            observation=form.cleaned_data["observation"],
            photos=form.cleaned_data["photos"],
            record=record,
        )
        if done:
            messages.success(request, _("检查已提交"))
            return redirect("oversight:inspection", done.pk)
    where = (
        f"{village.name} · {point.name}"
        if point
        else _("%(village)s（整村）") % {"village": village.name}
    )
    return render(
        request,
        "oversight/inspection_form.html",
        {
            "start": start,
            "form": form,
            "point": point,
            "day": day,
            "template": template,
            "title": _("检查：%(point)s") % {"point": where},
        },
    )


def _inspection(request, pk):
    qs = Inspection.objects.select_related(
        "village", "point", "inspector", "template", "corrects"
    ).prefetch_related(
        Prefetch("results", queryset=InspectionResult.objects.select_related("item")),
        "photos",
        "rectifications",
    )
    return get_for_user(request, qs, pk)


@require_safe
def inspection_detail(request, pk):
    insp = _inspection(request, pk)
    later = Inspection.objects.filter(corrects=insp).first()
    return render(
        request,
        "oversight/inspection_detail.html",
        {
            "insp": insp,
            "later": later,
            "may_correct": insp.current and may_inspect(request.user, insp.township_id),
        },
    )


def inspection_correct(request, pk):
    insp = _inspection(request, pk)
    require_inspector(request.user, insp.township_id)
    results = {r.item_id: r for r in insp.results.all()}
    rectified = {r.result_id for r in insp.rectifications.all()}
    initial = {"observation": insp.observation}
    for item_id, r in results.items():
        p = f"item_{item_id}_"
        initial |= {
            p + "status": r.status,
            p + "score": r.score,
            p + "note": r.note,
            p + "override_reason": r.override_reason,
            p + "rectify": r.pk in rectified,
        }
    record = records.record_statuses(request.user, insp.village, insp.inspected_on)
    form = ChecklistForm(
        request.POST or None,
        request.FILES or None,
        template=insp.template,
        record=record,
        reason=True,
        initial=initial,
    )
    if form.is_valid():
        new = run_service(
            form,
            services.inspection_correct,
            user=request.user,
            inspection=insp,
            reason=form.cleaned_data["reason"],
            answers=form.answers(),
            observation=form.cleaned_data["observation"],
            photos=form.cleaned_data["photos"],
        )
        if new:
            messages.success(request, _("已更正，原检查记录仍保留"))
            return redirect("oversight:inspection", new.pk)
    return render(
        request,
        "oversight/inspection_form.html",
        {
            "form": form,
            "point": insp.point,
            "day": insp.inspected_on,
            "template": insp.template,
            "title": _("更正检查：%(insp)s") % {"insp": insp},
        },
    )


@require_safe
def inspection_photo(request, pk):
    found = InspectionPhoto.objects.visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return _serve(found.image)


# ---------------------------------------------------------------- rectifications


def _rect_filter(request):
    form = FilterForm(
        request.GET or None,
        user=request.user,
        statuses=RECT_STATUSES,
        search=("problem", "response"),
    )
    return form, form.filter(selectors.rectifications_for(request.user), year="due_on__year")


@require_safe
def rectifications(request):
    form, qs = _rect_filter(request)
    return render(
        request,
        "oversight/rectifications.html",
        {"form": form, "page_obj": _page(request, qs), "today": today()},
    )


@require_safe
def rectifications_export(request):
    _form, qs = _rect_filter(request)
    return _download(
        exports.rectifications_xlsx(qs),
        exports.XLSX,
        f"rectifications-{today():%Y-%m-%d}.xlsx",
        f"整改-{today():%Y-%m-%d}.xlsx",
    )


def rectification_detail(request, pk):
    rect = get_for_user(
        request, Rectification.objects.select_related("village", "inspection", "result__item"), pk
    )
    may_answer = rect.status in (
        Rectification.Status.OPEN,
        Rectification.Status.RETURNED,
    ) and may_write_village(request.user, rect.village)
    form = RectificationForm(request.POST or None, request.FILES or None) if may_answer else None
    if request.method == "POST":
        if form is None:
            # Nothing to answer here: a read-only role or another village is refused (403); the
            # village itself, once its answer is in, is told why and sees the page again.
            require_village_writer(request.user, rect.village)
            messages.error(request, _("该整改已%(s)s") % {"s": rect.get_status_display()})
            return redirect("oversight:rectification", rect.pk)
        if form.is_valid() and run_service(
            form,
            services.rectification_submit,
            user=request.user,
            rectification=rect,
            response=form.cleaned_data["response"],
            photo=form.cleaned_data["photo"],
        ):
            messages.success(request, _("整改情况已报送，等待电教站验收"))
            return redirect("oversight:rectification", rect.pk)
    return render(
        request,
        "oversight/rectification_detail.html",
        {
            "rect": rect,
            "form": form,
            "station": is_station(request.user, rect.township_id),
            "today": today(),
        },
    )


def rectification_accept(request, pk):
    rect = get_for_user(request, Rectification.objects.select_related("village"), pk)
    require_station(request.user, rect.township_id)
    url = reverse("oversight:rectification", args=[pk])
    return _confirm(
        request,
        title=_("验收整改"),
        button=_("验收"),
        facts=[(_("整改村"), rect.village.name), (_("问题"), rect.problem)],
        cancel_url=url,
        action=lambda: services.rectification_accept(user=request.user, rectification=rect),
    )


def rectification_return(request, pk):
    rect = get_for_user(request, Rectification.objects.select_related("village"), pk)
    require_station(request.user, rect.township_id)
    form = ReasonForm(request.POST or None)
    if form.is_valid() and run_service(
        form,
        services.rectification_return,
        user=request.user,
        rectification=rect,
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("已退回%(village)s重新整改") % {"village": rect.village.name})
        return redirect("oversight:rectification", pk)
    return _form_page(request, form, _("退回整改"), reverse("oversight:rectification", args=[pk]))


@require_safe
def rectification_evidence(request, pk):
    rect = get_for_user(request, Rectification, pk)
    if not rect.evidence_photo:
        raise Http404
    return _serve(rect.evidence_photo)


# ---------------------------------------------------------------- bulletins


def _bulletin_filter(request):
    form = FilterForm(
        request.GET or None,
        user=request.user,
        statuses=BULLETIN_STATUSES,
        search=("title", "summary", "good_practice", "problems"),
    )
    return form, form.filter(selectors.bulletins_for(request.user), village=None, year="year")


@require_safe
def bulletins(request):
    form, qs = _bulletin_filter(request)
    return render(
        request,
        "oversight/bulletins.html",
        {"form": form, "page_obj": _page(request, qs), "station": is_station(request.user)},
    )


def _bulletin(request, pk) -> Bulletin:
    return get_for_user(request, selectors.bulletins_for(request.user), pk)


@require_safe
def bulletin_detail(request, pk):
    b = _bulletin(request, pk)
    return render(
        request,
        "oversight/bulletin_detail.html",
        {
            "b": b,
            "station": is_station(request.user, b.township_id),
            "leader": is_leader(request.user, b.township_id),
            "editable": b.status in (Bulletin.Status.DRAFT, Bulletin.Status.RETURNED),
        },
    )


def bulletin_new(request):
    township = _township(request)
    require_station(request.user, township)
    d0 = today()
    form = BulletinForm(
        request.POST or None, initial={"period": "month", "year": d0.year, "part": d0.month}
    )
    if form.is_valid():
        d = form.cleaned_data
        b = run_service(
            form,
            services.bulletin_draft,
            user=request.user,
            township=township,
            period=d["period"],
            year=d["year"],
            part=d["part"] or 0,
            title=d["title"],
            number=d["number"],
            summary=d["summary"],
            good_practice=d["good_practice"],
            problems=d["problems"],
        )
        if b:
            messages.success(request, _("通报草稿已保存，排名由检查记录生成"))
            return redirect("oversight:bulletin", b.pk)
    return _form_page(request, form, _("起草通报"), reverse("oversight:bulletins"))


def bulletin_edit(request, pk):
    b = _bulletin(request, pk)
    require_station(request.user, b.township_id)
    form = BulletinEditForm(
        request.POST or None,
        initial={
            k: getattr(b, k) for k in ("number", "title", "summary", "good_practice", "problems")
        },
    )
    if form.is_valid() and run_service(
        form, services.bulletin_update, user=request.user, bulletin=b, **form.cleaned_data
    ):
        messages.success(request, _("通报已修改"))
        return redirect("oversight:bulletin", pk)
    return _form_page(
        request,
        form,
        _("修改通报：%(t)s") % {"t": b.title},
        reverse("oversight:bulletin", args=[pk]),
    )


def bulletin_submit(request, pk):
    b = _bulletin(request, pk)
    require_station(request.user, b.township_id)
    return _confirm(
        request,
        title=_("报乡党委领导审批"),
        button=_("报审"),
        facts=[(_("标题"), b.title)],
        cancel_url=reverse("oversight:bulletin", args=[pk]),
        action=lambda: services.bulletin_submit(user=request.user, bulletin=b),
    )


def bulletin_approve(request, pk):
    b = _bulletin(request, pk)
    require_leader(request.user, b.township_id)
    return _confirm(
        request,
        title=_("审批并印发通报"),
        button=_("批准印发"),
        facts=[(_("标题"), b.title), (_("起草人"), b.drafted_by)],
        cancel_url=reverse("oversight:bulletin", args=[pk]),
        action=lambda: services.bulletin_approve(user=request.user, bulletin=b),
    )


def bulletin_return(request, pk):
    b = _bulletin(request, pk)
    require_leader(request.user, b.township_id)
    form = ReasonForm(request.POST or None)
    if form.is_valid() and run_service(
        form,
        services.bulletin_return,
        user=request.user,
        bulletin=b,
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("已退回电教站修改"))
        return redirect("oversight:bulletin", pk)
    return _form_page(request, form, _("退回通报"), reverse("oversight:bulletin", args=[pk]))


@require_safe
def bulletin_docx(request, pk):
    b = _bulletin(request, pk)
    return _download(
        exports.bulletin_docx(b), exports.DOCX, f"bulletin-{b.pk}.docx", f"{b.title}.docx"
    )


@require_safe
def bulletin_checkpoints(request, pk):
    b = _bulletin(request, pk)
    if b.status != Bulletin.Status.ISSUED:
        raise Http404
    response = JsonResponse(
        {"bulletin": b.pk, "title": b.title, "checkpoints": b.checkpoints},
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = f'attachment; filename="checkpoints-{b.pk}.json"'
    return response


# ---------------------------------------------------------------- assessment


@require_safe
def assessments(request):
    form = FilterForm(request.GET or None, user=request.user, statuses=ASSESSMENT_STATUSES)
    qs = form.filter(selectors.assessments_for(request.user), village=None, year="year")
    return render(
        request,
        "oversight/assessments.html",
        {"form": form, "page_obj": _page(request, qs), "station": is_station(request.user)},
    )


def assessment_compute(request):
    township = _township(request)
    require_station(request.user, township)
    form = AssessmentForm(request.POST or None, initial={"candidates": 2})
    form.fields["year"] = BulletinForm.base_fields["year"]
    form.fields["year"].initial = today().year
    form.order_fields(["year"])
    if form.is_valid():
        a = run_service(
            form,
            services.assessment_compute,
            user=request.user,
            township=township,
            year=form.cleaned_data["year"],
            weights=form.weights(),
            candidates=form.cleaned_data["candidates"],
        )
        if a:
            messages.success(request, _("已按记录计算各党支部得分"))
            return redirect("oversight:assessment", a.pk)
    return _form_page(request, form, _("计算年度考核得分"), reverse("oversight:assessments"))


def _assessment(request, pk) -> Assessment:
    return get_for_user(request, selectors.assessments_for(request.user), pk)


@require_safe
def assessment_detail(request, pk):
    a = _assessment(request, pk)
    scores = list(selectors.scores_of(request.user, a))
    return render(
        request,
        "oversight/assessment_detail.html",
        {
            "a": a,
            "scores": scores,
            "labels": COMPONENT_LABELS,
            "station": is_station(request.user, a.township_id),
            "leader": is_leader(request.user, a.township_id),
        },
    )


def assessment_publish(request, pk):
    a = _assessment(request, pk)
    require_leader(request.user, a.township_id)
    return _confirm(
        request,
        title=_("公布年度考核结果"),
        button=_("公布"),
        facts=[(_("年度"), a.year), (_("乡镇"), a.township)],
        cancel_url=reverse("oversight:assessment", args=[pk]),
        action=lambda: services.assessment_publish(user=request.user, assessment=a),
    )


def score_amend(request, pk):
    score = get_for_user(
        request, AssessmentScore.objects.select_related("assessment", "village"), pk
    )
    require_station(request.user, score.assessment.township_id)
    form = AmendForm(request.POST or None)
    if form.is_valid() and run_service(
        form,
        services.assessment_amend,
        user=request.user,
        score=score,
        new_score=form.cleaned_data["new_score"],
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("更正已记录，原得分仍保留"))
        return redirect("oversight:assessment", score.assessment_id)
    return _form_page(
        request,
        form,
        _("更正得分：%(village)s") % {"village": score.village.name},
        reverse("oversight:assessment", args=[score.assessment_id]),
    )


@require_safe
def assessment_export(request, pk):
    a = _assessment(request, pk)
    scores = list(selectors.scores_of(request.user, a))
    return _download(
        exports.assessment_xlsx(a, scores),
        exports.XLSX,
        f"assessment-{a.year}.xlsx",
        f"{a.township.name}{a.year}年度考核.xlsx",
    )


@require_safe
def assessment_docx(request, pk):
    a = _assessment(request, pk)
    scores = list(selectors.scores_of(request.user, a))
    return _download(
        exports.assessment_docx(a, scores),
        exports.DOCX,
        f"assessment-{a.year}.docx",
        f"{a.township.name}{a.year}年度考核.docx",
    )


# ---------------------------------------------------------------- meetings


@require_safe
def meetings(request):
    form = FilterForm(request.GET or None, user=request.user, search=("agenda", "minutes", "place"))
    qs = form.filter(selectors.meetings_for(request.user), village=None, year="held_on__year")
    township = _township(request)
    return render(
        request,
        "oversight/meetings.html",
        {
            "form": form,
            "page_obj": _page(request, qs),
            "leader": township is not None and is_leader(request.user, township),
            "actions": selectors.actions_for(request.user).filter(closed_at__isnull=True),
        },
    )


def meeting_new(request):
    township = _township(request)
    if township is None:
        raise PermissionDenied(_("只有乡党委领导可以进行此操作"))
    require_leader(request.user, township)
    form = MeetingForm(request.POST or None, initial={"held_on": today()})
    if form.is_valid():
        m = run_service(
            form,
            services.meeting_convene,
            user=request.user,
            township=township,
            **form.cleaned_data,
        )
        if m:
            messages.success(request, _("会议已登记"))
            return redirect("oversight:meeting", m.pk)
    return _form_page(request, form, _("召集会议"), reverse("oversight:meetings"))


@require_safe
def meeting_detail(request, pk):
    m = get_for_user(
        request,
        Meeting.objects.select_related("convened_by").prefetch_related(
            "attendance__village", "actions__village"
        ),
        pk,
    )
    # The action items this user may close (action_close's rule), so no one is offered a refusal.
    closable = {
        a.pk
        for a in m.actions.all()
        if (
            may_write_village(request.user, a.village)
            if a.village_id
            else is_station(request.user, a.township_id)
        )
    }
    return render(
        request,
        "oversight/meeting_detail.html",
        {
            "m": m,
            "leader": is_leader(request.user, m.township_id),
            "user": request.user,
            "closable": closable,
        },
    )


def meeting_record(request, pk):
    m = get_for_user(request, Meeting, pk)
    require_leader(request.user, m.township_id)
    form = MeetingRecordForm(
        request.POST or None, township=m.township_id, initial={"minutes": m.minutes}
    )
    if form.is_valid() and run_service(
        form,
        services.meeting_record,
        user=request.user,
        meeting=m,
        minutes=form.cleaned_data["minutes"],
        attendance=form.cleaned_data["attendance"],
        actions=form.cleaned_data["actions"],
    ):
        messages.success(request, _("会议纪要已保存"))
        return redirect("oversight:meeting", pk)
    return _form_page(request, form, _("会议纪要与出席"), reverse("oversight:meeting", args=[pk]))


def action_close(request, pk):
    a = get_for_user(request, ActionItem.objects.select_related("village", "meeting"), pk)
    form = NoteForm(request.POST or None)
    if a.village_id:
        require_village_writer(request.user, a.village)
    else:
        require_station(request.user, a.township_id)
    if form.is_valid() and run_service(
        form, services.action_close, user=request.user, action=a, note=form.cleaned_data["note"]
    ):
        messages.success(request, _("议定事项已办结"))
        return redirect("oversight:meeting", a.meeting_id)
    return _form_page(
        request,
        form,
        _("办结：%(text)s") % {"text": a.text},
        reverse("oversight:meeting", args=[a.meeting_id]),
    )


# ---------------------------------------------------------------- trainings


@require_safe
def trainings(request):
    form = FilterForm(request.GET or None, user=request.user, search=("title", "trainers"))
    qs = form.filter(
        selectors.trainings_for(request.user).prefetch_related("attendance"),
        village="attendance__village",
        year="starts_on__year",
    ).distinct()
    return render(
        request,
        "oversight/trainings.html",
        {"form": form, "page_obj": _page(request, qs), "station": is_station(request.user)},
    )


def training_new(request):
    township = _township(request)
    require_station(request.user, township)
    form = TrainingForm(request.POST or None, township=township)
    if form.is_valid():
        t = run_service(
            form,
            services.training_record,
            user=request.user,
            township=township,
            **form.cleaned_data,
        )
        if t:
            messages.success(request, _("培训已登记"))
            return redirect("oversight:training", t.pk)
    return _form_page(request, form, _("登记培训"), reverse("oversight:trainings"))


def _training(request, pk) -> Training:
    return get_for_user(request, selectors.trainings_for(request.user), pk)


@require_safe
def training_detail(request, pk):
    t = get_for_user(
        request,
        selectors.trainings_for(request.user).prefetch_related("attendance__village"),
        pk,
    )
    station = is_station(request.user, t.township_id)
    attendance = list(t.attendance.all())
    # Each name links to that cadre's training history where the reader may open it (a village
    # reads its own cadres' histories, not its neighbours').
    seen = set(
        Village.objects.visible_to(request.user)
        .filter(pk__in={a.village_id for a in attendance})
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "oversight/training_detail.html",
        {
            "t": t,
            "attendance": [(a, a.village_id in seen) for a in attendance],
            "materials": [
                m for m in selectors.materials_of(request.user, t) if station or not m.withdrawn
            ],
            "station": station,
        },
    )


def training_material_add(request, pk):
    t = _training(request, pk)
    require_station(request.user, t.township_id)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if form.is_valid() and run_service(
        form,
        services.training_material_add,
        user=request.user,
        training=t,
        file=form.cleaned_data["file"],
        title=form.cleaned_data["title"],
    ):
        messages.success(request, _("培训资料已上传"))
        return redirect("oversight:training", pk)
    return _form_page(
        request,
        form,
        _("上传培训资料：%(t)s") % {"t": t.title},
        reverse("oversight:training", args=[pk]),
    )


def _material(request, pk) -> TrainingMaterial:
    m = get_for_user(request, TrainingMaterial.objects.select_related("training"), pk)
    # A withdrawn material is history: its station still opens it, nobody else is handed it.
    if m.withdrawn and not is_station(request.user, m.training.township_id):
        raise Http404
    return m


@require_safe
def training_material(request, pk):
    m = _material(request, pk)
    response = _serve(m.file)
    response["Content-Type"] = m.content_type or response["Content-Type"]
    name = m.original_name or os.path.basename(m.file.name)
    ascii_name = f"material-{m.pk}{os.path.splitext(m.file.name)[1]}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def training_material_withdraw(request, pk):
    m = _material(request, pk)
    require_station(request.user, m.training.township_id)
    form = ReasonForm(request.POST or None)
    if form.is_valid() and run_service(
        form,
        services.training_material_withdraw,
        user=request.user,
        material=m,
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("资料已撤回，仍保留在培训记录中"))
        return redirect("oversight:training", m.training_id)
    return _form_page(
        request,
        form,
        _("撤回培训资料：%(t)s") % {"t": m.title},
        reverse("oversight:training", args=[m.training_id]),
    )


@require_safe
def cadres(request):
    """Every AV cadre the user sees, with their trainings and hours in the chosen year and in
    all years."""
    form = FilterForm(request.GET or None, user=request.user)
    village = year = None
    if form.is_valid():
        village, year = form.cleaned_data.get("village"), form.cleaned_data.get("year")
    year = year or today().year
    rows = selectors.cadres_for(request.user, village=village)
    for c in rows:
        c.this_year = c.years.get(year, (0, 0))
    return render(
        request,
        "oversight/cadres.html",
        {"form": form, "page_obj": _page(request, rows), "year": year},
    )


@require_safe
def cadre_detail(request, village, name):
    v = get_for_user(request, Village, village)
    cadre, history = selectors.cadre_history(request.user, v, name)
    if cadre is None:
        raise Http404
    return render(request, "oversight/cadre_detail.html", {"cadre": cadre, "history": history})


# ---------------------------------------------------------------- demonstration units


def _demo_filter(request):
    form = FilterForm(
        request.GET or None,
        user=request.user,
        statuses=DemoUnit.Status.choices,
        search=("household", "sponsor", "evidence"),
    )
    return form, form.filter(selectors.demo_units_for(request.user), year="year")


@require_safe
def demos(request):
    form, qs = _demo_filter(request)
    return render(
        request,
        "oversight/demos.html",
        {"form": form, "page_obj": _page(request, qs), "station": is_station(request.user)},
    )


@require_safe
def demos_export(request):
    _form, qs = _demo_filter(request)
    return _download(
        exports.demos_xlsx(qs),
        exports.XLSX,
        f"demonstration-{today():%Y-%m-%d}.xlsx",
        f"示范单位-{today():%Y-%m-%d}.xlsx",
    )


def demo_new(request):
    township = _township(request)
    require_station(request.user, township)
    form = DemoUnitForm(request.POST or None, user=request.user, initial={"year": today().year})
    if form.is_valid():
        u = run_service(form, services.demo_unit_save, user=request.user, **form.cleaned_data)
        if u:
            messages.success(request, _("示范单位已登记"))
            return redirect("oversight:demo", u.pk)
    return _form_page(request, form, _("登记示范单位"), reverse("oversight:demos"))


@require_safe
def demo_detail(request, pk):
    u = get_for_user(request, selectors.demo_units_for(request.user), pk)
    return render(
        request,
        "oversight/demo_detail.html",
        {"u": u, "station": is_station(request.user, u.township_id)},
    )


def demo_edit(request, pk):
    u = get_for_user(request, selectors.demo_units_for(request.user), pk)
    require_station(request.user, u.township_id)
    initial = {k: getattr(u, k) for k in services.DEMO_FIELDS} | {"village": u.village}
    form = DemoUnitForm(request.POST or None, user=request.user, initial=initial)
    if form.is_valid():
        fields = dict(form.cleaned_data)
        fields.pop("village")
        if run_service(form, services.demo_unit_save, user=request.user, unit=u, **fields):
            messages.success(request, _("示范单位已修改"))
            return redirect("oversight:demo", pk)
    return _form_page(request, form, _("修改示范单位"), reverse("oversight:demo", args=[pk]))


def demo_name(request, pk):
    u = get_for_user(request, selectors.demo_units_for(request.user), pk)
    require_station(request.user, u.township_id)
    form = NameForm(request.POST or None, initial={"named_on": today()})
    if form.is_valid() and run_service(
        form, services.demo_unit_name, user=request.user, unit=u, **form.cleaned_data
    ):
        messages.success(request, _("已命名"))
        return redirect("oversight:demo", pk)
    return _form_page(
        request, form, _("命名：%(u)s") % {"u": u}, reverse("oversight:demo", args=[pk])
    )
