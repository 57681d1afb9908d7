"""The demo township's oversight year (issue 12), made through the oversight services after the
history and the plan year: a checklist; the monthly check of every viewing point with a few
failures, their rectifications (most accepted, one overdue, one waiting for acceptance); monthly,
half-year and annual bulletins approved by the leader (the last month's still waiting); four joint
and two summary meetings with action items; a training; demonstration villages, households and a
point; last year's assessment published and this year's draft.

Items the records answer follow the records (a village that held no viewing fails that item), so
the checks agree with the compliance pages."""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from dianjiao.accounts.models import Role
from dianjiao.oversight import records, services
from dianjiao.oversight.models import ChecklistItem, InspectionResult, Rectification

S = InspectionResult.Status
ITEMS = [
    ("电视机、影碟机等设备完好，正常使用", 15, "", "设备故障未报修的不得分"),
    ("《电教手册》当天填写、真实完整", 20, "", "有补记、漏记的酌情扣分"),
    ("当月组织党员集中收看", 20, ChecklistItem.Source.VIEWING, "由播放收看记录判断"),
    ("重点片按“四环教学法”组织，记录完整", 15, ChecklistItem.Source.FOUR_RING, ""),
    ("上月收看情况当月反馈", 10, ChecklistItem.Source.FEEDBACK, ""),
    ("当月报送电教信息", 10, ChecklistItem.Source.INFO, ""),
    ("播放点制度上墙、环境整洁", 10, "", ""),
]
PROBLEMS = {
    0: "投影仪灯泡损坏，未及时报修",
    1: "手册有两处补记，未注明原因",
    6: "电教室堆放杂物，制度牌脱落",
}


@dataclass
class OversightReport:
    inspections: int = 0
    rectifications: dict = field(default_factory=dict)
    bulletins: int = 0
    meetings: int = 0
    trainings: int = 0
    demo_units: int = 0


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _months(as_of: dt.date, n: int = 12):
    y, m = as_of.year, as_of.month
    out = []
    for _ in range(n):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return list(reversed(out))


def build_oversight(rng: random.Random, *, township, users, as_of: dt.date) -> OversightReport:
    """Write the oversight year of `township` up to `as_of` (inside the demo's transaction)."""
    by_role = {}
    operators = {}
    for u in users:
        if u.is_superuser:
            continue
        if u.role == Role.VILLAGE_OPERATOR:
            operators[u.village_id] = u
        else:
            by_role.setdefault(u.role, u)
    station, leader, inspector = (
        by_role[Role.STATION_ADMIN],
        by_role[Role.LEADER],
        by_role[Role.INSPECTOR],
    )
    report = OversightReport()
    months = _months(as_of)
    first = dt.date(*months[0], 1)
    template = services.template_create(
        user=station,
        township=township,
        title="播放点月查细则",
        items=[{"text": t, "max_score": s, "source": src, "guidance": g} for t, s, src, g in ITEMS],
        at=_at(first - dt.timedelta(days=3)),
    )
    rows = {}
    for year in sorted({y for y, _m in months}):
        comp = records.compliance(station, year=year, as_of=min(as_of, dt.date(year, 12, 31)))
        rows[year] = {r.village.pk: r for r in comp.rows if r.village.township_id == township.pk}
    from dianjiao.orgs.models import ViewingPoint

    points = list(
        ViewingPoint.objects.filter(township=township, active=True)
        .select_related("village")
        .order_by("village__sort_order", "pk")
    )
    items = list(template.items.all())
    for y, m in months:
        current = (y, m) == (as_of.year, as_of.month)
        for n, point in enumerate(points):
            day = dt.date(y, m, min(28, 10 + n % 15))
            if day > as_of or (current and n % 2):
                continue  # this month's checks are under way: half the points still to do
            record = records.statuses_of(rows[y].get(point.village_id), m)
            answers = {}
            for i, item in enumerate(items):
                status = record.get(item.source) if item.source else None
                if status is None:
                    roll = rng.random()
                    status = S.FAILS if roll < 0.04 else (S.PARTLY if roll < 0.14 else S.MEETS)
                score = {S.MEETS: item.max_score, S.PARTLY: item.max_score // 2}.get(status, 0)
                note = PROBLEMS.get(i, "") if status == S.FAILS else ""
                answers[item.pk] = {"status": status, "score": score, "note": note}
            services.inspection_record(
                user=inspector if n % 3 else station,
                village=point.village,
                point=point,
                kind="monthly",
                inspected_on=day,
                template=template,
                answers=answers,
                observation="设备、手册、收看记录逐项核对。",
                at=_at(day, 16),
                record=record,
            )
            report.inspections += 1
    _rectify(rng, township, operators, station, as_of)
    report.rectifications = {
        s: Rectification.objects.filter(township=township, status=s).count()
        for s in Rectification.Status.values
    }
    report.bulletins = _bulletins(township, station, leader, as_of, months)
    report.meetings = _meetings(township, leader, station, operators, as_of)
    report.trainings = _training(township, station, operators, as_of)
    report.demo_units = _demo_units(township, station, points, as_of)
    _assessments(township, station, leader, as_of)
    return report


def _rectify(rng, township, operators, station, as_of):
    rects = list(
        Rectification.objects.filter(township=township).select_related("village").order_by("due_on")
    )
    overdue = [r for r in rects if r.due_on < as_of]
    left_overdue = overdue[-1] if overdue else None
    for r in rects:
        op = operators.get(r.village_id)
        if op is None or r == left_overdue:
            continue
        answered = r.due_on - dt.timedelta(days=rng.randint(5, 20))
        if answered > as_of:
            continue  # not yet answered: still open, within its time
        r = services.rectification_submit(
            user=op,
            rectification=r,
            response="已按要求整改：" + r.problem.split("：")[-1] + "，现已恢复正常。",
            at=_at(answered, 11),
        )
        decided = answered + dt.timedelta(days=2)
        if decided <= as_of:
            services.rectification_accept(user=station, rectification=r, at=_at(decided, 15))


def _bulletins(township, station, leader, as_of, months) -> int:
    n = 0
    periods = [("month", y, m) for y, m in months[:-1]]
    if as_of.month > 6:
        periods.append(("half", as_of.year, 1))
    else:
        periods.append(("half", as_of.year - 1, 2))
    periods.append(("year", as_of.year - 1, 0))
    periods.sort(key=lambda p: services.period_bounds(p[0], p[1], p[2] or 1)[1])
    for i, (period, year, part) in enumerate(periods):
        end = services.period_bounds(period, year, part or 1)[1]
        drafted = end + dt.timedelta(days=4)
        if drafted > as_of:
            continue
        b = services.bulletin_draft(
            user=station,
            township=township,
            period=period,
            year=year,
            part=part,
            number=f"{township.name[:1]}电教通〔{drafted.year}〕{i + 1}号",
            summary="电教站按月查细则对全乡各播放点进行了检查，现将结果通报如下。",
            good_practice="部分村利用农闲组织党员集中收看，并结合科技示范开展现场教学。",
            problems="个别村手册有补记现象，设备故障未及时报修。",
            at=_at(drafted, 9),
        )
        b = services.bulletin_submit(user=station, bulletin=b)
        approved = drafted + dt.timedelta(days=2)
        if approved <= as_of and i < len(periods) - 1:
            services.bulletin_approve(user=leader, bulletin=b, at=_at(approved, 17))
        n += 1
    return n


def _meetings(township, leader, station, operators, as_of) -> int:
    from dianjiao.orgs.models import Village

    villages = list(Village.objects.filter(township=township).order_by("sort_order", "pk"))
    dates_ = [("joint", dt.date(as_of.year, m, 8)) for m in (1, 4, 7, 10)]
    dates_ += [("summary", dt.date(as_of.year, 1, 15)), ("summary", dt.date(as_of.year, 7, 15))]
    n = 0
    for k, (kind, day) in enumerate(sorted(dates_, key=lambda d: d[1])):
        if day > as_of:
            continue
        m = services.meeting_convene(
            user=leader,
            township=township,
            kind=kind,
            held_on=day,
            place="乡党委会议室",
            agenda="通报上阶段检查情况；研究下阶段电教工作。"
            if kind == "joint"
            else "半年电教工作调研与总结。",
            at=_at(day - dt.timedelta(days=5)),
        )
        owner = villages[k % len(villages)]
        due = day + dt.timedelta(days=30)
        services.meeting_record(
            user=leader,
            meeting=m,
            minutes="会议听取了电教站的工作汇报，对下阶段工作作了安排。",
            attendance=[
                {
                    "village": v,
                    "name": str(operators[v.pk]) if v.pk in operators else v.name,
                    "present": (k + i) % 7 != 3,
                    "absence_reason": "" if (k + i) % 7 != 3 else "转场放牧",
                }
                for i, v in enumerate(villages)
            ],
            actions=[{"text": "检修播放设备，报电教站备案", "village": owner, "due_on": due}],
        )
        action = m.actions.get()
        if due + dt.timedelta(days=-5) <= as_of and k < 4 and owner.pk in operators:
            services.action_close(
                user=operators[owner.pk],
                action=action,
                note="已检修完毕。",
                at=_at(due - dt.timedelta(days=5)),
            )
        n += 1
    return n


def _training(township, station, operators, as_of) -> int:
    from dianjiao.orgs.models import Village

    day = dt.date(as_of.year, 5, 12)
    if day > as_of:
        day = dt.date(as_of.year - 1, 5, 12)
    villages = {v.pk: v for v in Village.objects.filter(township=township)}
    training = services.training_record(
        user=station,
        township=township,
        kind="theory",
        title="党员电教业务培训：设备使用、四环教学法与手册填写",
        starts_on=day,
        ends_on=day + dt.timedelta(days=1),
        hours=Decimal("12"),
        trainers="县委组织部电教中心",
        place="乡党员活动室",
        attendees=[{"village": villages[vid], "name": str(op)} for vid, op in operators.items()],
        at=_at(day + dt.timedelta(days=1), 18),
    )
    outline = "\n".join(
        (
            "一、播放设备的使用与日常维护",
            "二、四环教学法：学前准备、观看、讨论、实践",
            "三、《电教手册》当天填写的要求",
        )
    )
    services.training_material_add(
        user=station,
        training=training,
        file=ContentFile(outline.encode(), name="培训提纲.txt"),
        title="培训提纲",
        at=_at(day, 9),
    )
    return 1


def _demo_units(township, station, points, as_of) -> int:
    villages = []
    for p in points:
        if p.village not in villages:
            villages.append(p.village)
    last = as_of.year - 1
    made = []
    for v, sponsor in zip(villages[:2], ("县农业农村局", "县科技局"), strict=False):
        u = services.demo_unit_save(
            user=station,
            village=v,
            kind="village",
            year=last,
            criteria="党员科技示范户不少于5户；电教收看与科技培训结合；示范项目增收明显。",
            sponsor=sponsor,
            contribution="提供技术员驻村指导，配发科教片",
            evidence="示范种植（养殖）项目带动全村增收",
            guidance_visits="电教站每季度到村指导一次",
        )
        made.append(
            services.demo_unit_name(
                user=station,
                unit=u,
                named_on=dt.date(last, 12, 20),
                plaque_on=dt.date(last, 12, 28),
            )
        )
    for v, name in zip(villages[:3], ("马建国", "叶尔兰·努尔", "李桂兰"), strict=False):
        made.append(
            services.demo_unit_save(
                user=station,
                village=v,
                kind="household",
                year=as_of.year,
                household=name,
                criteria="收看科教片后应用新技术，年增收明显。",
                sponsor="县农业农村局",
                evidence="",
            )
        )
    if points:
        made.append(
            services.demo_unit_save(
                user=station,
                village=points[0].village,
                kind="point",
                year=as_of.year,
                point=points[0],
                criteria="设备齐全、制度上墙、每月按时播放、手册规范。",
            )
        )
    return len(made)


def _assessments(township, station, leader, as_of):
    last = as_of.year - 1
    a = services.assessment_compute(
        user=station,
        township=township,
        year=last,
        as_of=dt.date(last, 12, 31),
        at=_at(dt.date(as_of.year, 1, 10)),
    )
    services.assessment_publish(user=leader, assessment=a, at=_at(dt.date(as_of.year, 1, 20)))
    services.assessment_compute(user=station, township=township, year=as_of.year, as_of=as_of)
