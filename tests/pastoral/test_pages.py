"""The campaign pages: list, ledger with drill-down, .xlsx export, the station's forms, scope."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from dianjiao.pastoral import services
from dianjiao.pastoral.models import Campaign, PastoralPoint
from dianjiao.plans.models import AnnualPlan
from tests.api.conftest import Phone


def test_the_ledger_page_shows_the_hours_and_drills_down(season, login):
    page = login(season.world.station).get(f"/pastoral/{season.campaign.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "乌伦古河秋牧场" in html and "齐干套克村" in html
    assert "6.0" in html and "3.5" in html and "2.5" in html
    drill = login(season.world.station).get(
        f"/pastoral/{season.campaign.pk}/?village={season.qigan.pk}"
    )
    assert drill.content.decode().count("/teaching/") >= 1
    assert len(drill.context["drill"]["sessions"]) == 1


def test_the_export_holds_the_ledger_and_user_text_never_becomes_a_formula(season, login):
    PastoralPoint.objects.filter(pk=season.autumn.pk).update(name='=HYPERLINK("http://x","y")')
    r = login(season.world.station).get(f"/pastoral/{season.campaign.pk}/ledger.xlsx")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    ledger, detail = wb.worksheets
    rows = list(ledger.iter_rows(min_row=2, values_only=True))
    assert rows[0][1:6] == ("2026年秋季转场流动教学", 3, 2.3, 3.7, 6.0)
    cell = next(c for c in ledger["B"] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    assert detail.max_row == 1 + 3


def test_only_the_station_creates_campaigns_and_points(world, login, clock):
    assert login(world.operator).get("/pastoral/new/").status_code == 403
    assert login(world.inspector).get("/pastoral/new/").status_code == 403
    client = login(world.station)
    r = client.post(
        "/pastoral/new/",
        {"name": "2027年春季转场", "starts_on": "2027-04-01", "ends_on": "2027-06-30"},
    )
    campaign = Campaign.objects.get()
    assert r.status_code == 302 and campaign.target_hours == 30  # no plan for 2027: R13's 30
    r = client.post(
        f"/pastoral/{campaign.pk}/points/new/",
        {"name": "春牧场", "river_area": "ulungur", "villages": [world.pastoral.pk]},
    )
    assert r.status_code == 302
    point = campaign.points.get()
    assert list(point.viewing_points.all()) == [world.pastoral_point]
    # Another township's station cannot see it.
    assert login(world.outsider).get(f"/pastoral/{campaign.pk}/").status_code == 404


def test_the_target_comes_from_the_years_plan(world, clock):
    AnnualPlan.objects.create(township=world.township, year=2027, pastoral_hours=40)
    campaign = services.campaign_create(
        user=world.station,
        township=world.township,
        name="2027年春季转场",
        starts_on=dt.date(2027, 4, 1),
        ends_on=dt.date(2027, 6, 30),
    )
    assert campaign.target_hours == 40


def test_a_viewing_point_counts_for_one_camp_of_a_campaign(season):
    with pytest.raises(ValidationError) as exc:
        services.point_add(
            user=season.world.station,
            campaign=season.campaign,
            name="又一个点",
            river_area="other",
            villages=[season.world.pastoral],
            viewing_points=[season.world.pastoral_point],
        )
    assert "viewing_points" in exc.value.message_dict


def test_the_form_refuses_dates_out_of_order_next_to_the_field(world, login, clock):
    r = login(world.station).post(
        "/pastoral/new/", {"name": "错", "starts_on": "2027-06-01", "ends_on": "2027-04-01"}
    )
    assert r.status_code == 200
    assert "结束日期不能早于开始日期" in r.content.decode()
    assert not Campaign.objects.exists()


def test_the_phone_gets_open_campaigns_in_its_bootstrap(season):
    season.clock.at = season.clock.at.replace(month=11, day=15)
    body = Phone("other_op").get("/api/v1/bootstrap").json()
    [campaign] = body["campaigns"]
    assert campaign["name"] == "2026年秋季转场流动教学"
    names = {p["name"]: p for p in campaign["points"]}
    assert names["乌伦古河秋牧场"]["viewing_points"] == [season.world.pastoral_point.pk]
    assert names["乌伦古河秋牧场"]["latitude"] == 46.99
