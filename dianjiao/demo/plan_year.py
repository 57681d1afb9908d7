"""The demo township's plan year: the township's annual plan, the villages' work plans, their
monthly feedback, information items and quarterly reports, made through the apps' services (the
monthly feedback is written in bulk, as `teaching.services.feedback_send` writes it), so that the
compliance pages (dianjiao.compliance.compute.compliance) show a believable year. The feedback's
summaries and the reports' figures are computed once for the whole township (figures.py), from
the records as the history left them, instead of by the services' queries per village and month.

The picture is planned, not drawn (`story`): most villages held a viewing every month and sent
their feedback, information items and quarterly reports on time; two fell behind by a month or
two; one, 齐干套克村 (the farthest pastoral village), has gone quiet for the last three months: no
viewing, no feedback, no information item, no quarterly report. The viewing gaps are handed to the
history (dianjiao.demo.teaching, `skips=`), so the sessions themselves are missing.

Time. Everything is relative to `as_of`: the history covers the twelve months up to it (the running
month last, as in demo/teaching.py). Past actions run under `dates.simulated_now` or with the services'
own `at=`, each at a moment that is not after the real now; what would fall later is simply not
done yet (a report not written, an item not reviewed), as on the real day.
"""

import calendar
import contextlib
import dataclasses
import datetime as dt
import io
import random
from collections import Counter, defaultdict

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from dianjiao.accounts.models import Role, User
from dianjiao.accounts.scope import require_village_writer
from dianjiao.films.models import Film
from dianjiao.infoitems import services as info_services
from dianjiao.infoitems.models import InfoItem
from dianjiao.lib import dates
from dianjiao.orgs.models import ViewingPoint, Village
from dianjiao.plans import services as plan_services
from dianjiao.plans.forms import AnnualPlanForm
from dianjiao.reports import services as report_services
from dianjiao.reports.models import QuarterlyReport, quarter_bounds
from dianjiao.teaching.inputs import clean_text
from dianjiao.teaching.models import MonthlyFeedback, ViewingSession
from dianjiao.teaching.selectors import feedback_opens_on

from . import bulk
from .figures import Figures

# -- the story of the year ---------------------------------------------------------------------

VERY_LATE = "齐干套克村"  # silent for the last SILENT_MONTHS ended months and the running one
SILENT_MONTHS = 3
# Ended months back (1 = last month) in which a village held no viewing.
BEHIND = {"幸福村": (5,), "喀拉玛盖村": (2, 7)}
FEEDBACK_ANYWAY = {"幸福村": "本月村委会电教室线路改造停电，未组织集中收看，已安排下月补上"}
INFO_SHORT = {"永丰村": (3,)}  # held every viewing, but sent no information item that month
WORKPLAN_MISSING = VERY_LATE
WORKPLAN_REVISED = "红星村"
REPORT_RETURNED = "胜利村"  # the quarter before last: returned, edited, resubmitted, approved
REPORT_LATE = "喀拉玛盖村"  # last quarter's report sent after the due day, not yet approved
# Last quarter's reports with the next quarter's film needs: approved today (the station's
# approval makes the film requests), or still waiting for the station.
REPORT_LINES_APPROVED = ("红星村", "友谊村", "阿克达拉村")
REPORT_LINES_WAITING = ("新华村", "阔克阿尕什村")

DEFAULT_TARGETS = {
    "viewings_per_member": 12,
    "info_items_per_village_month": 1,
    "quarterly_report_due_days": 10,
    "joint_meetings": 4,
    "summary_meetings": 2,
    "trainings": 1,
    "pastoral_hours": 30,
    "monthly_inspection": True,
}

Month = tuple[int, int]


def history_months(as_of: dt.date, n: int = 12) -> tuple[Month, ...]:
    """The `n` months up to and including as_of's, oldest first (the history's window)."""
    out, (y, m) = [], (as_of.year, as_of.month)
    for _ in range(n):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return tuple(out[::-1])


@dataclasses.dataclass(frozen=True)
class Story:
    as_of: dt.date
    months: tuple[Month, ...]  # the history's window, the running month last
    villages: tuple[str, ...]
    skips: dict  # village -> frozenset of months without a viewing (for demo/teaching.py)
    no_feedback: dict  # village -> months without feedback
    no_info: dict  # village -> months without an information item
    quarters: tuple[tuple[int, int], ...]  # (year, quarter) ended and wholly in the window
    missing_reports: dict  # village -> frozenset of (year, quarter) never written

    @property
    def ended(self) -> tuple[Month, ...]:
        return self.months[:-1]

    @property
    def careless(self) -> frozenset[str]:
        """The villages that leave some key films' four rings incomplete."""
        return frozenset(name for name in (*BEHIND, VERY_LATE) if name in self.villages)

    @property
    def very_late(self) -> str | None:
        return VERY_LATE if VERY_LATE in self.villages else None


def story(villages, as_of: dt.date, months: int = 12) -> Story:
    """The planned year of `villages` (names) up to `as_of`: a pure function of the two (`months`
    long; several years at the larger scales, where the named villages do not occur)."""
    villages = tuple(villages)
    months = history_months(as_of, months)
    ended, running = months[:-1], months[-1]
    skips: dict[str, frozenset] = {}
    no_info: dict[str, frozenset] = {}
    if VERY_LATE in villages:
        skips[VERY_LATE] = frozenset((*ended[-SILENT_MONTHS:], running))
        no_info[VERY_LATE] = skips[VERY_LATE]
    for name, back in BEHIND.items():
        if name in villages:
            skips[name] = no_info[name] = frozenset(ended[-b] for b in back)
    for name, back in INFO_SHORT.items():
        if name in villages:
            no_info[name] = frozenset(ended[-b] for b in back)
    no_feedback = {name: ms for name, ms in skips.items() if name not in FEEDBACK_ANYWAY}
    window = set(months)
    quarters = tuple(
        (y, q)
        for y in sorted({y for y, _m in months})
        for q in (1, 2, 3, 4)
        if all((y, 3 * q - k) in window for k in (0, 1, 2)) and quarter_bounds(y, q)[1] <= as_of
    )
    missing = {VERY_LATE: frozenset(quarters[-2:])} if VERY_LATE in villages else {}
    return Story(as_of, months, villages, skips, no_feedback, no_info, quarters, missing)


@dataclasses.dataclass
class PlanYearReport:
    plans: int = 0
    workplans: int = 0
    feedback: int = 0
    items: int = 0
    item_status: Counter = dataclasses.field(default_factory=Counter)
    photos: int = 0
    reports: Counter = dataclasses.field(default_factory=Counter)
    film_requests: int = 0


# -- words -------------------------------------------------------------------------------------

WORKPLAN_PASTORAL = (
    "三、牧区流动教学：5月至10月牧民转场期间，{points}随牧民转场开展流动播放，"
    "电教员带便携式卫星接收机和太阳能电源进毡房，全年流动教学不少于30学时。"
)
WORKPLAN_FARMING = (
    "三、农闲集中学习：利用冬春农闲时节，结合农业实用技术片开展集中学习培训，"
    "组织党员带头学技术、当示范。"
)
WORKPLAN = """{year}年{village}党员电化教育工作计划

一、收看安排：每月至少组织一次集中收看，全年不少于12次；每季度末月收看年度重点片，运用“四环教学法”（课前准备、播放提示、收看记录、讨论践行），做到有准备、有提示、有记录、有践行。
二、重点片目：{films}。
{third}
四、补看与台账：因病、外出未能参加的党员，一个月内安排补看；当天收看当天录入台账，每月最后五天内向乡电教站反馈收看情况。
五、设备管理：电教员每月检查一次电视机、影碟机和卫星接收设备，发现故障当天报乡电教站，不因设备原因耽误收看。
六、信息报送：每月至少向乡电教站报送一条电教信息，及时总结好的做法。
七、季度报告：每季度结束后10日内报送季度工作情况、下季度播放计划和片源需求。"""
WORKPLAN_REVISION = (
    "\n\n（第二版修改说明：根据乡电教站年度计划，将《{film}》列入二季度集中收看；"
    "对外出务工党员增加“视频连线+回村补看”的安排。）"
)

FEEDBACK_NOTES = (
    "",
    "",
    "",
    "设备运行正常",
    "部分党员外出务工，已安排补看",
    "收看后开展了讨论，党员发言积极",
)
FEEDBACK_NOTES_PASTORAL = ("", "牧民转场，部分党员在流动播放点收看", "流动播放点设备运行正常")

DEVICES = ("电视机", "影碟机", "卫星接收机", "功放音箱")
TOPICS = (
    "身边的榜样是谁",
    "党员如何在乡村振兴中带头",
    "怎样为群众办好一件实事",
    "学了影片我们能做什么",
)
RETURN_REASONS = (
    "内容较简单，请补充收看人数、讨论发言和会后践行情况",
    "标题不够具体，请写明时间、地点和影片名称",
    "文中收看人数与台账记录不一致，请核实后重新报送",
    "请补充一张现场照片",
)
RESEND_NOTES = (
    "（补充）收看结束后，{pres}名党员逐一谈了体会，支部确定了帮扶困难户、环境整治两项践行任务，由党员先锋岗牵头落实。",
    "（补充）经核对台账，本次应到党员{exp}人，实到{pres}人，缺课党员已安排在下月补看。",
)


def _cn_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _viewing_item(ctx: dict, session: ViewingSession) -> tuple[str, str, str, bool]:
    """(category, title, text, photo-worthy) about the month's viewing."""
    c = ctx
    if session.kind == ViewingSession.Kind.KEY_FILM:
        return (
            InfoItem.Category.EXPERIENCE,
            f"{c['v']}用“四环教学法”学习重点片《{c['film']}》",
            f"{c['day']}，{c['v']}党支部组织党员在{c['point']}集中收看年度重点片《{c['film']}》，应到党员{c['exp']}人，"
            f"实到{c['pres']}人。课前，电教员{c['op']}提前观看影片、拟定讨论题；播放中，在关键情节处暂停提示；"
            f"收看后，支部书记{c['sec']}带领大家围绕“{c['topic']}”展开讨论，党员纷纷发言，"
            f"会后确定了帮扶困难群众、参加环境整治等践行任务，做到学用结合。",
            True,
        )
    if session.kind == ViewingSession.Kind.PASTORAL:
        return (
            InfoItem.Category.NEWS,
            f"{c['v']}流动播放点走进{c['place']}",
            f"{c['day']}，{c['v']}电教员带着便携式卫星接收机和太阳能电源，骑摩托车走进{c['place']}，"
            f"在牧民毡房里为转场的牧民党员播放《{c['film']}》。当天{c['pres']}名党员参加收看，"
            f"大家说：“转场路上也能按时过组织生活、学政策学技术，党的声音传到了牧场。”",
            True,
        )
    return (
        InfoItem.Category.NEWS,
        f"{c['v']}组织党员集中收看《{c['film']}》",
        f"{c['day']}，{c['v']}党支部在{c['point']}组织党员集中收看电教片《{c['film']}》，应到党员{c['exp']}人，"
        f"实到{c['pres']}人。收看后，支部书记{c['sec']}结合本村实际作了讲评，"
        f"因病、外出未能参加的党员已登记，安排在下月补看。",
        False,
    )


def _other_item(ctx: dict, rng: random.Random) -> tuple[str, str, str, bool]:
    c = ctx
    options = [
        (
            InfoItem.Category.NEWS,
            f"{c['v']}及时修复电教设备保障正常收看",
            f"{c['month']}月初，{c['v']}电教室的{rng.choice(DEVICES)}出现故障。电教员{c['op']}当天报乡电教站，"
            f"县电教中心技术员随车进村检修，三天内恢复正常，确保了本月集中收看按时进行。",
            True,
        ),
        (
            InfoItem.Category.NEWS,
            f"{c['v']}为缺课党员安排补看",
            f"针对本月集中收看中因病、外出等原因缺课的党员，{c['v']}党支部逐一登记，"
            f"利用晚上和农闲时间在{c['point']}安排补看，补看情况当天录入台账。",
            False,
        ),
        (
            InfoItem.Category.INNOVATION,
            f"{c['v']}党员微信群“收看提醒”提高到课率",
            f"{c['v']}电教员在每次集中收看前一天，把收看时间、地点和片目发到党员微信群，"
            f"对年龄大、不用智能手机的老党员由党小组长上门通知。{c['month']}月集中收看到课党员{c['pres']}人。",
            False,
        ),
        (
            InfoItem.Category.EXPERIENCE,
            f"收看后“说、议、做”：{c['v']}让电教学习落到实处",
            f"{c['v']}党支部坚持收看后“说体会、议村事、做实事”：每次收看后请两三名党员谈体会，"
            f"结合影片议一件村里的事，会后明确由谁来做、什么时候完成，下次收看时通报落实情况。",
            False,
        ),
        (
            InfoItem.Category.OTHER,
            f"{c['v']}完成电教室线路和设备检查",
            f"按照乡电教站每月检查的要求，{c['v']}电教员对电教室的电视机、影碟机、卫星接收设备和线路进行了检查，"
            f"清理了设备灰尘，更换了一处老化插座，并登记在设备台账上。",
            True,
        ),
    ]
    if c["pastoral"]:
        options += [
            (
                InfoItem.Category.EXPERIENCE,
                f"{c['v']}“三提前”做好转场期间的电教安排",
                f"牧民转场前，{c['v']}做到“三提前”：提前摸清牧民党员转场路线和时间，提前调试流动播放设备和太阳能电源，"
                f"提前把本季度片子拷进播放器，保证转场期间流动教学不断档。",
                False,
            ),
            (
                InfoItem.Category.INNOVATION,
                f"{c['v']}用双语讲解让老党员看得懂学得会",
                f"{c['v']}在集中收看时，由懂双语的党员对影片内容逐段讲解，"
                f"帮助年龄较大的哈萨克族党员看懂政策、学会技术，收看后讨论更热烈了。",
                False,
            ),
        ]
    return rng.choice(options)


# -- a small photo -----------------------------------------------------------------------------


def demo_photo(rng: random.Random, month: int, name: str) -> ContentFile:
    """A few-KB JPEG of an open-air showing: sky, hills, ground (snow in winter), a yurt or a
    house, a screen and rows of viewers. Drawn, so no image file ships with the code."""
    w, h = 400, 270
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    horizon = rng.randint(120, 145)
    for y in range(horizon):
        d.line([(0, y), (w, y)], fill=(110 + y // 3, 160 + y // 4, 230))
    peaks = (
        [(0, horizon)]
        + [(x, horizon - rng.randint(30, 90)) for x in range(40, w, 80)]
        + [(w, horizon)]
    )
    d.polygon(peaks, fill=(140, 150, 170))
    winter = month in (11, 12, 1, 2, 3)
    d.rectangle([0, horizon, w, h], fill=(235, 238, 242) if winter else (96, 150, 70))
    if rng.random() < 0.5:  # a yurt
        x = rng.randint(20, 120)
        d.rectangle([x, horizon - 40, x + 90, horizon + 10], fill=(245, 240, 230))
        d.pieslice([x - 5, horizon - 75, x + 95, horizon - 5], 180, 360, fill=(235, 225, 205))
        d.rectangle([x + 35, horizon - 15, x + 55, horizon + 10], fill=(170, 60, 50))
    else:  # a village house
        x = rng.randint(20, 120)
        d.rectangle([x, horizon - 50, x + 110, horizon + 10], fill=(220, 200, 170))
        d.polygon(
            [(x - 10, horizon - 50), (x + 55, horizon - 85), (x + 120, horizon - 50)],
            fill=(150, 50, 40),
        )
    sx = rng.randint(230, 268)
    d.rectangle([sx, horizon - 70, sx + 120, horizon], fill=(30, 30, 35))
    d.rectangle(
        [sx + 6, horizon - 64, sx + 114, horizon - 6],
        fill=(rng.randint(120, 220), rng.randint(90, 160), 60),
    )
    d.line([(sx + 60, horizon), (sx + 60, horizon + 30)], fill=(60, 60, 60), width=4)
    for row in range(3):
        y = horizon + 40 + row * 32
        for i in range(8):
            x = 40 + i * 44 + rng.randint(-6, 6) + row * 10
            color = rng.choice(
                [(40, 60, 120), (120, 40, 40), (60, 60, 60), (30, 90, 60), (150, 110, 60)]
            )
            d.ellipse([x, y - 22, x + 16, y - 6], fill=(225, 190, 160))
            d.rectangle([x - 4, y - 6, x + 20, y + 22], fill=color)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=45)
    return ContentFile(buf.getvalue(), name=name)


# -- writing the year --------------------------------------------------------------------------


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime(day.year, day.month, day.day, hour, minute), timezone.get_default_timezone()
    )


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


class _Year:
    def __init__(self, rng: random.Random, s: Story, township, users):
        self.rng, self.story, self.township = rng, s, township
        self.now = timezone.now()
        self.station = next(
            u
            for u in users
            if u.role == Role.STATION_ADMIN and u.township_id == township.pk and not u.is_superuser
        )
        self.operators = {
            u.village_id: u for u in users if u.role == Role.VILLAGE_OPERATOR and u.village_id
        }
        self.villages = list(
            Village.objects.filter(township=township).order_by("sort_order", "name")
        )
        self.films = list(Film.objects.filter(township=township, active=True).order_by("pk"))
        self.key_films = [f for f in self.films if f.is_key_film]
        self.report = PlanYearReport()

    def _ok(self, at: dt.datetime | None) -> bool:
        """Has the moment come (never later than the real now, nor after as_of's day)?"""
        return (
            at is not None and at <= self.now and timezone.localtime(at).date() <= self.story.as_of
        )

    def _op(self, village) -> User:
        return self.operators.get(village.pk, self.station)

    # -- the annual plans and the villages' work plans ---------------------------------------

    def plans(self) -> None:
        for year in sorted({y for y, _m in self.story.months}):
            data = {**DEFAULT_TARGETS, "key_films": [f.pk for f in self.key_films]}
            form = AnnualPlanForm(data=data, township=self.township, year=year)
            if not form.is_valid():
                raise ValueError(f"演示数据：{year}年度计划无效：{form.errors.as_text()}")
            plan_services.plan_save(
                user=self.station, township=self.township, year=year, **form.cleaned_data
            )
            self.report.plans += 1

    def workplans(self) -> None:
        year = self.story.as_of.year
        titles = "、".join(f"《{f.title}》" for f in self.key_films[:6]) or "按乡电教站下发的片目"
        for i, village in enumerate(self.villages):
            if village.name == WORKPLAN_MISSING:
                continue
            points = "、".join(
                p.name
                for p in ViewingPoint.objects.filter(
                    village=village, kind=ViewingPoint.Kind.PASTORAL
                ).order_by("pk")
            )
            third = (
                WORKPLAN_PASTORAL.format(points=points or "流动播放点")
                if village.is_pastoral
                else WORKPLAN_FARMING
            )
            text = WORKPLAN.format(year=year, village=village.name, films=titles, third=third)
            self._workplan(
                village,
                year,
                text,
                _aware(dt.date(year, 1, 6) + dt.timedelta(days=2 * i), 10 + i % 7, 5 * i % 60),
            )
            if village.name == WORKPLAN_REVISED and self.key_films:
                text += WORKPLAN_REVISION.format(film=self.rng.choice(self.key_films).title)
                self._workplan(village, year, text, _aware(dt.date(year, 3, 12), 16, 20))

    def _workplan(self, village, year, text, at) -> None:
        if self._ok(at):
            with dates.simulated_now(at):
                plan_services.workplan_submit(
                    village=village, year=year, text=text, user=self._op(village)
                )
            self.report.workplans += 1

    # -- monthly feedback --------------------------------------------------------------------

    def feedback(self) -> None:
        """The ended months' feedback, written in bulk (see `_feedback`)."""
        rows: list[MonthlyFeedback] = []
        sent = set(
            MonthlyFeedback.objects.filter(village__in=self.villages).values_list(
                "village_id", "year", "month"
            )
        )
        for y, m in self.story.ended:
            for village in self.villages:
                if (y, m) in self.story.no_feedback.get(village.name, ()) or (
                    village.pk,
                    y,
                    m,
                ) in sent:
                    continue
                if self.rng.random() < 0.1:  # sent in the first days of the next month: late
                    at = _aware(
                        _month_end(y, m) + dt.timedelta(days=self.rng.randint(1, 3)),
                        self.rng.randint(9, 17),
                    )
                else:
                    at = _aware(_month_end(y, m), 22) + dt.timedelta(minutes=self.rng.randrange(90))
                if (y, m) in self.story.skips.get(village.name, ()):
                    note = FEEDBACK_ANYWAY.get(village.name, "")
                else:
                    note = self.rng.choice(
                        FEEDBACK_NOTES_PASTORAL if village.is_pastoral else FEEDBACK_NOTES
                    )
                if not self._ok(at):
                    continue
                rows.append(self._feedback(village, y, m, note, at))
        bulk.create(MonthlyFeedback, rows)
        self.report.feedback += len(rows)

    def _feedback(self, village, y: int, m: int, note: str, at) -> MonthlyFeedback:
        """What `teaching.services.feedback_send` sends at `at` (the month's first version: the
        months already sent are skipped), its summary from the figures read once."""
        author = self._op(village)
        require_village_writer(author, village, denied="没有在该村登记播放收看的权限")
        if timezone.localtime(at).date() < feedback_opens_on(y, m):
            raise ValueError(f"演示数据：{village.name}{y}年{m}月的反馈报送过早")
        feedback = MonthlyFeedback(
            village=village,
            year=y,
            month=m,
            version=1,
            summary=self.figures.month_summary(village, y, m),
            note=clean_text(note),
            sent_by=author,
            sent_at=at,
        )
        feedback.township_id = village.township_id  # as MonthlyFeedback.save() does
        feedback.full_clean(validate_unique=False, validate_constraints=False)
        return feedback

    # -- information items -------------------------------------------------------------------

    def items(self) -> None:
        sessions: dict[tuple, list[ViewingSession]] = defaultdict(list)
        qs = (
            ViewingSession.objects.filter(
                village__in=self.villages, kind__in=ViewingSession.COUNTED_KINDS
            )
            .with_figures()
            .order_by("held_at")
        )
        for s in qs:
            local = timezone.localtime(s.held_at)
            sessions[s.village_id, local.year, local.month].append(s)
        points = {
            v.pk: list(ViewingPoint.objects.filter(village=v).order_by("pk")) for v in self.villages
        }
        running = self.story.months[-1]
        for y, m in self.story.months:
            for village in self.villages:
                if (y, m) in self.story.no_info.get(village.name, ()):
                    continue
                if (y, m) == running and self.rng.random() < 0.4:
                    continue  # this month's item not sent yet
                held = sessions.get((village.pk, y, m), [])
                for i in range(2 if self.rng.random() < 0.2 else 1):
                    self._item(
                        village, y, m, held[0] if held and i == 0 else None, points[village.pk]
                    )

    def _item(self, village, y: int, m: int, session: ViewingSession | None, points) -> None:
        rng = self.rng
        pastoral = [p for p in points if p.kind == ViewingPoint.Kind.PASTORAL]
        ctx = {
            "v": village.name,
            "sec": village.secretary or "支部书记",
            "op": self._op(village).full_name,
            "month": m,
            "pastoral": village.is_pastoral,
            "topic": rng.choice(TOPICS),
            "point": points[0].name if points else "村委会电教室",
            "place": pastoral[0].seasonal_place if pastoral else "",
            "film": "",
            "exp": rng.randint(30, 50),
            "pres": rng.randint(25, 40),
            "day": f"{m}月",
        }
        last = min(_month_end(y, m), self.story.as_of)
        if session is not None:
            films = list(session.films.all())
            held = timezone.localtime(session.held_at).date()
            ctx.update(
                film=films[0].title if films else "",
                exp=session.expected_count,
                pres=session.present_count,
                day=_cn_day(held),
                point=session.point.name,
                place=session.point.seasonal_place or ctx["place"],
            )
            category, title, text, photogenic = _viewing_item(ctx, session)
            # Written up the same day or a day or two later, in the village's working hours.
            day = min(held + dt.timedelta(days=rng.randint(0, 2)), last)
            at = max(
                _aware(day, rng.randint(9, 20), rng.randrange(60)),
                session.held_at + dt.timedelta(hours=2),
            )
        else:
            category, title, text, photogenic = _other_item(ctx, rng)
            first = dt.date(y, m, 1)
            at = _aware(
                first + dt.timedelta(days=rng.randrange((last - first).days + 1)),
                rng.randint(9, 18),
                rng.randrange(60),
            )
        if not self._ok(at):
            return
        photos = []
        if photogenic and rng.random() < 0.12 and self.report.photos < 8:
            photos = [
                demo_photo(rng, m, f"{village.name}-{y}{m:02d}-{n}.jpg")
                for n in range(1, 2 + (rng.random() < 0.3))
            ]
        item = info_services.item_send(
            user=self._op(village),
            village=village,
            title=title,
            text=text,
            category=category,
            photos=photos,
            at=at,
        )
        self.report.items += 1
        self.report.photos += len(photos)
        self._review(item, at, ctx)
        item.refresh_from_db(fields=["status"])
        self.report.item_status[item.status] += 1

    def _later(self, at: dt.datetime, lo: int, hi: int) -> dt.datetime:
        day = timezone.localtime(at).date() + dt.timedelta(days=self.rng.randint(lo, hi))
        return max(
            _aware(day, self.rng.randint(9, 17), self.rng.randrange(60)),
            at + dt.timedelta(minutes=30),
        )

    def _review(self, item: InfoItem, at: dt.datetime, ctx: dict) -> None:
        """The station's work on an item: most adopted, some published, a few returned with a
        reason and resent; the latest still waiting."""
        rng, station = self.rng, self.station
        r = rng.random()
        if r < 0.08:
            at = self._later(at, 1, 3)
            if not self._ok(at):
                return
            item = info_services.item_return(
                item=item, user=station, reason=rng.choice(RETURN_REASONS), at=at
            )
            at = self._later(at, 1, 4)
            if rng.random() < 0.2 or not self._ok(at):
                return  # not resent yet
            version = item.versions.order_by("-number").first()
            text = version.text + "\n" + rng.choice(RESEND_NOTES).format(**ctx)
            item = info_services.item_send(
                user=self._op(item.village),
                item=item,
                title=item.title,
                text=text,
                category=item.category,
                at=at,
            )
        elif r > 0.92:
            return  # the station has not looked at it yet
        at = self._later(at, 1, 5)
        if not self._ok(at):
            return
        item = info_services.item_adopt(item=item, user=station, at=at)
        at = self._later(at, 1, 3)
        if rng.random() < 0.35 and self._ok(at):
            info_services.item_publish(item=item, user=station, at=at)

    # -- quarterly reports -------------------------------------------------------------------

    def _narrative(self, village, figures: dict, y: int, q: int) -> str:
        rate = figures["rate"]
        films = "、".join(f"《{t}》" for t in figures["films"][:5]) or "无"
        text = (
            f"{y}年第{q}季度，{village.name}共组织收看{figures['sessions']}场（其中重点片{figures['key_sessions']}场，"
            f"四环教学完整{figures['key_complete']}场），应到党员{figures['expected']}人次，实到{figures['present']}人次，"
            f"到课率{rate if rate is not None else '—'}%。收看影片：{films}。"
        )
        if figures["months_without"]:
            months = "、".join(f"{m}月" for m in figures["months_without"])
            text += f"{months}未组织集中收看，原因是设备故障和农牧忙，已在下月补看。"
        if village.is_pastoral:
            text += "转场期间，流动播放点随牧民转场开展流动教学，牧民党员在牧场也能按时收看。"
        else:
            text += "因病、外出缺课的党员均已登记，并安排了补看。"
        return text

    def _plan_text(self, village, y: int, q: int) -> str:
        nq, ny = (1, y + 1) if q == 4 else (q + 1, y)
        text = f"{ny}年第{nq}季度计划每月组织一次集中收看，季末月收看年度重点片并运用四环教学法；"
        if village.is_pastoral and nq in (2, 3):
            return text + "牧民转场期间流动播放点随牧民转场，每月至少流动播放一次。"
        return text + "利用农闲时间组织实用技术片学习，做好缺课党员的补看。"

    def _lines(self) -> list[tuple[int, dt.date]]:
        base = max(self.story.as_of, timezone.localdate(self.now))
        films = self.rng.sample(self.films, min(len(self.films), self.rng.randint(1, 2)))
        return [(f.pk, base + dt.timedelta(days=self.rng.randint(10, 40))) for f in films]

    def reports(self) -> None:
        quarters = self.story.quarters
        for n, (y, q) in enumerate(quarters):
            latest, before = n == len(quarters) - 1, n == len(quarters) - 2
            due = quarter_bounds(y, q)[1]  # the first day after the quarter
            for i, village in enumerate(self.villages):
                if (y, q) in self.story.missing_reports.get(village.name, ()):
                    continue
                late = latest and village.name == REPORT_LATE
                submit_at = _aware(
                    due
                    + dt.timedelta(
                        days=self.rng.randint(15, 18) if late else self.rng.randint(1, 8)
                    ),
                    self.rng.randint(9, 17),
                    self.rng.randrange(60),
                )
                if not self._ok(submit_at):
                    continue
                lines = (
                    self._lines()
                    if latest and village.name in (*REPORT_LINES_APPROVED, *REPORT_LINES_WAITING)
                    else []
                )
                op = self._op(village)
                with dates.simulated_now(submit_at), self._quarter_figures():
                    figures = report_services.compute_figures(village, y, q)
                    report = report_services.report_create(
                        village=village,
                        author=op,
                        year=y,
                        quarter=q,
                        narrative=self._narrative(village, figures, y, q),
                        plan=self._plan_text(village, y, q),
                        lines=lines,
                    )
                    report = report_services.report_submit(report, user=op)
                if before and village.name == REPORT_RETURNED:
                    report = self._returned(report, submit_at)
                elif late or (latest and village.name in REPORT_LINES_WAITING):
                    pass  # waiting for the station
                elif latest and village.name in REPORT_LINES_APPROVED:
                    minutes = 10 + 5 * i  # a few minutes apart, in the village order
                    at = min(_aware(self.story.as_of, 9 + minutes // 60, minutes % 60), self.now)
                    if at > submit_at:
                        with dates.simulated_now(at):
                            report = report_services.report_approve(report, user=self.station)
                        self.report.film_requests += bool(report.film_lines)
                else:
                    self._approve(report, submit_at, 3, 12)
                self.report.reports[
                    QuarterlyReport.objects.values_list("status", flat=True).get(pk=report.pk)
                ] += 1

    @contextlib.contextmanager
    def _quarter_figures(self):
        """The services' `compute_figures` answered from the figures read once (the services
        compute a report's figures when it is created, edited and submitted)."""
        original = report_services.compute_figures
        report_services.compute_figures = self.figures.quarter
        try:
            yield
        finally:
            report_services.compute_figures = original

    def _approve(self, report, after: dt.datetime, lo: int, hi: int):
        at = self._later(after, lo, hi)
        if self._ok(at):
            with dates.simulated_now(at):
                report = report_services.report_approve(report, user=self.station)
        return report

    def _returned(self, report, submit_at):
        op = self._op(report.village)
        at = self._later(submit_at, 1, 3)
        if not self._ok(at):
            return report
        with dates.simulated_now(at):
            report = report_services.report_return(
                report,
                user=self.station,
                reason="未写明缺课党员的补看安排和重点片讨论践行情况，请补充后重新上报",
            )
        at = self._later(at, 1, 3)
        if not self._ok(at):
            return report
        with dates.simulated_now(at), self._quarter_figures():
            report = report_services.report_edit(
                report,
                user=op,
                plan=report.plan,
                narrative=report.narrative
                + "缺课党员已由党小组长逐一通知，在下月集中收看后安排补看；"
                "重点片收看后党员认领了帮扶困难户、环境整治等践行任务，已在季末前完成。",
            )
            report = report_services.report_submit(report, user=op)
        return self._approve(report, at, 2, 5)


def build_plan_year(rng: random.Random, s: Story, *, township, users) -> PlanYearReport:
    """Write the plan year of `township` (see the module's docstring). Call it after the history
    (the feedback, items and reports are computed from the sessions), inside the demo's
    transaction and `acting_as`."""
    year = _Year(rng, s, township, list(users))
    year.figures = Figures(year.villages, s.months)
    year.plans()
    year.workplans()
    year.feedback()
    year.items()
    year.reports()
    return year.report
