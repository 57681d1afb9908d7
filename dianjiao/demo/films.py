"""Demo film library: about forty films of the kind these programmes show, their copies, a year of
quarterly announcements, village requests and loans, ending with exactly two copies overdue.

Everything is written through the services, in time order, with `at` set to when it happened, so
the history obeys the same rules as live use (a copy is never lent twice at once, and so on).
The caller wraps it in a transaction and `acting_as(label="demo")`.
"""

import dataclasses
import datetime as dt
import heapq
import itertools
import random
from collections.abc import Callable

from django.utils import timezone

from dianjiao.accounts.models import Role, User
from dianjiao.films import services
from dianjiao.films.models import Film, FilmCopy, FilmRequest, Language, Loan, Theme
from dianjiao.orgs.models import Township, Village

from . import bulk

KAZAKH = "哈萨克语"
MANDARIN = "普通话"
CENTRE = "中共中央组织部党员教育中心"
XJ = "新疆维吾尔自治区党员电化教育中心"
AGRI = "中国农业电影电视中心"
LAW = "司法部普法与依法治理局"
ALTAY = "中共阿勒泰地委组织部"


@dataclasses.dataclass(frozen=True)
class FilmSeed:
    title: str
    themes: tuple[str, ...]
    minutes: int
    producer: str
    year: int
    series: str = ""
    key: bool = False
    kazakh: bool = False
    synopsis: str = ""


CATALOGUE: tuple[FilmSeed, ...] = (
    FilmSeed(
        "榜样3",
        ("时代楷模", "先进性教育"),
        100,
        CENTRE,
        2018,
        "《榜样》系列",
        key=True,
        kazakh=True,
        synopsis="讲述新时代优秀共产党员扎根基层、服务群众的先进事迹。",
    ),
    FilmSeed(
        "榜样5",
        ("时代楷模", "先进性教育"),
        95,
        CENTRE,
        2020,
        "《榜样》系列",
        key=True,
        kazakh=True,
        synopsis="聚焦脱贫攻坚和疫情防控一线的优秀共产党员。",
    ),
    FilmSeed(
        "榜样6",
        ("时代楷模", "先进性教育"),
        96,
        CENTRE,
        2021,
        "《榜样》系列",
        key=True,
        synopsis="建党百年之际，展现“七一勋章”获得者的初心与担当。",
    ),
    FilmSeed(
        "榜样7",
        ("时代楷模", "先进性教育"),
        98,
        CENTRE,
        2022,
        "《榜样》系列",
        key=True,
        kazakh=True,
        synopsis="新时代各条战线优秀共产党员的奋斗故事。",
    ),
    FilmSeed(
        "榜样8",
        ("时代楷模", "先进性教育"),
        97,
        CENTRE,
        2024,
        "《榜样》系列",
        key=True,
        synopsis="基层党组织书记和普通党员在乡村振兴中的担当作为。",
    ),
    FilmSeed("保持共产党员先进性", ("先进性教育",), 45, CENTRE, 2005, "先进性教育专题"),
    FilmSeed("牢记宗旨 服务群众", ("先进性教育",), 40, XJ, 2006, "先进性教育专题", kazakh=True),
    FilmSeed(
        "八荣八耻 知荣明耻", ("社会主义荣辱观",), 35, XJ, 2006, "社会主义荣辱观系列", kazakh=True
    ),
    FilmSeed("文明乡风进万家", ("社会主义荣辱观", "乡村振兴"), 30, ALTAY, 2021, kazakh=True),
    FilmSeed("移风易俗 婚事新办", ("社会主义荣辱观",), 25, ALTAY, 2019, kazakh=True),
    FilmSeed("党史故事100讲（一）", ("党史党课",), 60, CENTRE, 2021, "党史故事100讲"),
    FilmSeed("党史故事100讲（二）", ("党史党课",), 60, CENTRE, 2021, "党史故事100讲"),
    FilmSeed(
        "红色家书",
        ("党史党课",),
        50,
        CENTRE,
        2019,
        key=True,
        synopsis="革命先辈写给亲人的家书，诉说信仰与牺牲。",
    ),
    FilmSeed("永远的丰碑", ("党史党课",), 30, CENTRE, 2016),
    FilmSeed(
        "焦裕禄",
        ("党史党课", "党风廉政"),
        115,
        "峨眉电影制片厂",
        1990,
        key=True,
        synopsis="兰考县委书记焦裕禄带领群众治理风沙、内涝、盐碱的感人事迹。",
    ),
    FilmSeed(
        "杨善洲",
        ("党风廉政", "时代楷模"),
        105,
        "云南电影制片厂",
        2011,
        synopsis="退休地委书记二十二年义务植树造林的故事。",
    ),
    FilmSeed("党课开讲啦", ("党史党课",), 50, CENTRE, 2022),
    FilmSeed("将改革进行到底（第一集）", ("政策法规",), 50, "中央电视台", 2017, "政论专题片"),
    FilmSeed(
        "民法典进万家",
        ("政策法规", "法治宣传"),
        40,
        LAW,
        2020,
        key=True,
        kazakh=True,
        synopsis="用村民身边的案例讲解民法典中婚姻家庭、继承、合同的规定。",
    ),
    FilmSeed("草原法解读", ("政策法规", "法治宣传"), 35, XJ, 2018, kazakh=True),
    FilmSeed("农村土地承包法问答", ("政策法规",), 30, LAW, 2019, kazakh=True),
    FilmSeed("反电信网络诈骗", ("法治宣传",), 25, LAW, 2022, kazakh=True),
    FilmSeed("平安建设与法治乡村", ("法治宣传", "乡村振兴"), 30, ALTAY, 2023),
    FilmSeed(
        "民族团结一家亲",
        ("民族团结",),
        45,
        XJ,
        2017,
        key=True,
        kazakh=True,
        synopsis="各族干部群众结对认亲、守望相助的真实故事。",
    ),
    FilmSeed("石榴花开", ("民族团结",), 40, XJ, 2020, kazakh=True),
    FilmSeed("同饮一江水", ("民族团结",), 35, ALTAY, 2021, kazakh=True),
    FilmSeed("牧区养殖技术", ("科技与农牧业技术",), 40, AGRI, 2018, "农牧业实用技术", kazakh=True),
    FilmSeed(
        "冬季牛羊舍饲育肥技术", ("科技与农牧业技术",), 35, AGRI, 2019, "农牧业实用技术", kazakh=True
    ),
    FilmSeed(
        "细毛羊高效养殖", ("科技与农牧业技术",), 30, AGRI, 2017, "农牧业实用技术", kazakh=True
    ),
    FilmSeed(
        "牲畜口蹄疫防控", ("科技与农牧业技术",), 25, AGRI, 2020, "农牧业实用技术", kazakh=True
    ),
    FilmSeed("棉花膜下滴灌技术", ("科技与农牧业技术",), 30, AGRI, 2016, "农牧业实用技术"),
    FilmSeed("设施大棚蔬菜种植", ("科技与农牧业技术",), 35, AGRI, 2019, "农牧业实用技术"),
    FilmSeed(
        "苜蓿种植与青贮加工", ("科技与农牧业技术",), 30, AGRI, 2021, "农牧业实用技术", kazakh=True
    ),
    FilmSeed("奶牛科学饲养", ("科技与农牧业技术",), 35, AGRI, 2018, "农牧业实用技术", kazakh=True),
    FilmSeed("冷水鱼养殖技术", ("科技与农牧业技术",), 30, AGRI, 2022, "农牧业实用技术"),
    FilmSeed(
        "草原鼠虫害防治", ("科技与农牧业技术",), 25, AGRI, 2020, "农牧业实用技术", kazakh=True
    ),
    FilmSeed("牧民定居与草原生态保护", ("乡村振兴", "政策法规"), 40, ALTAY, 2021, kazakh=True),
    FilmSeed("转场路上的党课", ("党史党课", "民族团结"), 30, ALTAY, 2023, kazakh=True),
    FilmSeed("额尔齐斯河畔的好支书", ("时代楷模", "乡村振兴"), 35, ALTAY, 2022, kazakh=True),
    FilmSeed("以案为鉴 警钟长鸣", ("党风廉政",), 45, "中央纪委国家监委宣传部", 2023),
    FilmSeed("乡村振兴看变化", ("乡村振兴",), 40, XJ, 2024),
)

REJECT_REASONS = (
    "本季度该片已安排其他村轮换使用，请改选其他片目",
    "计划放映日期与全乡集中收看冲突，请调整后重新申请",
    "该片拷贝送修，下季度再安排",
)
LOAN_DAYS = (14, 14, 21, 21, 28)


def _teaching_notes(seed: FilmSeed) -> dict[str, str]:
    if not seed.key:
        return {}
    return {
        "prep_notes": f"电教员提前观看《{seed.title}》，准备好播放设备；向党员说明本次收看的主题和要求，发放讨论提纲。",
        "prompts": "播放到主要人物事迹处暂停，提示党员注意其面对困难时的选择；结尾处提示联系本村实际。",
        "discussion_questions": "1. 片中哪个情节最打动你？为什么？\n2. 对照片中人物，自己在工作和生活中还有哪些差距？\n3. 结合本村实际，我们可以为群众办哪几件实事？",
    }


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_quarter(start: dt.date) -> dt.date:
    month = start.month + 3
    return dt.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@dataclasses.dataclass
class _Clock:
    """Events run in time order, so each service sees the library as it was at that moment."""

    queue: list = dataclasses.field(default_factory=list)
    counter: itertools.count = dataclasses.field(default_factory=itertools.count)

    def at(self, when: dt.datetime, fn: Callable[[dt.datetime], None]) -> None:
        heapq.heappush(self.queue, (when, next(self.counter), fn))

    def run_until(self, end: dt.datetime) -> None:
        while self.queue and self.queue[0][0] < end:
            when, _, fn = heapq.heappop(self.queue)
            fn(when)


def build_films(
    rng: random.Random, *, township: Township, as_of: dt.date, users: dict, silent=None
) -> dict:
    """Build the library of `township` with a year of history up to `as_of`. `users` maps any
    key to the demo's User objects; the station admin and each village's operator are found by
    role. `silent` maps a village name to the (year, month)s it files no request in (a village
    that has gone quiet). Returns counts for the demo command's summary."""
    silent = silent or {}
    people = list(users.values())
    station = next(
        u
        for u in people
        if u.role == Role.STATION_ADMIN and u.township_id == township.pk and not u.is_superuser
    )
    villages = list(Village.objects.filter(township=township).order_by("sort_order", "name"))
    operators: dict[int, User] = {
        u.village_id: u for u in people if u.role == Role.VILLAGE_OPERATOR and u.village_id
    }
    films, copies = build_library(rng, township=township, prefix="WLG")
    scratched = copies[films[10].pk][0]

    clock = _Clock()
    start = as_of - dt.timedelta(days=365)
    end = _at(as_of, 0)
    stats = {"requests": 0, "loans": 0}
    # Quarterly 供片信息, published two weeks before each quarter, the coming one included.
    quarter = _quarter_start(start)
    announcements: list[tuple[dt.date, dt.date, list[Film]]] = []
    while quarter <= _next_quarter(_quarter_start(as_of)):
        q_end = _next_quarter(quarter) - dt.timedelta(days=1)
        key = [f for f in films if f.is_key_film]
        chosen = rng.sample(key, 2) + rng.sample([f for f in films if not f.is_key_film], 5)
        announcements.append((quarter, q_end, chosen))
        published = min(_at(quarter - dt.timedelta(days=14), 10), end - dt.timedelta(hours=14))
        if q_end >= start:
            clock.at(published, _publish(station, township, quarter, q_end, chosen))
        quarter = _next_quarter(quarter)

    def offered(day: dt.date) -> list[Film]:
        for q_start, q_end, chosen in announcements:
            if q_start <= day <= q_end:
                return chosen
        return films

    def dispatch(
        line, village, when: dt.datetime, *, overdue: bool = False, tries: int = 3
    ) -> None:
        shelf = [c for c in copies[line.film_id] if _refresh(c).is_lendable]
        if not shelf:
            if tries > 1:  # taken since the approval: try again when a copy may be back
                clock.at(
                    when + dt.timedelta(days=2),
                    lambda t: dispatch(line, village, t, tries=tries - 1),
                )
            return  # else it stays approved, waiting for a copy, as on the real queue
        due_on = timezone.localdate(when) + dt.timedelta(days=rng.choice(LOAN_DAYS))
        if overdue:
            due_on = as_of - dt.timedelta(days=rng.randint(6, 12))
        loan = services.loan_dispatch(
            copy=shelf[0], user=station, due_on=due_on, line=line, at=when
        )
        stats["loans"] += 1
        received = when + dt.timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 5))
        if village.pk in operators:
            clock.at(
                received,
                lambda at: services.loan_confirm_receipt(
                    loan=loan, user=operators[village.pk], at=at
                ),
            )
        if overdue:
            return  # never comes back: one of the two overdue copies
        back_day = due_on + dt.timedelta(days=rng.randint(-8, 3))
        if due_on < as_of:
            back_day = min(
                back_day, as_of - dt.timedelta(days=1)
            )  # so that nothing else ends up overdue
        back = max(_at(back_day, rng.randint(9, 17)), received + dt.timedelta(hours=2))
        clock.at(back, lambda at: services.loan_return(user=station, loan=loan, at=at))

    def file_request(village: Village, when: dt.datetime, *, decide: bool = True) -> None:
        day = timezone.localdate(when)
        # Mostly what the station announced for the period, sometimes anything in the catalogue.
        menu = offered(day + dt.timedelta(days=10)) if rng.random() < 0.6 else films
        film_request = services.request_create(
            village=village,
            author=operators.get(village.pk, station),
            at=when,
            source="季度播放计划" if rng.random() < 0.4 else "",
            lines=[
                (f, day + dt.timedelta(days=rng.randint(7, 20)))
                for f in rng.sample(menu, rng.randint(1, 2))
            ],
        )
        stats["requests"] += 1
        if not decide:
            return  # still in the station's queue
        decided = when + dt.timedelta(hours=rng.randint(3, 40))
        reason = rng.choice(REJECT_REASONS) if rng.random() < 0.08 else ""

        def approve(at: dt.datetime) -> None:
            for line in film_request.lines.select_related("film"):
                if not reason and not any(_refresh(c).is_lendable for c in copies[line.film_id]):
                    services.request_reject(
                        film_request=film_request,
                        user=station,
                        at=at,
                        reason=f"{line.film}的拷贝已全部借出，请改选其他片目或下季度再申请",
                    )
                    return
            if reason:
                services.request_reject(
                    film_request=film_request, user=station, reason=reason, at=at
                )
                return
            services.request_approve(film_request=film_request, user=station, at=at)
            for line in film_request.lines.order_by("pk"):
                clock.at(
                    at + dt.timedelta(hours=rng.randint(1, 30)),
                    lambda t, line=line: dispatch(line, village, t),
                )

        clock.at(decided, approve)

    def file_overdue(village: Village, when: dt.datetime) -> None:
        """Request, approval and dispatch in one go, so no other event takes the copy between."""
        film = rng.choice([f for f in films if any(_refresh(c).is_lendable for c in copies[f.pk])])
        film_request = services.request_create(
            village=village,
            author=operators.get(village.pk, station),
            at=when,
            lines=[(film, timezone.localdate(when) + dt.timedelta(days=5))],
        )
        stats["requests"] += 1
        services.request_approve(
            film_request=film_request, user=station, at=when + dt.timedelta(hours=2)
        )
        dispatch(film_request.lines.get(), village, when + dt.timedelta(hours=3), overdue=True)

    # About one request per village a month, on working days; the latest still wait for the station.
    day = start
    while day < as_of:
        for village in villages:
            if (
                day.weekday() < 5
                and rng.random() < 1 / 25
                and (day.year, day.month) not in silent.get(village.name, ())
            ):
                clock.at(
                    _at(day, rng.randint(9, 17), rng.randint(0, 59)),
                    lambda at, v=village: file_request(v, at),
                )
        day += dt.timedelta(days=1)
    # Two requests from yesterday afternoon, still waiting for the station.
    yesterday = as_of - dt.timedelta(days=1)
    talking = [
        v for v in villages if (yesterday.year, yesterday.month) not in silent.get(v.name, ())
    ]
    for village in rng.sample(talking, min(2, len(talking))):
        clock.at(
            _at(yesterday, rng.randint(15, 17)),
            lambda at, v=village: file_request(v, at, decide=False),
        )
    # The two copies that never came back: out about seven weeks ago, due one to two weeks ago.
    for village in rng.sample(villages, min(2, len(villages))):
        clock.at(
            _at(as_of - dt.timedelta(days=rng.randint(45, 55)), 10),
            lambda at, v=village: file_overdue(v, at),
        )
    scratched_on = _at(as_of - dt.timedelta(days=120), 11)
    clock.at(
        scratched_on,
        lambda at: (
            services.copy_write_off(
                copy=scratched,
                user=station,
                reason="光盘划伤严重，无法读取",
                status=FilmCopy.Status.WRITTEN_OFF,
                at=at,
            )
            if _refresh(scratched).status == FilmCopy.Status.SHELF
            else None
        ),
    )
    clock.run_until(end)

    stats["films"] = len(films)
    stats["copies"] = FilmCopy.objects.filter(township=township).count()
    stats["overdue"] = Loan.objects.filter(township=township).overdue(as_of).count()
    stats["pending"] = FilmRequest.objects.filter(
        township=township, status=FilmRequest.Status.REQUESTED
    ).count()
    return stats


def build_library(
    rng: random.Random, *, township: Township, prefix: str
) -> tuple[list[Film], dict[int, list[FilmCopy]]]:
    """The township's catalogue (CATALOGUE) and its copies, numbered `prefix`-0001 on: what
    `film_create` and `copy_create` would store for a new library (the station writes them, the
    titles and inventory numbers are unique by construction), in a few INSERTs with the audit
    trail's events. Two digital copies still wait for their video. Returns the films and each
    film's lendable copies (by film pk)."""
    themes = {
        name: Theme.objects.get_or_create(name=name)[0]
        for seed in CATALOGUE
        for name in seed.themes
    }
    mandarin = Language.objects.get_or_create(name=MANDARIN)[0]
    kazakh = Language.objects.get_or_create(name=KAZAKH)[0]
    films = []
    for seed in CATALOGUE:
        film = Film(
            township=township,
            title=seed.title,
            series=seed.series,
            producer=seed.producer,
            year=seed.year,
            duration_minutes=seed.minutes,
            is_key_film=seed.key,
            synopsis=seed.synopsis,
            **_teaching_notes(seed),
        )
        film.full_clean(validate_unique=False, validate_constraints=False)
        films.append(film)
    bulk.create(Film, films)
    for through, field, values in (
        (Film.themes.through, "theme", lambda seed: [themes[t] for t in seed.themes]),
        (
            Film.languages.through,
            "language",
            lambda seed: [mandarin, kazakh] if seed.kazakh else [mandarin],
        ),
    ):
        through.objects.bulk_create(
            [
                through(film=film, **{field: value})
                for film, seed in zip(films, CATALOGUE, strict=True)
                for value in values(seed)
            ]
        )
    numbers = itertools.count(1)
    copies: dict[int, list[FilmCopy]] = {}
    rows = []

    def copy(film, **kw) -> FilmCopy:
        row = FilmCopy(film=film, inventory_no=f"{prefix}-{next(numbers):04d}", **kw)
        row.full_clean(validate_unique=False, validate_constraints=False)
        row.township_id = township.pk  # as FilmCopy.save() does
        rows.append(row)
        return row

    for film, seed in zip(films, CATALOGUE, strict=True):
        n_copies = rng.choice((2, 3, 3)) if seed.key else rng.choice((1, 2, 2))
        for i in range(n_copies):
            medium = (
                FilmCopy.Medium.VCD
                if seed.year < 2010 and rng.random() < 0.5
                else rng.choice(
                    (
                        FilmCopy.Medium.DVD,
                        FilmCopy.Medium.DVD,
                        FilmCopy.Medium.DVD,
                        FilmCopy.Medium.USB,
                    ),
                )
            )
            language = kazakh if seed.kazakh and i == n_copies - 1 and n_copies > 1 else mandarin
            condition = rng.choice((FilmCopy.Condition.GOOD,) * 4 + (FilmCopy.Condition.WORN,))
            copies.setdefault(film.pk, []).append(
                copy(film, medium=medium, language=language, condition=condition)
            )
    # Two digital copies waiting for their video to be uploaded.
    for film in films[3:5]:
        copy(film, medium=FilmCopy.Medium.FILE, language=_only_language(film, CATALOGUE, mandarin))
    bulk.create(FilmCopy, rows)
    return films, copies


def _only_language(film, catalogue, mandarin):
    """copy_create's default language: the film's only one (the catalogue's Kazakh films have
    two, so none)."""
    seed = next(s for s in catalogue if s.title == film.title)
    return None if seed.kazakh else mandarin


def _refresh(copy: FilmCopy) -> FilmCopy:
    copy.refresh_from_db(fields=["status"])
    return copy


def _publish(station, township, start: dt.date, end: dt.date, films: list[Film]):
    def run(at: dt.datetime) -> None:
        services.announcement_publish(
            user=station,
            township=township,
            at=at,
            films=films,
            period_start=start,
            period_end=end,
            title=f"{start.year}年第{(start.month - 1) // 3 + 1}季度供片信息",
            note="重点片请按“四环教学法”组织收看；哈萨克语版本请在申请时注明。",
        )

    return run
