"""Film requests ask, not assume (issue 10, part 7): a request made from an announcement starts
with nothing ticked; each film asked for says which language version is wanted where the
station holds copies in more than one; dispatch offers copies of that language first, and the
loan keeps the language sent."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from dianjiao.films import selectors, services
from dianjiao.films.forms import DispatchForm
from dianjiao.films.models import FilmCopy, FilmRequest, Loan
from dianjiao.lib.dates import today
from tests.films.helpers import copy, film, language

D = dt.timedelta
NEW = reverse("films:request_create")
DISPATCH = reverse("films:loan_dispatch")
SOON = today() + D(days=12)


@pytest.fixture
def langs(db):
    return language("普通话"), language("哈萨克语")


def bilingual(world, langs, title="榜样8"):
    """A film in both languages with a disc of each on the shelf."""
    mandarin, kazakh = langs
    made = film(world, title, languages=[mandarin, kazakh])
    copy(world, made, f"{title}-HZ", language=mandarin)
    copy(world, made, f"{title}-HK", language=kazakh)
    return made


def announce(world, films, start=None):
    start = start or today() + D(days=20)
    return services.announcement_publish(
        user=world.station,
        title="第一季度供片信息",
        period_start=start,
        period_end=start + D(days=90),
        films=films,
    )


def picked(announced_films, ticks, *, village, note=""):
    """The pick list's POST data: `ticks` maps a film to (date, language or None)."""
    data = {
        "lines-TOTAL_FORMS": len(announced_films),
        "lines-INITIAL_FORMS": len(announced_films),
        "lines-MIN_NUM_FORMS": 4,
        "lines-MAX_NUM_FORMS": 20,
        "village": village.pk,
        "note": note,
        "source": "",
    }
    for i, f in enumerate(announced_films):
        data[f"lines-{i}-wanted_on"] = (today() + D(days=25)).isoformat()
        if f in ticks:
            day, lang = ticks[f]
            data[f"lines-{i}-pick"] = "on"
            data[f"lines-{i}-wanted_on"] = day.isoformat()
            if lang is not None:
                data[f"lines-{i}-language"] = lang.pk
    return data


# --- the language options --------------------------------------------------------------------


def test_the_options_are_the_languages_of_the_copies_the_station_can_lend(
    world, langs, django_assert_num_queries
):
    mandarin, kazakh = langs
    both = bilingual(world, langs)
    # Listed in Kazakh too, but the station holds only Mandarin discs.
    listed = film(world, "焦裕禄", languages=[mandarin, kazakh])
    copy(world, listed, language=mandarin)
    gone = copy(world, listed, language=kazakh)
    services.copy_write_off(copy=gone, user=world.station, reason="划伤")
    copy(world, listed, medium=FilmCopy.Medium.FILE, language=kazakh)  # not lent: played online
    # No copy yet: the catalogue's languages stand.
    new = film(world, "石榴花开", languages=[kazakh, mandarin])

    with django_assert_num_queries(3):
        options = selectors.language_options([both, listed, new])

    assert options == {
        both.pk: [mandarin, kazakh],
        listed.pk: [mandarin],
        new.pk: [mandarin, kazakh],  # in the list's own order
    }


# --- the service ------------------------------------------------------------------------------


def test_a_request_line_keeps_the_language_asked_for(world, langs):
    mandarin, kazakh = langs
    both = bilingual(world, langs)
    single = film(world, "牧区养殖技术", languages=[mandarin])
    copy(world, single, language=mandarin)

    made = services.request_create(
        village=world.pastoral,
        author=world.other_op,
        lines=[services.LineSpec(both, SOON, kazakh), (single, SOON)],
    )

    # The only language there is needs no asking, and is what the line says.
    assert [(line.film, line.language) for line in made.lines.all()] == [
        (both, kazakh),
        (single, mandarin),
    ]


def test_it_refuses_a_language_the_film_does_not_come_in(world, langs):
    mandarin, _ = langs
    uyghur = language("维吾尔语")
    only_mandarin = film(world, "榜样8", languages=[mandarin])
    copy(world, only_mandarin, language=mandarin)

    with pytest.raises(ValidationError) as exc:
        services.request_create(
            village=world.village, author=world.operator, lines=[(only_mandarin, SOON, uyghur)]
        )

    assert exc.value.message_dict == {"lines": ["《榜样8》没有维吾尔语版本"]}
    assert not FilmRequest.objects.exists()


# --- the pick list ----------------------------------------------------------------------------


def test_an_announcement_sends_only_the_films_ticked_with_their_languages(world, langs, login):
    mandarin, kazakh = langs
    seven = [bilingual(world, langs, f"片{i}") for i in range(3)] + [
        film(world, f"单语片{i}", languages=[mandarin]) for i in range(4)
    ]
    announced = announce(world, seven)
    client = login(world.other_op)

    shown = client.get(NEW, {"announcement": announced.pk})
    rows = [f.fixed for f in shown.context["formset"].forms]
    assert sorted(f.pk for f in rows) == sorted(f.pk for f in seven)
    page = shown.content.decode()
    assert page.count('type="checkbox" name="lines-') == 7 and "checked" not in page
    # Languages are asked only where the station holds copies in two.
    assert page.count('type="radio" name="lines-') == 6

    response = client.post(
        f"{NEW}?announcement={announced.pk}",
        picked(
            rows,
            {seven[1]: (SOON, kazakh), seven[5]: (SOON + D(days=3), None)},
            village=world.pastoral,
        ),
    )

    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["formset"].errors,
        response.context["formset"].non_form_errors(),
    )
    made = FilmRequest.objects.get()
    assert response["Location"] == reverse("films:request_detail", args=[made.pk])
    assert [(line.film, line.wanted_on, line.language) for line in made.lines.all()] == [
        (seven[1], SOON, kazakh),
        (seven[5], SOON + D(days=3), mandarin),  # its only language: nothing to ask
    ]
    assert made.source == ""  # the hidden source came back empty from this POST
    detail = client.get(reverse("films:request_detail", args=[made.pk])).content.decode()
    assert "哈萨克语" in detail


def test_nothing_ticked_is_refused_next_to_the_list(world, langs, login):
    films = [bilingual(world, langs, "榜样8"), film(world, "焦裕禄")]
    announced = announce(world, films)

    response = login(world.operator).post(
        f"{NEW}?announcement={announced.pk}", picked(films, {}, village=world.village)
    )

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == ["请勾选要申请的电教片，至少一部"]
    page = response.content.decode()
    listed = page[page.index('id="picklist"') :]
    assert listed.index("请勾选要申请的电教片，至少一部") < listed.index("《榜样8》")
    assert not FilmRequest.objects.exists()


def test_a_ticked_film_must_say_which_language(world, langs, login):
    mandarin, kazakh = langs
    both = bilingual(world, langs)
    announced = announce(world, [both])
    client = login(world.operator)

    no_language = client.post(
        f"{NEW}?announcement={announced.pk}",
        picked([both], {both: (SOON, None)}, village=world.village),
    )
    assert no_language.context["formset"].forms[0].errors["language"] == [
        "请选择要哪种语种的拷贝：普通话、哈萨克语"
    ]
    past = client.post(
        f"{NEW}?announcement={announced.pk}",
        picked([both], {both: (today() - D(days=1), kazakh)}, village=world.village),
    )
    assert past.context["formset"].forms[0].errors["wanted_on"] == ["计划放映日期不能早于今天"]
    assert not FilmRequest.objects.exists()


def test_an_unticked_film_is_not_checked_at_all(world, langs, login):
    mandarin, kazakh = langs
    wanted, skipped = bilingual(world, langs, "榜样8"), bilingual(world, langs, "焦裕禄")
    announced = announce(world, [wanted, skipped])
    data = picked([wanted, skipped], {wanted: (SOON, mandarin)}, village=world.village)
    data["lines-1-wanted_on"] = "2001-01-01"  # an old date on a row not ticked

    response = login(world.operator).post(f"{NEW}?announcement={announced.pk}", data)

    assert response.status_code == 302
    assert [(line.film, line.language) for line in FilmRequest.objects.get().lines.all()] == [
        (wanted, mandarin)
    ]


def test_the_film_page_asks_for_its_own_film_ticked(world, langs, login):
    both = bilingual(world, langs)

    response = login(world.operator).get(NEW, {"film": both.pk})

    [row] = response.context["formset"].forms
    assert row.fixed == both and row["pick"].value() is True
    assert [str(lang) for lang in row.offered] == ["普通话", "哈萨克语"]


def test_a_blank_row_asks_the_language_of_a_film_in_two(world, langs, login):
    mandarin, kazakh = langs
    both = bilingual(world, langs)
    data = {
        "lines-TOTAL_FORMS": 4,
        "lines-INITIAL_FORMS": 0,
        "lines-MIN_NUM_FORMS": 4,
        "lines-MAX_NUM_FORMS": 20,
        "village": world.village.pk,
        "lines-0-film": both.pk,
        "lines-0-wanted_on": SOON.isoformat(),
    }
    client = login(world.operator)

    refused = client.post(NEW, data)
    assert refused.context["formset"].forms[0].errors["language"] == [
        "请选择要哪种语种的拷贝：普通话、哈萨克语"
    ]
    client.post(NEW, {**data, "lines-0-language": kazakh.pk})
    assert FilmRequest.objects.get().lines.get().language == kazakh


# --- dispatch ---------------------------------------------------------------------------------


def approved_line(world, made_film, lang):
    made = services.request_create(
        village=world.village, author=world.operator, lines=[(made_film, SOON, lang)]
    )
    services.request_approve(film_request=made, user=world.station)
    return made.lines.get()


def test_dispatch_offers_the_copies_of_the_language_asked_for_first(world, langs, login):
    mandarin, kazakh = langs
    both = film(world, "榜样8", languages=[mandarin, kazakh])
    copy(world, both, "A-1", language=mandarin)
    copy(world, both, "A-2", language=mandarin)
    copy(world, both, "Z-9", language=kazakh)  # last by inventory number
    line = approved_line(world, both, kazakh)

    form = login(world.station).get(DISPATCH, {"line": line.pk}).context["form"]

    groups = [
        (group, [label for _, label in options])
        for group, options in form.fields["copy"].choices
        if group
    ]
    assert groups == [
        ("申请的语种：哈萨克语", ["Z-9 《榜样8》 · 哈萨克语 · 符合申请"]),
        ("其他语种", ["A-1 《榜样8》 · 普通话", "A-2 《榜样8》 · 普通话"]),
    ]
    html = str(form["copy"])
    assert html.index('<optgroup label="申请的语种：哈萨克语">') < html.index("A-1")
    assert "哈萨克语" in str(form["line"])


def test_it_says_when_no_copy_of_the_language_asked_for_is_in(world, langs):
    mandarin, kazakh = langs
    both = film(world, "榜样8", languages=[mandarin, kazakh])
    copy(world, both, "A-1", language=mandarin)
    away = copy(world, both, "Z-9", language=kazakh)
    line = approved_line(world, both, kazakh)
    services.loan_dispatch(copy=away, user=world.station, village=world.pastoral, due_on=SOON)

    form = DispatchForm(user=world.station, initial={"line": str(line.pk)})

    assert [group for group, _ in form.fields["copy"].choices if group] == [
        "没有哈萨克语的在站拷贝，其他语种"
    ]


def test_a_line_that_asks_no_language_lists_the_copies_as_before(world, langs):
    mandarin, kazakh = langs
    both = film(world, "榜样8", languages=[mandarin, kazakh])
    copy(world, both, "A-1", language=kazakh)
    copy(world, both, "B-1", language=mandarin)
    made = services.request_create(
        village=world.village, author=world.operator, lines=[(both, SOON)]
    )
    services.request_approve(film_request=made, user=world.station)

    form = DispatchForm(user=world.station, initial={"line": str(made.lines.get().pk)})

    assert [label for value, label in form.fields["copy"].choices if value] == [
        "A-1 《榜样8》 · 哈萨克语",
        "B-1 《榜样8》 · 普通话",
    ]


def test_the_loan_keeps_the_language_sent(world, langs, login):
    mandarin, kazakh = langs
    both = bilingual(world, langs)
    line = approved_line(world, both, kazakh)
    kazakh_disc = FilmCopy.objects.get(language=kazakh)

    response = login(world.station).post(
        DISPATCH, {"line": line.pk, "copy": kazakh_disc.pk, "due_on": SOON + D(days=30)}
    )

    assert response.status_code == 302
    loan = Loan.objects.get()
    assert (loan.line, loan.copy, loan.language) == (line, kazakh_disc, kazakh)
    # Correcting the copy's language later does not rewrite what was sent.
    services.copy_update(copy=kazakh_disc, user=world.station, language=mandarin)
    loan.refresh_from_db()
    assert loan.language == kazakh


# --- copies in the film's only language -------------------------------------------------------


def test_a_copy_registered_without_a_language_is_in_the_films_only_one(world, langs):
    mandarin, kazakh = langs
    assert copy(world, film(world, "榜样8", languages=[kazakh])).language == kazakh
    assert copy(world, film(world, "焦裕禄", languages=[mandarin, kazakh])).language is None
    assert copy(world, film(world, "石榴花开")).language is None


def test_the_migration_fills_copies_and_loans_from_the_films_only_language(world, langs):
    mandarin, kazakh = langs
    single = film(world, "榜样8", languages=[kazakh])
    both = film(world, "焦裕禄", languages=[mandarin, kazakh])
    a, b = copy(world, single), copy(world, both)
    lent = services.loan_dispatch(copy=a, user=world.station, village=world.village, due_on=SOON)
    FilmCopy.objects.update(language=None)  # as the copies stood before
    Loan.objects.update(language=None)

    importlib.import_module(
        "dianjiao.films.migrations.0005_copy_and_loan_languages_from_film"
    ).fill(apps, None)

    a.refresh_from_db(), b.refresh_from_db(), lent.refresh_from_db()
    assert (a.language, b.language, lent.language) == (kazakh, None, kazakh)
