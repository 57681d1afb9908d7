"""Reads of the oversight pages, and what compliance, the dashboard and the to-do lists take in:
each a fixed number of queries whatever the data.

For compliance: `plan_progress(user, year=, as_of=)` — per township the monthly check of every
viewing point, meetings and trainings against the annual plan's targets.
For the home page's to-do list: `todos_for(user, today)` — items shaped like the planning to-dos
(village, text, overdue, url_name, query)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dianjiao.accounts.models import Role, User
from dianjiao.accounts.scope import is_leader, is_operator, is_station, may_inspect
from dianjiao.lib.dates import month_days
from dianjiao.orgs.models import Township, ViewingPoint, Village
from dianjiao.plans.models import AnnualPlan

from .models import (
    ActionItem,
    Assessment,
    AssessmentScore,
    Bulletin,
    DemoUnit,
    Inspection,
    Meeting,
    Rectification,
    Training,
    TrainingAttendance,
    TrainingMaterial,
)

OPEN = (Rectification.Status.OPEN, Rectification.Status.RETURNED)


def inspections_for(user):
    return Inspection.objects.visible_to(user).select_related(
        "village", "point", "inspector", "template"
    )


def rectifications_for(user):
    return Rectification.objects.visible_to(user).select_related("village", "inspection", "result")


def bulletins_for(user):
    """The township's roles see every bulletin; a village reads the issued ones; the county
    viewer those issued in its townships."""
    qs = Bulletin.objects.visible_to(user).select_related("township", "drafted_by", "approved_by")
    if is_station(user) or is_leader(user):
        return qs
    return qs.filter(status=Bulletin.Status.ISSUED)


def assessments_for(user):
    qs = Assessment.objects.visible_to(user).select_related("township", "published_by")
    if may_inspect(user) or is_leader(user):  # the station, the inspector, the leader
        return qs
    return qs.filter(status=Assessment.Status.PUBLISHED)


def scores_of(user, assessment):
    """The assessment's rows the user may see (a village: its own), with their amendments."""
    return (
        AssessmentScore.objects.visible_to(user)
        .filter(assessment=assessment)
        .select_related("village")
        .prefetch_related("amendments__amended_by")
        .order_by("rank", "village__sort_order", "village__name")
    )


def meetings_for(user):
    return Meeting.objects.visible_to(user).select_related("township", "convened_by")


def trainings_for(user):
    return Training.objects.visible_to(user).select_related("township")


def materials_of(user, training):
    """The training's materials, the withdrawn ones included (they are its history)."""
    return (
        TrainingMaterial.objects.visible_to(user)
        .filter(training=training)
        .select_related("uploaded_by", "withdrawn_by")
    )


# ---------------------------------------------------------------- AV cadres' training history


@dataclass
class Cadre:
    """An AV cadre (电教干部) of a village: a name on a training's attendance, a village
    operator's account, or a viewing point's operator. `years`: {year: [trainings, hours]}."""

    village: Village
    name: str
    years: dict = field(default_factory=dict)
    account: bool = False

    @property
    def trainings(self) -> int:
        return sum(n for n, _h in self.years.values())

    @property
    def hours(self) -> Decimal:
        return sum((h for _n, h in self.years.values()), Decimal(0))

    def year_rows(self) -> list[tuple[int, int, Decimal]]:
        """(year, trainings, hours), latest year first."""
        return [(y, n, h) for y, (n, h) in sorted(self.years.items(), reverse=True)]


def cadres_for(user, *, village=None) -> list[Cadre]:
    """Every AV cadre of the villages `user` sees (of `village` only, when given), with their
    trainings and hours per year, summed in the database. Four queries whatever the data."""
    villages = Village.objects.visible_to(user)
    if village is not None:
        villages = villages.filter(pk=village.pk)
    by_pk = {v.pk: v for v in villages.order_by("township_id", "sort_order", "name")}
    ids = villages.values("pk")  # a subquery: a county's villages are no parameter list
    found: dict[tuple, Cadre] = {}

    def cadre(vid, name) -> Cadre | None:
        name = (name or "").strip()
        if vid not in by_pk or not name:
            return None
        return found.setdefault((vid, name), Cadre(by_pk[vid], name))

    for vid, name, year, n, hours in (
        TrainingAttendance.objects.filter(village__in=ids)
        .annotate(year=ExtractYear("training__starts_on"))
        .values("village_id", "name", "year")
        .annotate(n=Count("training", distinct=True), hours=Sum("training__hours"))
        .values_list("village_id", "name", "year", "n", "hours")
        .order_by()
    ):
        c = cadre(vid, name)
        if c is not None:
            n0, h0 = c.years.get(year, (0, Decimal(0)))
            c.years[year] = (n0 + n, h0 + (hours or Decimal(0)))
    for vid, full_name, username in User.objects.filter(
        role=Role.VILLAGE_OPERATOR, is_active=True, village_id__in=ids
    ).values_list("village_id", "full_name", "username"):
        c = cadre(vid, full_name or username)
        if c is not None:
            c.account = True
    for vid, name in (
        ViewingPoint.objects.filter(village_id__in=ids, active=True)
        .exclude(operator_name="")
        .values_list("village_id", "operator_name")
    ):
        cadre(vid, name)
    order = {pk: n for n, pk in enumerate(by_pk)}
    return sorted(found.values(), key=lambda c: (order[c.village.pk], c.name))


def cadre_history(user, village: Village, name: str):
    """(the cadre, their trainings latest first) of `name` of `village`; the cadre is None
    when nobody of that name is an AV cadre of the village. Five queries."""
    found = [c for c in cadres_for(user, village=village) if c.name == name]
    rows = (
        TrainingAttendance.objects.visible_to(user)
        .filter(village=village, name=name)
        .select_related("training")
        .order_by("-training__starts_on", "-training__pk")
    )
    return (found[0] if found else None), [a.training for a in rows]


def demo_units_for(user):
    return DemoUnit.objects.visible_to(user).select_related("village", "point", "township")


def actions_for(user):
    return ActionItem.objects.visible_to(user).select_related("meeting", "village")


# ---------------------------------------------------------------- measured against the plan


@dataclass
class PlanProgress:
    township: Township
    year: int
    points: int = 0
    # month -> points inspected (monthly check) in that month
    checked: dict = field(default_factory=dict)
    months_due: int = 0
    joint_meetings: int = 0
    joint_target: int = 4
    summary_meetings: int = 0
    summary_target: int = 2
    trainings: int = 0
    training_target: int = 1
    monthly_inspection: bool = True
    inspections: int = 0
    mean_score: float | None = None
    open_rectifications: int = 0
    overdue_rectifications: int = 0
    bulletins_issued: int = 0
    assessment: str = ""

    @property
    def months_fully_checked(self) -> int:
        return sum(
            1 for m in range(1, self.months_due + 1) if self.checked.get(m, 0) >= self.points
        )

    @property
    def meetings_ok(self) -> bool:
        return (
            self.joint_meetings >= self.joint_target
            and self.summary_meetings >= self.summary_target
        )

    @property
    def trainings_ok(self) -> bool:
        return self.trainings >= self.training_target


def plan_progress(user, *, year: int, as_of: dt.date) -> list[PlanProgress]:
    """Per township the user sees: viewing points inspected per month against "every point every
    month", joint/summary meetings and trainings against the annual plan's targets, and the
    inspections' state. Eight queries whatever the data."""
    townships = list(Township.objects.visible_to(user).order_by("county_id", "name"))
    ids = [t.pk for t in townships]
    plans = {p.township_id: p for p in AnnualPlan.objects.filter(year=year, township_id__in=ids)}
    months_due = 0 if as_of.year < year else (12 if as_of.year > year else as_of.month)
    rows = {}
    for t in townships:
        plan = plans.get(t.pk)
        row = PlanProgress(t, year, months_due=months_due)
        if plan is not None:
            row.joint_target = plan.joint_meetings
            row.summary_target = plan.summary_meetings
            row.training_target = plan.trainings
            row.monthly_inspection = plan.monthly_inspection
        rows[t.pk] = row
    points_of: dict[int, list[int]] = defaultdict(list)  # village -> its active points
    for tid, vid, pid in ViewingPoint.objects.filter(township_id__in=ids, active=True).values_list(
        "township_id", "village_id", "pk"
    ):
        rows[tid].points += 1
        points_of[vid].append(pid)
    checked: dict = defaultdict(set)
    marks: dict = defaultdict(list)
    for tid, vid, pid, day, kind, score, top in Inspection.objects.filter(
        township_id__in=ids, current=True, inspected_on__year=year
    ).values_list(
        "township_id", "village_id", "point_id", "inspected_on", "kind", "score", "max_score"
    ):
        rows[tid].inspections += 1
        if top:
            marks[tid].append(100 * score / top)
        if kind == Inspection.Kind.MONTHLY:
            # A monthly check of a whole village checks each of its points (MONTHLY_COVERS).
            checked[(tid, day.month)].update([pid] if pid else points_of[vid])
    for (tid, month), pids in checked.items():
        rows[tid].checked[month] = len(pids)
    for tid, values in marks.items():
        rows[tid].mean_score = round(sum(values) / len(values), 1)
    for tid, kind in Meeting.objects.filter(township_id__in=ids, held_on__year=year).values_list(
        "township_id", "kind"
    ):
        if kind == Meeting.Kind.JOINT:
            rows[tid].joint_meetings += 1
        else:
            rows[tid].summary_meetings += 1
    for tid in Training.objects.filter(township_id__in=ids, starts_on__year=year).values_list(
        "township_id", flat=True
    ):
        rows[tid].trainings += 1
    for tid, due in Rectification.objects.filter(township_id__in=ids, status__in=OPEN).values_list(
        "township_id", "due_on"
    ):
        rows[tid].open_rectifications += 1
        rows[tid].overdue_rectifications += as_of > due
    for tid in Bulletin.objects.filter(
        township_id__in=ids, year=year, status=Bulletin.Status.ISSUED
    ).values_list("township_id", flat=True):
        rows[tid].bulletins_issued += 1
    for tid, status in Assessment.objects.filter(township_id__in=ids, year=year).values_list(
        "township_id", "status"
    ):
        rows[tid].assessment = status
    return [rows[t.pk] for t in townships]


def unchecked_points(user, *, as_of: dt.date) -> list[ViewingPoint]:
    """Active viewing points the user sees that have no monthly check yet in `as_of`'s month:
    neither of the point nor of its whole village (MONTHLY_COVERS). One query."""
    month = Inspection.objects.filter(
        kind=Inspection.Kind.MONTHLY,
        current=True,
        inspected_on__year=as_of.year,
        inspected_on__month=as_of.month,
    )
    return list(
        ViewingPoint.objects.visible_to(user)
        .filter(active=True)
        .exclude(pk__in=month.filter(point__isnull=False).values("point_id"))
        .exclude(village_id__in=month.filter(point__isnull=True).values("village_id"))
        .select_related("village")
        .order_by("village__sort_order", "village__name", "name")
    )


# ---------------------------------------------------------------- to-do items


@dataclass
class Todo:
    """The shape of the planning to-dos, so the home page lists both alike."""

    village: Village | None
    text: str
    overdue: bool
    url_name: str = ""
    query: str = ""
    due: dt.date | None = None  # the last day it may be done on, where there is one
    due_in_text: bool = False  # the text names the day already: the list does not repeat it


def todos_for(user, today: dt.date) -> list[Todo]:
    """What the oversight loop asks of `user` on `today`. Six queries at most.

    - station and inspector: viewing points not inspected this month (per village);
    - station: rectifications reported and waiting for acceptance, overdue rectifications,
      returned bulletins, the township's own overdue meeting actions;
    - leader: bulletins waiting for approval, a computed assessment not yet published;
    - village operator: rectifications owed (overdue first), its open meeting actions."""
    if not (user and user.is_authenticated):
        return []
    out: list[Todo] = []
    # A superuser is asked what the station is asked.
    if may_inspect(user):
        per_village: dict = defaultdict(list)
        for p in unchecked_points(user, as_of=today):
            per_village[p.village].append(p)
        month = f"{today:%Y-%m}"
        month_end = month_days(today.year, today.month)[1]
        for village, points in per_village.items():
            out.append(
                Todo(
                    village,
                    ngettext(
                        "本月还有%(n)d个播放点未检查", "本月还有%(n)d个播放点未检查", len(points)
                    )
                    % {"n": len(points)},
                    False,
                    "oversight:inspection_new",
                    f"village={village.pk}&month={month}",
                    due=month_end,
                )
            )
    if is_station(user):
        rects = list(
            Rectification.objects.visible_to(user)
            .filter(Q(status=Rectification.Status.SUBMITTED) | Q(status__in=OPEN, due_on__lt=today))
            .select_related("village")
        )
        waiting = sum(r.status == Rectification.Status.SUBMITTED for r in rects)
        if waiting:
            out.append(
                Todo(
                    None,
                    ngettext("%(n)d项整改待验收", "%(n)d项整改待验收", waiting) % {"n": waiting},
                    False,
                    "oversight:rectifications",
                    "status=submitted",
                )
            )
        for r in rects:
            if r.status in OPEN:
                out.append(_rect_todo(r, today))
        returned = Bulletin.objects.visible_to(user).filter(status=Bulletin.Status.RETURNED).count()
        if returned:
            out.append(
                Todo(
                    None,
                    ngettext("%(n)d份通报被退回待修改", "%(n)d份通报被退回待修改", returned)
                    % {"n": returned},
                    True,
                    "oversight:bulletins",
                    "status=returned",
                )
            )
        for a in ActionItem.objects.visible_to(user).filter(
            village__isnull=True, closed_at__isnull=True, due_on__lt=today
        ):
            out.append(_action_todo(a, today))
    elif is_leader(user):
        waiting = Bulletin.objects.visible_to(user).filter(status=Bulletin.Status.SUBMITTED).count()
        if waiting:
            out.append(
                Todo(
                    None,
                    ngettext("%(n)d份通报待审批", "%(n)d份通报待审批", waiting) % {"n": waiting},
                    False,
                    "oversight:bulletins",
                    "status=submitted",
                )
            )
        for a in Assessment.objects.visible_to(user).filter(
            status=Assessment.Status.DRAFT, computed_at__isnull=False
        ):
            out.append(
                Todo(
                    None,
                    _("%(year)d年度考核已计算，待公布") % {"year": a.year},
                    False,
                    "oversight:assessments",
                    "",
                )
            )
    elif is_operator(user):
        for r in (
            Rectification.objects.visible_to(user).filter(status__in=OPEN).select_related("village")
        ):
            out.append(_rect_todo(r, today))
        for a in (
            ActionItem.objects.visible_to(user)
            .filter(village_id=user.village_id, closed_at__isnull=True)
            .select_related("village")
        ):
            out.append(_action_todo(a, today))
    return sorted(out, key=lambda t: not t.overdue)


def _rect_todo(r: Rectification, today: dt.date) -> Todo:
    late = today > r.due_on
    if r.status == Rectification.Status.RETURNED:
        text = _("整改被退回，请重新整改：%(problem)s") % {"problem": r.problem}
    elif late:
        text = _("整改已逾期（期限%(due)s）：%(problem)s") % {
            "due": r.due_on.isoformat(),
            "problem": r.problem,
        }
    else:
        text = _("待整改（期限%(due)s）：%(problem)s") % {
            "due": r.due_on.isoformat(),
            "problem": r.problem,
        }
    return Todo(
        r.village,
        text,
        late,
        "oversight:rectifications",
        f"village={r.village_id}",
        due=r.due_on,
        due_in_text=r.status != Rectification.Status.RETURNED,
    )


def _action_todo(a: ActionItem, today: dt.date) -> Todo:
    return Todo(
        a.village,
        _("会议议定事项（期限%(due)s）：%(text)s") % {"due": a.due_on.isoformat(), "text": a.text},
        today > a.due_on,
        "oversight:meetings",
        "",
        due=a.due_on,
        due_in_text=True,
    )
