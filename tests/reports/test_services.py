import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dianjiao.films.models import FilmRequest
from dianjiao.reports import services
from dianjiao.reports.models import QuarterlyReport
from tests.teaching.conftest import ABSENT, NOW, local, record, record_key

pytestmark = pytest.mark.django_db


def _q3(world, **kw):
    kw.setdefault("narrative", "本季度按计划播放。")
    return services.report_create(
        village=world.village, author=world.operator, year=2026, quarter=3, **kw
    )


def test_quarter_not_ended_refused(world, clock):
    with pytest.raises(ValidationError, match="尚未结束"):
        services.report_create(village=world.village, author=world.operator, year=2026, quarter=4)


def test_second_report_refused(world, clock):
    _q3(world)
    with pytest.raises(ValidationError, match="已存在"):
        _q3(world)


def test_only_village_operator_or_station_writes(world, clock):
    for user in (world.leader, world.inspector, world.county_viewer):
        with pytest.raises(PermissionDenied):
            services.report_create(village=world.village, author=user, year=2026, quarter=3)
    with pytest.raises(PermissionDenied):
        services.report_create(village=world.village, author=world.other_op, year=2026, quarter=3)
    with pytest.raises(PermissionDenied):
        services.report_create(village=world.village, author=world.outsider, year=2026, quarter=3)
    assert services.report_create(village=world.village, author=world.station, year=2026, quarter=3)


def test_figures_from_hand_counted_sessions(world, cast, clock):
    # July: a monthly showing, 3 of 4 present; September: a key film with the four rings, all present.
    clock.at = local(2026, 7, 10, 10, 0)
    record(
        cast,
        held_at=local(2026, 7, 10, 9, 0),
        attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")},
    )
    clock.at = local(2026, 9, 5, 12, 0)
    record_key(cast, held_at=local(2026, 9, 5, 9, 0))
    clock.at = NOW
    report = _q3(world)
    f = report.figures
    assert f["sessions"] == 2
    assert f["expected"] == 8 and f["present"] == 7 and f["rate"] == 87.5
    assert f["key_sessions"] == 1 and f["key_complete"] == 1
    assert f["months_without"] == [8]
    assert set(f["films"]) == {cast.film.title, cast.key_film.title}


def test_return_needs_reason_and_keeps_versions(world, clock):
    report = services.report_submit(_q3(world), user=world.operator)
    with pytest.raises(PermissionDenied):
        services.report_return(report, user=world.operator, reason="x")
    with pytest.raises(ValidationError, match="理由"):
        services.report_return(report, user=world.station, reason="  ")
    report = services.report_return(report, user=world.station, reason="缺少八月情况")
    assert report.status == QuarterlyReport.Status.RETURNED
    report = services.report_edit(
        report, user=world.operator, narrative="补充：八月因转场未播放。", plan="十月播放《榜样8》"
    )
    report = services.report_submit(report, user=world.operator)
    versions = list(report.versions.all())
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].narrative == "本季度按计划播放。" and versions[0].outcome == "returned"
    assert versions[0].reason == "缺少八月情况"
    assert versions[1].narrative.startswith("补充")


def test_approval_creates_film_request(world, cast, clock):
    wanted = dt.date(2026, 12, 20)
    report = services.report_submit(
        _q3(world, lines=[(cast.key_film.pk, wanted)]), user=world.operator
    )
    with pytest.raises(PermissionDenied):
        services.report_approve(report, user=world.leader)
    report = services.report_approve(report, user=world.station)
    assert report.status == QuarterlyReport.Status.APPROVED
    req = FilmRequest.objects.get(village=world.village)
    assert "2026年第3季度" in req.source
    assert [(line.film, line.wanted_on) for line in req.lines.all()] == [(cast.key_film, wanted)]
    with pytest.raises(ValidationError):
        services.report_approve(report, user=world.station)


def test_film_of_other_township_refused(world, cast, clock):
    with pytest.raises(ValidationError):
        _q3(world, lines=[(cast.far_film.pk, dt.date(2026, 12, 20))])
