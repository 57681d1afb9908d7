"""`dianjiao demo`: a realistic, deterministic township that always passes validation."""

import dataclasses
import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from dianjiao.accounts.models import Role, User
from dianjiao.audit.models import AuditEvent
from dianjiao.demo import builder
from dianjiao.lib import idcard
from dianjiao.members.models import Member
from dianjiao.orgs.models import Equipment, Township, ViewingPoint, Village
from tests import factories

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the real one costs ~0.4 s a user


def _identity(p: builder.DemoPlan):
    """What must not move with the date: who the people are."""
    return [(m.village, m.name, m.gender, m.ethnicity, m.birth_date, m.id_number, m.point)
            for m in p.members]


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


@pytest.mark.django_db
def test_demo_builds_a_valid_pastoral_township(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = FAST_HASHER
    out = io.StringIO()
    call_command("demo", stdout=out)

    township = Township.objects.get()
    assert (township.name, township.county.name, township.county.area_code) == (
        "乌伦古乡", "福海县", "654323")
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
