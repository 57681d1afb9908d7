"""Demo data at the scale of a county or a prefecture (`dianjiao demo --scale county|prefecture`).

The township demo (builder.py) tells one township's year in detail. At scale the same stories are
told over many townships and several years, so that every county page and export, the logbook
check and the benchmarks meet realistic volumes:

=========== ======== ========= ========= ======= ===== ========= ========= ==================
scale       counties townships villages  members years sessions  att. rows build (SQLite, CPU)
=========== ======== ========= ========= ======= ===== ========= ========= ==================
county      1        10        150       9,929   3     16,743    359,637   225 s (before bulk)
prefecture  7        70        980       60,008  5     180,406   3,646,243 1,002 s, 500 MB
=========== ======== ========= ========= ======= ===== ========= ========= ==================

Measured with the default seed on 2026-11-30 (docs/performance.md, "Prefecture demo build"): the
prefecture has 180,755 logbook entries and 4.2 million audit events, a 5.4 GB SQLite file, and
`dianjiao verify-logbook` passes on it in 21.5 s. The county row's build time is from before the
bulk writing below: at the prefecture's rate (5.6 ms of CPU a session, everything included) a
county would take about 95 s.

Each township is built by the township demo's own builders: its film library (films.py), its
years of viewing sessions written in bulk with their logbook chains (teaching.py, sessions.py,
`bulk.Chains`, sealed by `logbook.chain.seal`, so `dianjiao verify-logbook` checks them like
any other entries), its plan years (plan_year.py), pastoral campaigns and oversight year. What is
new here is the org tree, the roster and the accounts, generated from a seed and written in bulk.

The plan year (feedback, information items, quarterly reports) covers the last twelve months
and the film loans and the oversight year only each county's first township: the items, reports,
loans and oversight go through the services row by row, and over every township and year they
would cost hours. The sessions, their attendance and logbook entries, the monthly feedback and
the audit events of all of them are written in bulk (`bulk.insert`: multi-row INSERTs without
Django's per-value SQL compiler), and the plan year's figures are read once per township
(figures.py) instead of once per village and month. Each county's
viewer account is written in its own transaction, and each township in one (a failed build
leaves the townships before it). The accounts share one password, hashed once (hashing a
password per account would cost more than the rest of the org tree). Names and ID numbers
depend on the seed only.
"""

import dataclasses
import datetime as dt
import random
import time

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext

from dianjiao.accounts.models import Role, User
from dianjiao.audit.recorder import acting_as
from dianjiao.lib import idcard
from dianjiao.lib.dates import today
from dianjiao.members.models import Member
from dianjiao.orgs.models import County, Equipment, Township, ViewingPoint, Village

from . import bulk, names, oversight, plan_year
from . import pastoral as pastoral_demo
from .builder import (
    CLASSROOM,
    ETHNIC_MIX,
    MOBILE_PREFIXES,
    MemberPlan,
    Tree,
    _pick_weighted,
    _sqlite_build_pragmas,
    _unique_name,
    build_members,
)
from .films import build_films, build_library
from .teaching import build_history

PASSWORD = "Dj-scale-2026"


@dataclasses.dataclass(frozen=True)
class Scale:
    name: str
    counties: int
    townships: int  # per county
    villages: int  # per township
    members: int  # per village, on average
    years: int
    # The county's first township also gets a year of film loans and its oversight year (both
    # written through the services, row by row).
    detailed: bool = True

    @property
    def months(self) -> int:
        return 12 * self.years


SCALES = {
    "county": Scale("county", counties=1, townships=10, villages=15, members=67, years=3),
    "prefecture": Scale("prefecture", counties=7, townships=10, villages=14, members=61, years=5),
}

# Altay prefecture's counties (the demo township's county, 福海县, among them).
COUNTIES = [
    ("福海县", "654323"),
    ("阿勒泰市", "654301"),
    ("布尔津县", "654321"),
    ("富蕴县", "654322"),
    ("哈巴河县", "654324"),
    ("青河县", "654325"),
    ("吉木乃县", "654326"),
]
TOWNSHIP_NAMES = (
    "乌伦古",
    "解特阿热勒",
    "阔克阿尕什",
    "齐干吉迭",
    "喀拉玛盖",
    "阿克达拉",
    "红旗",
    "前进",
    "和平",
    "东风",
    "团结",
    "胜利",
    "新华",
    "永丰",
    "光明",
)
VILLAGE_FIRST = (
    "红星",
    "团结",
    "胜利",
    "友谊",
    "幸福",
    "光明",
    "新华",
    "永丰",
    "和平",
    "东风",
    "前进",
    "丰收",
    "富民",
    "兴旺",
    "向阳",
    "阿克达拉",
    "喀拉玛盖",
    "阔克阿尕什",
    "齐干套克",
    "萨尔布拉克",
    "喀拉苏",
    "塔斯特",
    "克孜勒",
    "阿克铁热克",
)
VILLAGE_SECOND = ("", "一", "二", "东", "西", "南", "北", "新", "上", "下")
PASTORAL_FIRST = frozenset(VILLAGE_FIRST[15:])


@dataclasses.dataclass
class ScaleReport:
    counties: int = 0
    townships: int = 0
    villages: int = 0
    points: int = 0
    members: int = 0
    users: int = 0
    sessions: int = 0
    seconds: float = 0.0
    logins: list = dataclasses.field(default_factory=list)  # (username, role, scope)


def _village_names(rng: random.Random, n: int) -> list[str]:
    pairs = [(a, b) for b in VILLAGE_SECOND for a in VILLAGE_FIRST]
    chosen = pairs[: len(VILLAGE_FIRST)]  # the plain names first
    rng.shuffle(chosen)
    rest = pairs[len(VILLAGE_FIRST) :]
    rng.shuffle(rest)
    return [f"{a}{b}村" for a, b in (chosen + rest)[:n]]


def _members(rng, *, village_names, pastoral, points, size, area_code, as_of, ids):
    """The roster of one township as MemberPlans (see builder.plan_members, on which it is
    modelled: ethnic mix by village kind, a few probationary, migrant and inactive members, a
    few reached by no point)."""
    taken: set[str] = set()
    rows = []
    first_day = dt.date(1945, 1, 1)
    for v in village_names:
        fixed = [p for p in points[v] if p[1] != ViewingPoint.Kind.PASTORAL]
        herding = [p for p in points[v] if p[1] == ViewingPoint.Kind.PASTORAL]
        for _ in range(max(5, round(rng.gauss(size, size / 6)))):
            ethnicity = _pick_weighted(rng, ETHNIC_MIX[pastoral[v]])
            male = rng.random() < 0.62
            name = _unique_name(rng, taken, ethnicity, male)
            probationary = rng.random() < 0.06
            lo = dt.date(1986, 1, 1) if probationary else first_day
            birth = lo + dt.timedelta(days=rng.randrange((dt.date(2000, 12, 31) - lo).days + 1))
            while True:
                seq = rng.randrange(1 if male else 2, 1000, 2)
                number = idcard.make(area_code, birth, seq)
                if number not in ids:
                    ids.add(number)
                    break
            r = rng.random()
            if r < 0.05:
                mobility = Member.Mobility.MIGRANT
            elif pastoral[v] and herding and r < 0.82:
                mobility = Member.Mobility.PASTORAL
            else:
                mobility = Member.Mobility.RESIDENT
            point = rng.choice(
                herding
                if mobility == Member.Mobility.PASTORAL
                else (fixed if rng.random() < 0.35 else fixed[:1])
            )[0]
            if probationary:
                joined = as_of - dt.timedelta(days=rng.randint(20, 360))
            else:
                earliest = birth + dt.timedelta(days=18 * 366)
                latest = min(birth + dt.timedelta(days=45 * 365), as_of - dt.timedelta(days=400))
                joined = earliest + dt.timedelta(
                    days=int(rng.betavariate(1.6, 2.8) * (latest - earliest).days)
                )
            phone = (
                rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
                if rng.random() < 0.88
                else ""
            )
            row = {
                "village": v,
                "point": point if rng.random() > 0.02 else None,
                "name": name,
                "gender": "M" if male else "F",
                "ethnicity": ethnicity,
                "birth_date": birth,
                "id_number": number,
                "phone": phone,
                "category": Member.Category.PROBATIONARY if probationary else Member.Category.FULL,
                "joined_on": joined,
                "mobility": mobility,
            }
            if not probationary and rng.random() < 0.006:
                row.update(
                    active=False,
                    left_on=as_of - dt.timedelta(days=rng.randint(20, 380)),
                    left_reason=rng.choice(["去世", "组织关系转出"]),
                )
            rows.append(MemberPlan(**row))
    return rows


def _township(
    rng, *, county, name, number, scale, as_of, password, ids, area_code, progress, first
):
    """One township: org tree, roster, accounts (in bulk), then its history by the demo's
    builders. Returns (Tree, users, history report)."""
    township = Township(county=county, name=f"{name}乡", station_name=f"{name}乡电教站")
    township.full_clean()
    township.save()
    village_names = _village_names(rng, scale.villages)
    pastoral = {v: any(v.startswith(p) for p in PASTORAL_FIRST) for v in village_names}
    villages = {}
    for i, v in enumerate(village_names, start=1):
        village = Village(
            township=township,
            name=v,
            branch_name=f"{v}党支部",
            is_pastoral=pastoral[v],
            secretary=names.HAN_SURNAMES[rng.randrange(len(names.HAN_SURNAMES))]
            + rng.choice(names.HAN_MALE_GIVEN),
            sort_order=i,
        )
        village.full_clean()
        villages[v] = village
    bulk.create(Village, list(villages.values()))
    point_rows: dict[str, list[tuple[str, str]]] = {}
    points = {}
    for v, village in villages.items():
        plans = [(CLASSROOM, ViewingPoint.Kind.CLASSROOM, "")]
        if rng.random() < 0.15:
            plans.append(("党员活动室示范播放点", ViewingPoint.Kind.DEMONSTRATION, ""))
        if pastoral[v]:
            for place, _address in rng.sample(names.PASTURES, rng.randint(1, 2)):
                plans.append((f"{place}流动播放点", ViewingPoint.Kind.PASTORAL, place))
        point_rows[v] = [(p[0], p[1]) for p in plans]
        for point_name, kind, place in plans:
            point = ViewingPoint(
                village=village,
                name=point_name,
                kind=kind,
                address=f"{township.name}{v}" + ("村委会二楼" if point_name == CLASSROOM else ""),
                seasonal_place=place,
                operator_name=_unique_name(rng, set(), "汉族", True),
            )
            point.full_clean(validate_unique=False, validate_constraints=False)
            point.township_id = township.pk
            points[v, point_name] = point
    bulk.create(ViewingPoint, list(points.values()))
    equipment = []
    for point in points.values():
        for kind in (Equipment.Kind.TV, Equipment.Kind.PLAYER):
            e = Equipment(
                point=point,
                kind=kind,
                model_name="长虹 55D4P" if kind == Equipment.Kind.TV else "先科 DVD-580",
                serial=f"{area_code}-{number:03d}-{point.pk}-{kind}",
                condition=Equipment.Condition.GOOD
                if rng.random() < 0.9
                else Equipment.Condition.FAULTY,
                acquired_on=as_of - dt.timedelta(days=rng.randint(400, 3000)),
                last_checked_on=as_of - dt.timedelta(days=rng.randint(1, 60)),
            )
            e.village_id, e.township_id = point.village_id, point.township_id
            equipment.append(e)
    bulk.create(Equipment, equipment)

    tree = Tree(county, township, villages, points)
    plan = _RosterPlan(
        members=_members(
            rng,
            village_names=village_names,
            pastoral=pastoral,
            points=point_rows,
            size=scale.members,
            area_code=area_code,
            as_of=as_of,
            ids=ids,
        )
    )
    members = build_members(plan, tree)

    users = [
        User(
            username=f"zhanzhang{number:02d}",
            role=Role.STATION_ADMIN,
            full_name=_unique_name(rng, set(), "汉族", True),
            township=township,
        ),
        User(
            username=f"shuji{number:02d}",
            role=Role.LEADER,
            full_name=_unique_name(rng, set(), "汉族", True),
            township=township,
        ),
        User(
            username=f"jiancha{number:02d}",
            role=Role.INSPECTOR,
            full_name=_unique_name(rng, set(), "汉族", False),
            township=township,
        ),
    ]
    users += [
        User(
            username=f"cun{number:02d}{i:02d}",
            role=Role.VILLAGE_OPERATOR,
            full_name=_unique_name(rng, set(), "汉族", rng.random() < 0.6),
            village=village,
        )
        for i, village in enumerate(villages.values(), start=1)
    ]
    for user in users:
        user.password = password
        user.full_clean(exclude=["password"], validate_unique=False)
        # as User.save() derives them
        user.township_id = user.village.township_id if user.village_id else township.pk
        user.county_id = county.pk
    bulk.create(User, users)
    progress(
        gettext("%(township)s：%(villages)s个村、%(points)s个播放点、%(members)s名党员")
        % {
            "township": township.name,
            "villages": len(villages),
            "points": len(points),
            "members": len(members),
        }
    )
    # The plan year (feedback, information items, quarterly reports) covers the last twelve
    # months, the sessions all the years: the services that write the plan year go row by row.
    s = plan_year.story(village_names, as_of)
    if first:
        films = build_films(
            random.Random(rng.random()),
            township=township,
            as_of=as_of,
            users={u.username: u for u in users},
            silent=s.skips,
        )
    else:
        library, _copies = build_library(
            random.Random(rng.random()), township=township, prefix="DJ"
        )
        films = {"films": len(library)}
    history = build_history(
        random.Random(rng.random()),
        township=township,
        as_of=as_of,
        skips=s.skips,
        careless=s.careless,
        months=scale.months,
    )
    tree.history = {"films": films, "sessions": history, "story": s}
    tree.year_report = plan_year.build_plan_year(
        random.Random(rng.random()), s, township=township, users=users
    )
    if any(pastoral.values()):
        pastoral_demo.build_pastoral(township=township, villages=villages, as_of=as_of)
    if first:  # the oversight year of the county's first township (it goes row by row too)
        oversight.build_oversight(
            random.Random(rng.random()), township=township, users=users, as_of=as_of
        )
    return tree, users, history


@dataclasses.dataclass(frozen=True)
class _RosterPlan:
    members: list


def build_scale(scale: Scale, *, seed: int = 2026, as_of=None, progress=lambda text: None):
    """Write `scale` (see the module's docstring); returns a ScaleReport."""
    started = time.monotonic()
    as_of = as_of or today()
    rng = random.Random(f"dianjiao-scale:{seed}:{scale.name}")
    password = make_password(PASSWORD)
    report = ScaleReport()
    ids: set[str] = set()
    total = scale.counties * scale.townships
    admin_done = False
    for c in range(scale.counties):
        county_name, area_code = COUNTIES[c % len(COUNTIES)]
        with transaction.atomic(), acting_as(label="demo"), bulk.remembered_references():
            county = County(name=county_name, area_code=area_code)
            county.full_clean()
            county.save()
            viewer = User(
                username="xianli" if scale.counties == 1 else f"xianli{c + 1}",
                role=Role.COUNTY_VIEWER,
                full_name=_unique_name(rng, set(), "汉族", True),
                county=county,
                password=password,
            )
            viewer.full_clean(exclude=["password"])
            viewer.save()
            report.logins.append((viewer.username, str(Role.COUNTY_VIEWER.label), county_name))
        report.counties += 1
        for t in range(scale.townships):
            number = c * scale.townships + t + 1
            with (
                transaction.atomic(),
                acting_as(label="demo"),
                _sqlite_build_pragmas(),
                bulk.remembered_references(),
                bulk.constraints_checked_by_database(),
                bulk.audit_buffered(),
            ):
                tree, users, history = _township(
                    random.Random(rng.random()),
                    county=county,
                    name=TOWNSHIP_NAMES[t % len(TOWNSHIP_NAMES)]
                    + ("" if t < len(TOWNSHIP_NAMES) else str(t // len(TOWNSHIP_NAMES) + 1)),
                    number=number,
                    scale=scale,
                    as_of=as_of,
                    password=password,
                    ids=ids,
                    area_code=area_code,
                    progress=progress,
                    first=t == 0 and scale.detailed,
                )
                if not admin_done:
                    admin = User(
                        username="admin",
                        role=Role.STATION_ADMIN,
                        full_name="系统管理员",
                        is_superuser=True,
                        is_staff=True,
                        password=password,
                    )
                    admin.save()
                    admin_done = True
            report.townships += 1
            report.villages += len(tree.villages)
            report.points += len(tree.points)
            report.users += len(users)
            report.sessions += history.sessions
            report.logins.append(
                (users[0].username, str(Role.STATION_ADMIN.label), tree.township.name)
            )
            progress(
                gettext("[%(n)s/%(total)s] %(township)s：%(sessions)s场收看（%(seconds).0f秒）")
                % {
                    "n": number,
                    "total": total,
                    "township": tree.township.name,
                    "sessions": history.sessions,
                    "seconds": time.monotonic() - started,
                }
            )
    report.members = Member.objects.count()
    report.seconds = time.monotonic() - started
    return report


def logins_text(report: ScaleReport) -> str:
    """The scale's logins: every account has the same password."""
    lines = [
        gettext("演示账号（仅供演示）：所有账号的密码都是 %(password)s") % {"password": PASSWORD},
        "",
    ]
    lines += [f"{username:14}{role:10}{scope}" for username, role, scope in report.logins]
    lines.append(
        gettext("各村电教员：cun<乡镇编号两位><村编号两位>，如 cun0101；另有 shuji01、jiancha01 等")
    )
    return "\n".join(lines) + "\n"
