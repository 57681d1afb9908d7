"""The logbook pages: what each persona sees and does. Who may open or post to which page is
the project's access matrix (tests/test_access_matrix.py)."""

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dianjiao.logbook import services
from dianjiao.logbook.models import LateEntryException, LogbookEntry

from .conftest import NOW, YESTERDAY, append, local


def test_the_main_menu_links_the_logbook(world, login):
    body = login(world.operator).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("logbook:book")}"' in body
    assert "电教手册" in body


@pytest.fixture
def story(world, clock):
    """红星村's November: a repair on the 2nd, a granted late entry, today's entries, a correction."""
    clock.at = local(2026, 11, 2, 15, 0)
    repair = append(
        world, title="检修电视机", kind=LogbookEntry.Kind.EQUIPMENT, body={"text": "更换电源线"}
    )
    clock.at = NOW
    services.entry_grant_late(
        village=world.village, day=YESTERDAY, granted_by=world.station, reason="停电"
    )
    late = append(
        world,
        title="组织收看《榜样》",
        kind=LogbookEntry.Kind.SESSION,
        occurred_at=local(2026, 11, 28, 20, 0),
    )
    correction = append(
        world, title="检修影碟机", corrects=repair, reason="修的是影碟机，不是电视机"
    )
    append(world, village=world.pastoral, author=world.other_op, title="夏牧场流动放映")
    return {"repair": repair, "late": late, "correction": correction}


def rows(body: str) -> list[str]:
    return re.findall(r'<tr id="e-([0-9a-f-]+)"', body)


def test_the_book_shows_this_month_in_seq_order_with_lateness_and_corrections(world, login, story):
    body = login(world.operator).get(reverse("logbook:book")).content.decode()
    assert rows(body) == [
        str(e.pk) for e in LogbookEntry.objects.filter(village=world.village).order_by("seq")
    ]
    assert "补录（已批准）" in body
    assert '<span class="tag red"' in body
    assert "已更正" in body and reverse("logbook:detail", args=[story["correction"].pk]) in body
    assert "更正第 1 条" in body and "修的是影碟机，不是电视机" in body
    assert "夏牧场流动放映" not in body  # another village's book
    assert "2026年11月：共 4 条记录" in body


def test_an_operator_cannot_open_another_villages_book(world, login, story):
    body = (
        login(world.operator)
        .get(reverse("logbook:book"), {"village": world.pastoral.pk})
        .content.decode()
    )
    assert "夏牧场流动放映" not in body
    assert "检修电视机" in body


def test_the_station_picks_a_village(world, login, story):
    body = (
        login(world.station)
        .get(reverse("logbook:book"), {"village": world.pastoral.pk})
        .content.decode()
    )
    assert "夏牧场流动放映" in body
    assert "检修电视机" not in body


def test_it_filters_by_month_and_searches(world, login, story):
    client = login(world.station)
    october = client.get(
        reverse("logbook:book"), {"village": world.village.pk, "month": "2026-10"}
    ).content.decode()
    assert rows(october) == []
    found = client.get(
        reverse("logbook:book"), {"village": world.village.pk, "month": "", "q": "电源线"}
    ).content.decode()
    assert rows(found) == [str(story["repair"].pk)]
    found = client.get(
        reverse("logbook:book"), {"village": world.village.pk, "q": "王站长"}
    ).content.decode()
    assert len(rows(found)) == 1  # the grant, written by the station admin


def test_it_pages_long_books(world, clock, login):
    for i in range(35):
        append(world, title=f"第{i + 1}项")
    client = login(world.operator)
    first = client.get(reverse("logbook:book")).content.decode()
    second = client.get(reverse("logbook:book"), {"page": 2}).content.decode()
    assert len(rows(first)) == 30 and len(rows(second)) == 5
    assert "第 1 / 2 页，共 35 条" in first


def _book_queries(client, village) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("logbook:book"), {"village": village.pk}).status_code == 200
    return len(ctx.captured_queries)


def _print_queries(client, village) -> int:
    with CaptureQueriesContext(connection) as ctx:
        url = reverse("logbook:print", args=[village.pk])
        assert client.get(url, {"year": 2026, "month": 11}).status_code == 200
    return len(ctx.captured_queries)


def test_the_book_and_print_pages_run_a_fixed_number_of_queries(
    world, clock, login, django_assert_num_queries
):
    """3 entries, then 30, with a late entry and a correction among them: the same queries.
    (The count itself includes base.html's session and user look-ups, so it is measured, not
    written down.)"""
    client = login(world.station)
    services.entry_grant_late(
        village=world.village, day=YESTERDAY, granted_by=world.station, reason="停电"
    )
    append(world, title="补录", occurred_at=local(2026, 11, 28, 20, 0))
    append(
        world,
        title="更正",
        corrects=LogbookEntry.objects.get(seq=2, village=world.village),
        reason="写错",
    )
    assert LogbookEntry.objects.filter(village=world.village).count() == 3
    book, printed = _book_queries(client, world.village), _print_queries(client, world.village)
    for _ in range(27):
        append(world)
    assert LogbookEntry.objects.filter(village=world.village).count() == 30
    with django_assert_num_queries(book):
        _book_queries(client, world.village)
    with django_assert_num_queries(printed):
        _print_queries(client, world.village)


def test_the_print_page_is_a_month_on_a4_with_the_chain_head(world, login, story):
    url = reverse("logbook:print", args=[world.village.pk])
    response = login(world.leader).get(url, {"year": 2026, "month": 11})
    body = response.content.decode()
    assert "《电教手册》" in body and "红星村党支部　2026年11月" in body
    assert "logbook/print.css" in body and "web/site.css" not in body
    head = LogbookEntry.objects.filter(village=world.village).order_by("-seq").first()
    assert f"本期最后一条为第 {head.seq} 条" in body and head.hash in body
    assert "补录（已批准）" in body and "经王站长批准补录2026年11月28日的记录" in body
    assert "已更正" in body and "更正第 1 条" in body
    assert " style=" not in body and "<style" not in body  # the CSP allows no inline styles


def test_the_print_page_prints_a_whole_year(world, clock, login, story):
    clock.at = local(2026, 12, 1, 9, 0)
    december = append(world, title="十二月的记录")
    client = login(world.station)
    url = reverse("logbook:print", args=[world.village.pk])
    year = client.get(url, {"year": 2026}).content.decode()
    assert "2026年</p>" in year and "检修电视机" in year and "十二月的记录" in year
    assert december.hash in year
    november = client.get(url, {"year": 2026, "month": 11}).content.decode()
    assert "十二月的记录" not in november


def test_the_print_stylesheet_sets_a4(client):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("logbook/print.css")).read_text(encoding="utf-8")
    assert "size: A4" in css and "@media print" in css


def test_an_operator_records_an_event_today(world, clock, login):
    client = login(world.operator)
    form = client.get(reverse("logbook:create")).content.decode()
    assert 'type="datetime-local"' in form and "2026-11-29T10:00" in form
    client_id = str(uuid.uuid4())
    data = {
        "client_id": client_id,
        "village": world.village.pk,
        "kind": "meeting",
        "title": "召开电教工作会",
        "text": "传达县委组织部通知",
        "occurred_at": "2026-11-29T09:30",
    }
    response = client.post(reverse("logbook:create"), data)
    assert response.status_code == 302
    entry = LogbookEntry.objects.get()
    assert (entry.pk, entry.body, entry.author) == (
        uuid.UUID(client_id),
        {"text": "传达县委组织部通知"},
        world.operator,
    )
    assert entry.occurred_at == local(2026, 11, 29, 9, 30)
    # A double submission (the button pressed twice) stores the entry once.
    assert client.post(reverse("logbook:create"), data).status_code == 302
    assert LogbookEntry.objects.count() == 1


def test_yesterday_is_refused_next_to_the_time_field(world, clock, login):
    client = login(world.operator)
    response = client.post(
        reverse("logbook:create"),
        {
            "client_id": str(uuid.uuid4()),
            "village": world.village.pk,
            "kind": "other",
            "title": "补记昨天的会",
            "occurred_at": "2026-11-28T20:00",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["occurred_at"] == [
        "《电教手册》须当天填写：2026年11月28日的记录需要乡电教站管理员先批准补录",
    ]
    assert not LogbookEntry.objects.exists()


def test_an_operator_cannot_record_in_another_village(world, clock, login):
    response = login(world.operator).post(
        reverse("logbook:create"),
        {
            "client_id": str(uuid.uuid4()),
            "village": world.pastoral.pk,
            "kind": "other",
            "title": "x",
            "occurred_at": "2026-11-29T09:00",
        },
    )
    assert response.status_code == 200
    assert "village" in response.context["form"].errors
    assert not LogbookEntry.objects.exists()


def test_a_correction_needs_a_reason_and_keeps_the_original(world, clock, login, story):
    client = login(world.operator)
    url = reverse("logbook:correct", args=[story["late"].pk])
    data = {
        "client_id": str(uuid.uuid4()),
        "kind": "session",
        "title": "组织收看《榜样5》",
        "text": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    response = client.post(url, {**data, "reason": "片名写错"})
    assert response.status_code == 302
    correction = LogbookEntry.objects.get(corrects=story["late"])
    assert (correction.title, correction.reason, correction.occurred_at) == (
        "组织收看《榜样5》",
        "片名写错",
        NOW,
    )
    assert LogbookEntry.objects.get(pk=story["late"].pk).title == "组织收看《榜样》"
    detail = client.get(reverse("logbook:detail", args=[story["late"].pk])).content.decode()
    assert "已更正" in detail and "组织收看《榜样5》" in detail


def test_read_only_roles_cannot_post_a_correction(world, clock, login, story):
    url = reverse("logbook:correct", args=[story["repair"].pk])
    response = login(world.leader).post(
        url, {"client_id": str(uuid.uuid4()), "kind": "other", "title": "x", "reason": "y"}
    )
    assert response.status_code == 403
    assert (
        not LogbookEntry.objects.filter(corrects=story["repair"])
        .exclude(pk=story["correction"].pk)
        .exists()
    )


def test_the_station_grants_a_late_entry_exception(world, clock, login):
    client = login(world.station)
    page = client.get(reverse("logbook:exceptions")).content.decode()
    assert 'name="reason"' in page and "2026-11-28" in page
    response = client.post(
        reverse("logbook:exceptions"),
        {"village": world.pastoral.pk, "day": "2026-11-20", "reason": "转场途中无信号"},
    )
    assert response.status_code == 302
    exception = LateEntryException.objects.get()
    assert (exception.village, exception.day, exception.granted_by) == (
        world.pastoral,
        dt.date(2026, 11, 20),
        world.station,
    )
    listing = client.get(reverse("logbook:exceptions")).content.decode()
    assert "转场途中无信号" in listing and "2026年11月20日" in listing


def test_grant_errors_show_next_to_the_fields(world, clock, login):
    response = login(world.station).post(
        reverse("logbook:exceptions"),
        {"village": world.village.pk, "day": "2026-11-29", "reason": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "reason" in errors
    response = login(world.station).post(
        reverse("logbook:exceptions"),
        {"village": world.village.pk, "day": "2026-11-29", "reason": "停电"},
    )
    assert response.context["form"].errors["day"] == ["补录日期必须是今天以前的日期"]
    assert 'class="field has-error"' in response.content.decode()
    assert not LateEntryException.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("operator", 403), ("leader", 403), ("inspector", 403), ("county", 403)]
)
def test_only_the_station_grants(world, clock, login, persona, status):
    client = login(world.personas[persona])
    page = client.get(reverse("logbook:exceptions")).content.decode()
    assert 'name="reason"' not in page
    response = client.post(
        reverse("logbook:exceptions"),
        {"village": world.village.pk, "day": "2026-11-28", "reason": "x"},
    )
    assert response.status_code == status
    assert not LateEntryException.objects.exists()


def test_the_station_of_another_township_cannot_grant_here(world, clock, login):
    response = login(world.outsider).post(
        reverse("logbook:exceptions"),
        {"village": world.village.pk, "day": "2026-11-28", "reason": "x"},
    )
    assert response.status_code == 200
    assert "village" in response.context["form"].errors
    assert not LateEntryException.objects.exists()


def test_exceptions_are_listed_in_scope(world, clock, login):
    services.entry_grant_late(
        village=world.village, day=YESTERDAY, granted_by=world.station, reason="变电站检修"
    )
    assert "变电站检修" in login(world.operator).get(reverse("logbook:exceptions")).content.decode()
    assert (
        "变电站检修"
        not in login(world.other_op).get(reverse("logbook:exceptions")).content.decode()
    )
    assert (
        "变电站检修"
        not in login(world.outsider).get(reverse("logbook:exceptions")).content.decode()
    )
