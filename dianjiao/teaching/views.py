"""Pages of 播放收看: thin views (scope helper → form → service → redirect)."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dianjiao.accounts.scope import (
    get_for_user,
    may_write_village,
    require_station,
    require_write,
)
from dianjiao.lib import dates
from dianjiao.lib.forms import add_service_errors, id_or_none
from dianjiao.lib.paging import FiguresPaginator
from dianjiao.logbook.models import LogbookEntry
from dianjiao.members.models import Member
from dianjiao.orgs.models import ViewingPoint, Village

from . import selectors, services
from .forms import (
    KEY_FILM_STEPS,
    ROLL_ACTIONS,
    CorrectionForm,
    FeedbackForm,
    LearningFilterForm,
    OutcomeForm,
    SessionFilterForm,
    SessionForm,
    SetupForm,
    mark_unmarked,
    parse_month,
)
from .models import SessionQuerySet, ViewingSession
from .plan import viewing_target

PAGE_SIZE = 20
Kind = ViewingSession.Kind


def session_list(request):
    form = SessionFilterForm(request.GET or None, user=request.user)
    sessions = selectors.session_list(request.user, **form.filters())
    page = FiguresPaginator(sessions, PAGE_SIZE, figures=SessionQuerySet.with_figures).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "teaching/list.html",
        {
            "form": form,
            "page_obj": page,
            "can_write": bool(
                ViewingPoint.objects.writable_by(request.user).filter(active=True).exists()
            ),
        },
    )


def _conflict(request, session):
    return render(request, "teaching/conflict.html", {"session": session}, status=409)


def session_create(request):
    require_write(request.user)
    points = (
        ViewingPoint.objects.writable_by(request.user).filter(active=True).select_related("village")
    )
    point = (
        get_for_user(request, points, request.GET["point"], write=True)
        if request.GET.get("point")
        else points.order_by("village__sort_order", "name").first()
    )
    if point is None:
        return render(request, "teaching/record.html", {"no_point": True})
    default_kind = Kind.PASTORAL if point.kind == ViewingPoint.Kind.PASTORAL else Kind.MONTHLY
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else default_kind
    setup = SetupForm(initial={"point": point.pk, "kind": kind}, points=points)

    missed = None
    if kind == Kind.MAKEUP:
        candidates = selectors.makeup_candidates(point.village, as_of=dates.today())
        roster, missed = [m for m, _s in candidates], {m.pk: s for m, s in candidates}
    else:
        roster = list(selectors.expected_members(point))
    data, roll = request.POST or None, request.POST.get("roll")
    if roll in ROLL_ACTIONS:  # 全部到场 without JavaScript: marked, shown again, not saved
        data = mark_unmarked(request.POST, roster, roll)
    form = SessionForm(
        data,
        user=request.user,
        point=point,
        kind=kind,
        roster=roster,
        missed=missed,
    )
    if roll in ROLL_ACTIONS:
        form.hold()
    elif request.method == "POST" and form.is_valid():
        try:
            session = services.session_record(author=request.user, **form.service_kwargs())
        except services.SessionConflictError as exc:
            return _conflict(request, exc.session)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("已登记：%(session)s，并已记入《电教手册》") % {"session": session}
            )
            return redirect("teaching:detail", session.pk)
    return render(
        request,
        "teaching/record.html",
        {
            "form": form,
            "setup": setup,
            "point": point,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "key_films": [f for f in form.fields["films"].queryset if f.is_key_film],
            "tally": form.tally(),
            "steps": KEY_FILM_STEPS if kind == Kind.KEY_FILM else None,
            "draft_key": f"{request.user.pk}:teaching-record:{point.pk}:{kind}",
        },
    )


def _attendance_groups(session):
    rows = list(
        session.attendances.select_related("member", "makes_up_for").order_by(
            "member__name_pinyin", "pk"
        )
    )
    expected = [r for r in rows if r.expected]
    return {
        "absent": [r for r in expected if r.status == r.Status.ABSENT],
        "excused": [r for r in expected if r.status == r.Status.EXCUSED],
        "present": [r for r in expected if r.status == r.Status.PRESENT],
        "extra": [r for r in rows if not r.expected and r.status == r.Status.PRESENT],
        "others": [r for r in rows if not r.expected and r.status != r.Status.PRESENT],
    }


def session_detail(request, pk):
    session = get_for_user(request, ViewingSession.objects.with_figures(), pk)
    entries = (
        LogbookEntry.objects.visible_to(request.user)
        # Its own entry and corrections, including those made from the logbook's pages.
        .filter(
            Q(source_model=ViewingSession._meta.label_lower, source_pk=str(session.pk))
            | Q(corrects_id=session.entry_id or uuid.UUID(int=0))
        )
        .select_related("late_exception")
        .order_by("seq")
    )
    return render(
        request,
        "teaching/detail.html",
        {
            "session": session,
            "groups": _attendance_groups(session),
            "guests": session.guests.select_related("member"),
            # The camp's own footage (AV material), uploaded through the API's tus endpoint.
            "footage": session.uploads.filter(status="complete").select_related("uploader"),
            "tasks": session.practice_tasks.select_related("member"),
            "speakers": session.speakers.all(),
            "entries": entries,
            "can_write": may_write_village(request.user, session.village),
        },
    )


def session_practice(request, pk):
    session = get_for_user(
        request, ViewingSession.objects.select_related("village", "point", "entry"), pk, write=True
    )
    tasks = list(session.practice_tasks.select_related("member"))
    form = OutcomeForm(request.POST or None, tasks=tasks)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_record_outcome(
                author=request.user,
                session=session,
                outcomes=form.outcomes(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("实践成效已记录，并以更正记录写入《电教手册》"))
            return redirect("teaching:detail", session.pk)
    return render(request, "teaching/practice.html", {"session": session, "form": form})


def session_correct(request, pk):
    session = get_for_user(
        request, ViewingSession.objects.select_related("village", "point", "entry"), pk, write=True
    )
    rows = list(session.attendances.select_related("member").order_by("member__name_pinyin", "pk"))
    form = CorrectionForm(request.POST or None, session=session, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_correct(author=request.user, session=session, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已更正，原记录和更正记录都保留在《电教手册》中"))
            return redirect("teaching:detail", session.pk)
    return render(request, "teaching/correct.html", {"session": session, "form": form})


def _chosen_village(request, form):
    clean = form.cleaned_data if form.is_valid() else {}
    visible = Village.objects.visible_to(request.user)
    return (
        clean.get("village")
        or (visible.filter(pk=request.user.village_id).first() if request.user.village_id else None)
        or visible.first()
    )


def learning(request):
    today = dates.today()
    form = LearningFilterForm(request.GET or None, user=request.user, initial={"year": today.year})
    village = _chosen_village(request, form)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or today.year
    records = (
        selectors.village_learning(request.user, village, year=year, as_of=today) if village else []
    )
    behind = selectors.behind_target(request.user, year=year, as_of=today)
    due = selectors.months_ended(year, today)
    return render(
        request,
        "teaching/learning.html",
        {
            "form": form,
            "village": village,
            "year": year,
            "records": records,
            "behind": behind,
            "target": viewing_target(year, village.township_id if village else None),
            "months_due": len(due),
            "n_behind": sum(1 for r in records if r.behind),
        },
    )


def feedback(request):
    today = dates.today()
    period = parse_month(request.GET.get("month", "")) or selectors.default_feedback_month(today)
    year, month = period
    visible = Village.objects.visible_to(request.user)
    asked = request.GET.get("village", "")
    village = (visible.filter(pk=asked).first() if id_or_none(asked) else None) or (
        visible.filter(pk=request.user.village_id).first()
        if request.user.village_id
        else visible.first()
    )
    writable = Village.objects.writable_by(request.user)
    form = FeedbackForm(
        request.POST or None,
        villages=writable,
        initial={"village": village and village.pk, "month": f"{year:04d}-{month:02d}"},
    )
    if request.method == "POST":
        require_write(request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                fb = services.feedback_send(
                    author=request.user,
                    village=d["village"],
                    year=d["month"][0],
                    month=d["month"][1],
                    note=d["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已报送%(fb)s") % {"fb": fb})
                query = urlencode(
                    {"month": f"{fb.year:04d}-{fb.month:02d}", "village": fb.village_id}
                )
                return HttpResponseRedirect(reverse("teaching:feedback") + "?" + query)
    opens_on = selectors.feedback_opens_on(year, month)
    return render(
        request,
        "teaching/feedback.html",
        {
            "form": form,
            "year": year,
            "month": month,
            "month_value": f"{year:04d}-{month:02d}",
            "villages": visible,
            "village": village,
            "opens_on": opens_on,
            "is_open": today >= opens_on,
            "can_send": village is not None and writable.filter(pk=village.pk).exists(),
            "status": selectors.feedback_status(request.user, year=year, month=month),
            "preview": selectors.month_summary(village, year, month) if village else None,
            "history": list(selectors.feedback_history(request.user, village)[:12])
            if village
            else [],
            "days_before_end": selectors.FEEDBACK_DAYS_BEFORE_END,
        },
    )


def guests(request):
    """The station's list of guests not yet matched to the roster, with a member search for the
    one being matched (?guest=…&q=…); POST matches it (services.guest_match)."""
    township_id = request.user.township_id
    require_station(request.user, township_id)
    data = request.POST if request.method == "POST" else request.GET
    chosen = None
    if data.get("guest"):
        chosen = (
            selectors.unmatched_guests(request.user, township_id)
            .filter(pk=data["guest"] if str(data["guest"]).isdigit() else 0)
            .first()
        )
    q = (data.get("q") or "").strip()
    error = ""
    if request.method == "POST":
        member = (
            Member.objects.visible_to(request.user)
            .filter(pk=data.get("member") if str(data.get("member", "")).isdigit() else 0)
            .first()
        )
        if chosen is None:
            error = _("该列席人员不存在或已认定")
        elif member is None:
            error = _("请从搜索结果中选择一名党员")
        else:
            try:
                services.guest_match(
                    user=request.user, guest=chosen, member=member, note=data.get("note", "")
                )
            except ValidationError as exc:
                error = "；".join(exc.messages)
            else:
                messages.success(
                    request,
                    _("已将列席人员“%(guest)s”认定为%(name)s，本场收看计入其学习记录")
                    % {"guest": chosen.name, "name": member.name},
                )
                return redirect("teaching:guests")
    return render(
        request,
        "teaching/guests.html",
        {
            "guests": list(selectors.unmatched_guests(request.user, township_id)),
            "chosen": chosen,
            "q": q,
            "candidates": (
                selectors.guest_candidates(request.user, township_id, q) if chosen else []
            ),
            "error": error,
        },
    )
