"""Each user's to-do list: what is overdue or due soon for the villages they see."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dianjiao.accounts.scope import is_station
from dianjiao.infoitems.models import InfoItem
from dianjiao.lib.dates import month_bounds, month_days
from dianjiao.orgs.models import Village
from dianjiao.plans.models import AnnualPlan, VillageWorkPlan
from dianjiao.reports.models import QuarterlyReport
from dianjiao.reports.selectors import SENT, quarter_ended
from dianjiao.teaching.models import MonthlyFeedback, ViewingSession

from .coverage import unassigned_count
from .figures import COUNTED, DEFAULTS, QUARTERS, report_due


@dataclass
class Todo:
    """One thing to do. `due` is the last day it may be done on, where the plan sets one (the
    month's end for the month's viewing and information items, the quarterly report's deadline,
    …); None for work that has no date of its own (reviews waiting, members without a point, the
    year's plans). The reminder digest sends a dated to-do only once it is due within
    DIANJIAO_REMIND_SOON_DAYS or overdue, and an undated one every day."""

    village: Village | None
    text: str
    overdue: bool
    url_name: str = ""
    query: str = ""
    due: dt.date | None = None
    due_in_text: bool = False  # the text names the day already: the list does not repeat it


def _reports_due(as_of: dt.date) -> list[tuple[int, int]]:
    """The quarters whose reports are asked for on `as_of`: every ended quarter of the year, and
    in the first quarter the last one of the year before."""
    out = [(as_of.year, q) for q in QUARTERS if quarter_ended(as_of.year, q, as_of)]
    return out or [(as_of.year - 1, 4)]


def todos(user, *, as_of: dt.date) -> list[Todo]:
    """What is overdue or due soon for the villages `user` sees: this month's viewing not held
    yet, last month's feedback not sent, this month's information items not sent, a quarterly
    report not filed (overdue after the plan's due day) or returned, the year's work plan
    missing; for the station also the year's plan not set, reports and information items waiting
    for review, and members without a viewing point (the import could not place them). Eight
    queries whatever the data."""
    year, month = as_of.year, as_of.month
    prev = (year, month - 1) if month > 1 else (year - 1, 12)
    # Each village, for the station with its active members reached by no viewing point (R2)
    # in the same query (only the station's list counts them).
    station = is_station(user)
    villages = Village.objects.visible_to(user).order_by("township_id", "sort_order", "name")
    if station:
        villages = villages.annotate(n_unassigned=unassigned_count())
    villages = list(villages)
    township_ids = {v.township_id for v in villages}
    plans = {
        (p.township_id, p.year): p
        for p in AnnualPlan.objects.filter(year__in={year, year - 1}, township_id__in=township_ids)
    }
    start, end = month_bounds(year, month)
    held = set(
        ViewingSession.objects.visible_to(user)
        .filter(held_at__gte=start, held_at__lt=end, kind__in=COUNTED)
        .order_by()
        .values_list("village_id", flat=True)
    )
    sent = set(
        MonthlyFeedback.objects.visible_to(user)
        .filter(year=prev[0], month=prev[1])
        .order_by()
        .values_list("village_id", flat=True)
    )
    planned = set(
        VillageWorkPlan.objects.visible_to(user)
        .filter(year=year)
        .order_by()
        .values_list("village_id", flat=True)
    )
    items = InfoItem.objects.visible_to(user).filter(
        sent_at__gte=start, sent_at__lt=end
    ) | InfoItem.objects.visible_to(user).filter(status=InfoItem.Status.SENT)
    item_rows = list(items.order_by().values_list("village_id", "sent_at", "status"))
    items_this_month: dict[int, int] = defaultdict(int)
    for village_id, sent_at, _status in item_rows:
        if start <= sent_at < end:
            items_this_month[village_id] += 1
    items_waiting = sum(status == InfoItem.Status.SENT for _v, _s, status in item_rows)
    asked = _reports_due(as_of)
    reports = {
        (v, y, q): st
        for v, y, q, st in QuarterlyReport.objects.visible_to(user)
        .filter(year__in={y for y, _q in asked})
        .order_by()
        .values_list("village_id", "year", "quarter", "status")
    }
    reports_waiting = (
        QuarterlyReport.objects.visible_to(user)
        .filter(status=QuarterlyReport.Status.SUBMITTED)
        .count()
    )

    out: list[Todo] = []
    last_day = month_days(year, month)[1]
    prev_last_day = month_days(*prev)[1]
    days_left = (last_day - as_of).days
    prev_value = f"{prev[0]:04d}-{prev[1]:02d}"
    # The texts are the same for every village (or every village with the same figures): each
    # is translated once, not once a village (hundreds of villages for a county).
    not_held = ngettext(
        "本月尚未组织收看（还剩%(days)d天）",
        "本月尚未组织收看（还剩%(days)d天）",
        days_left,
    ) % {"days": days_left}
    no_feedback = _("%(month)s月收看情况尚未反馈") % {"month": prev[1]}
    no_workplan = _("%(year)d年电教工作计划尚未报送") % {"year": year}
    items_short: dict[tuple[int, int], str] = {}
    report_texts: dict[tuple, str] = {}
    for v in villages:
        plan = plans.get((v.township_id, year))
        if v.pk not in held:
            out.append(
                Todo(
                    v,
                    not_held,
                    False,
                    "teaching:list",
                    f"village={v.pk}&month={year:04d}-{month:02d}",
                    due=last_day,
                )
            )
        if v.pk not in sent:
            out.append(
                Todo(
                    v,
                    no_feedback,
                    True,
                    "teaching:feedback",
                    f"village={v.pk}&month={prev_value}",
                    due=prev_last_day,  # R8: the month's feedback within the month
                )
            )
        wanted = (plan or DEFAULTS).info_items_per_village_month
        n = items_this_month[v.pk]
        if n < wanted:
            if (n, wanted) not in items_short:
                items_short[n, wanted] = ngettext(
                    "本月电教信息已报%(n)d条，应报%(wanted)d条（还剩%(days)d天）",
                    "本月电教信息已报%(n)d条，应报%(wanted)d条（还剩%(days)d天）",
                    days_left,
                ) % {"n": n, "wanted": wanted, "days": days_left}
            out.append(
                Todo(
                    v,
                    items_short[n, wanted],
                    False,
                    "infoitems:list",
                    f"village={v.pk}&month={year:04d}-{month:02d}",
                    due=last_day,
                )
            )
        for y, q in asked:
            status = reports.get((v.pk, y, q), "")
            if status in SENT:
                continue
            due = report_due(y, q, plans.get((v.township_id, y)))
            named = status != QuarterlyReport.Status.RETURNED
            key = (named, y, q, due)
            if key not in report_texts:
                if not named:
                    report_texts[key] = _(
                        "%(year)d年第%(quarter)d季度报告被退回，请修改后重新上报"
                    ) % {"year": y, "quarter": q}
                else:
                    report_texts[key] = _(
                        "%(year)d年第%(quarter)d季度报告尚未上报（截止%(due)s）"
                    ) % {"year": y, "quarter": q, "due": date_format(due, _("n月j日"))}
            text = report_texts[key]
            out.append(
                Todo(
                    v,
                    text,
                    as_of > due,
                    "reports:list",
                    f"year={y}&quarter={q}&village={v.pk}",
                    due=due,
                    due_in_text=named,
                )
            )
        if v.pk not in planned:
            out.append(
                Todo(
                    v,
                    no_workplan,
                    True,
                    "planning:workplans",
                    f"year={year}",
                )
            )
    if station:
        unassigned = sum(v.n_unassigned for v in villages)
        if unassigned:
            out.insert(
                0,
                Todo(
                    None,
                    ngettext("%(n)d名党员没有收看播放点", "%(n)d名党员没有收看播放点", unassigned)
                    % {"n": unassigned},
                    False,
                    "members:list",
                    "status=active&unassigned=on",
                ),
            )
        if reports_waiting:
            out.insert(
                0,
                Todo(
                    None,
                    ngettext("%(n)d份季度报告待审核", "%(n)d份季度报告待审核", reports_waiting)
                    % {"n": reports_waiting},
                    False,
                    "reports:list",
                    "status=submitted",
                ),
            )
        if items_waiting:
            out.insert(
                0,
                Todo(
                    None,
                    ngettext("%(n)d条电教信息待审核", "%(n)d条电教信息待审核", items_waiting)
                    % {"n": items_waiting},
                    False,
                    "infoitems:list",
                    "status=sent",
                ),
            )
        if user.township_id and (user.township_id, year) not in plans:
            out.insert(0, Todo(None, _("%(year)d年年度计划尚未制定") % {"year": year}, True))
    return sorted(out, key=lambda t: not t.overdue)  # overdue first, otherwise in village order
