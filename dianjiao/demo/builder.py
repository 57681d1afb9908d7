"""The demo township: 福海县乌伦古乡, twelve villages, about 600 party members.

Two stages, so that the data can be checked without a database:

* `plan(seed, as_of)` produces plain frozen dataclasses. Each part (`plan_org_tree`,
  `plan_equipment`, `plan_members`, `plan_users`) is a pure function of its own
  `random.Random`, derived from the seed and the part's name, so a later part (a year of history,
  say) can be added without changing the names and ID numbers that earlier parts draw.
  Names and ID numbers depend on the seed only; every date that moves with time is computed from
  `as_of` *after* the random draws, so the random stream never depends on the date.
* `build(plan)` writes a plan in one transaction, as audit actor "demo" (`build_org_tree`,
  `build_equipment`, `build_members`, `build_users`), calling `full_clean()` on every row first
  and writing the roster and the equipment in bulk with their audit events (demo/bulk.py); then a
  year of history (`build_history`: the film library through its services, the sessions in bulk
  by the services' rules, demo/sessions.py) and the plan year told by plan_year.py
  (`build_plan_year`: plans, work plans, feedback, information items, reports), the pastoral
  campaigns and the oversight year through their services. A line of progress per stage; the
  accounts' password hashes are computed in a background thread meanwhile.
"""

import contextlib
import dataclasses
import datetime as dt
import random
import time
import unicodedata

from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext

from dianjiao.accounts.models import Role, User
from dianjiao.audit.recorder import acting_as
from dianjiao.lib import idcard, pinyin
from dianjiao.lib import names as person_names
from dianjiao.lib.dates import today
from dianjiao.members.models import Member
from dianjiao.orgs.models import County, Equipment, Township, ViewingPoint, Village

from . import bulk, names, oversight, pastoral, plan_year
from .films import build_films
from .teaching import build_history as build_sessions

DEFAULT_SEED = 2026
CLASSROOM = "村委会电教室"
DEMONSTRATION = "党员活动室示范播放点"

Kind = ViewingPoint.Kind
EKind = Equipment.Kind
Cond = Equipment.Condition


# ---------------------------------------------------------------------------------------------
# Plain data
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class VillagePlan:
    name: str
    branch_name: str
    is_pastoral: bool
    secretary: str
    sort_order: int
    username: str  # the village operator's login


@dataclasses.dataclass(frozen=True)
class PointPlan:
    village: str
    name: str
    kind: str
    address: str
    seasonal_place: str
    operator_name: str


@dataclasses.dataclass(frozen=True)
class OrgPlan:
    county: str
    area_code: str
    township: str
    station_name: str
    villages: tuple[VillagePlan, ...]
    points: tuple[PointPlan, ...]

    def points_of(self, village: str, kind: str | None = None) -> list[PointPlan]:
        return [p for p in self.points if p.village == village and kind in (None, p.kind)]


@dataclasses.dataclass(frozen=True)
class EquipmentPlan:
    village: str
    point: str
    kind: str
    model_name: str
    serial: str
    condition: str
    acquired_on: dt.date
    last_checked_on: dt.date
    repair_notes: str = ""


@dataclasses.dataclass(frozen=True)
class MemberPlan:
    village: str
    point: str | None  # a point of the member's own village, or None (a coverage gap)
    name: str
    gender: str
    ethnicity: str
    birth_date: dt.date
    id_number: str
    phone: str
    category: str
    joined_on: dt.date
    mobility: str
    active: bool = True
    left_on: dt.date | None = None
    left_reason: str = ""


@dataclasses.dataclass(frozen=True)
class UserPlan:
    username: str
    password: str
    role: str
    full_name: str
    village: str | None = None  # village operators only
    is_superuser: bool = False


@dataclasses.dataclass(frozen=True)
class DemoPlan:
    seed: int
    as_of: dt.date
    org: OrgPlan
    equipment: tuple[EquipmentPlan, ...]
    members: tuple[MemberPlan, ...]
    users: tuple[UserPlan, ...]


def part_rng(seed: int, part: str) -> random.Random:
    """The random stream of one part of the plan (string seeds are hashed stably by Python)."""
    return random.Random(f"dianjiao-demo:{seed}:{part}")


def plan(seed: int = DEFAULT_SEED, as_of: dt.date | None = None) -> DemoPlan:
    as_of = as_of or today()
    org = plan_org_tree(part_rng(seed, "org"))
    return DemoPlan(
        seed=seed,
        as_of=as_of,
        org=org,
        equipment=plan_equipment(part_rng(seed, "equipment"), org, as_of),
        members=plan_members(part_rng(seed, "members"), org, as_of),
        users=plan_users(org),
    )


# ---------------------------------------------------------------------------------------------
# People's names
# ---------------------------------------------------------------------------------------------

ETHNIC_MIX = {
    # farming villages: mostly Han, some Hui and Kazakh
    False: [("汉族", 74), ("回族", 13), ("哈萨克族", 10), ("维吾尔族", 2), ("蒙古族", 1)],
    # pastoral villages: mostly Kazakh
    True: [("哈萨克族", 86), ("汉族", 6), ("蒙古族", 4), ("回族", 3), ("维吾尔族", 1)],
}


def _pick_weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def person_name(rng: random.Random, ethnicity: str, male: bool) -> str:
    if ethnicity in ("汉族", "回族"):
        surnames = names.HAN_SURNAMES if ethnicity == "汉族" else names.HUI_SURNAMES
        given = names.HAN_MALE_GIVEN if male else names.HAN_FEMALE_GIVEN
        return rng.choice(surnames) + rng.choice(given)
    if ethnicity == "蒙古族":
        own, fathers = (names.MONGOL_MALE if male else names.MONGOL_FEMALE), names.MONGOL_MALE
    elif ethnicity == "维吾尔族":
        own, fathers = (names.UYGHUR_MALE if male else names.UYGHUR_FEMALE), names.UYGHUR_FATHERS
    else:
        own, fathers = (names.KAZAKH_MALE if male else names.KAZAKH_FEMALE), names.KAZAKH_FATHERS
    first = rng.choice(own)
    father = rng.choice([f for f in fathers if f != first])
    return f"{first}·{father}"


def _unique_name(rng: random.Random, taken: set[str], ethnicity: str, male: bool) -> str:
    for _ in range(50):
        name = person_name(rng, ethnicity, male)
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError(f"演示数据：{ethnicity}姓名不够用")


# ---------------------------------------------------------------------------------------------
# Org tree: villages and viewing points
# ---------------------------------------------------------------------------------------------


def plan_org_tree(rng: random.Random) -> OrgPlan:
    county, area_code = names.COUNTY
    villages = tuple(
        VillagePlan(
            name=name,
            branch_name=f"{name}党支部",
            is_pastoral=pastoral,
            secretary=names.SECRETARIES[name],
            sort_order=i,
            username=username,
        )
        for i, (name, username, pastoral) in enumerate(names.VILLAGES, start=1)
    )
    taken = set(names.SECRETARIES.values()) | set(names.OPERATORS.values())
    points: list[PointPlan] = []
    # 红星村 and one or two others have a demonstration point.
    demo_villages = {"红星村", *rng.sample([v.name for v in villages[1:]], rng.randint(1, 2))}
    for v in villages:
        points.append(
            PointPlan(
                v.name,
                CLASSROOM,
                Kind.CLASSROOM,
                f"{names.TOWNSHIP}{v.name}村委会二楼",
                "",
                names.OPERATORS[v.name],
            )
        )
        if v.name in demo_villages:
            ethnicity = "哈萨克族" if v.is_pastoral else "汉族"
            points.append(
                PointPlan(
                    v.name,
                    DEMONSTRATION,
                    Kind.DEMONSTRATION,
                    f"{names.TOWNSHIP}{v.name}党员活动中心",
                    "",
                    _unique_name(rng, taken, ethnicity, rng.random() < 0.6),
                )
            )
        if v.is_pastoral:
            for place, address in rng.sample(names.PASTURES, rng.randint(1, 2)):
                points.append(
                    PointPlan(
                        v.name,
                        f"{place}流动播放点",
                        Kind.PASTORAL,
                        address,
                        place,
                        _unique_name(rng, taken, "哈萨克族", rng.random() < 0.8),
                    )
                )
    return OrgPlan(
        county=county,
        area_code=area_code,
        township=names.TOWNSHIP,
        station_name=names.STATION,
        villages=villages,
        points=tuple(points),
    )


# ---------------------------------------------------------------------------------------------
# Equipment
# ---------------------------------------------------------------------------------------------

MODELS = {
    (EKind.TV, "fixed"): [
        "海信 HZ55E3D 55英寸",
        "创维 55A3 55英寸",
        "TCL 55V6E 55英寸",
        "长虹 55D4P 55英寸",
        "康佳 LED50G30UE 50英寸",
    ],
    (EKind.TV, "pastoral"): [
        "长虹 32D4P 32英寸（12V直流）",
        "海信 HZ32E35A 32英寸",
        "创维 32X3 32英寸",
    ],
    (EKind.PLAYER, None): [
        "先科 SA-8099 DVD影碟机",
        "步步高 DV-987 DVD影碟机",
        "金正 DVD-N600 影碟机",
        "新科 DVP-715 影碟机",
    ],
    (EKind.SATELLITE, "fixed"): [
        "九联 HDS-100 户户通卫星接收机",
        "同洲 N9201 直播卫星接收机",
        "创维 HDS-A01 户户通接收机（0.45米天线）",
    ],
    (EKind.SATELLITE, "pastoral"): [
        "九联 户户通便携式卫星接收套装（0.35米天线）",
        "同洲 便携式直播卫星接收机（0.35米天线）",
    ],
    (EKind.PROJECTOR, None): [
        "爱普生 CB-X06 投影仪",
        "明基 MX3291 投影仪",
        "索尼 VPL-EX430 投影仪",
    ],
    (EKind.COMPUTER, None): [
        "联想 启天 M430 台式机",
        "联想 扬天 M4000e 台式机",
        "华为 MateBook D14 笔记本电脑",
    ],
    (EKind.SCREEN, None): ["红叶 100英寸电动幕布", "150英寸支架幕布"],
    (EKind.SPEAKER, None): [
        "先科 SA-5016 功放音箱",
        "山水 SG-218 拉杆音箱",
        "JBL EON 710 有源音箱",
    ],
    (EKind.GENERATOR, None): [
        "晶科 300W 太阳能离网电源（含200Ah蓄电池）",
        "天合 500W 户用光伏电源（含逆变器）",
        "隆鑫 LC2500i 汽油发电机 2kW",
        "雅马哈 EF2000iS 变频发电机",
    ],
}

KINDS_AT = {
    Kind.CLASSROOM: [EKind.TV, EKind.PLAYER, EKind.SATELLITE],
    Kind.DEMONSTRATION: [
        EKind.TV,
        EKind.PLAYER,
        EKind.SATELLITE,
        EKind.PROJECTOR,
        EKind.COMPUTER,
        EKind.SCREEN,
        EKind.SPEAKER,
    ],
    Kind.PASTORAL: [EKind.TV, EKind.PLAYER, EKind.SATELLITE, EKind.GENERATOR],
}

FAULTS = {
    EKind.TV: "开机有声音无图像，初步判断背光灯条损坏",
    EKind.PLAYER: "读碟困难，播放时频繁卡顿、跳碟，清洁激光头后仍未好转",
    EKind.SATELLITE: "大风后天线偏移，接收机提示“无信号”，重新对星两次未恢复，怀疑高频头损坏",
    EKind.PROJECTOR: "画面发暗发黄，提示更换灯泡",
    EKind.COMPUTER: "开机蓝屏，无法进入系统",
    EKind.SCREEN: "电动幕布电机不转，只能手动拉下",
    EKind.SPEAKER: "功放有电流杂音，左声道无输出",
    EKind.GENERATOR: "蓄电池亏电，夜间播放不到一小时即断电",
}
REPAIRS = {
    EKind.TV: "已拆下送县城家电维修部，等待配件",
    EKind.PLAYER: "已送乡电教站，需更换激光头",
    EKind.SATELLITE: "已报县电教中心，技术员下周随车进牧场更换高频头",
    EKind.PROJECTOR: "已向县电教中心申请更换灯泡",
    EKind.COMPUTER: "已送乡电教站重装系统",
    EKind.SCREEN: "已联系厂家售后，电机返厂维修",
    EKind.SPEAKER: "已送县城维修",
    EKind.GENERATOR: "已申请更换蓄电池，暂借邻近牧点的汽油发电机",
}


def _d(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def plan_equipment(rng: random.Random, org: OrgPlan, as_of: dt.date) -> tuple[EquipmentPlan, ...]:
    rows = []
    for p in org.points:
        batch_days = rng.randint(2 * 365, 12 * 365)  # when the point was equipped
        kinds = list(KINDS_AT[p.kind])
        if p.kind == Kind.CLASSROOM and rng.random() < 0.4:
            kinds.append(EKind.SPEAKER)
        for kind in kinds:
            variant = "pastoral" if p.kind == Kind.PASTORAL else "fixed"
            choices = MODELS.get((kind, variant)) or MODELS[(kind, None)]
            replaced = rng.random() < 0.3  # bought later to replace the first one
            age = rng.randint(365, batch_days) if replaced else batch_days
            checked = rng.randint(3, 120)
            rows.append(
                {
                    "village": p.village,
                    "point": p.name,
                    "kind": kind,
                    "model_name": rng.choice(choices),
                    "serial": f"FH-WLG-{len(rows) + 1:04d}",
                    "condition": Cond.GOOD,
                    "acquired_on": as_of - dt.timedelta(days=age),
                    "last_checked_on": as_of - dt.timedelta(days=checked),
                }
            )
    # A handful out of order: reported in the last two months, some already sent for repair.
    for i in rng.sample(range(len(rows)), rng.randint(5, 8)):
        row = rows[i]
        reported = as_of - dt.timedelta(days=rng.randint(8, 60))
        sent = reported + dt.timedelta(days=rng.randint(1, 7))
        note = f"{_d(reported)} {FAULTS[row['kind']]}，已报乡电教站。"
        if rng.random() < 0.5:
            row["condition"] = Cond.REPAIRING
            note += f"\n{_d(sent)} {REPAIRS[row['kind']]}。"
        else:
            row["condition"] = Cond.FAULTY
        row["repair_notes"] = note
        row["last_checked_on"] = reported
    return tuple(EquipmentPlan(**row) for row in rows)


# ---------------------------------------------------------------------------------------------
# Members
# ---------------------------------------------------------------------------------------------

TOTAL_MEMBERS = 600
MOBILE_PREFIXES = [
    "133",
    "135",
    "136",
    "138",
    "139",
    "151",
    "152",
    "158",
    "159",
    "180",
    "182",
    "187",
    "189",
    "199",
]
LEFT_REASONS_TRANSFER = [
    "组织关系转出（转至福海县城镇社区党支部）",
    "组织关系转出（随子女迁居乌鲁木齐市）",
    "组织关系转出（调往阿勒泰市工作）",
]


def _village_sizes(rng: random.Random, count: int) -> list[int]:
    sizes = [rng.randint(40, 70) for _ in range(count)]
    while (diff := TOTAL_MEMBERS - sum(sizes)) != 0:
        i = rng.randrange(count)
        step = 1 if diff > 0 else -1
        if 40 <= sizes[i] + step <= 70:
            sizes[i] += step
    return sizes


def plan_members(rng: random.Random, org: OrgPlan, as_of: dt.date) -> tuple[MemberPlan, ...]:
    male_seqs = list(range(1, 1000, 2))  # GB 11643: odd sequence numbers for men
    female_seqs = list(range(2, 1000, 2))  # even for women
    rng.shuffle(male_seqs)
    rng.shuffle(female_seqs)
    taken = set(names.SECRETARIES.values()) | set(names.OPERATORS.values())
    taken |= {p.operator_name for p in org.points}
    first_day = dt.date(1945, 1, 1)

    rows = []
    for v, size in zip(org.villages, _village_sizes(rng, len(org.villages)), strict=True):
        fixed = org.points_of(v.name, Kind.CLASSROOM) + org.points_of(v.name, Kind.DEMONSTRATION)
        herding = org.points_of(v.name, Kind.PASTORAL)
        for _ in range(size):
            ethnicity = _pick_weighted(rng, ETHNIC_MIX[v.is_pastoral])
            male = rng.random() < 0.62
            name = _unique_name(rng, taken, ethnicity, male)
            probationary = rng.random() < 0.085
            # Birth 1945–2000 (probationary members are young: born 1986–2000).
            lo = dt.date(1986, 1, 1) if probationary else first_day
            birth = lo + dt.timedelta(days=rng.randrange((dt.date(2000, 12, 31) - lo).days + 1))
            seq = (male_seqs if male else female_seqs).pop()
            # Draws whose meaning depends on as_of are taken as plain numbers first.
            join_frac = rng.betavariate(1.6, 2.8)
            probation_days = rng.randint(20, 360)
            phone = (
                rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
                if rng.random() < 0.88
                else ""
            )
            r = rng.random()
            if r < 0.05:
                mobility = Member.Mobility.MIGRANT
            elif v.is_pastoral and r < 0.82:
                mobility = Member.Mobility.PASTORAL
            else:
                mobility = Member.Mobility.RESIDENT
            point = rng.choice(
                herding
                if mobility == Member.Mobility.PASTORAL
                else (fixed if rng.random() < 0.35 else fixed[:1])
            )

            if probationary:
                joined = as_of - dt.timedelta(days=probation_days)
            else:
                earliest = birth + dt.timedelta(days=18 * 366)
                latest = min(birth + dt.timedelta(days=45 * 365), as_of - dt.timedelta(days=400))
                joined = earliest + dt.timedelta(days=int(join_frac * (latest - earliest).days))
            rows.append(
                {
                    "village": v.name,
                    "point": point.name,
                    "name": name,
                    "gender": "M" if male else "F",
                    "ethnicity": ethnicity,
                    "birth_date": birth,
                    "id_number": idcard.make(org.area_code, birth, seq),
                    "phone": phone,
                    "category": (
                        Member.Category.PROBATIONARY if probationary else Member.Category.FULL
                    ),
                    "joined_on": joined,
                    "mobility": mobility,
                }
            )

    # A few have left the roll: two old members died, two moved their membership away. Left
    # within the last year, which is after any full member joined (at least 400 days ago).
    full = [i for i, m in enumerate(rows) if m["category"] == Member.Category.FULL]
    old = [i for i in full if rows[i]["birth_date"].year < 1955]
    died = rng.sample(old, 2)
    moved = rng.sample([i for i in full if i not in died], 2)
    for i in died + moved:
        days = rng.randint(20, 380)
        reason = "去世" if i in died else rng.choice(LEFT_REASONS_TRANSFER)
        rows[i].update(active=False, left_on=as_of - dt.timedelta(days=days), left_reason=reason)

    # And a dozen or so active members reached by no point: the gap the coverage page shows.
    active = [i for i, m in enumerate(rows) if m.get("active", True)]
    for i in rng.sample(active, rng.randint(11, 14)):
        rows[i]["point"] = None
    return tuple(MemberPlan(**row) for row in rows)


# ---------------------------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------------------------


def demo_password(username: str) -> str:
    """Demo logins only: printed on the console and in var/demo-logins.txt."""
    return f"Dj-{username}-2026"


def plan_users(org: OrgPlan) -> tuple[UserPlan, ...]:
    def u(username, role, full_name, **kw):
        return UserPlan(username, demo_password(username), role, full_name, **kw)

    staff = names.STAFF
    users = [
        u("zhanzhang", Role.STATION_ADMIN, staff["zhanzhang"]),
        u("shuji", Role.LEADER, staff["shuji"]),
        u("jiancha", Role.INSPECTOR, staff["jiancha"]),
        u("xianli", Role.COUNTY_VIEWER, staff["xianli"]),
    ]
    users += [
        u(v.username, Role.VILLAGE_OPERATOR, names.OPERATORS[v.name], village=v.name)
        for v in org.villages
    ]
    users.append(u("admin", Role.STATION_ADMIN, staff["admin"], is_superuser=True))
    return tuple(users)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def logins_text(p: DemoPlan) -> str:
    """The login table printed by `dianjiao demo` and saved to var/demo-logins.txt."""
    with translation.override("zh-hans"):
        rows = [("用户名", "密码", "角色", "范围")]
        for user in p.users:
            if user.is_superuser:
                role, scope = "超级管理员", "全部"
            else:
                role = str(Role(user.role).label)
                scope = {
                    Role.COUNTY_VIEWER: p.org.county,
                    Role.VILLAGE_OPERATOR: user.village,
                }.get(user.role, p.org.township)
            rows.append((user.username, user.password, role, f"{scope} {user.full_name}"))
    widths = [max(_width(r[i]) for r in rows) + 2 for i in range(3)]
    lines = ["演示账号（仅供演示；正式使用前请删除演示数据或修改密码）", ""]
    lines += ["".join(_pad(c, w) for c, w in zip(r, widths, strict=False)) + r[3] for r in rows]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Writing a plan to the database
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Tree:
    county: County
    township: Township
    villages: dict[str, Village]
    points: dict[tuple[str, str], ViewingPoint]
    history: dict | None = None
    year_report: "plan_year.PlanYearReport | None" = None


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def build_org_tree(p: DemoPlan) -> Tree:
    org = p.org
    county = _save(County(name=org.county, area_code=org.area_code))
    township = _save(Township(county=county, name=org.township, station_name=org.station_name))
    villages = {
        v.name: _save(
            Village(
                township=township,
                name=v.name,
                branch_name=v.branch_name,
                is_pastoral=v.is_pastoral,
                secretary=v.secretary,
                sort_order=v.sort_order,
            )
        )
        for v in org.villages
    }
    points = {}
    for pt in org.points:
        point = ViewingPoint(
            village=villages[pt.village],
            name=pt.name,
            kind=pt.kind,
            address=pt.address,
            seasonal_place=pt.seasonal_place,
            operator_name=pt.operator_name,
        )
        point.township = township
        points[pt.village, pt.name] = _save(point)
    return Tree(county, township, villages, points)


def build_equipment(p: DemoPlan, tree: Tree) -> list[Equipment]:
    fields = [
        f.name for f in dataclasses.fields(EquipmentPlan) if f.name not in ("village", "point")
    ]
    rows = []
    for e in p.equipment:
        point = tree.points[e.village, e.point]
        row = Equipment(point=point, **{f: getattr(e, f) for f in fields})
        row.full_clean(validate_unique=False, validate_constraints=False)
        row.village_id, row.township_id = point.village_id, point.township_id  # as save() does
        rows.append(row)
    _unique(rows, "serial")
    return bulk.create(Equipment, rows)


def _unique(rows, field: str) -> None:
    """The uniqueness full_clean(validate_unique=True) would check row by row, checked at once."""
    values = [getattr(r, field) for r in rows]
    if len(set(values)) != len(values):
        raise ValueError(f"演示数据：{field} 重复")


def build_members(p: DemoPlan, tree: Tree) -> list[Member]:
    """Six hundred members in one INSERT (and their audit events): each row is validated by
    full_clean() and gets the keys Member.save() would give it (normalised name and ID number,
    pinyin, township)."""
    fields = [f.name for f in dataclasses.fields(MemberPlan) if f.name not in ("village", "point")]
    out = []
    for m in p.members:
        village = tree.villages[m.village]
        member = Member(
            village=village,
            point=tree.points[m.village, m.point] if m.point else None,
            **{f: getattr(m, f) for f in fields},
            on_roster_since=m.joined_on,  # on the roster since joining the party
        )
        member.township = tree.township
        member.full_clean(validate_unique=False, validate_constraints=False)
        member.id_number = idcard.normalise(member.id_number)
        member.name = person_names.normalise(member.name)
        member.name_pinyin, member.name_initials = pinyin.keys(member.name)
        member.township_id = village.township_id
        out.append(member)
    _unique(out, "id_number")
    return bulk.create(Member, out)


def build_users(p: DemoPlan, tree: Tree, passwords: dict | None = None) -> list[User]:
    """The demo accounts. `passwords` maps a username to a Future of its password hash (see
    bulk.hash_passwords); the accounts are written with an unusable password first and get their
    real hash by `set_passwords` once it is computed. Without `passwords`, hashed here."""
    out = []
    for u in p.users:
        user = User(
            username=u.username,
            role=u.role,
            full_name=u.full_name,
            is_superuser=u.is_superuser,
            is_staff=u.is_superuser,
            county=tree.county if u.role == Role.COUNTY_VIEWER else None,
            township=tree.township
            if u.role in (Role.STATION_ADMIN, Role.LEADER, Role.INSPECTOR)
            else None,
            village=tree.villages[u.village] if u.village else None,
        )
        if passwords is None:
            user.set_password(u.password)
        else:
            user.set_unusable_password()
        out.append(_save(user))
    return out


def set_passwords(users: list[User], passwords: dict) -> None:
    """Store each account's computed hash (the password column is not in the audit trail)."""
    for user in users:
        user.password = passwords[user.username].result()
        User.objects.filter(pk=user.pk).update(password=user.password)


def build_history(p: DemoPlan, tree: Tree, users: list[User], progress=lambda text: None) -> dict:
    """A year of film library and viewing history with the gaps that the plan year tells (see
    plan_year.story): the library through the films services, the sessions in bulk by their
    rules (demo/teaching.py)."""
    story = plan_year.story([v.name for v in p.org.villages], p.as_of)
    films = build_films(
        part_rng(p.seed, "films"),
        township=tree.township,
        as_of=p.as_of,
        users={u.username: u for u in users},
        silent=story.skips,
    )
    progress(
        gettext("片库：%(films)s部影片、%(copies)s份拷贝，一年借片%(loans)s次")
        % {"films": films["films"], "copies": films["copies"], "loans": films["loans"]}
    )
    done = []

    def village_done(name):
        done.append(name)
        n = len(p.org.villages)
        progress(
            gettext("播放收看记录：%(village)s（%(done)s/%(n)s个村，%(pct)s%%）")
            % {"village": name, "done": len(done), "n": n, "pct": round(100 * len(done) / n)}
        )

    sessions = build_sessions(
        part_rng(p.seed, "history"),
        township=tree.township,
        as_of=p.as_of,
        skips=story.skips,
        careless=story.careless,
        progress=village_done,
    )
    return {"films": films, "sessions": sessions, "story": story}


def build_plan_year(p: DemoPlan, tree: Tree, users: list[User]) -> plan_year.PlanYearReport:
    """The year's plans, work plans, feedback, information items and quarterly reports."""
    return plan_year.build_plan_year(
        part_rng(p.seed, "plan-year"), tree.history["story"], township=tree.township, users=users
    )


def plan_year_summary(r: plan_year.PlanYearReport) -> str:
    return gettext(
        "年度计划%(plans)s份，村工作计划%(workplans)s份，月度反馈%(feedback)s份，电教信息%(items)s条（照片%(photos)s张），"
        "季度报告%(reports)s份（已审核%(approved)s份、待审核%(submitted)s份），由季度报告生成片源申请%(requests)s份"
    ) % {
        "plans": r.plans,
        "workplans": r.workplans,
        "feedback": r.feedback,
        "items": r.items,
        "photos": r.photos,
        "reports": sum(r.reports.values()),
        "approved": r.reports["approved"],
        "submitted": r.reports["submitted"],
        "requests": r.film_requests,
    }


class _Stages:
    """One line as each stage starts ("[3/6] …") and one with its counts and time as it ends."""

    def __init__(self, progress, total: int):
        self.progress, self.total, self.n = progress, total, 0
        self.started = time.monotonic()

    def start(self, text: str) -> None:
        self.n += 1
        self.started = time.monotonic()
        self.progress(
            gettext("[%(n)s/%(total)s] %(stage)s……")
            % {"n": self.n, "total": self.total, "stage": text}
        )

    def done(self, text: str) -> None:
        self.progress(
            gettext("      %(counts)s（%(seconds).1f秒）")
            % {"counts": text, "seconds": time.monotonic() - self.started}
        )

    def note(self, text: str) -> None:
        self.progress(f"      {text}")


@contextlib.contextmanager
def _sqlite_build_pragmas():
    """A larger page cache for the build's big transaction, on SQLite (the connection's own
    settings, journal and synchronous, are left as they are: with one transaction there is one
    commit to make durable)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -131072")  # 128 MB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")


def build(p: DemoPlan, *, history: bool = True, progress=lambda message: None) -> Tree:
    """Write the whole plan atomically, in one transaction (a build that fails leaves nothing, so
    `demo --if-empty` builds again); audit events name "demo" as the actor. `progress` gets a
    line as each stage starts and ends. The accounts' password hashes are computed in a
    background thread meanwhile and stored at the end."""
    stages = _Stages(progress, 6 if history else 2)
    passwords = bulk.hash_passwords({u.username: u.password for u in p.users})
    with (
        transaction.atomic(),
        acting_as(label="demo"),
        _sqlite_build_pragmas(),
        bulk.remembered_references(),
        bulk.constraints_checked_by_database(),
        bulk.audit_buffered(),
    ):
        stages.start(gettext("组织结构、播放点和设备"))
        tree = build_org_tree(p)
        equipment = build_equipment(p, tree)
        stages.done(
            gettext("%(villages)s个村、%(points)s个播放点、%(equipment)s台设备")
            % {
                "villages": len(tree.villages),
                "points": len(tree.points),
                "equipment": len(equipment),
            }
        )
        stages.start(gettext("党员花名册和演示账号"))
        members = build_members(p, tree)
        users = build_users(p, tree, passwords)
        stages.done(
            gettext("%(members)s名党员、%(users)s个账号")
            % {"members": len(members), "users": len(users)}
        )
        if history:
            stages.start(gettext("电教片库和一年的播放收看记录"))
            tree.history = build_history(p, tree, users, progress=stages.note)
            h = tree.history["sessions"]
            stages.done(
                gettext("%(sessions)s场收看（补看%(makeups)s场），更正%(corrections)s处")
                % {"sessions": h.sessions, "makeups": h.makeups, "corrections": h.corrections}
            )
            stages.start(gettext("年度计划、村工作计划、月度反馈、电教信息和季度报告"))
            tree.year_report = build_plan_year(p, tree, users)
            stages.done(plan_year_summary(tree.year_report))
            stages.start(gettext("牧区流动教学"))
            campaigns = pastoral.build_pastoral(
                township=tree.township, villages=tree.villages, as_of=p.as_of
            )
            stages.done(gettext("%(n)s个流动教学活动") % {"n": len(campaigns)})
            stages.start(gettext("检查、通报、会议、培训和考核"))
            o = oversight.build_oversight(
                part_rng(p.seed, "oversight"), township=tree.township, users=users, as_of=p.as_of
            )
            stages.done(
                gettext("检查%(inspections)s次、通报%(bulletins)s期、会议%(meetings)s次")
                % {
                    "inspections": o.inspections,
                    "bulletins": o.bulletins,
                    "meetings": o.meetings,
                }
            )
        set_passwords(users, passwords)
    return tree
