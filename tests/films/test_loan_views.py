"""Loan pages: a village sees what it has on loan and signs for it; the station sees every copy,
chases the overdue ones and records returns. Each village sees only its own loans."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dianjiao.films import services
from dianjiao.films.models import FilmCopy, Loan
from tests import factories
from tests.films.helpers import approved_request, copy, film, loan, overdue_loan

D = dt.timedelta
LOANS = reverse("films:loan_list")


def test_an_operator_sees_only_the_loans_of_their_village(world, login):
    ours = loan(world, village=world.village)
    theirs = loan(world, village=world.pastoral)
    client = login(world.operator)

    response = client.get(LOANS)
    assert list(response.context["page_obj"]) == [ours]
    assert response.context["counts"] == {"open": 1, "overdue": 0, "unreceived": 1}
    assert "阿克达拉村" not in response.content.decode()
    # 阿克达拉村's loan does not exist as far as 红星村 is concerned.
    assert client.get(reverse("films:loan_receive", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("films:loan_receive", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("films:loan_return", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.received_at is None


def test_the_village_confirms_receipt_from_its_list(world, login):
    out = loan(world)
    client = login(world.operator)
    assert reverse("films:loan_receive", args=[out.pk]) in client.get(LOANS).content.decode()

    assert "确认已收到" in client.get(reverse("films:loan_receive", args=[out.pk])).content.decode()
    response = client.post(reverse("films:loan_receive", args=[out.pk]), follow=True)

    out.refresh_from_db()
    assert out.received_by == world.operator
    assert "已确认收到拷贝" in response.content.decode()
    again = client.post(reverse("films:loan_receive", args=[out.pk]), follow=True)
    assert "无需重复确认" in again.content.decode()


def test_the_station_cannot_sign_for_the_village(world, login):
    out = loan(world)
    assert (
        login(world.station).post(reverse("films:loan_receive", args=[out.pk])).status_code == 403
    )
    out.refresh_from_db()
    assert out.received_at is None


def test_the_station_records_a_return(world, login):
    out = loan(world)
    client = login(world.station)

    response = client.post(
        reverse("films:loan_return", args=[out.pk]), {"condition": "damaged", "note": "碟片有裂痕"}
    )

    assert response.status_code == 302
    out.refresh_from_db()
    assert not out.is_open and out.returned_to == world.station and out.return_note == "碟片有裂痕"
    out.copy.refresh_from_db()
    assert (out.copy.status, out.copy.condition) == (
        FilmCopy.Status.SHELF,
        FilmCopy.Condition.DAMAGED,
    )
    twice = client.post(reverse("films:loan_return", args=[out.pk]), {"condition": ""})
    assert twice.context["form"].non_field_errors()[0].endswith("归还，不能重复登记归还")
    assert "已于" in client.get(reverse("films:loan_return", args=[out.pk])).content.decode()


def test_the_overdue_list_names_who_to_call(world, login):
    world.operator.phone = "13899990001"
    world.operator.save()
    late = overdue_loan(world, copy(world, film(world, "榜样8"), "WLG-0008"), days=6)
    loan(world)  # not due yet
    returned = overdue_loan(world)
    services.loan_return(user=world.station, loan=returned)

    response = login(world.station).get(reverse("films:overdue"))

    assert [x.pk for x in response.context["loans"]] == [late.pk]
    html = response.content.decode()
    assert (
        "WLG-0008" in html
        and "6天" in html
        and "刘电教" in html
        and 'href="tel:13899990001"' in html
    )
    assert login(world.other_op).get(reverse("films:overdue")).context["loans"] == []


def test_overdue_copies_stand_out_on_the_lists(world, login):
    late = overdue_loan(world, copy(world, film(world, "榜样8"), "WLG-0008"))
    loan(world, copy(world, film(world, "焦裕禄"), "WLG-0009"))
    client = login(world.station)

    loans_html = client.get(LOANS).content.decode()
    copies = client.get(reverse("films:copy_list"), {"status": "overdue"})
    assert loans_html.count('class="overdue"') == 1 and "逾期5天" in loans_html
    assert [c.inventory_no for c in copies.context["page_obj"]] == ["WLG-0008"]
    assert 'class="overdue"' in copies.content.decode()
    assert late.is_overdue


def test_the_copies_page_says_where_every_copy_is(world, login):
    on_shelf = copy(world, film(world, "榜样7"), "WLG-0001")
    out_red = loan(world, copy(world, film(world, "榜样8"), "WLG-0002")).copy
    out_pastoral = loan(
        world, copy(world, film(world, "焦裕禄"), "WLG-0003"), village=world.pastoral
    ).copy
    client = login(world.station)

    def numbers(**query):
        return [
            c.inventory_no
            for c in client.get(reverse("films:copy_list"), query).context["page_obj"]
        ]

    assert numbers() == ["WLG-0001", "WLG-0002", "WLG-0003"]
    assert numbers(status="shelf") == [on_shelf.inventory_no]
    assert numbers(status="loaned") == [out_red.inventory_no, out_pastoral.inventory_no]
    assert numbers(village=world.pastoral.pk) == [out_pastoral.inventory_no]
    assert numbers(q="焦裕禄") == ["WLG-0003"]
    html = client.get(reverse("films:copy_list")).content.decode()
    assert "借出至红星村" in html and "借出至阿克达拉村" in html


def test_it_filters_loans_by_state_and_village(world, login):
    open_red = loan(world)
    late = overdue_loan(world, village=world.pastoral)
    done = loan(world)
    services.loan_return(user=world.station, loan=done)
    client = login(world.station)

    def pks(**query):
        return {x.pk for x in client.get(LOANS, query).context["page_obj"]}

    assert pks() == {open_red.pk, late.pk}
    assert pks(state="overdue") == {late.pk}
    assert pks(state="returned") == {done.pk}
    assert pks(state="unreceived") == {open_red.pk, late.pk}
    assert pks(state="all", village=world.village.pk) == {open_red.pk, done.pk}


def test_it_draws_the_loans_list_in_a_fixed_number_of_queries(
    world, login, django_assert_num_queries
):
    loan(world)
    client = login(world.station)
    client.get(LOANS, {"state": "all"})
    with django_assert_num_queries(8) as few:
        client.get(LOANS, {"state": "all"})
    for i in range(12):
        v = factories.village(f"新村{i}", sort_order=10 + i)
        out = loan(world, village=v)
        if i % 3 == 0:
            services.loan_return(user=world.station, loan=out)
        overdue_loan(world, village=v)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LOANS, {"state": "all"})
    assert len(response.context["page_obj"]) == 25
    assert Loan.objects.count() == 25


def test_it_draws_the_copies_and_overdue_pages_in_a_fixed_number_of_queries(world, login):
    overdue_loan(world)
    client = login(world.station)
    urls = [reverse("films:copy_list"), reverse("films:overdue")]
    for url in urls:
        client.get(url)
    few = {url: _queries(client, url) for url in urls}
    for i in range(8):
        v = factories.village(f"新村{i}", sort_order=10 + i)
        factories.user(f"op{i}", "operator", village_obj=v, phone=f"1380000000{i}")
        overdue_loan(world, village=v)
        loan(world, village=v)

    assert {url: _queries(client, url) for url in urls} == few
    assert len(client.get(reverse("films:overdue")).context["loans"]) == 9


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_a_village_sees_what_is_coming(world, login):
    key = film(world, "榜样8")
    copy(world, key)
    approved_request(world, [key])
    approved_request(world, [film(world, "焦裕禄")], village=world.pastoral)

    response = login(world.operator).get(LOANS)

    assert [line.film.title for line in response.context["coming"]] == ["榜样8"]
    assert "已批准、等待乡电教站发放" in response.content.decode()
    assert login(world.station).get(LOANS).context["coming"] == []  # the station has its queue
