"""The pages that combine compliance with oversight (dianjiao/web): the dashboard measures the
monthly checks, meetings and trainings against the plan's targets, the county compares its
townships on them, the to-do lists carry both apps' items (overdue first), a village's home page
shows the latest issued bulletins; each page in a fixed number of queries.

The hand-made township (乌伦古乡, 29 November 2026): a plan asking for 4 joint meetings, 2 summary
meetings and 1 training; one joint meeting in April, one training in May; 红星村 held a showing on
10 September, and its point was checked on 1 October and on 20 November (the month's viewing
failed each time: a rectification due before today, overdue, and one due in December);
阿克达拉村's point never checked. So: no month with both
points checked (0 of 11), joint 1/4, summary 0/2, training 1/1, two open rectifications, one of
them overdue."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from dianjiao.films.models import Film
from dianjiao.oversight import services
from dianjiao.plans.models import AnnualPlan
from dianjiao.teaching import services as teaching
from tests.clock import NOW, clock, local  # noqa: F401  (the stories' fixed moment: 29 Nov 2026)
from tests.oversight.helpers import inspect, template

DASHBOARD = reverse("planning:dashboard")
HOME = reverse("web:home")


def _meet(world, kind, day):
    return services.meeting_convene(
        user=world.leader,
        township=world.township,
        kind=kind,
        held_on=day,
        place="乡政府",
        agenda="电教工作",
    )


def _train(world, day, title="电教员培训"):
    return services.training_record(
        user=world.station,
        township=world.township,
        kind="theory",
        title=title,
        starts_on=day,
        ends_on=day,
        hours=4,
        trainers="县电教中心",
    )


@pytest.fixture
def year(world, clock):  # noqa: F811
    AnnualPlan.objects.create(
        township=world.township, year=2026, joint_meetings=4, summary_meetings=2, trainings=1
    )
    film = Film.objects.create(township=world.township, title="榜样", duration_minutes=40)
    clock.at = local(2026, 9, 10, 12)
    teaching.session_record(
        author=world.station,
        village=world.village,
        point=world.point,
        held_at=local(2026, 9, 10, 9),
        kind="monthly",
        films=[film],
        duration_minutes=60,
        attendance={world.member.pk: ("present", "")},
    )
    clock.at = NOW
    tpl = template(world)
    _meet(world, "joint", dt.date(2026, 4, 8))
    _train(world, dt.date(2026, 5, 12))
    inspect(world, tpl, "meets", "meets", "fails", day=dt.date(2026, 10, 1))
    inspect(world, tpl, "meets", "meets", "fails", day=dt.date(2026, 11, 20))
    return tpl


def test_the_dashboard_measures_checks_meetings_and_trainings_against_the_plan(year, world, login):
    html = login(world.station).get(DASHBOARD, {"year": 2026}).content.decode()
    assert "记录这些活动后计入" not in html  # no longer "counts once recorded"
    assert f'{reverse("oversight:inspections")}?year=2026">0/11</a>' in html
    assert "每月检查：2个播放点全部检查的月数/应查月数" in html
    assert f'{reverse("oversight:meetings")}?year=2026">1/4</a>' in html
    assert f'{reverse("oversight:meetings")}?year=2026">0/2</a>' in html
    assert f'{reverse("oversight:trainings")}?year=2026">1/1</a>' in html
    assert f'{reverse("oversight:rectifications")}">2/1</a>' in html  # open / of them overdue
    # A second joint meeting shows at once: the figures are read from the records.
    _meet(world, "joint", dt.date(2026, 7, 8))
    html = login(world.station).get(DASHBOARD, {"year": 2026}).content.decode()
    assert f'{reverse("oversight:meetings")}?year=2026">2/4</a>' in html


def test_the_county_compares_its_townships_on_them(year, world, login):
    html = login(world.county_viewer).get(DASHBOARD, {"year": 2026}).content.decode()
    assert "各乡镇年度计划执行情况" in html
    table = html[html.index("各乡镇年度计划执行情况") :]
    rows = table[: table.index("</table>")].split("<tr>")[2:]
    assert [r.split("</td>")[0].rsplit(">", 1)[1] for r in rows] == ["乌伦古乡", "齐干吉迭乡"]
    wulungu, qigan = rows
    # 乌伦古乡: 0 of 11 months fully checked, 2 inspections, joint 1/4, summary 0/2,
    # training 1/1, two open rectifications (one overdue); 齐干吉迭乡 has no plan: defaults.
    cells = [c.rsplit(">", 1)[-1] for c in wulungu.split("</span>") if "/" in c.rsplit(">", 1)[-1]]
    assert cells == ["0/11", "1/4", "0/2", "1/1"]
    assert '<span class="tag red">1</span>' in wulungu
    assert ">0/4<" in qigan and ">0/1<" in qigan


def test_the_operators_to_do_list_has_the_rectification_it_owes_first(year, world, login):
    html = login(world.operator).get(HOME).content.decode()
    todos = html[html.index("待办事项") :]
    owed = todos.index("整改已逾期")
    assert owed < todos.index("本月电教信息已报0条")  # overdue before due soon
    assert f"{reverse('oversight:rectifications')}?village={world.village.pk}" in todos
    # The other village's operator owes nothing of it.
    assert "整改" not in login(world.other_op).get(HOME).content.decode()


def test_the_stations_lists_have_both_apps_items(year, world, login):
    client = login(world.station)
    html = client.get(DASHBOARD).content.decode()
    todos = html[html.index("待办事项") :]
    assert "本月还有1个播放点未检查" in todos  # oversight: 阿克达拉村's point
    assert "10月收看情况尚未反馈" in todos  # compliance
    assert todos.index("整改已逾期") < todos.index("本月还有1个播放点未检查")
    n = todos.split("<small>", 1)[1].split("</small>", 1)[0]
    # The home page shows the first eight of the same list, and links to the whole.
    home = client.get(HOME).content.decode()
    assert f"<small>{n}</small>" in home and f"查看全部{n}项" in home
    assert "整改已逾期" in home


def _bulletin(world, month, *, issue=True):
    b = services.bulletin_draft(
        user=world.station, township=world.township, period="month", year=2026, part=month
    )
    if issue:
        b = services.bulletin_submit(user=world.station, bulletin=b)
        b = services.bulletin_approve(
            user=world.leader, bulletin=b, at=local(2026, month + 1, 5, 10)
        )
    return b


def test_a_villages_home_page_shows_the_three_latest_issued_bulletins(world, login, clock):  # noqa: F811
    issued = [_bulletin(world, m) for m in (6, 7, 8, 9)]
    draft = _bulletin(world, 10, issue=False)
    html = login(world.operator).get(HOME).content.decode()
    section = html[html.index("最新通报") :]
    for b in issued[1:]:
        assert f'<a href="{reverse("oversight:bulletin", args=[b.pk])}">{b.title}</a>' in section
    assert section.index(issued[3].title) < section.index(issued[2].title)  # newest first
    assert issued[0].title not in html and draft.title not in html
    assert "2026年10月5日印发" in section
    # The far township's operator sees none of them.
    far = _far_operator(world)
    assert "最新通报" not in login(far).get(HOME).content.decode()


def _far_operator(world):
    from dianjiao.accounts.models import Role
    from tests import factories

    return factories.user("far_op", Role.VILLAGE_OPERATOR, village_obj=world.far_village)


def _crowd(world, clock, tpl, n):  # noqa: F811
    """n of everything the two pages read: villages with points, members and sessions in a
    campaign, inspections with rectifications, meetings with trainings, bulletins."""
    from dianjiao.orgs.models import ViewingPoint
    from dianjiao.pastoral import services as pastoral
    from tests import factories

    film = Film.objects.create(township=world.township, title="草原上的党课", duration_minutes=30)
    campaign = pastoral.campaign_create(
        user=world.station,
        township=world.township,
        name="2026年秋季转场流动教学",
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2026, 10, 31),
        staff=[world.station],
    )
    for i in range(n):
        v = factories.village(f"新村{i:02d}", world.township, sort_order=10 + i, is_pastoral=True)
        p = factories.point(v, "流动点", kind=ViewingPoint.Kind.PASTORAL, seasonal_place="冬窝子")
        m = factories.member(v, f"党员{i:02d}", p, birth=dt.date(1970, 1, 1) + dt.timedelta(i))
        pastoral.point_add(
            user=world.station,
            campaign=campaign,
            name=f"牧业点{i:02d}",
            river_area="irtysh",
            villages=[v],
        )
        clock.at = local(2026, 10, 3 + i, 13)
        teaching.session_record(
            author=world.station,
            village=v,
            point=p,
            held_at=local(2026, 10, 3 + i, 11),
            kind="pastoral",
            films=[film],
            duration_minutes=90,
            teaching_minutes=30,
            attendance={m.pk: ("present", "")},
        )
        inspect(
            world,
            tpl,
            "meets",
            "fails",
            "fails",
            village=v,
            point=p,
            day=dt.date(2026, 10, 2 + i),
            i2={"override_reason": "抽查时未见收看记录"},
        )
        _meet(world, "summary", dt.date(2026, 6, 1 + i))
        _train(world, dt.date(2026, 8, 1 + i), title=f"培训{i:02d}")
        _bulletin(world, 1 + i)
    clock.at = NOW


def _client(user):
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def test_the_pages_run_a_fixed_number_of_queries_whatever_the_data(
    year,
    world,
    clock,  # noqa: F811
    django_assert_num_queries,
):
    # Per page and role. The dashboard: the request's session and user (2), compliance (10), the
    # plan's progress (9), compliance's to-dos (8), oversight's (station 4, leader 2, village 2,
    # county none), the page frame's scope (county and township: 2, a village's operator 3: its
    # village too, the county viewer 1). Compliance runs its 10 even when a village has no
    # session at all (the films of the sessions were fetched only when there were some). The
    # home page: its coverage counts and announcements (2) instead of compliance and progress,
    # a village's latest bulletins (1), and the reminders the user last received (1).
    pages = [
        (world.station, DASHBOARD, 2 + 10 + 9 + 8 + 4 + 2),
        (world.leader, DASHBOARD, 2 + 10 + 9 + 8 + 2 + 2),
        (world.other_op, DASHBOARD, 2 + 10 + 9 + 8 + 2 + 3),
        (world.county_viewer, DASHBOARD, 2 + 10 + 9 + 8 + 1),
        (world.station, HOME, 2 + 2 + 8 + 4 + 2 + 1),
        (world.operator, HOME, 2 + 2 + 8 + 2 + 1 + 3 + 1),
    ]
    pages = [(_client(u), url, n) for u, url, n in pages]

    def measure():
        for client, url, _n in pages:
            client.get(url)  # warm the session
        for client, url, n in pages:
            with django_assert_num_queries(n):
                html = client.get(url).content.decode()
            assert "待办事项" in html

    measure()
    _crowd(world, clock, year, 6)
    clock.at = NOW
    measure()
    html = pages[0][0].get(DASHBOARD).content.decode()
    # The crowd shows: six more villages, each with 1.5 pastoral hours in the campaign.
    assert "新村05" in html and "<b>9.0/30</b>" in html
