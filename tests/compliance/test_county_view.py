"""The dashboard at county scale: the county reads its townships side by side first and opens one
township's villages on demand (?township=…); the village tables come a page at a time; each
variant of the page runs a fixed number of queries whatever the data; the exports follow the
township opened."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from dianjiao.compliance import compute
from dianjiao.compliance import views as compliance_views
from dianjiao.lib.dates import today
from dianjiao.members.models import Member
from dianjiao.orgs.models import ViewingPoint
from tests import factories
from tests.compliance.test_compliance import (
    AS_OF,
    at,
    year,  # noqa: F401  (the hand-counted year)
)
from tests.teaching.conftest import ABSENT, EXCUSED, NOW, PRESENT, local, record

URL = reverse("planning:dashboard")
EXPORT = reverse("planning:export")
MATRIX = "<h2>逐月达标情况</h2>"


def test_the_county_sees_townships_first_each_opening_its_villages(year, world, login):  # noqa: F811
    client = login(world.county_viewer)
    html = client.get(URL, {"year": 2026}).content.decode()
    assert "各乡镇达标情况" in html
    opens = f'href="?year=2026&amp;township={world.township.pk}">乌伦古乡</a>'
    assert opens in html
    # No village's row or matrix on the county's first page: a township opens them.
    assert MATRIX not in html and "红星村" not in html and "喀拉吉拉村" not in html
    # Its to-dos come a line a township, each opening the township.
    assert "乌伦古乡：" in html and "项待办" in html
    assert f"{URL}?year=2026&amp;township={world.other_township.pk}" in html

    html = client.get(URL, {"year": 2026, "township": world.township.pk}).content.decode()
    assert MATRIX in html and "乌伦古乡" in html
    assert "红星村" in html and "阿克达拉村" in html and "喀拉吉拉村" not in html
    assert f"{reverse('teaching:list')}?village={world.village.pk}&amp;month=2026-10" in html
    assert f"{EXPORT}?year=2026&amp;township={world.township.pk}&amp;table=matrix" in html
    assert "各乡镇达标情况" not in html  # the township's own page
    # Its to-dos are its villages' own, one by one.
    assert "阿克达拉村：" in html and "喀拉吉拉村：" not in html


def test_a_township_outside_the_users_view_does_not_exist(year, world, login):  # noqa: F811
    assert login(world.station).get(URL, {"township": world.other_township.pk}).status_code == 404
    assert login(world.station).get(URL, {"township": "abc"}).status_code == 404
    assert login(world.station).get(URL, {"township": world.township.pk}).status_code == 200
    assert login(world.outsider).get(EXPORT, {"township": world.township.pk}).status_code == 404


def test_the_figures_of_one_township_are_those_of_the_whole(year, world):  # noqa: F811
    whole = compute.compliance(world.county_viewer, year=2026, as_of=AS_OF)
    one = compute.compliance(
        world.county_viewer, year=2026, as_of=AS_OF, township=world.township.pk
    )
    assert [r.village.name for r in one.rows] == ["红星村", "阿克达拉村"]
    assert one.plan is None and len(one.by_township()) == 1
    mine = [r for r in whole.rows if r.village.township_id == world.township.pk]
    for a, b in zip(mine, one.rows, strict=True):
        assert [(c.sessions, c.expected, c.present, c.feedback) for c in a.cells] == [
            (c.sessions, c.expected, c.present, c.feedback) for c in b.cells
        ]


def test_the_village_tables_come_a_page_at_a_time(year, world, login, monkeypatch):  # noqa: F811
    monkeypatch.setattr(compliance_views, "VILLAGES_PER_PAGE", 1)
    client = login(world.station)
    first = client.get(URL, {"year": 2026}).content.decode()
    matrix = first[first.index(MATRIX) :]
    assert "红星村" in matrix and "阿克达拉村" not in matrix
    assert "第 1 / 2 页" in first
    second = client.get(URL, {"year": 2026, "page": 2}).content.decode()
    matrix = second[second.index(MATRIX) :]
    assert "阿克达拉村" in matrix and "红星村" not in matrix
    # The plan's figures and the to-dos are the township's, whatever the page.
    assert "2026年年度计划尚未制定" in second


def test_the_exports_follow_the_township_opened(year, world, login):  # noqa: F811
    client = login(world.county_viewer)

    def villages(**params):
        r = client.get(EXPORT, {"year": 2026, "table": "coverage", **params})
        rows = load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True)
        return [row[0] for row in list(rows)[1:]]

    assert villages() == ["红星村", "阿克达拉村", "喀拉吉拉村"]
    assert villages(township=world.other_township.pk) == ["喀拉吉拉村"]


def _crowd(cast, clock, n):
    """n more villages in each township, each with a member who viewed in October."""
    world = cast.world
    for t in (world.township, world.other_township):
        for i in range(n):
            v = factories.village(f"{t.name[:2]}新村{i:02d}", t, sort_order=10 + i)
            p = factories.point(v, "电教室")
            m = factories.member(v, f"{t.name[:2]}党员{i:02d}", p)
            at(clock, 2026, 10, 1 + i, 12)
            record(
                cast,
                author=world.station if t == world.township else world.outsider,
                village=v,
                point=p,
                films=[cast.film if t == world.township else cast.far_film],
                held_at=local(2026, 10, 1 + i, 9),
                attendance={m.pk: (PRESENT, "")},
            )
    clock.at = NOW


def test_each_variant_of_the_page_runs_a_fixed_number_of_queries(
    year,  # noqa: F811
    world,
    clock,
    login,
    django_assert_num_queries,
):
    # The session and user (2), compliance (10), the plan's progress (9), compliance's to-dos
    # (8), the page frame's scope (1 for the county viewer).
    pages = [
        (world.county_viewer, {"year": 2026}, 2 + 10 + 9 + 8 + 1),
        (world.county_viewer, {"year": 2026, "township": world.township.pk}, 2 + 10 + 9 + 8 + 1),
        (world.county_viewer, {"year": 2026, "page": 2}, 2 + 10 + 9 + 8 + 1),
    ]

    def measure():
        for user, params, n in pages:
            client = login(user)
            client.get(URL, params)
            with django_assert_num_queries(n):
                assert client.get(URL, params).status_code == 200

    measure()
    _crowd(year, clock, 4)
    measure()
    html = login(world.county_viewer).get(URL, pages[1][1]).content.decode()
    assert "乌伦新村03" in html and "齐干新村03" not in html


def test_coverage_counts_a_member_expected_in_one_session_and_present_at_another(
    cast, clock, world
):
    """October at 红星村, two points. At the village office (expected: 张三, 李梅, 王五, 赵六)
    张三 and 李梅 come, 王五 is absent, 赵六 excused, and 孙七 and 周八 of the school's point come
    too, not expected there; 吴九, of a third point that held nothing, comes as well. At the
    school (expected: 孙七, 周八) 孙七 is absent, 周八 present.
      expected in October: 张三 李梅 王五 赵六 孙七 周八 = 6 (吴九 was expected nowhere)
      of them present at least once: 张三 李梅 孙七 (at the office) 周八 = 4"""
    school = factories.point(world.village, "村小学电教点")
    sun = factories.member(world.village, "孙七", school)
    zhou = factories.member(world.village, "周八", school)
    wu = factories.member(world.village, "吴九", factories.point(world.village, "三组活动室"))
    at(clock, 2026, 10, 10, 12)
    record(
        cast,
        held_at=local(2026, 10, 10, 9),
        attendance={
            **cast.everyone(),
            cast.wang.pk: (ABSENT, ""),
            cast.zhao.pk: (EXCUSED, "illness"),
            sun.pk: (PRESENT, ""),
            zhou.pk: (PRESENT, ""),
            wu.pk: (PRESENT, ""),
        },
    )
    at(clock, 2026, 10, 12, 12)
    record(
        cast,
        point=school,
        held_at=local(2026, 10, 12, 9),
        attendance={sun.pk: (ABSENT, ""), zhou.pk: (PRESENT, "")},
    )
    clock.at = NOW
    october = compute.compliance(world.station, year=2026, as_of=AS_OF).rows[0].cells[9]
    assert (october.sessions, october.expected, october.present) == (2, 6, 4)


def test_the_county_home_page_adds_up_its_villages_by_township(world, login):
    """The county viewer's home lists townships (their villages' points, members and members
    without a point added up, and their to-dos counted), each opening its villages on the
    dashboard; a station, seeing one township, keeps its villages' own lines."""
    factories.member(world.village, "无点党员", None)
    html = login(world.county_viewer).get(reverse("web:home")).content.decode()
    village_row = reverse("orgs:village_detail", args=[world.village.pk])
    assert "各乡镇概况" in html and village_row not in html
    # Its to-dos come a line a township too, as on the dashboard: no village's own line.
    assert "乌伦古乡：" in html and "项待办" in html and "红星村：" not in html
    opens = f'{URL}?year={today().year}&amp;township={world.township.pk}">乌伦古乡</a>'
    assert opens in html
    villages = [world.village, world.pastoral]
    members = Member.objects.filter(village__in=villages, active=True)
    row = html[html.index(opens) :].split("</tr>")[0]
    cells = [c.split("<")[0] for c in row.split('class="num">')[1:]]
    assert cells == [
        "2",
        str(ViewingPoint.objects.filter(village__in=villages, active=True).count()),
        str(members.count()),
        str(members.filter(point__isnull=True).count()),
    ]
    assert cells[3] != "0"  # the member without a point is counted
    # Townships in the dashboard's order (by id), whatever their names' order: 东风乡, made
    # last, comes after 乌伦古乡 though its name sorts first.
    late = factories.township("东风乡", world.township.county)
    factories.village("前进村", late)
    html = login(world.county_viewer).get(reverse("web:home")).content.decode()
    table = html[html.index("各乡镇概况") :]
    assert world.township.name > "东风乡" and late.pk > world.township.pk
    assert table.index(f">{world.township.name}</a>") < table.index(">东风乡</a>")

    html = login(world.station).get(reverse("web:home")).content.decode()
    assert "各村概况" in html and village_row in html and "各乡镇概况" not in html
    assert "红星村：" in html  # its villages' own to-dos


def test_the_county_coverage_page_lists_townships_each_opening_its_villages(
    world, login, django_assert_num_queries
):
    """/coverage/ for the county: a line a township (its villages' counts added up, faulty
    equipment included), each opening that township's villages, faulty equipment and members
    without a point; a station keeps its villages' own page."""
    from dianjiao.orgs.models import Equipment

    broken = factories.equipment(
        world.point,
        condition=Equipment.Condition.FAULTY,
        model_name="坏电视机",
    )
    lost = factories.member(world.village, "无点党员", None)
    far = factories.member(world.far_village, "远方无点党员", None)
    url = reverse("orgs:coverage")
    client = login(world.county_viewer)
    html = client.get(url).content.decode()
    opens = f'href="?township={world.township.pk}">乌伦古乡</a>'
    assert "各乡镇播放点" in html and opens in html and "红星村" not in html
    row = html[html.index(opens) :].split("</tr>")[0]
    assert '<span class="tag bad">1</span>' in row  # the faulty set, and the member without a point
    # The lists are a township's: opened, not on the county's first page.
    assert broken.model_name not in html and lost.name not in html

    html = client.get(url, {"township": world.township.pk}).content.decode()
    assert "播放点覆盖情况 · 乌伦古乡" in html and "各乡镇播放点" not in html
    assert "红星村" in html and "喀拉吉拉村" not in html
    assert broken.model_name in html and lost.name in html and far.name not in html

    assert client.get(url, {"township": "abc"}).status_code == 404
    assert login(world.station).get(url, {"township": world.other_township.pk}).status_code == 404
    station = login(world.station).get(url).content.decode()
    assert "各乡镇播放点" not in station and "红星村" in station and lost.name in station

    # A fixed number of queries: the session and user (2), the frame's scope (1), the counts (1),
    # and for the county's first page the townships' names (1); a township's page reads its
    # name, its faulty equipment and a page of members without a point with their count (4).
    client = login(world.county_viewer)
    client.get(url)
    with django_assert_num_queries(2 + 1 + 1 + 1):
        client.get(url)
    with django_assert_num_queries(2 + 1 + 1 + 4):
        client.get(url, {"township": world.township.pk})


def test_the_county_reads_work_plans_by_township_each_opening_its_villages(
    world, login, django_assert_num_queries
):
    from dianjiao.plans.services import workplan_submit

    workplan_submit(village=world.village, year=2026, text="全年每月集中收看。", user=world.station)
    url = reverse("planning:workplans")
    client = login(world.county_viewer)
    html = client.get(url, {"year": 2026}).content.decode()
    opens = f'href="?year=2026&amp;township={world.township.pk}">乌伦古乡</a>'
    assert opens in html and "红星村" not in html
    row = html[html.index(opens) :].split("</tr>")[0]
    # two villages, one submitted, one missing
    assert ">2</td>" in row and ">1</td>" in row and '<span class="tag red">1</span>' in row

    html = client.get(url, {"year": 2026, "township": world.township.pk}).content.decode()
    assert "2026年村电教工作计划 · 乌伦古乡" in html and "第1版" in html
    assert "阿克达拉村" in html and "未报送" in html and "喀拉吉拉村" not in html
    assert f'name="township" value="{world.township.pk}"' in html  # the year selector keeps it
    assert f"township={world.township.pk}&amp;table=workplans" in html  # and the export
    assert client.get(url, {"township": "x"}).status_code == 404
    assert login(world.station).get(url, {"township": world.other_township.pk}).status_code == 404

    # The session and user (2), the frame's scope (1), the villages (1) (a county viewer writes
    # nothing: may-write needs no query), then the submitted villages and the townships' names
    # (2), or a township's villages with its name, and their plans (2).
    client = login(world.county_viewer)
    client.get(url)
    with django_assert_num_queries(2 + 1 + 1 + 2):
        client.get(url)
    with django_assert_num_queries(2 + 1 + 1 + 2):
        client.get(url, {"township": world.township.pk})
