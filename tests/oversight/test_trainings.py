"""Trainings (R4, issue 12 part 7): the files handed out (uploaded by the station, downloaded by
whoever reads the training, withdrawn but never deleted) and every AV cadre's training history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dianjiao.audit.models import AuditEvent
from dianjiao.oversight import selectors, services
from dianjiao.oversight.models import TrainingMaterial
from tests.oversight.matrix import pdf


def _training(world, *, title="电教业务培训", day=dt.date(2026, 5, 10), hours=6, attendees=None):
    return services.training_record(
        user=world.station,
        township=world.township,
        kind="theory",
        title=title,
        starts_on=day,
        ends_on=day,
        hours=hours,
        trainers="县电教中心",
        attendees=[{"village": world.village, "name": "刘电教"}]
        if attendees is None
        else attendees,
    )


# ---------------------------------------------------------------- materials


def test_the_station_uploads_a_material_and_the_villages_download_it(world, login):
    t = _training(world)
    station = login(world.station)
    form = station.get(reverse("oversight:training_material_add", args=[t.pk]))
    assert form.status_code == 200 and "不超过 5 MB" in form.text
    response = station.post(
        reverse("oversight:training_material_add", args=[t.pk]),
        {"title": "", "file": pdf("十九大精神讲义.pdf")},
    )
    assert response.status_code == 302
    m = TrainingMaterial.objects.get()
    assert (m.title, m.original_name, m.content_type) == (
        "十九大精神讲义",
        "十九大精神讲义.pdf",
        "application/pdf",
    )
    assert AuditEvent.objects.filter(
        model="oversight.trainingmaterial", actor=world.station
    ).exists()
    for user in (world.operator, world.other_op, world.county_viewer, world.leader):
        page = login(user).get(reverse("oversight:training", args=[t.pk]))
        assert "十九大精神讲义" in page.text
        download = login(user).get(reverse("oversight:training_material", args=[m.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"].startswith("attachment;")
        assert "%E8%AE%B2%E4%B9%89.pdf" in download["Content-Disposition"]  # 讲义.pdf
    assert (
        login(world.outsider).get(reverse("oversight:training_material", args=[m.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("讲义.exe", b"MZ\x90\x00", "只能上传培训资料"),
        ("讲义.pdf", b"MZ\x90\x00 a program", "内容与扩展名不符"),
        ("讲义.docx", b"%PDF-1.4", "内容与扩展名不符"),
        ("名单.txt", b"a\x00b", "不是文本文件"),
    ],
)
def test_a_file_that_is_not_a_material_is_refused_next_to_the_field(
    world, login, name, body, message
):
    t = _training(world)
    response = login(world.station).post(
        reverse("oversight:training_material_add", args=[t.pk]),
        {"file": SimpleUploadedFile(name, body)},
    )
    assert response.status_code == 200
    assert message in response.text and 'class="error"' in response.text
    assert not TrainingMaterial.objects.exists()


def test_a_file_above_the_upload_limit_is_refused_before_it_is_read(world, login, settings):
    settings.DIANJIAO_MAX_UPLOAD_BYTES = 1024
    t = _training(world)
    response = login(world.station).post(
        reverse("oversight:training_material_add", args=[t.pk]),
        {"file": pdf(body=b"%PDF-1.4\n" + b"x" * 2048)},
    )
    assert "超过 1 KB 上限" in response.text and not TrainingMaterial.objects.exists()
    ok = services.training_material_add(user=world.station, training=t, file=pdf())
    assert ok.size == len(b"%PDF-1.4\n% training notes\n")


def test_only_the_trainings_station_adds_or_withdraws(world):
    t = _training(world)
    for user in (
        world.leader,
        world.inspector,
        world.county_viewer,
        world.operator,
        world.outsider,
    ):
        with pytest.raises(PermissionDenied):
            services.training_material_add(user=user, training=t, file=pdf())
    m = services.training_material_add(user=world.station, training=t, file=pdf())
    for user in (world.leader, world.operator, world.outsider):
        with pytest.raises(PermissionDenied):
            services.training_material_withdraw(user=user, material=m, reason="过时")
    assert TrainingMaterial.objects.get().withdrawn_at is None


def test_a_withdrawn_material_stays_in_the_history(world, login):
    t = _training(world)
    m = services.training_material_add(user=world.station, training=t, file=pdf(), title="旧讲义")
    station = login(world.station)
    url = reverse("oversight:training_material_withdraw", args=[m.pk])
    refused = station.post(url, {"reason": ""})
    assert refused.status_code == 200 and 'class="error"' in refused.text
    assert station.post(url, {"reason": "内容已过时"}).status_code == 302
    m.refresh_from_db()
    assert m.withdrawn and m.withdraw_reason == "内容已过时" and m.withdrawn_by == world.station
    with pytest.raises(ValidationError) as exc:
        services.training_material_withdraw(user=world.station, material=m, reason="再撤")
    assert "已撤回" in str(exc.value)
    # the station still sees it, marked, and can open it; a village is no longer handed it
    page = station.get(reverse("oversight:training", args=[t.pk]))
    assert "旧讲义" in page.text and "已撤回" in page.text and "内容已过时" in page.text
    download = reverse("oversight:training_material", args=[m.pk])
    assert station.get(download).status_code == 200
    village = login(world.operator)
    assert "旧讲义" not in village.get(reverse("oversight:training", args=[t.pk])).text
    assert village.get(download).status_code == 404
    assert TrainingMaterial.objects.filter(pk=m.pk).exists()  # never deleted


# ---------------------------------------------------------------- cadres


def _year_of_trainings(world):
    _training(world, title="春季培训", day=dt.date(2026, 3, 2), hours=Decimal("4.5"))
    _training(
        world,
        title="外出取经",
        day=dt.date(2026, 9, 1),
        hours=8,
        attendees=[
            {"village": world.village, "name": "刘电教"},
            {"village": world.pastoral, "name": "马牧民"},
        ],
    )
    _training(world, title="去年培训", day=dt.date(2025, 6, 1), hours=3)


def test_every_av_cadre_is_listed_with_hours_per_year(world):
    _year_of_trainings(world)
    world.pastoral_point.operator_name = "巴合提"
    world.pastoral_point.save()
    rows = {(c.village.name, c.name): c for c in selectors.cadres_for(world.station)}
    # the attendees, the operators' accounts (by user name when no name is set), the points'
    # operators
    assert set(rows) == {
        ("红星村", "刘电教"),
        ("阿克达拉村", "马牧民"),
        ("阿克达拉村", "巴合提"),
        ("阿克达拉村", "other_op"),
    }
    liu = rows[("红星村", "刘电教")]
    assert liu.account  # the operator's own account and the attendance are one cadre
    assert liu.years == {2026: (2, Decimal("12.5")), 2025: (1, Decimal("3"))}
    assert (liu.trainings, liu.hours) == (3, Decimal("15.5"))
    assert rows[("阿克达拉村", "巴合提")].years == {}  # a point's operator never trained
    # a village sees its own cadres only
    assert [c.name for c in selectors.cadres_for(world.operator)] == ["刘电教"]
    assert selectors.cadres_for(world.outsider) == []


def test_the_cadres_page_and_a_cadres_history(world, login):
    _year_of_trainings(world)
    page = login(world.station).get(reverse("oversight:cadres"), {"year": 2026})
    assert "刘电教" in page.text and "马牧民" in page.text and "2026年学时" in page.text
    url = reverse("oversight:cadre", args=[world.village.pk, "刘电教"])
    assert url in page.text
    history = login(world.operator).get(url)
    assert history.status_code == 200
    text = history.text
    assert text.index("外出取经") < text.index("春季培训") < text.index("去年培训")
    assert "12.5" in text and "15.5" in text
    # from the training's attendance, where the reader may open it
    t = _training(world, title="冬训")
    detail = login(world.operator).get(reverse("oversight:training", args=[t.pk]))
    assert url in detail.text
    neighbour = login(world.other_op).get(reverse("oversight:training", args=[t.pk]))
    assert "刘电教" in neighbour.text and url not in neighbour.text
    assert login(world.other_op).get(url).status_code == 404
    assert login(world.outsider).get(url).status_code == 404
    nobody = reverse("oversight:cadre", args=[world.village.pk, "不存在"])
    assert login(world.station).get(nobody).status_code == 404


def test_training_pages_run_a_fixed_number_of_queries(world, login, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t = _training(world)
    services.training_material_add(user=world.station, training=t, file=pdf())
    client = login(world.station)
    urls = [
        reverse("oversight:cadres"),
        reverse("oversight:cadre", args=[world.village.pk, "刘电教"]),
        reverse("oversight:training", args=[t.pk]),
        reverse("oversight:trainings"),
    ]
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx)
    _year_of_trainings(world)
    for n in range(3):
        services.training_material_add(user=world.station, training=t, file=pdf(f"{n}.pdf"))
    more = _training(
        world,
        attendees=[{"village": world.pastoral, "name": f"学员{n}"} for n in range(5)]
        + [{"village": world.village, "name": "刘电教"}],
    )
    assert more.attendance.count() == 6
    for url, n in counts.items():
        with django_assert_num_queries(n):
            assert client.get(url).status_code == 200
