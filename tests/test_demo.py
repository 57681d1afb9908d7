"""`dianjiao demo`: a realistic, deterministic township that always passes validation."""

import dataclasses
import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dianjiao.accounts.models import Role, User
from dianjiao.audit.models import AuditEvent
from dianjiao.demo import builder, names, plan_year
from dianjiao.demo.teaching import _months as _history_months
from dianjiao.lib import idcard
from dianjiao.members.models import Member
from dianjiao.orgs.models import Equipment, Township, ViewingPoint, Village
from dianjiao.reports.models import quarter_bounds
from tests import factories
from tests.clock import TODAY, clock, local  # noqa: F401  (the demo is built on the stories' fixed day)

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the real one costs ~0.4 s a user


def _identity(p: builder.DemoPlan):
    """What must not move with the date: who the people are."""
    return [
        (m.village, m.name, m.gender, m.ethnicity, m.birth_date, m.id_number, m.point)
        for m in p.members
    ]


def test_the_same_seed_gives_the_same_plan():
    as_of = dt.date(2026, 5, 20)
    first = builder.plan(2026, as_of)
    assert first == builder.plan(2026, as_of)
    assert dataclasses.asdict(first) == dataclasses.asdict(builder.plan(2026, as_of))
    assert _identity(builder.plan(7, as_of)) != _identity(first)


def test_names_and_id_numbers_do_not_depend_on_the_date():
    spring = builder.plan(2026, dt.date(2026, 3, 1))
    later = builder.plan(2026, dt.date(2028, 11, 30))
    assert _identity(spring) == _identity(later)
    assert spring.org == later.org
    assert [m.joined_on for m in spring.members] != [m.joined_on for m in later.members]


def test_the_plan_is_plausible():
    as_of = dt.date(2026, 5, 20)
    p = builder.plan(2026, as_of)
    ids = [m.id_number for m in p.members]
    assert len(set(ids)) == len(ids)
    seqs = [i[14:17] for i in ids]
    assert len(set(seqs)) == len(seqs)
    for m in p.members:
        assert idcard.parse(m.id_number) == (m.birth_date, m.gender)
        assert m.id_number.startswith("654323")
        assert 1945 <= m.birth_date.year <= 2000
        assert m.joined_on <= as_of
        age_joined = (m.joined_on - m.birth_date).days / 365.25
        assert 18 <= age_joined <= 45.5, m
        if m.category == Member.Category.PROBATIONARY:
            assert (as_of - m.joined_on).days <= 2 * 365
        if not m.active:
            assert m.joined_on < m.left_on <= as_of and m.left_reason
    sizes = Counter(m.village for m in p.members)
    assert all(40 <= n <= 70 for n in sizes.values())
    probationary = sum(m.category == Member.Category.PROBATIONARY for m in p.members)
    assert 0.05 <= probationary / len(p.members) <= 0.12
    migrants = sum(m.mobility == Member.Mobility.MIGRANT for m in p.members)
    assert 0.03 <= migrants / len(p.members) <= 0.08
    pastoral_villages = {v.name for v in p.org.villages if v.is_pastoral}
    herders = [m for m in p.members if m.village in pastoral_villages]
    assert sum(m.mobility == Member.Mobility.PASTORAL for m in herders) > len(herders) / 2
    kinds = {(pt.village, pt.name): pt.kind for pt in p.org.points}
    for m in p.members:
        if m.point and m.mobility == Member.Mobility.PASTORAL:
            assert kinds[m.village, m.point] == ViewingPoint.Kind.PASTORAL
    demos = [pt for pt in p.org.points if pt.kind == ViewingPoint.Kind.DEMONSTRATION]
    assert 2 <= len(demos) <= 3
    out_of_order = [e for e in p.equipment if e.condition in Equipment.OUT_OF_ORDER]
    assert 5 <= len(out_of_order) <= 8 and all(e.repair_notes for e in out_of_order)
    for e in p.equipment:
        assert e.acquired_on <= e.last_checked_on <= as_of
        assert (as_of - e.last_checked_on).days <= 150


@pytest.mark.parametrize(
    "as_of",
    [
        dt.date(2026, 1, 3),
        dt.date(2026, 2, 15),
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 30),
        dt.date(2026, 7, 1),
        dt.date(2026, 11, 29),
        dt.date(2026, 12, 31),
        dt.date(2028, 3, 1),
    ],
)
def test_the_plan_year_story_is_relative_to_the_day(as_of):
    villages = [v[0] for v in names.VILLAGES]
    s = plan_year.story(villages, as_of)
    assert s.months == tuple(_history_months(as_of))  # the same window as the viewing history
    assert (
        len(s.months) == 12
        and s.months[-1] == (as_of.year, as_of.month)
        and len(set(s.months)) == 12
    )
    ended = s.ended
    # The very late village: nothing in the last three ended months, nor in the running one.
    assert s.very_late == "齐干套克村"
    assert s.skips["齐干套克村"] == s.no_info["齐干套克村"] == {*ended[-3:], s.months[-1]}
    assert s.no_feedback["齐干套克村"] == s.skips["齐干套克村"]
    # Two villages behind by a month or two, in ended months; one of them still sent its feedback.
    behind = {n: ms for n, ms in s.skips.items() if n != "齐干套克村"}
    assert {n: len(ms) for n, ms in behind.items()} == {"幸福村": 1, "喀拉玛盖村": 2}
    assert all(ms <= set(ended) for ms in behind.values())
    assert "幸福村" not in s.no_feedback and s.no_feedback["喀拉玛盖村"] == behind["喀拉玛盖村"]
    assert s.careless == {"幸福村", "喀拉玛盖村", "齐干套克村"}
    assert s.no_info["永丰村"] <= set(ended) and "永丰村" not in s.skips
    # Reports: the quarters ended by as_of and wholly in the window; the very late misses the last two.
    assert len(s.quarters) >= 3 and list(s.quarters) == sorted(s.quarters)
    for y, q in s.quarters:
        assert quarter_bounds(y, q)[1] <= as_of
        assert {(y, 3 * q - k) for k in (0, 1, 2)} <= set(s.months)
    assert s.missing_reports == {"齐干套克村": set(s.quarters[-2:])}
    names_used = {
        *plan_year.BEHIND,
        *plan_year.INFO_SHORT,
        plan_year.WORKPLAN_REVISED,
        plan_year.REPORT_RETURNED,
        plan_year.REPORT_LATE,
        *plan_year.REPORT_LINES_APPROVED,
        *plan_year.REPORT_LINES_WAITING,
    }
    assert names_used <= set(villages)


@pytest.mark.django_db
def test_demo_builds_a_valid_pastoral_township(settings, tmp_path, clock):  # noqa: F811
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = FAST_HASHER
    out = io.StringIO()
    call_command("demo", stdout=out)

    township = Township.objects.get()
    assert (township.name, township.county.name, township.county.area_code) == (
        "乌伦古乡",
        "福海县",
        "654323",
    )
    villages = Village.objects.filter(township=township)
    assert 11 <= villages.count() <= 13
    assert villages.filter(is_pastoral=True).count() == 4
    assert villages.get(sort_order=1).name == "红星村"
    for v in villages:
        assert v.branch_name == f"{v.name}党支部" and v.secretary
        assert v.points.filter(kind=ViewingPoint.Kind.CLASSROOM).exists()
        if v.is_pastoral:
            assert 1 <= v.points.filter(kind=ViewingPoint.Kind.PASTORAL).count() <= 2
    pastoral_points = ViewingPoint.objects.filter(kind=ViewingPoint.Kind.PASTORAL)
    assert pastoral_points.exists()
    assert all(pt.seasonal_place and pt.address and pt.operator_name for pt in pastoral_points)
    assert Equipment.objects.filter(condition__in=Equipment.OUT_OF_ORDER).exists()
    for pt in pastoral_points:  # herders' points bring their own power
        assert pt.equipment.filter(kind=Equipment.Kind.GENERATOR).exists()

    members = list(Member.objects.select_related("village", "point"))
    assert 550 <= len(members) <= 650
    for m in members:
        m.full_clean()
        assert idcard.parse(m.id_number) == (m.birth_date, m.gender)
    assert len({m.id_number for m in members}) == len(members)
    active = [m for m in members if m.active]
    assert 3 <= len(members) - len(active) <= 5
    assert 10 <= sum(m.point_id is None for m in active) <= 15
    kazakh = [m for m in members if "·" in m.name and m.ethnicity == "哈萨克族"]
    assert len(kazakh) > 100
    assert {"汉族", "哈萨克族", "回族"} <= {m.ethnicity for m in members}

    users = {u.username: u for u in User.objects.all()}
    assert {u.role for u in users.values() if not u.is_superuser} == set(Role)
    assert users["zhanzhang"].role == Role.STATION_ADMIN and users["zhanzhang"].township == township
    assert users["xianli"].role == Role.COUNTY_VIEWER and users["xianli"].county == township.county
    assert users["hongxing"].village.name == "红星村"
    assert users["akedala"].village.name == "阿克达拉村"
    operators = [u for u in users.values() if u.role == Role.VILLAGE_OPERATOR]
    assert {u.village_id for u in operators} == {v.pk for v in villages}
    assert users["admin"].is_superuser
    assert all(u.check_password(builder.demo_password(name)) for name, u in users.items())

    logins = (tmp_path / "demo-logins.txt").read_text()
    assert logins.startswith("演示账号") and "Dj-zhanzhang-2026" in logins
    assert "Dj-hongxing-2026" in out.getvalue()
    assert set(AuditEvent.objects.values_list("actor_label", flat=True)) == {"demo"}
    assert AuditEvent.objects.filter(model="members.member").count() == len(members)

    # A year of history: a library with two overdue loans, sessions in every village, one late
    # entry by exception, corrections, and a logbook whose chains verify.
    from dianjiao.films.models import Film, Loan
    from dianjiao.logbook.models import LateEntryException, LogbookEntry
    from dianjiao.teaching.models import ViewingSession

    assert 35 <= Film.objects.count() <= 45
    assert Loan.objects.overdue().count() == 2
    assert set(ViewingSession.objects.values_list("village", flat=True)) == {v.pk for v in villages}
    assert LateEntryException.objects.count() == 1
    assert LogbookEntry.objects.filter(corrects__isnull=False).exists()
    verify = io.StringIO()
    call_command("verify-logbook", stdout=verify)
    assert verify.getvalue().startswith("OK")
    # The sessions were written in bulk; the coverage kept per month was counted after them.
    from dianjiao.teaching import rollups
    from dianjiao.teaching.models import MonthlyCoverage

    assert MonthlyCoverage.objects.filter(present__gt=0).count() >= len(villages) * 11
    assert rollups.check() == []

    assert (
        "季度报告" in out.getvalue() and "电教信息" in out.getvalue()
    )  # the plan year's summary line
    # A line per stage, and the history's progress village by village up to 100%.
    text = out.getvalue()
    assert [f"[{n}/6]" in text for n in range(1, 7)] == [True] * 6
    assert "（1/12个村，8%）" in text and "（12/12个村，100%）" in text
    _assert_a_believable_plan_year(township)


GREEN = [
    "红星村",
    "团结村",
    "胜利村",
    "友谊村",
    "光明村",
    "新华村",
    "永丰村",
    "阿克达拉村",
    "阔克阿尕什村",
]


def _assert_a_believable_plan_year(township):
    """On the stories' day (29 November 2026): January to October have ended."""
    from dianjiao.compliance.compute import compliance
    from dianjiao.films.models import Film, FilmRequest
    from dianjiao.infoitems import images
    from dianjiao.infoitems.models import InfoItem, InfoItemPhoto
    from dianjiao.plans.models import AnnualPlan, VillageWorkPlan
    from dianjiao.reports.models import QuarterlyReport
    from dianjiao.reports.services import year_quarter_label
    from dianjiao.teaching.models import ViewingSession

    year = TODAY.year
    plan = AnnualPlan.objects.get(township=township, year=year)
    key_films = set(Film.objects.filter(township=township, is_key_film=True))
    assert len(key_films) >= 5 and set(plan.key_films.all()) == key_films
    assert (
        plan.viewings_per_member,
        plan.info_items_per_village_month,
        plan.quarterly_report_due_days,
        plan.joint_meetings,
        plan.summary_meetings,
        plan.trainings,
        plan.pastoral_hours,
    ) == (12, 1, 10, 4, 2, 1, 30)
    assert AnnualPlan.objects.filter(
        township=township, year=year - 1
    ).exists()  # the history began in December

    c = compliance(User.objects.get(username="zhanzhang"), year=year, as_of=TODAY)
    rows = {r.village.name: r for r in c.rows}
    assert {r.months_ended for r in c.rows} == {10}
    reports = QuarterlyReport.objects.filter(village__township=township, year=year)
    # Sent (submitted or approved) by the plan's due day: the tenth day after the quarter.
    on_time = Counter(
        r.village.name
        for r in reports.exclude(status__in=["draft", "returned"])
        if timezone.localdate(r.versions.all()[0].submitted_at)
        <= quarter_bounds(year, r.quarter)[1] + dt.timedelta(days=9)
    )

    def missed(r):
        return r.months_ended - r.months_held

    green = [
        n
        for n, r in rows.items()
        if not missed(r)
        and r.feedback_sent == r.months_ended
        and not r.key_incomplete
        and on_time[n] == 3
        and r.workplan is not None
    ]
    behind = sorted(n for n, r in rows.items() if 1 <= missed(r) <= 2)
    very_late = [n for n, r in rows.items() if missed(r) >= 3]
    assert len(green) >= 8 and green == GREEN
    assert behind == ["喀拉玛盖村", "幸福村"] and [n for n in rows if rows[n].behind] == [
        "幸福村",
        "喀拉玛盖村",
        "齐干套克村",
    ]
    assert very_late == ["齐干套克村"]
    late = rows["齐干套克村"]
    for cell in late.cells[
        7:11
    ]:  # August, September, October and the running November: nothing at all
        assert (cell.held, cell.feedback, cell.info_items) == (False, False, 0), cell.month
    assert all(cell.held and cell.feedback and cell.info_items for cell in late.cells[:7])
    assert (reports.filter(village=late.village).count(), on_time["齐干套克村"], late.workplan) == (
        1,
        1,
        None,
    )
    assert not ViewingSession.objects.filter(
        village=late.village, held_at__gte=local(year, 8, 1)
    ).exists()
    assert not FilmRequest.objects.filter(
        village=late.village, requested_at__gte=local(year, 8, 1)
    ).exists()  # gone quiet
    assert (
        rows["幸福村"].feedback_sent == 10
    )  # it reported its month without a viewing, with the reason
    assert rows["喀拉玛盖村"].feedback_sent == 8
    assert sum(r.key_incomplete for r in rows.values()) >= 1  # the careless villages' four rings

    # Information items: at least one a month from every village, but for the gaps.
    short = {
        n: [cell.month for cell in r.cells[:10] if cell.info_items < 1] for n, r in rows.items()
    }
    assert {n: len(ms) for n, ms in short.items() if ms} == {
        "幸福村": 1,
        "喀拉玛盖村": 2,
        "永丰村": 1,
        "齐干套克村": 3,
    }
    assert short["幸福村"] == [m for m in range(1, 11) if not rows["幸福村"].cells[m - 1].held]
    assert (
        sum(r.info_items for r in rows.values())
        == InfoItem.objects.filter(sent_at__year=year).count()
        > 100
    )
    statuses = Counter(InfoItem.objects.values_list("status", flat=True))
    assert (
        set(statuses) == set(InfoItem.Status)
        and statuses["adopted"] + statuses["published"] > statuses["sent"]
    )
    resent = [i for i in InfoItem.objects.all() if i.versions.count() == 2]
    assert resent and all(i.return_reason and i.status != InfoItem.Status.RETURNED for i in resent)
    assert (
        InfoItem.objects.filter(status=InfoItem.Status.RETURNED).exclude(return_reason="").count()
        == statuses["returned"]
    )
    photos = list(InfoItemPhoto.objects.all())
    assert 1 <= len(photos) <= 10
    for photo in photos:
        assert photo.image.size < 20_000
        with photo.image.open("rb") as f:
            images.check_photo(f)

    # Quarterly reports: the first three quarters; the very late village missed the last two.
    assert Counter(reports.values_list("quarter", flat=True)) == {1: 12, 2: 11, 3: 11}
    assert Counter(reports.values_list("status", flat=True)) == {"approved": 31, "submitted": 3}
    waiting = reports.filter(status=QuarterlyReport.Status.SUBMITTED)
    assert {r.village.name for r in waiting} == {"新华村", "阔克阿尕什村", "喀拉玛盖村"}
    assert waiting.get(village__name="喀拉玛盖村").submitted_at.date() > quarter_bounds(year, 3)[
        1
    ] + dt.timedelta(days=9)
    returned = reports.get(village__name="胜利村", quarter=2)
    assert [(v.number, v.outcome, bool(v.reason)) for v in returned.versions.all()] == [
        (1, "returned", True),
        (2, "approved", False),
    ]
    assert returned.versions.all()[0].narrative != returned.versions.all()[1].narrative
    assert all(r.versions.count() == 1 for r in reports.exclude(pk=returned.pk))
    # Approval turned the film lines into film requests; those still waiting have not made any yet.
    with_lines = reports.exclude(film_lines=[])
    assert {r.village.name for r in with_lines} == {
        "红星村",
        "友谊村",
        "阿克达拉村",
        "新华村",
        "阔克阿尕什村",
    }
    made = FilmRequest.objects.filter(source__in={year_quarter_label(r) for r in with_lines})
    assert sorted(r.village.name for r in made) == ["友谊村", "红星村", "阿克达拉村"]
    for r in with_lines.filter(status=QuarterlyReport.Status.APPROVED):
        request = made.get(village=r.village)
        assert sorted(
            (line.film_id, line.wanted_on.isoformat()) for line in request.lines.all()
        ) == sorted((line["film"], line["wanted_on"]) for line in r.film_lines)

    # Work plans: every village but the very late one; 红星村 revised its plan in March.
    plans = VillageWorkPlan.objects.filter(village__township=township, year=year)
    assert {p.village.name for p in plans} == set(rows) - {"齐干套克村"}
    assert (
        rows["红星村"].workplan.version == 2 and plans.filter(village__name="红星村").count() == 2
    )


@pytest.mark.django_db
def test_if_empty_leaves_an_existing_database_alone(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    factories.member(factories.village())
    (tmp_path / "demo-logins.txt").write_text("演示账号\nzhanzhang ...\n")
    before = (Township.objects.count(), Member.objects.count(), AuditEvent.objects.count())
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert (Township.objects.count(), Member.objects.count(), AuditEvent.objects.count()) == before
    assert "跳过" in out.getvalue() and "演示账号" in out.getvalue()


@pytest.mark.django_db
def test_without_if_empty_it_refuses_to_duplicate(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    factories.township()
    with pytest.raises(CommandError, match="已有"):
        call_command("demo", stdout=io.StringIO())
    assert Township.objects.count() == 1
    assert not (tmp_path / "demo-logins.txt").exists()
