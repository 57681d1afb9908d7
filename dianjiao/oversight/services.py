"""Writes of the oversight loop. Keyword-only, one transaction each, `full_clean()`, Chinese
refusals keyed by the field they concern; the audit trail records every save with its actor.

Who writes what (the issue's roles, nothing wider):
- the inspector (or the station) records inspections — `require_inspector`;
- the village answers its rectifications and closes its meeting actions — `require_village_writer`;
- the station keeps checklists, accepts rectifications, drafts bulletins, computes the assessment,
  records trainings and demonstration units — `require_station`;
- the party-committee leader convenes meetings, approves bulletins, publishes the assessment —
  `require_leader`."""

import datetime as dt
import os
import uuid
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from dianjiao.accounts.scope import (
    require_inspector,
    require_leader,
    require_station,
    require_village_writer,
)
from dianjiao.infoitems import images
from dianjiao.lib import dates
from dianjiao.orgs.models import Township, ViewingPoint, Village

from . import materials, records
from .models import (
    ActionItem,
    Assessment,
    AssessmentAmendment,
    AssessmentScore,
    Bulletin,
    ChecklistItem,
    ChecklistTemplate,
    DemoUnit,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    Meeting,
    MeetingAttendance,
    Rectification,
    Training,
    TrainingAttendance,
    TrainingMaterial,
)

MAX_PIXELS = 40_000_000
RECTIFY_DAYS = 30
S = InspectionResult.Status


def _save(obj, **kw):
    obj.full_clean(**kw)
    obj.save()
    return obj


def _lock_township(township_id: int) -> Township:
    """Serialise numbering within a township: the township row is the lock (an aggregate cannot
    be locked)."""
    return Township.objects.select_for_update().get(pk=township_id)


def check_photos(files) -> list:
    """The information items' checks (JPG/PNG, 5 MB, six at most), and no more than ~40 Mpx."""
    files = list(files)
    images.check_photos(files)
    for f in files:
        try:
            f.seek(0)
            with Image.open(f) as img:
                w, h = img.size
        finally:
            f.seek(0)
        if w * h > MAX_PIXELS:
            raise ValidationError(
                {
                    "photos": _("图片“%(name)s”像素过大（超过4000万像素），请缩小后再上传")
                    % {"name": getattr(f, "name", "")}
                }
            )
    return files


def _store_photo(photo, field, f):
    name = os.path.basename(getattr(f, "name", "") or "photo")
    getattr(photo, field).save(name, f, save=False)


# ---------------------------------------------------------------- checklists


def template_create(
    *, user, township, title: str, items: Sequence[dict], at: dt.datetime | None = None
) -> ChecklistTemplate:
    """A new version of the township's checklist: `items` of {text, max_score, guidance, source}.
    Earlier versions stay as they were, with the inspections that used them."""
    tid = getattr(township, "pk", township)
    require_station(user, tid)
    items = [i for i in items if (i.get("text") or "").strip()]
    if not items:
        raise ValidationError({"items": _("检查细则至少要有一个检查项目")})
    with transaction.atomic():
        _lock_township(tid)
        last = ChecklistTemplate.objects.filter(township_id=tid).order_by("-version").first()
        template = _save(
            ChecklistTemplate(
                township_id=tid,
                version=(last.version if last else 0) + 1,
                title=(title or "").strip(),
                created_by=user,
                created_at=at or dates.now(),
            )
        )
        for n, spec in enumerate(items, start=1):
            _save(
                ChecklistItem(
                    template=template,
                    order=n,
                    text=spec["text"].strip(),
                    max_score=spec.get("max_score") or 0,
                    guidance=(spec.get("guidance") or "").strip(),
                    source=spec.get("source") or "",
                )
            )
    return template


def template_delete(*, user, template: ChecklistTemplate) -> None:
    """Checklists are never deleted: a version in use keeps the meaning of its scores, an unused
    one is simply superseded by the next version."""
    require_station(user, template.township_id)
    if Inspection.objects.filter(template=template).exists():
        raise ValidationError(
            {"template": _("已有检查使用此版本的检查细则，不能删除；请制定新版本")}
        )
    raise ValidationError({"template": _("检查细则不删除；请制定新版本代替")})


def current_template(township) -> ChecklistTemplate | None:
    tid = getattr(township, "pk", township)
    return ChecklistTemplate.objects.filter(township_id=tid).order_by("-version").first()


# ---------------------------------------------------------------- inspections


def _results(template, answers: dict, record: dict) -> tuple[list[InspectionResult], dict]:
    """Checked InspectionResults (unsaved) for every item of `template`; errors keyed
    item_<pk>_<field>. `answers`: {item pk: {status, score, note, override_reason, rectify}}.
    `rectify` asks for a rectification of a partly met item (a failed one always gets one); it
    rides on the unsaved result as `opens_rectification`."""
    out, errors = [], {}
    for item in template.items.all():
        a = answers.get(item.pk) or answers.get(str(item.pk)) or {}
        status = a.get("status") or ""
        if status not in S.values:
            errors[f"item_{item.pk}_status"] = _("请选择检查结论")
            continue
        try:
            score = int(a.get("score") or 0)
        except (TypeError, ValueError):
            score = -1
        if status == S.NA:
            score = 0
        if score < 0:
            errors[f"item_{item.pk}_score"] = _("得分应为0或正整数")
        elif score > item.max_score:
            errors[f"item_{item.pk}_score"] = _("得分不能超过该项分值%(max)d分") % {
                "max": item.max_score
            }
        elif status == S.FAILS and score == item.max_score and item.max_score:
            errors[f"item_{item.pk}_score"] = _("不达标的项目不能得满分")
        reason = (a.get("override_reason") or "").strip()
        from_records = record.get(item.source, "") if item.source else ""
        if from_records and status != from_records and not reason:
            errors[f"item_{item.pk}_override_reason"] = _(
                "记录显示“%(status)s”，改判须写明理由"
            ) % {"status": S(from_records).label}
        result = InspectionResult(
            item=item,
            status=status,
            score=max(score, 0),
            note=(a.get("note") or "").strip(),
            record_status=from_records,
            override_reason=reason if from_records and status != from_records else "",
        )
        result.opens_rectification = opens_rectification(status, a.get("rectify"))
        out.append(result)
    return out, errors


def opens_rectification(status: str, rectify=False) -> bool:
    """A failed item always opens a rectification; a partly met one (部分达标) when the inspector
    asks for it; an item that meets, or does not apply, never."""
    return status == S.FAILS or (status == S.PARTLY and bool(rectify))


def _check_where(user, village: Village, point: ViewingPoint | None, template, day) -> dict:
    require_inspector(user, village.township_id)
    errors = {}
    if point is not None and point.village_id != village.pk:
        errors["point"] = _("该播放点不属于%(village)s") % {"village": village.name}
    if template is None or template.township_id != village.township_id:
        errors["template"] = _("请先由电教站制定本乡的检查细则")
    if day is None:
        errors["inspected_on"] = _("请填写检查日期")
    elif day > dates.today():
        errors["inspected_on"] = _("检查日期不能晚于今天")
    return errors


def _write_inspection(inspection, results, photos, rectify_days):
    counted = [r for r in results if r.status != S.NA]
    inspection.score = sum(r.score for r in counted)
    inspection.max_score = sum(r.item.max_score for r in counted)
    _save(inspection)
    for r in results:
        r.inspection = inspection
        _save(r)
        if getattr(r, "opens_rectification", r.status == S.FAILS):
            text = r.item.text + (f"：{r.note}" if r.note else "")
            _save(
                Rectification(
                    township_id=inspection.township_id,
                    village=inspection.village,
                    inspection=inspection,
                    result=r,
                    problem=text[:300],
                    due_on=inspection.inspected_on + dt.timedelta(days=rectify_days),
                )
            )
    for f in photos:
        photo = InspectionPhoto(
            inspection=inspection, original_name=os.path.basename(f.name or "")[:200]
        )
        _store_photo(photo, "image", f)
        photo.save()
    return inspection


def inspection_record(
    *,
    user,
    village: Village,
    kind: str,
    inspected_on: dt.date,
    template: ChecklistTemplate | None,
    answers: dict,
    point: ViewingPoint | None = None,
    observation: str = "",
    photos: Sequence = (),
    rectify_days: int = RECTIFY_DAYS,
    at: dt.datetime | None = None,
    record: dict | None = None,
) -> Inspection:
    """Record and submit an inspection of `village` (at `point`, or the whole village when
    `point` is None): one result per checklist item. Items the records answer are compared with
    them; a different verdict needs a reason. Each failed item, and each partly met one the
    inspector marks (`rectify`), opens a rectification owed by the village, due in
    `rectify_days`. `record`: the records' answers when the caller has already computed them."""
    errors = _check_where(user, village, point, template, inspected_on)
    if errors.get("template"):
        raise ValidationError(errors)
    if record is None:
        record = records.record_statuses(user, village, inspected_on) if inspected_on else {}
    results, item_errors = _results(template, answers, record)
    errors |= item_errors
    if kind not in Inspection.Kind.values:
        errors["kind"] = _("请选择检查类别")
    try:
        photos = check_photos(photos)
    except ValidationError as exc:
        errors |= exc.message_dict
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inspection = Inspection(
            township_id=village.township_id,
            village=village,
            point=point,
            kind=kind,
            inspected_on=inspected_on,
            inspector=user,
            template=template,
            observation=(observation or "").strip(),
            submitted_at=at or dates.now(),
        )
        return _write_inspection(inspection, results, photos, rectify_days)


def inspection_correct(
    *,
    user,
    inspection: Inspection,
    reason: str,
    answers: dict,
    observation: str | None = None,
    photos: Sequence = (),
    at: dt.datetime | None = None,
) -> Inspection:
    """A submitted inspection is never edited: its correction is a new version, with a reason,
    on the same checklist version; the earlier one stays, marked as superseded."""
    require_inspector(user, inspection.township_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("更正必须填写原因")})
    with transaction.atomic():
        old = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if not old.current:
            raise ValidationError({"reason": _("这不是最新版本，请更正最新版本")})
        record = records.record_statuses(user, old.village, old.inspected_on)
        results, errors = _results(old.template, answers, record)
        try:
            photos = check_photos(photos)
        except ValidationError as exc:
            errors |= exc.message_dict
        if errors:
            raise ValidationError(errors)
        old.current = False
        old.save(update_fields=["current"])
        new = Inspection(
            township_id=old.township_id,
            village=old.village,
            point=old.point,
            kind=old.kind,
            inspected_on=old.inspected_on,
            inspector=user,
            template=old.template,
            observation=old.observation if observation is None else observation.strip(),
            version=old.version + 1,
            corrects=old,
            correction_reason=reason,
            submitted_at=at or dates.now(),
        )
        return _write_inspection(new, results, photos, RECTIFY_DAYS)


# ---------------------------------------------------------------- rectifications


def rectification_submit(
    *,
    user,
    rectification: Rectification,
    response: str,
    photo=None,
    at: dt.datetime | None = None,
) -> Rectification:
    """The village reports its fix: what was done, and evidence (a photo, or the text itself)."""
    require_village_writer(user, rectification.village)
    response = (response or "").strip()
    errors = {}
    if not response and photo is None:
        errors["response"] = _("请写明整改情况或上传整改照片作为证据")
    if photo is not None:
        try:
            check_photos([photo])
        except ValidationError as exc:
            errors["photo"] = exc.message_dict["photos"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        r = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if r.status not in (Rectification.Status.OPEN, Rectification.Status.RETURNED):
            raise ValidationError({"response": _("该整改已%(s)s") % {"s": r.get_status_display()}})
        r.response, r.status = response, Rectification.Status.SUBMITTED
        r.submitted_at, r.submitted_by = at or dates.now(), user
        if photo is not None:
            _store_photo(r, "evidence_photo", photo)
        return _save(r)


def rectification_accept(*, user, rectification: Rectification, at=None) -> Rectification:
    require_station(user, rectification.township_id)
    with transaction.atomic():
        r = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if r.status != Rectification.Status.SUBMITTED:
            raise ValidationError({"status": _("只有已报整改的事项可以验收")})
        if not (r.response or r.evidence_photo):
            raise ValidationError({"status": _("没有整改证据，不能验收")})
        r.status, r.decided_at, r.decided_by = (
            Rectification.Status.ACCEPTED,
            at or dates.now(),
            user,
        )
        return _save(r)


def rectification_return(
    *, user, rectification: Rectification, reason: str, at=None
) -> Rectification:
    require_station(user, rectification.township_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回必须填写理由")})
    with transaction.atomic():
        r = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if r.status != Rectification.Status.SUBMITTED:
            raise ValidationError({"reason": _("只有已报整改的事项可以退回")})
        r.status, r.return_reason = Rectification.Status.RETURNED, reason
        r.decided_at, r.decided_by = at or dates.now(), user
        return _save(r)


# ---------------------------------------------------------------- bulletins


def period_bounds(period: str, year: int, part: int) -> tuple[dt.date, dt.date]:
    """[start, end) of a bulletin's period."""
    if period == Bulletin.Period.MONTH:
        start = dt.date(year, part, 1)
        end = dt.date(year + (part == 12), part % 12 + 1, 1)
    elif period == Bulletin.Period.HALF:
        start = dt.date(year, 1 if part == 1 else 7, 1)
        end = dt.date(year, 7, 1) if part == 1 else dt.date(year + 1, 1, 1)
    else:
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    return start, end


def period_label(period: str, year: int, part: int) -> str:
    if period == Bulletin.Period.MONTH:
        return _("%(y)d年%(m)d月") % {"y": year, "m": part}
    if period == Bulletin.Period.HALF:
        return (_("%(y)d年上半年") if part == 1 else _("%(y)d年下半年")) % {"y": year}
    return _("%(y)d年") % {"y": year}


def bulletin_figures(township_id: int, start: dt.date, end: dt.date) -> tuple[list, list]:
    """(ranking, rectifications due) of a period: villages by their mean inspection score
    (current versions only), best first; rectifications open at the period's end."""
    villages = list(Village.objects.filter(township_id=township_id).order_by("sort_order", "name"))
    marks: dict[int, list] = {v.pk: [] for v in villages}
    for vid, score, top in Inspection.objects.filter(
        township_id=township_id, current=True, inspected_on__gte=start, inspected_on__lt=end
    ).values_list("village_id", "score", "max_score"):
        if top:
            marks.setdefault(vid, []).append(100 * score / top)
    ranking = [
        {
            "village": v.pk,
            "name": v.name,
            "score": round(sum(marks[v.pk]) / len(marks[v.pk]), 1) if marks[v.pk] else None,
            "inspections": len(marks[v.pk]),
        }
        for v in villages
    ]
    ranking.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0)))
    due = [
        {
            "village": r.village.name,
            "problem": r.problem,
            "due_on": r.due_on.isoformat(),
            "status": r.status,
        }
        for r in Rectification.objects.filter(
            township_id=township_id,
            status__in=[Rectification.Status.OPEN, Rectification.Status.RETURNED],
            inspection__inspected_on__lt=end,
        ).select_related("village")
    ]
    return ranking, due


def good_practice_lines(township_id: int, start: dt.date, end: dt.date) -> str:
    """R3's innovations shared: the period's adopted or published information items, one a line
    ("village: title"), as the draft's good practice for the station to edit."""
    from dianjiao.infoitems.models import InfoItem

    items = InfoItem.objects.filter(
        township_id=township_id,
        status__in=[InfoItem.Status.ADOPTED, InfoItem.Status.PUBLISHED],
        sent_at__date__gte=start,
        sent_at__date__lt=end,
    ).select_related("village")
    return "\n".join(f"{i.village.name}：{i.title}" for i in items.order_by("sent_at"))


def bulletin_draft(
    *,
    user,
    township,
    period: str,
    year: int,
    part: int = 0,
    title: str = "",
    number: str = "",
    summary: str = "",
    good_practice: str = "",
    problems: str = "",
    at: dt.datetime | None = None,
) -> Bulletin:
    """The station drafts a bulletin; the ranking and the rectifications due are taken from the
    inspections of the period."""
    tid = getattr(township, "pk", township)
    require_station(user, tid)
    errors = {}
    if period not in Bulletin.Period.values:
        errors["period"] = _("请选择通报期间")
    elif period == Bulletin.Period.MONTH and not 1 <= part <= 12:
        errors["part"] = _("月度通报请选择1到12月")
    elif period == Bulletin.Period.HALF and part not in (1, 2):
        errors["part"] = _("半年通报请选择上半年或下半年")
    if errors:
        raise ValidationError(errors)
    if period == Bulletin.Period.YEAR:
        part = 0
    start, end = period_bounds(period, year, part)
    ranking, due = bulletin_figures(tid, start, end)
    name = Township.objects.get(pk=tid).name
    if not (good_practice or "").strip():
        good_practice = good_practice_lines(tid, start, end)
    with transaction.atomic():
        return _save(
            Bulletin(
                township_id=tid,
                period=period,
                year=year,
                part=part,
                title=(title or "").strip()
                or _("%(township)s%(period)s党员电教工作检查情况通报")
                % {"township": name, "period": period_label(period, year, part)},
                number=(number or "").strip(),
                summary=(summary or "").strip(),
                good_practice=(good_practice or "").strip(),
                problems=(problems or "").strip(),
                ranking=ranking,
                rectifications_due=due,
                drafted_by=user,
                drafted_at=at or dates.now(),
            )
        )


def bulletin_update(*, user, bulletin: Bulletin, **fields) -> Bulletin:
    require_station(user, bulletin.township_id)
    with transaction.atomic():
        b = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if b.status not in (Bulletin.Status.DRAFT, Bulletin.Status.RETURNED):
            raise ValidationError({"title": _("已报审或已印发的通报不能修改")})
        for name in ("title", "number", "summary", "good_practice", "problems"):
            if name in fields:
                setattr(b, name, (fields[name] or "").strip())
        ranking, due = bulletin_figures(b.township_id, *period_bounds(b.period, b.year, b.part))
        b.ranking, b.rectifications_due = ranking, due
        b.status = Bulletin.Status.DRAFT
        return _save(b)


def bulletin_submit(*, user, bulletin: Bulletin) -> Bulletin:
    require_station(user, bulletin.township_id)
    with transaction.atomic():
        b = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if b.status not in (Bulletin.Status.DRAFT, Bulletin.Status.RETURNED):
            raise ValidationError({"status": _("该通报已报审或已印发")})
        b.status = Bulletin.Status.SUBMITTED
        return _save(b)


def logbook_heads(township_id: int, until: dt.datetime) -> dict[str, dict]:
    """{village id: {name, count, head}} of every village's logbook chain as received before
    `until`: the checkpoints a printed bulletin carries."""
    from dianjiao.logbook.models import LogbookEntry

    out = {}
    heads = {}
    for vid, seq, digest in (
        LogbookEntry.objects.filter(township_id=township_id, received_at__lte=until)
        .order_by("village_id", "seq")
        .values_list("village_id", "seq", "hash")
    ):
        heads[vid] = (seq, digest)
    for v in Village.objects.filter(township_id=township_id).order_by("sort_order", "name"):
        seq, digest = heads.get(v.pk, (0, ""))
        out[str(v.pk)] = {"name": v.name, "count": seq, "head": digest}
    return out


def bulletin_approve(*, user, bulletin: Bulletin, at: dt.datetime | None = None) -> Bulletin:
    """The leader approves: the bulletin is issued to every village of the township, carrying
    each village's logbook chain head as of the period's end."""
    require_leader(user, bulletin.township_id)
    now = at or dates.now()
    with transaction.atomic():
        b = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if b.drafted_by_id == user.pk:
            raise ValidationError({"status": _("不能审批自己起草的通报")})
        if b.status != Bulletin.Status.SUBMITTED:
            raise ValidationError({"status": _("只有待审批的通报可以审批")})
        end = period_bounds(b.period, b.year, b.part)[1]
        until = min(now, timezone.make_aware(dt.datetime.combine(end, dt.time())))
        b.checkpoints = logbook_heads(b.township_id, until)
        b.status, b.approved_by, b.issued_at = Bulletin.Status.ISSUED, user, now
        b.return_reason = ""
        return _save(b)


def bulletin_return(*, user, bulletin: Bulletin, reason: str) -> Bulletin:
    require_leader(user, bulletin.township_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回必须填写理由")})
    with transaction.atomic():
        b = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if b.status != Bulletin.Status.SUBMITTED:
            raise ValidationError({"reason": _("只有待审批的通报可以退回")})
        b.status, b.return_reason = Bulletin.Status.RETURNED, reason
        return _save(b)


# ---------------------------------------------------------------- assessment

COMPONENTS = (
    "inspections",
    "viewing",
    "coverage",
    "four_ring",
    "feedback",
    "info",
    "reports",
    "rectifications",
)
DEFAULT_WEIGHTS = {
    "inspections": 30,
    "viewing": 20,
    "coverage": 10,
    "four_ring": 10,
    "feedback": 10,
    "info": 10,
    "reports": 5,
    "rectifications": 5,
}


def _rate(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def component_rates(row, inspections: list[float], rects: tuple[int, int]) -> dict:
    """{component: (rate 0–100 or None, detail)} of one village's year. None: nothing to judge
    (no inspection, no key film shown, no rectification owed), and the component is left out."""
    ended = row.months_ended
    key = sum(c.key_sessions for c in row.cells if c.state == "ended")
    on_time, owed = rects
    return {
        "inspections": (
            round(sum(inspections) / len(inspections), 1) if inspections else None,
            _("%(n)d次检查的平均得分率") % {"n": len(inspections)},
        ),
        "viewing": (
            _rate(row.months_held, ended),
            _("%(held)d/%(ended)d个月组织收看") % {"held": row.months_held, "ended": ended},
        ),
        "coverage": (row.coverage, _("应到党员收看覆盖率")),
        "four_ring": (
            _rate(key - row.key_incomplete, key),
            _("重点片%(ok)d/%(n)d场四环完整") % {"ok": key - row.key_incomplete, "n": key},
        ),
        "feedback": (
            _rate(row.feedback_sent, ended),
            _("%(n)d/%(ended)d个月按时反馈") % {"n": row.feedback_sent, "ended": ended},
        ),
        "info": (
            _rate(ended - row.info_months_short, ended),
            _("%(n)d/%(ended)d个月电教信息达标")
            % {"n": ended - row.info_months_short, "ended": ended},
        ),
        "reports": (
            _rate(row.reports_sent, row.reports_due),
            _("季度报告%(n)d/%(due)d份已上报") % {"n": row.reports_sent, "due": row.reports_due},
        ),
        "rectifications": (
            _rate(on_time, owed),
            _("%(n)d/%(owed)d项整改按期验收") % {"n": on_time, "owed": owed},
        ),
    }


def weighted_score(rates: dict, weights: dict) -> tuple[Decimal, dict]:
    """Score out of 100: each component's rate times its weight, over the weights of the
    components that could be judged. Returns the score and each component's explained points."""
    judged = {k: w for k, w in weights.items() if w and rates.get(k, (None,))[0] is not None}
    total = sum(judged.values())
    parts = {}
    score = Decimal(0)
    for k in COMPONENTS:
        rate, detail = rates.get(k, (None, ""))
        w = weights.get(k, 0) or 0
        points = Decimal(0)
        if k in judged and total:
            points = Decimal(str(rate)) * Decimal(w) / Decimal(total)
            score += points
        parts[k] = {
            "rate": rate,
            "weight": w,
            "points": float(points.quantize(Decimal("0.1"), ROUND_HALF_UP)),
            "detail": str(detail),
        }
    return score.quantize(Decimal("0.1"), ROUND_HALF_UP), parts


def assessment_compute(
    *,
    user,
    township,
    year: int,
    weights: dict | None = None,
    candidates: int = 2,
    as_of: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Assessment:
    """The station (re)computes the year's proposed scores while the assessment is a draft."""
    tid = getattr(township, "pk", township)
    require_station(user, tid)
    weights = {k: int((weights or DEFAULT_WEIGHTS).get(k, 0) or 0) for k in COMPONENTS}
    if any(w < 0 or w > 100 for w in weights.values()):
        raise ValidationError({"weights": _("每项权重应在0到100之间")})
    if not sum(weights.values()):
        raise ValidationError({"weights": _("权重不能全部为0")})
    as_of = as_of or min(dates.today(), dt.date(year, 12, 31))
    with transaction.atomic():
        _lock_township(tid)
        a, _created = Assessment.objects.get_or_create(
            township_id=tid, year=year, defaults={"weights": weights}
        )
        if a.status == Assessment.Status.PUBLISHED:
            raise ValidationError({"weights": _("本年度考核已公布，不能重新计算；请用更正")})
        a.weights, a.candidates = weights, candidates
        a.computed_at, a.computed_by = at or dates.now(), user
        _save(a)
        comp = {r.village.pk: r for r in records.compliance(user, year=year, as_of=as_of).rows}
        marks: dict[int, list] = {}
        for vid, score, top in Inspection.objects.filter(
            township_id=tid, current=True, inspected_on__year=year
        ).values_list("village_id", "score", "max_score"):
            if top:
                marks.setdefault(vid, []).append(100 * score / top)
        rects: dict[int, list] = {}
        for r in Rectification.objects.filter(township_id=tid, due_on__year=year):
            ok = r.status == Rectification.Status.ACCEPTED and (
                r.submitted_at is not None and r.submitted_at.date() <= r.due_on
            )
            rects.setdefault(r.village_id, [0, 0])
            rects[r.village_id][0] += ok
            rects[r.village_id][1] += 1
        rows = []
        for vid, row in comp.items():
            if row.village.township_id != tid:
                continue
            rates = component_rates(row, marks.get(vid, []), tuple(rects.get(vid, (0, 0))))
            score, parts = weighted_score(rates, weights)
            rows.append((row.village, score, parts))
        rows.sort(key=lambda r: (-r[1], r[0].sort_order, r[0].name))
        rank, last = 0, None
        for n, (village, score, parts) in enumerate(rows, start=1):
            if score != last:
                rank, last = n, score
            AssessmentScore.objects.update_or_create(
                assessment=a,
                village=village,
                defaults={
                    "score": score,
                    "components": parts,
                    "rank": rank,
                    "candidate": rank <= candidates,
                },
            )
    return a


def assessment_publish(*, user, assessment: Assessment, at=None) -> Assessment:
    """The leader publishes: from now on the year's scores change only by amendment."""
    require_leader(user, assessment.township_id)
    with transaction.atomic():
        a = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if a.status == Assessment.Status.PUBLISHED:
            raise ValidationError({"status": _("本年度考核已公布")})
        if not a.scores.exists():
            raise ValidationError({"status": _("尚未计算得分，不能公布")})
        a.status, a.published_at, a.published_by = (
            Assessment.Status.PUBLISHED,
            at or dates.now(),
            user,
        )
        return _save(a)


def assessment_amend(
    *, user, score: AssessmentScore, new_score, reason: str, at=None
) -> AssessmentAmendment:
    """After publication a score is changed only by an amendment with a reason, shown beside the
    original; the original is never overwritten."""
    require_station(user, score.assessment.township_id)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("更正必须填写理由")
    try:
        new = Decimal(str(new_score)).quantize(Decimal("0.1"))
        if not 0 <= new <= 100:
            raise ValueError
    except (ArithmeticError, ValueError):
        errors["new_score"] = _("得分应在0到100之间")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        s = AssessmentScore.objects.select_for_update().get(pk=score.pk)
        if s.assessment.status != Assessment.Status.PUBLISHED:
            raise ValidationError({"new_score": _("考核尚未公布，请重新计算而不是更正")})
        last = s.amendments.order_by("-amended_at", "-pk").first()
        return _save(
            AssessmentAmendment(
                score=s,
                old_score=last.new_score if last else s.score,
                new_score=new,
                reason=reason,
                amended_by=user,
                amended_at=at or dates.now(),
            )
        )


# ---------------------------------------------------------------- meetings


def meeting_convene(
    *,
    user,
    township,
    kind: str,
    held_on: dt.date,
    place: str,
    agenda: str,
    at: dt.datetime | None = None,
) -> Meeting:
    """The party-committee leader convenes a joint or a research/summary meeting."""
    tid = getattr(township, "pk", township)
    require_leader(user, tid)
    with transaction.atomic():
        return _save(
            Meeting(
                township_id=tid,
                kind=kind,
                held_on=held_on,
                place=(place or "").strip(),
                agenda=(agenda or "").strip(),
                convened_by=user,
                convened_at=at or dates.now(),
            )
        )


def meeting_record(
    *,
    user,
    meeting: Meeting,
    minutes: str,
    attendance: Sequence[dict] = (),
    actions: Sequence[dict] = (),
) -> Meeting:
    """Minutes, attendance ({village, name, present, absence_reason}) and decisions as action
    items ({text, village or None, due_on}). Attendance and actions are added, never removed."""
    require_leader(user, meeting.township_id)
    errors = {}
    for i, a in enumerate(attendance):
        if a["village"].township_id != meeting.township_id:
            errors["attendance"] = _("出席人员必须是本乡的村")
        if not a.get("present", True) and not (a.get("absence_reason") or "").strip():
            errors["attendance"] = _("第%(n)d行：缺席须写明原因") % {"n": i + 1}
    for i, a in enumerate(actions):
        if a.get("village") is not None and a["village"].township_id != meeting.township_id:
            errors["actions"] = _("责任村必须是本乡的村")
        if not a.get("due_on"):
            errors["actions"] = _("第%(n)d项议定事项缺少完成期限") % {"n": i + 1}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        m = Meeting.objects.select_for_update().get(pk=meeting.pk)
        m.minutes = (minutes or "").strip()
        _save(m)
        for a in attendance:
            _save(
                MeetingAttendance(
                    meeting=m,
                    village=a["village"],
                    name=(a.get("name") or "").strip(),
                    present=a.get("present", True),
                    absence_reason=(a.get("absence_reason") or "").strip(),
                )
            )
        for a in actions:
            _save(
                ActionItem(
                    meeting=m,
                    township_id=m.township_id,
                    village=a.get("village"),
                    text=(a.get("text") or "").strip(),
                    due_on=a["due_on"],
                )
            )
        return m


def action_close(*, user, action: ActionItem, note: str, at=None) -> ActionItem:
    """The owner (the village, or the station for the township's own) reports it done."""
    if action.village_id:
        require_village_writer(user, action.village)
    else:
        require_station(user, action.township_id)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请写明办理情况")})
    with transaction.atomic():
        a = ActionItem.objects.select_for_update().get(pk=action.pk)
        if a.closed_at:
            raise ValidationError({"note": _("该事项已办结")})
        a.closed_at, a.closed_by, a.closing_note = at or dates.now(), user, note
        return _save(a)


# ---------------------------------------------------------------- trainings


def training_record(
    *,
    user,
    township,
    kind: str,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    hours,
    trainers: str,
    place: str = "",
    attendees: Sequence[dict] = (),
    at: dt.datetime | None = None,
) -> Training:
    """The station records a training of AV cadres; `attendees`: {village, name}."""
    tid = getattr(township, "pk", township)
    require_station(user, tid)
    errors = {}
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期")
    if any(a["village"].township_id != tid for a in attendees):
        errors["attendees"] = _("学员必须来自本乡的村")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        t = _save(
            Training(
                township_id=tid,
                kind=kind,
                title=(title or "").strip(),
                starts_on=starts_on,
                ends_on=ends_on,
                hours=hours,
                trainers=(trainers or "").strip(),
                place=(place or "").strip(),
                recorded_by=user,
                recorded_at=at or dates.now(),
            )
        )
        for a in attendees:
            _save(TrainingAttendance(training=t, village=a["village"], name=a["name"].strip()))
        return t


def training_material_add(
    *, user, training: Training, file, title: str = "", at: dt.datetime | None = None
) -> TrainingMaterial:
    """The station adds a file handed out at `training`: checked (type by its first bytes, the
    project's upload limit) before it is stored; `title` defaults to the file's name."""
    require_station(user, training.township_id)
    if file is None:
        raise ValidationError({"file": _("请选择要上传的文件")})
    ext, content_type = materials.check_upload(file)
    original = os.path.basename(getattr(file, "name", "") or "")[-200:]
    with transaction.atomic():
        t = Training.objects.select_for_update().get(pk=training.pk)
        m = TrainingMaterial(
            training=t,
            title=(title or "").strip() or os.path.splitext(original)[0] or _("培训资料"),
            original_name=original,
            content_type=content_type,
            size=file.size,
            uploaded_by=user,
            uploaded_at=at or dates.now(),
        )
        m.file.save(f"{uuid.uuid4().hex}{ext}", file, save=False)
        try:
            return _save(m)
        except BaseException:
            m.file.delete(save=False)  # nothing points at it: do not leave it on the disk
            raise


def training_material_withdraw(
    *, user, material: TrainingMaterial, reason: str, at: dt.datetime | None = None
) -> TrainingMaterial:
    """A material no longer handed out is withdrawn with a reason, never deleted: it stays in
    the training's history, and the station can still open it."""
    require_station(user, material.training.township_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("撤回必须填写理由")})
    with transaction.atomic():
        m = TrainingMaterial.objects.select_for_update().get(pk=material.pk)
        if m.withdrawn_at:
            raise ValidationError({"reason": _("该资料已撤回")})
        m.withdrawn_at, m.withdrawn_by, m.withdraw_reason = at or dates.now(), user, reason
        return _save(m)


# ---------------------------------------------------------------- demonstration units

DEMO_FIELDS = (
    "kind",
    "year",
    "point",
    "household",
    "criteria",
    "sponsor",
    "contribution",
    "evidence",
    "guidance_visits",
)


def demo_unit_save(*, user, village: Village | None = None, unit: DemoUnit | None = None, **fields):
    """The station records a candidate demonstration unit, or updates one not yet named."""
    if unit is not None:
        village = unit.village
    if village is None:
        raise ValidationError({"village": _("请选择村")})
    require_station(user, village.township_id)
    errors = {}
    kind = fields.get("kind", unit.kind if unit else "")
    point = fields.get("point", unit.point if unit else None)
    if point is not None and point.village_id != village.pk:
        errors["point"] = _("该播放点不属于%(village)s") % {"village": village.name}
    if kind == DemoUnit.Kind.POINT and point is None:
        errors["point"] = _("示范播放点请选择播放点")
    if kind == DemoUnit.Kind.HOUSEHOLD and not (fields.get("household") or "").strip():
        errors["household"] = _("科技示范户请填写户主姓名")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if unit is None:
            unit = DemoUnit(township_id=village.township_id, village=village, recorded_by=user)
        else:
            unit = DemoUnit.objects.select_for_update().get(pk=unit.pk)
            if unit.status == DemoUnit.Status.NAMED:
                raise ValidationError({"kind": _("已命名的示范单位不能修改")})
        for name in DEMO_FIELDS:
            if name in fields:
                value = fields[name]
                setattr(unit, name, value.strip() if isinstance(value, str) else value)
        return _save(unit)


def demo_unit_name(*, user, unit: DemoUnit, named_on: dt.date, plaque_on=None) -> DemoUnit:
    """Year-end naming (and the plaque's date): needs the evidence of what it demonstrates."""
    require_station(user, unit.township_id)
    errors = {}
    if not named_on:
        errors["named_on"] = _("请填写命名日期")
    if plaque_on and named_on and plaque_on < named_on:
        errors["plaque_on"] = _("挂牌日期不能早于命名日期")
    with transaction.atomic():
        u = DemoUnit.objects.select_for_update().get(pk=unit.pk)
        if not u.evidence.strip():
            errors["named_on"] = _("尚未填写示范成效，不能命名")
        if u.status == DemoUnit.Status.NAMED:
            errors["named_on"] = _("已命名")
        if errors:
            raise ValidationError(errors)
        u.status, u.named_on, u.plaque_on = DemoUnit.Status.NAMED, named_on, plaque_on
        return _save(u)
