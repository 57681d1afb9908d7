"""The Django admin is for superusers only: it reads and writes past the township scope and the
write rules, so a station administrator (even one marked staff) or any other staff user gets
nothing from it, not even the list of models."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dianjiao.accounts.models import Role
from dianjiao.films.models import Film
from tests import factories

ADMIN_URLS = [
    reverse("admin:index"),
    reverse("admin:films_film_changelist"),
    reverse("admin:accounts_user_changelist"),
]


def _login_url(url):
    return f"{reverse('admin:login')}?next={url}"


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_a_station_admin_marked_staff_cannot_use_the_admin(world, login, url):
    world.station.is_staff = True
    world.station.save()
    # Even the model permissions Django's admin would honour do not open it.
    world.station.user_permissions.set(Permission.objects.filter(codename__endswith="_film"))
    response = login(world.station).get(url)
    assert response.status_code == 302
    assert response["Location"] == _login_url(url)


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_other_staff_users_cannot_use_the_admin(world, login, url):
    for user in (world.operator, world.leader, world.county_viewer):
        user.is_staff = True
        user.save()
        response = login(user).get(url)
        assert response.status_code == 302, user
        assert response["Location"] == _login_url(url)


def test_a_staff_user_cannot_change_a_record_through_the_admin(world, login, cast_film):
    world.station.is_staff = True
    world.station.save()
    world.station.user_permissions.set(Permission.objects.filter(codename__endswith="_film"))
    url = reverse("admin:films_film_change", args=[cast_film.pk])
    response = login(world.station).post(url, {"title": "改过的片名"})
    assert response.status_code == 302
    cast_film.refresh_from_db()
    assert cast_film.title != "改过的片名"


def test_an_inactive_superuser_cannot_use_the_admin(world, login):
    boss = factories.user(
        "boss", Role.STATION_ADMIN, township_obj=world.township, is_superuser=True, is_staff=True
    )
    assert login(boss).get(reverse("admin:index")).status_code == 200
    boss.is_active = False
    boss.save()
    assert login(boss).get(reverse("admin:index")).status_code == 302


def test_a_superuser_uses_the_admin(world, login, cast_film):
    boss = factories.user(
        "boss", Role.STATION_ADMIN, township_obj=world.township, is_superuser=True, is_staff=True
    )
    client = login(boss)
    assert client.get(reverse("admin:index")).status_code == 200
    page = client.get(reverse("admin:films_film_changelist"))
    assert page.status_code == 200 and cast_film.title in page.content.decode()


def test_only_a_superuser_sees_the_link_to_the_admin(world, login):
    world.station.is_staff = True
    world.station.save()
    assert reverse("admin:index") not in login(world.station).get("/").content.decode()
    boss = factories.user(
        "boss", Role.STATION_ADMIN, township_obj=world.township, is_superuser=True, is_staff=True
    )
    assert reverse("admin:index") in login(boss).get("/").content.decode()


@pytest.fixture
def cast_film(world):
    return Film.objects.create(township=world.township, title="草原上的党课", duration_minutes=30)
