"""The campaign ledger against the hand-computed fixture (tests/pastoral/conftest.py), and the
per-village minutes compliance is to read."""

from dianjiao.pastoral import selectors
from tests.pastoral.conftest import HAND_COMPUTED


def _figures(hours):
    return (hours.sessions, hours.teaching, hours.viewing)


def test_the_ledger_sums_teaching_and_viewing_per_camp_village_and_campaign(season):
    ledger = selectors.campaign_ledger(season.world.station, season.campaign)
    assert _figures(ledger.total) == HAND_COMPUTED["total"]
    assert {r.obj.name: _figures(r.hours) for r in ledger.points} == {
        k: HAND_COMPUTED[k] for k in ("乌伦古河秋牧场", "额尔齐斯河冬窝子")
    }
    assert {r.obj.name: _figures(r.hours) for r in ledger.villages} == {
        k: HAND_COMPUTED[k] for k in ("阿克达拉村", "齐干套克村")
    }
    # Hours as the page shows them.
    t = ledger.total
    assert (t.teaching_hours, t.viewing_hours, t.total_hours) == (2.3, 3.7, 6.0)
    autumn = ledger.points[0] if ledger.points[0].obj.name == "乌伦古河秋牧场" else ledger.points[1]
    assert (autumn.hours.teaching_hours, autumn.hours.viewing_hours) == (1.3, 2.2)
    # Against the target of 5 hours: the campaign meets it, neither village does alone.
    assert ledger.met
    assert [r.met for r in ledger.villages] == [False, False]
    assert [r.pct for r in ledger.villages] == [70.0, 50.0]


def test_the_ledger_costs_a_fixed_number_of_queries(season, django_assert_num_queries):
    with django_assert_num_queries(4):
        ledger = selectors.campaign_ledger(season.world.station, season.campaign)
        [list(r.obj.villages.all()) for r in ledger.points]


def test_an_operator_sees_only_their_own_villages_part(season):
    ledger = selectors.campaign_ledger(season.world.other_op, season.campaign)
    assert _figures(ledger.total) == HAND_COMPUTED["阿克达拉村"]
    assert [r.obj.name for r in ledger.villages] == ["阿克达拉村"]


def test_the_drill_down_lists_the_sessions_behind_a_figure(season):
    sessions = selectors.ledger_sessions(
        season.world.station, season.campaign, point_id=season.autumn.pk
    )
    assert [(s.held_at.day, s.duration_minutes, s.teaching_minutes) for s in sessions] == [
        (3, 120, 45),
        (10, 90, 35),
    ]
    by_village = selectors.ledger_sessions(
        season.world.station, season.campaign, village_id=season.qigan.pk
    )
    assert [s.duration_minutes for s in by_village] == [150]


def test_compliance_reads_the_same_minutes_per_village(season, django_assert_num_queries):
    with django_assert_num_queries(1):
        minutes = selectors.pastoral_minutes_by_village(season.world.station, year=2026)
    w = season.world
    assert {v: (m.teaching, m.viewing) for v, m in minutes.items()} == {
        w.pastoral.pk: HAND_COMPUTED["阿克达拉村"][1:],
        season.qigan.pk: HAND_COMPUTED["齐干套克村"][1:],
    }
    assert minutes[w.pastoral.pk].hours == 3.5
    assert selectors.pastoral_minutes_by_village(w.station, year=2025) == {}
