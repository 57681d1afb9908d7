"""Request pages: a village asks on its phone; the station's queue approves, rejects, dispatches."""

import datetime as dt

from django.urls import reverse

from dianjiao.films import services
from dianjiao.films.models import FilmCopy, FilmRequest, Loan
from dianjiao.lib.dates import today
from tests.films.helpers import approved_request, copy, film, loan

D = dt.timedelta
NEW = reverse("films:request_create")


def lines(*rows, village=None, note=""):
    """The request form's POST data: `rows` are (film, date) pairs; four rows, the rest blank."""
    data = {
        "lines-TOTAL_FORMS": 4,
        "lines-INITIAL_FORMS": 0,
        "lines-MIN_NUM_FORMS": 4,
        "lines-MAX_NUM_FORMS": 20,
        "note": note,
        "source": "",
    }
    if village is not None:
        data["village"] = village.pk
    for i, (f, day) in enumerate(rows):
        data[f"lines-{i}-film"] = f.pk if f else ""
        data[f"lines-{i}-wanted_on"] = day.isoformat() if day else ""
    return data


def test_an_operator_asks_for_films_from_the_phone_form(world, login):
    a, b = film(world, "榜样8"), film(world, "牧区养殖技术")
    client = login(world.operator)
    page = client.get(NEW).content.decode()
    assert 'type="hidden" name="village"' in page  # one village: nothing to choose

    response = client.post(
        NEW,
        lines(
            (a, today() + D(days=9)), (b, today() + D(days=20)), village=world.village, note="七一"
        ),
    )

    made = FilmRequest.objects.get()
    assert response["Location"] == reverse("films:request_detail", args=[made.pk])
    assert [line.film for line in made.lines.all()] == [a, b]
    assert (made.village, made.requested_by, made.note) == (world.village, world.operator, "七一")


def test_it_shows_what_is_wrong_next_to_the_line(world, login):
    a = film(world, "榜样8")
    client = login(world.operator)

    past = client.post(NEW, lines((a, today() - D(days=1)), village=world.village))
    assert past.context["formset"].forms[0].errors["wanted_on"] == ["计划放映日期不能早于今天"]
    undated = client.post(NEW, lines((a, None), village=world.village))
    assert undated.context["formset"].forms[0].errors["wanted_on"] == ["请填写计划放映日期"]
    empty = client.post(NEW, lines(village=world.village))
    assert empty.context["formset"].non_form_errors() == ["请至少选择一部电教片"]
    twice = client.post(
        NEW, lines((a, today() + D(days=3)), (a, today() + D(days=4)), village=world.village)
    )
    assert twice.context["formset"].non_form_errors() == [
        "同一部电教片选了两次，每部片子申请一次即可"
    ]
    assert not FilmRequest.objects.exists()


def test_an_operator_cannot_ask_on_behalf_of_another_village(world, login):
    response = login(world.operator).post(
        NEW, lines((film(world), today() + D(days=3)), village=world.pastoral)
    )
    assert "village" in response.context["form"].errors
    assert not FilmRequest.objects.exists()


def test_it_starts_a_request_from_an_announcement(world, login):
    a, b = film(world, "榜样8"), film(world, "石榴花开")
    start = today() + D(days=30)
    announced = services.announcement_publish(
        user=world.station,
        title="第三季度供片信息",
        period_start=start,
        period_end=start + D(days=90),
        films=[a, b],
    )

    response = login(world.operator).get(NEW, {"announcement": announced.pk})

    # One row per announced film, each with its first possible date, and none of them ticked:
    # the operator says which films are wanted (issue 10, part 7).
    forms = response.context["formset"].forms
    assert [(f.fixed, f.initial) for f in forms] == [
        (a, {"wanted_on": start}),
        (b, {"wanted_on": start}),
    ]
    page = response.content.decode()
    assert page.count('type="checkbox" name="lines-') == 2 and "checked" not in page
    assert response.context["form"]["source"].value() == "第三季度供片信息"


def test_the_station_queue_approves_rejects_and_dispatches(world, login):
    a, b = film(world, "榜样8"), film(world, "焦裕禄")
    disc = copy(world, a, "WLG-0001")
    first = services.request_create(
        village=world.village, author=world.operator, lines=[(a, today() + D(days=9))]
    )
    second = services.request_create(
        village=world.pastoral, author=world.other_op, lines=[(b, today() + D(days=9))]
    )
    client = login(world.station)

    queue = client.get(reverse("films:request_list"))
    assert [r.pk for r in queue.context["pending"]] == [first.pk, second.pk]

    confirm = client.get(reverse("films:request_approve", args=[first.pk]))
    assert "《榜样8》" in confirm.content.decode()
    assert client.post(reverse("films:request_approve", args=[first.pk])).status_code == 302
    no_reason = client.post(reverse("films:request_reject", args=[second.pk]), {"reason": ""})
    assert no_reason.context["form"].errors["reason"] == ["驳回申请时请写明理由，村里才知道怎么改"]
    client.post(reverse("films:request_reject", args=[second.pk]), {"reason": "拷贝送修"})
    second.refresh_from_db()
    assert (second.status, second.reject_reason) == (FilmRequest.Status.REJECTED, "拷贝送修")

    queue = client.get(reverse("films:request_list"))
    assert queue.context["pending"] == []
    line = first.lines.get()
    assert [(x.pk, x.n_on_shelf) for x in queue.context["to_dispatch"]] == [(line.pk, 1)]
    form = client.get(reverse("films:loan_dispatch"), {"line": line.pk}).context["form"]
    assert list(form.fields["copy"].queryset) == [disc]  # only copies of the film asked for

    too_early = client.post(
        reverse("films:loan_dispatch"),
        {"line": line.pk, "copy": disc.pk, "due_on": today() - D(days=1)},
    )
    assert too_early.context["form"].errors["due_on"][0].startswith("应还日期不能早于发放日期")
    done = client.post(
        reverse("films:loan_dispatch"),
        {"line": line.pk, "copy": disc.pk, "due_on": today() + D(days=30)},
    )
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.status == FilmRequest.Status.DISPATCHED
    assert Loan.objects.get().village == world.village


def test_it_says_next_to_the_copy_when_it_has_just_gone_out(world, login):
    disc = copy(world)
    client = login(world.station)
    form_page = client.get(reverse("films:loan_dispatch"), {"copy": disc.pk})
    assert form_page.context["form"]["copy"].value() == str(disc.pk)
    loan(world, disc)  # a colleague was quicker

    response = client.post(
        reverse("films:loan_dispatch"),
        {"copy": disc.pk, "village": world.pastoral.pk, "due_on": today() + D(days=9)},
    )

    assert response.context["form"].errors["copy"] == [
        "该拷贝已被借出或已不在站，请选择其他在站的拷贝"
    ]
    disc.refresh_from_db()
    assert disc.status == FilmCopy.Status.LOANED and Loan.objects.count() == 1


def test_villages_see_only_their_own_requests(world, login):
    ours = approved_request(world, [film(world, "榜样8")])
    theirs = approved_request(world, [film(world, "焦裕禄")], village=world.pastoral)

    response = login(world.operator).get(reverse("films:request_list"))
    assert [r.pk for r in response.context["page_obj"]] == [ours.pk]
    assert response.context["pending"] == [] and response.context["to_dispatch"] == []
    assert (
        login(world.operator).get(reverse("films:request_detail", args=[theirs.pk])).status_code
        == 404
    )
    assert (
        login(world.operator).get(reverse("films:request_detail", args=[ours.pk])).status_code
        == 200
    )
