"""A small hand-written factory module and the named personas the tests are told through.

Township 乌伦古乡 has villages 红星村 (a farming village) and 阿克达拉村 (pastoral); a second
township, 齐干吉迭乡, is someone else's. Personas:
  station   电教站管理员 of 乌伦古乡          leader   乡党委领导 (read, approve)
  inspector 检查员                            county   县级查看 (reads all of 福海县)
  operator  电教员 of 红星村                  other_op 电教员 of 阿克达拉村
  outsider  电教站管理员 of 齐干吉迭乡
WideWorld adds a second county, 吉木乃县, and its county viewer:
  far_county 县级查看 of 吉木乃县
"""

import datetime as dt
import itertools

from dianjiao.accounts.models import Role, User
from dianjiao.lib import idcard
from dianjiao.members.models import Member
from dianjiao.orgs.models import County, Equipment, Township, ViewingPoint, Village

PASSWORD = "Dianjiao-test-2026"
_seq = itertools.count(1)


def county(name="福海县"):
    return County.objects.get_or_create(name=name, defaults={"area_code": "654323"})[0]


def township(name="乌伦古乡", county_obj=None):
    return Township.objects.get_or_create(
        county=county_obj or county(), name=name, defaults={"station_name": f"{name}电教站"}
    )[0]


def village(name="红星村", township_obj=None, **kw):
    kw.setdefault("branch_name", f"{name}党支部")
    return Village.objects.get_or_create(
        township=township_obj or township(), name=name, defaults=kw
    )[0]


def point(village_obj=None, name="村委会电教室", **kw):
    return ViewingPoint.objects.get_or_create(
        village=village_obj or village(), name=name, defaults=kw
    )[0]


def equipment(point_obj=None, **kw):
    kw.setdefault("kind", Equipment.Kind.TV)
    return Equipment.objects.create(point=point_obj or point(), **kw)


def id_number(birth=dt.date(1975, 3, 8), male=True):
    n = next(_seq)
    seq = (n * 2 + (1 if male else 0)) % 1000
    return idcard.make("654323", birth, seq)


def member(
    village_obj=None, name="张三", point_obj=None, male=True, birth=dt.date(1975, 3, 8), **kw
):
    village_obj = village_obj or village()
    kw.setdefault("joined_on", dt.date(2000, 7, 1))
    kw.setdefault("on_roster_since", kw["joined_on"])  # on the roster since joining the party
    kw.setdefault("id_number", id_number(birth, male))
    m = Member(
        village=village_obj,
        point=point_obj,
        name=name,
        gender="M" if male else "F",
        birth_date=birth,
        **kw,
    )
    m.full_clean()
    m.save()
    return m


def user(username, role, *, county_obj=None, township_obj=None, village_obj=None, **kw):
    u = User(
        username=username,
        role=role,
        county=county_obj,
        township=township_obj,
        village=village_obj,
        **kw,
    )
    u.set_password(PASSWORD)
    u.full_clean()
    u.save()
    return u


class World:
    """The standard cast: two townships, three villages, a point each, a member each, one user per role."""

    def __init__(self):
        self.county = county()
        self.township = township()
        self.other_township = township("齐干吉迭乡")
        self.village = village("红星村", sort_order=1)
        self.pastoral = village("阿克达拉村", is_pastoral=True, sort_order=2)
        self.far_village = village("喀拉吉拉村", township_obj=self.other_township)
        self.point = point(self.village, "村委会电教室")
        self.pastoral_point = point(
            self.pastoral,
            "夏牧场流动播放点",
            kind=ViewingPoint.Kind.PASTORAL,
            seasonal_place="乌伦古河夏牧场",
        )
        self.far_point = point(self.far_village, "村委会电教室")
        self.tv = equipment(self.point)
        self.far_tv = equipment(self.far_point)
        self.member = member(self.village, "张三", self.point)
        self.pastoral_member = member(
            self.pastoral,
            "努尔兰·叶尔肯",
            self.pastoral_point,
            ethnicity="哈萨克族",
            mobility=Member.Mobility.PASTORAL,
        )
        self.far_member = member(self.far_village, "李四", self.far_point)
        self.station = user(
            "station", Role.STATION_ADMIN, township_obj=self.township, full_name="王站长"
        )
        self.leader = user("leader", Role.LEADER, township_obj=self.township)
        self.inspector = user("inspector", Role.INSPECTOR, township_obj=self.township)
        self.county_viewer = user("county", Role.COUNTY_VIEWER, county_obj=self.county)
        self.operator = user(
            "operator", Role.VILLAGE_OPERATOR, village_obj=self.village, full_name="刘电教"
        )
        self.other_op = user("other_op", Role.VILLAGE_OPERATOR, village_obj=self.pastoral)
        self.outsider = user("outsider", Role.STATION_ADMIN, township_obj=self.other_township)

    @property
    def personas(self):
        return {
            "station": self.station,
            "leader": self.leader,
            "inspector": self.inspector,
            "county": self.county_viewer,
            "operator": self.operator,
            "other_op": self.other_op,
            "outsider": self.outsider,
        }


class WideWorld(World):
    """The standard cast and a second county, 吉木乃县, with a township, a village and a county
    viewer of its own (`far_county`): so a county viewer's boundary can be tested."""

    def __init__(self):
        super().__init__()
        self.far_county = County.objects.get_or_create(
            name="吉木乃县", defaults={"area_code": "654326"}
        )[0]
        self.far_county_township = township("托斯特乡", county_obj=self.far_county)
        self.far_county_village = village("塔斯特村", township_obj=self.far_county_township)
        self.far_county_point = point(self.far_county_village, "村委会电教室")
        self.far_county_member = member(self.far_county_village, "王六", self.far_county_point)
        self.far_county_viewer = user("far_county", Role.COUNTY_VIEWER, county_obj=self.far_county)

    @property
    def personas(self):
        return {**super().personas, "far_county": self.far_county_viewer}
