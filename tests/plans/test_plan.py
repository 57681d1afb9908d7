"""The township's annual plan (validated targets) and the villages' own work plans (R1)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.accounts.models import Role
from dianjiao.compliance import compute
from dianjiao.films.models import Film
from dianjiao.plans.forms import AnnualPlanForm, WorkPlanForm
from dianjiao.plans.models import AnnualPlan, VillageWorkPlan
from dianjiao.plans.services import plan_save, workplan_submit
from dianjiao.teaching.plan import viewing_target
from tests import factories

GOOD = {
    "viewings_per_member": 12,
    "info_items_per_village_month": 1,
    "quarterly_report_due_days": 10,
    "joint_meetings": 4,
    "summary_meetings": 2,
    "trainings": 1,
    "pastoral_hours": 30,
    "monthly_inspection": "on",
}


def form(world, **data):
    return AnnualPlanForm({**GOOD, **data}, township=world.township, year=2026)


def save(f, user):
    """What the plan page does with a valid form: the service takes its cleaned data."""
    return plan_save(user=user, township=f.township, year=f.instance.year, **f.cleaned_data)


def test_a_valid_plan_is_saved_with_the_townships_key_films(world):
    film = Film.objects.create(township=world.township, title="榜样8", duration_minutes=90)
    f = form(world, key_films=[film.pk])
    assert f.is_valid(), f.errors
    plan = save(f, world.station)
    assert plan.township == world.township and plan.year == 2026
    assert list(plan.key_films.all()) == [film]
    assert plan.updated_by == world.station


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("viewings_per_member", 0, "1"),
        ("viewings_per_member", 53, "52"),
        ("info_items_per_village_month", 0, "1"),
        ("trainings", 0, "1"),
        ("joint_meetings", -1, "0"),
        ("pastoral_hours", -5, "0"),
        ("pastoral_hours", 20, "不得少于30学时"),
    ],
)
def test_negative_or_inconsistent_targets_are_refused_next_to_the_field(
    world, field, value, message
):
    f = form(world, **{field: value})
    assert not f.is_valid()
    assert message in " ".join(f.errors[field])


def test_a_film_of_another_township_cannot_be_a_key_film(world):
    far = Film.objects.create(
        township=world.other_township, title="别乡的片子", duration_minutes=30
    )
    f = form(world, key_films=[far.pk])
    assert not f.is_valid()
    assert "key_films" in f.errors


def test_the_service_itself_refuses_another_townships_film_and_station(world):
    """plan_save checks what the form checks: a key film from another township's library is
    refused next to the field, and another township's station may not set this plan."""
    far = Film.objects.create(
        township=world.other_township, title="别乡的片子", duration_minutes=30
    )
    f = form(world)
    assert f.is_valid()
    data = {**f.cleaned_data, "key_films": [far]}
    with pytest.raises(ValidationError) as refused:
        plan_save(user=world.station, township=world.township, year=2026, **data)
    assert refused.value.message_dict == {"key_films": ["年度重点片必须是本乡镇片库中的影片"]}
    other_station = factories.user(
        "station9", Role.STATION_ADMIN, township_obj=world.other_township
    )
    with pytest.raises(PermissionDenied):
        plan_save(user=other_station, township=world.township, year=2026, **f.cleaned_data)
    with pytest.raises(ValidationError) as low:
        plan_save(
            user=world.station,
            township=world.township,
            year=2026,
            **{**f.cleaned_data, "pastoral_hours": 10},
        )
    assert "pastoral_hours" in low.value.message_dict
    assert not AnnualPlan.objects.exists()


def test_read_only_roles_cannot_save_a_plan(world):
    f = form(world)
    assert f.is_valid()
    with pytest.raises(PermissionDenied):
        save(f, world.leader)


def test_the_viewing_target_comes_from_the_plan_falling_back_to_12(world):
    assert viewing_target(2026) == 12
    AnnualPlan.objects.create(township=world.township, year=2026, viewings_per_member=10)
    assert viewing_target(2026) == 10
    assert viewing_target(2026, world.township) == 10
    assert viewing_target(2026, world.other_township) == 12
    assert viewing_target(2025) == 12


def test_a_resubmitted_work_plan_is_a_new_version_the_old_one_kept(world):
    text = "全年每月组织一次集中收看，重点片按四环节教学。"
    first = workplan_submit(village=world.village, year=2026, text=text, user=world.operator)
    second = workplan_submit(
        village=world.village, year=2026, text=text + "冬季增加技术片。", user=world.operator
    )
    assert (first.version, second.version) == (1, 2)
    assert VillageWorkPlan.objects.filter(village=world.village, year=2026).count() == 2
    assert second.township == world.township
    other = workplan_submit(village=world.pastoral, year=2026, text=text, user=world.other_op)
    assert other.version == 1


def test_an_empty_work_plan_is_refused():
    assert not WorkPlanForm({"text": "  收看 "}).is_valid()


def test_each_townships_members_are_measured_against_their_own_plan(world):
    """The county sees two townships with different plans: each member's record carries the
    target of their own township, read in one query whatever the number of townships."""
    import datetime as dt

    from dianjiao.members.models import Member
    from dianjiao.teaching import selectors

    AnnualPlan.objects.create(township=world.township, year=2026, viewings_per_member=10)
    AnnualPlan.objects.create(township=world.other_township, year=2026, viewings_per_member=11)
    lists = {
        b.village.name: b
        for b in selectors.behind_target(
            world.county_viewer, year=2026, as_of=dt.date(2026, 11, 29)
        )
    }
    assert {r.target for r in lists["红星村"].behind} == {10}
    assert {r.target for r in lists["喀拉吉拉村"].behind} == {11}
    assert Member.objects.filter(village=world.far_village).count() == 1
    records = selectors.village_learning(
        world.station, world.village, year=2026, as_of=dt.date(2026, 11, 29)
    )
    assert records and {r.target for r in records} == {10}


def test_the_running_years_plan_decides_which_films_are_key(world):
    """Saving this year's plan marks its key films in the library and unmarks the others; a
    new plan's form starts from the library's marks; last year's plan changes no mark."""
    from dianjiao.audit.models import AuditEvent
    from dianjiao.lib.dates import today

    old = Film.objects.create(
        township=world.township, title="旧重点片", duration_minutes=60, is_key_film=True
    )
    new = Film.objects.create(township=world.township, title="榜样9", duration_minutes=90)
    far = Film.objects.create(
        township=world.other_township, title="别乡重点片", duration_minutes=30, is_key_film=True
    )
    f = AnnualPlanForm({**GOOD, "key_films": [new.pk]}, township=world.township, year=today().year)
    assert f.initial["key_films"] == [old.pk]
    assert f.is_valid(), f.errors
    save(f, world.station)
    assert {x.title: x.is_key_film for x in Film.objects.order_by("pk")} == {
        "旧重点片": False,
        "榜样9": True,
        "别乡重点片": True,
    }
    changed = AuditEvent.objects.filter(
        model="films.film", action="update", object_pk__in=[str(old.pk), str(new.pk)]
    )
    assert changed.count() == 2
    last_year = AnnualPlanForm(
        {**GOOD, "key_films": [old.pk]}, township=world.township, year=today().year - 1
    )
    assert last_year.is_valid()
    save(last_year, world.station)
    assert not Film.objects.get(pk=old.pk).is_key_film and far.is_key_film


def test_marking_a_film_key_later_does_not_change_past_sessions(world, cast, clock):
    """A monthly showing of a film that was not key needs no four rings; when next year's plan
    (or the library) makes the film key, that past session stays what it was."""
    from dianjiao.lib.dates import today
    from tests.teaching.conftest import local, record

    clock.at = local(2026, 3, 10, 12)
    past = record(cast, held_at=local(2026, 3, 10, 9), films=[cast.film])
    clock.at = local(2026, 11, 29, 10)
    assert not past.is_key
    f = AnnualPlanForm(
        {**GOOD, "key_films": [cast.film.pk]}, township=world.township, year=today().year
    )
    assert f.is_valid(), f.errors
    save(f, world.station)
    assert Film.objects.get(pk=cast.film.pk).is_key_film
    past.refresh_from_db()
    assert not past.is_key
    march = (
        compute.compliance(world.station, year=2026, as_of=dt.date(2026, 11, 29)).rows[0].cells[2]
    )
    assert (march.sessions, march.key_sessions, march.four_ring_ok) == (1, 0, None)
    # Shown after the mark, the film is taught with the four rings: preparation is asked for.
    with pytest.raises(ValidationError, match="重点片须先备课"):
        record(cast, held_at=local(2026, 11, 29, 9), films=[cast.film])


def test_sessions_recorded_before_the_mark_was_stored_take_it_from_their_films(world, cast, clock):
    import importlib

    from django.apps import apps

    from dianjiao.teaching.models import ViewingSession
    from tests.teaching.conftest import local, record, record_key

    migration = importlib.import_module(
        "dianjiao.teaching.migrations.0002_session_key_mark_fixed_at_recording"
    )
    plain = record(cast, held_at=local(2026, 11, 29, 8), films=[cast.film])
    key = record_key(cast, held_at=local(2026, 11, 29, 9))
    ViewingSession.objects.update(key_session=False)  # as the column arrived
    migration.mark_key_sessions(apps, None)
    assert dict(ViewingSession.objects.values_list("pk", "key_session")) == {
        plain.pk: False,
        key.pk: True,
    }
