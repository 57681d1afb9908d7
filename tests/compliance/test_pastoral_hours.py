"""R13's hours in compliance and on the dashboard are the campaigns' ledger's: the hand-made season
of tests/pastoral/conftest.py (6.0 hours in all: 阿克达拉村 3.5, 齐干套克村 2.5), where a pastoral
session after the campaign, a monthly showing and a pastoral session at a point of no camp do
not count. Counting every pastoral session of the year, as compliance once did, gives 8.0."""

import pytest
from django.urls import reverse

from dianjiao.compliance import compute
from dianjiao.pastoral import selectors
from dianjiao.plans.models import AnnualPlan
from tests.clock import TODAY
from tests.pastoral.conftest import HAND_COMPUTED, Season


@pytest.fixture
def season(world, clock):
    s = Season(world, clock)
    s.record_all()
    return s


def test_compliance_reads_the_ledgers_hours_per_village_and_in_all(season):
    w = season.world
    ledger = selectors.campaign_ledger(w.station, season.campaign)
    c = compute.compliance(w.station, year=2026, as_of=TODAY)
    rows = {r.village.name: r for r in c.rows}
    assert {name: rows[name].pastoral_hours for name in ("阿克达拉村", "齐干套克村")} == {
        r.obj.name: r.hours.total_hours for r in ledger.villages
    }
    assert rows["阿克达拉村"].pastoral_minutes == sum(HAND_COMPUTED["阿克达拉村"][1:])
    assert rows["红星村"].pastoral_minutes == 0  # its pastoral session was at no camp
    assert c.pastoral_hours == ledger.total.total_hours == 6.0
    # The county's township row reads the same.
    county = compute.compliance(w.county_viewer, year=2026, as_of=TODAY)
    town = next(t for t in county.by_township() if t.township == w.township)
    assert town.pastoral_hours == 6.0


def test_the_dashboard_and_the_ledger_page_show_the_same_hours(season, login):
    w = season.world
    AnnualPlan.objects.create(township=w.township, year=2026, pastoral_hours=30)
    client = login(w.station)
    dashboard = client.get(reverse("planning:dashboard"), {"year": 2026}).content.decode()
    assert "<b>6.0/30</b>" in dashboard
    assert 'class="num">3.5</td>' in dashboard and 'class="num">2.5</td>' in dashboard
    ledger = client.get(reverse("pastoral:detail", args=[season.campaign.pk])).content.decode()
    assert "<strong>6.0</strong>" in ledger
    assert ">3.5</td>" in ledger and ">2.5</td>" in ledger
