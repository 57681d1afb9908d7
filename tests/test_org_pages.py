"""Villages, points, equipment and the coverage page."""

import datetime as dt

from dianjiao.orgs.models import Equipment, ViewingPoint
from tests.factories import equipment, member, point, village


def test_it_counts_coverage_from_the_records(world, login):
    # 红星村: 张三 at a point, plus one member with no point; the TV at 村委会电教室 breaks.
    member(world.village, "王五", None, birth=dt.date(1968, 2, 2))
    equipment(
        world.point,
        kind=Equipment.Kind.PLAYER,
        condition=Equipment.Condition.FAULTY,
        repair_notes="读不了碟",
    )
    response = login(world.station).get("/coverage/")
    totals = response.context["totals"]
    assert (totals["n_villages"], totals["n_points"], totals["n_members"]) == (2, 2, 3)
    assert (totals["n_unassigned"], totals["n_faulty"]) == (1, 1)
    assert totals["reach_pct"] == round(100 * 2 / 3, 1)
    html = response.content.decode()
    assert "王五" in html and "读不了碟" in html
    assert "李四" not in html  # another township's member


def test_it_draws_the_coverage_page_in_a_fixed_number_of_queries(
    world, login, django_assert_num_queries
):
    member(
        world.village, "王五", None, birth=dt.date(1968, 2, 2)
    )  # so the unassigned list is drawn
    client = login(world.station)
    client.get("/coverage/")
    with django_assert_num_queries(8) as before:
        client.get("/coverage/")
    for i in range(10):
        v = village(f"新村{i}", sort_order=10 + i)
        p = point(v)
        equipment(p, condition=Equipment.Condition.REPAIRING, repair_notes="送修")
        member(v, f"成员{i}", p, birth=dt.date(1960 + i, 1, 1))
        member(v, f"无点{i}", None, birth=dt.date(1970 + i, 1, 1))
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get("/coverage/")
    assert response.context["totals"]["n_faulty"] == 10
    assert response.context["totals"]["n_unassigned"] == 11


def test_it_draws_a_village_in_a_fixed_number_of_queries(world, login, django_assert_num_queries):
    client = login(world.station)
    client.get(f"/villages/{world.village.pk}/")
    with django_assert_num_queries(7):
        client.get(f"/villages/{world.village.pk}/")
    for i in range(5):
        equipment(point(world.village, f"点{i}"))
    with django_assert_num_queries(7):
        response = client.get(f"/villages/{world.village.pk}/")
    assert len(response.context["points"]) == 6


def test_it_requires_a_seasonal_place_for_a_pastoral_point(world, login):
    client = login(world.other_op)
    data = {"village": world.pastoral.pk, "name": "冬牧场点", "kind": "pastoral", "active": "on"}
    response = client.post("/points/new/", data)
    assert "季节性驻地" in response.context["form"].errors["seasonal_place"][0]
    assert not ViewingPoint.objects.filter(name="冬牧场点").exists()
    data["seasonal_place"] = "额尔齐斯河冬牧场"
    assert client.post("/points/new/", data).status_code == 302


def test_it_asks_for_repair_notes_when_equipment_breaks(world, login):
    client = login(world.operator)
    response = client.post(f"/equipment/{world.tv.pk}/edit/", {"kind": "tv", "condition": "faulty"})
    assert "维修记录" in response.context["form"].errors["repair_notes"][0]
    world.tv.refresh_from_db()
    assert world.tv.condition == "good"


def test_it_refuses_a_check_date_in_the_future(world, login):
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = login(world.operator).post(
        f"/equipment/{world.tv.pk}/edit/",
        {"kind": "tv", "condition": "good", "last_checked_on": future},
    )
    assert response.context["form"].errors["last_checked_on"] == ["日期不能晚于今天"]


def test_it_keeps_the_admin_for_staff_and_never_deletes(world, client, django_user_model):
    from django.contrib import admin

    client.force_login(world.station, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/").status_code == 302  # not staff
    superuser = django_user_model.objects.create_superuser("root", password="x-Long-Enough-1")
    request = type("R", (), {"user": superuser})()
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in {
            "orgs",
            "members",
            "accounts",
            "audit",
            "films",
            "logbook",
            "teaching",
        }:
            assert not model_admin.has_delete_permission(request), model


def test_it_shows_the_stations_film_announcements_on_a_villages_home_page(world, login):
    import datetime as dt

    from dianjiao.films.models import Film
    from dianjiao.films.services import announcement_publish
    from dianjiao.lib.dates import today

    film = Film.objects.create(
        township=world.township, title="榜样9", duration_minutes=60, is_key_film=True
    )
    announcement_publish(
        user=world.station,
        title="第一季度供片",
        films=[film],
        period_start=today(),
        period_end=today() + dt.timedelta(days=60),
    )
    html = login(world.operator).get("/").content.decode()
    assert "第一季度供片" in html and "榜样9" in html
    assert "第一季度供片" not in login(world.outsider).get("/").content.decode()


def test_a_user_who_sees_no_village_gets_empty_coverage_pages(world, login):
    """Whoever sees no village (not logged in, or a county viewer whose county is missing, as
    an account saved before the role required one) gets no village and no failure."""
    from django.contrib.auth.models import AnonymousUser

    from dianjiao.accounts.models import User
    from dianjiao.compliance.coverage import villages_with_coverage

    assert list(villages_with_coverage(AnonymousUser())) == []
    User.objects.filter(pk=world.county_viewer.pk).update(county=None)
    world.county_viewer.refresh_from_db()
    assert list(villages_with_coverage(world.county_viewer)) == []
    client = login(world.county_viewer)
    for url in ("/coverage/", "/villages/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.context["totals"]["n_villages"] == 0
        assert "红星村" not in response.content.decode()
