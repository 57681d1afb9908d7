"""The catalogue pages: list with search, filters and paging; a film's page; the station's forms."""

from django.urls import reverse

from dianjiao.films import services
from dianjiao.films.models import Film, FilmCopy
from tests.films.helpers import copy, film, language, loan, overdue_loan, theme

LIST = reverse("films:list")


def titles(response):
    return [f.title for f in response.context["page_obj"]]


def test_it_lists_the_township_catalogue_with_copies_counted(world, login):
    key = film(
        world,
        "榜样8",
        is_key_film=True,
        themes=[theme("时代楷模")],
        languages=[language("哈萨克语")],
    )
    copy(world, key)
    loan(world, copy(world, key))
    services.film_create(user=world.outsider, title="他乡的片", duration_minutes=20)

    response = login(world.other_op).get(LIST)

    assert titles(response) == ["榜样8"]
    row = response.context["page_obj"][0]
    assert (row.n_copies, row.n_on_shelf) == (2, 1)
    html = response.content.decode()
    assert "重点片" in html and "时代楷模" in html and "哈萨克语" in html
    assert reverse("films:create") not in html  # the village asks; it does not edit the catalogue
    assert reverse("films:request_create") in html


def test_it_searches_and_filters(world, login):
    kazakh = language("哈萨克语")
    film(world, "榜样7", series="《榜样》系列", is_key_film=True, themes=[theme("先进性教育")])
    film(world, "榜样8", series="《榜样》系列", themes=[theme("时代楷模")], languages=[kazakh])
    film(world, "牧区养殖技术", themes=[theme("科技与农牧业技术")], languages=[kazakh])
    film(world, "旧片", active=False)
    client = login(world.station)

    assert titles(client.get(LIST, {"q": "榜样"})) == ["榜样7", "榜样8"]
    assert titles(client.get(LIST, {"q": "《榜样》"})) == ["榜样7", "榜样8"]  # by series
    assert titles(client.get(LIST, {"q": "农牧业"})) == ["牧区养殖技术"]  # by theme
    assert titles(client.get(LIST, {"theme": theme("先进性教育").pk})) == ["榜样7"]
    assert titles(client.get(LIST, {"language": kazakh.pk})) == ["牧区养殖技术", "榜样8"]
    assert titles(client.get(LIST, {"key": "on"})) == ["榜样7"]
    assert titles(client.get(LIST, {"status": "inactive"})) == ["旧片"]
    assert len(titles(client.get(LIST, {"status": "all"}))) == 4


def test_it_pages_the_catalogue(world, login):
    for i in range(35):
        film(world, f"片{i:02d}")
    client = login(world.operator)

    first, second = client.get(LIST), client.get(LIST, {"page": 2})
    assert len(titles(first)) == 30 and len(titles(second)) == 5
    assert "第 1 / 2 页，共 35 条" in first.content.decode()


def test_it_draws_the_catalogue_in_a_fixed_number_of_queries(
    world, login, django_assert_num_queries
):
    film(world, "榜样7", themes=[theme()], languages=[language()])
    client = login(world.station)
    client.get(LIST)
    with django_assert_num_queries(10) as few:
        client.get(LIST)
    for i in range(25):
        made = film(
            world,
            f"片{i}",
            themes=[theme(), theme("党史党课")],
            languages=[language(), language("哈萨克语")],
        )
        copy(world, made)
        loan(world, copy(world, made))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(titles(response)) == 26


def test_a_films_page_shows_copies_teaching_notes_and_where_copies_are(world, login):
    key = film(
        world,
        "榜样8",
        is_key_film=True,
        synopsis="优秀共产党员的事迹",
        prep_notes="提前观看",
        prompts="暂停提示",
        discussion_questions="最打动你的是什么？",
    )
    copy(world, key, "WLG-0001")
    overdue_loan(world, copy(world, key, "WLG-0002"), village=world.pastoral, days=3)
    lost = copy(world, key, "WLG-0003")
    services.copy_write_off(copy=lost, user=world.station, reason="转场途中遗失")

    station_html = login(world.station).get(reverse("films:detail", args=[key.pk])).content.decode()
    assert (
        "提前观看" in station_html
        and "暂停提示" in station_html
        and "最打动你的是什么？" in station_html
    )
    assert "借出至阿克达拉村" in station_html and "逾期3天" in station_html
    assert "遗失" in station_html and "转场途中遗失" in station_html
    assert reverse("films:usage") in station_html
    # 红星村 sees the copy is out, not which village has it: loans are the borrowing village's.
    operator_html = (
        login(world.operator).get(reverse("films:detail", args=[key.pk])).content.decode()
    )
    assert "WLG-0002" in operator_html and "阿克达拉村" not in operator_html
    assert reverse("films:edit", args=[key.pk]) not in operator_html


def test_the_station_registers_and_edits_a_film(world, login):
    client = login(world.station)
    data = {
        "title": "民法典进万家",
        "duration_minutes": 40,
        "themes": [theme("政策法规").pk],
        "languages": [language("哈萨克语").pk],
        "is_key_film": "on",
        "active": "on",
        "discussion_questions": "家里的房子该怎么继承？",
    }

    response = client.post(reverse("films:create"), data)

    made = Film.objects.get(title="民法典进万家")
    assert response.status_code == 302 and response["Location"] == reverse(
        "films:detail", args=[made.pk]
    )
    assert made.is_key_film and [t.name for t in made.themes.all()] == ["政策法规"]
    duplicate = client.post(reverse("films:create"), data)
    assert duplicate.context["form"].errors["title"] == ["片库中已有《民法典进万家》，不能重复登记"]
    edited = client.post(reverse("films:edit", args=[made.pk]), {**data, "duration_minutes": 45})
    assert edited.status_code == 302
    made.refresh_from_db()
    assert made.duration_minutes == 45


def test_the_station_registers_copies_and_writes_them_off(world, login):
    made = film(world, "榜样7")
    client = login(world.station)

    response = client.post(
        reverse("films:copy_create", args=[made.pk]),
        {"inventory_no": "wlg-0007", "medium": "dvd", "condition": "good"},
    )
    assert response.status_code == 302
    disc = FilmCopy.objects.get(inventory_no="WLG-0007")
    again = client.post(
        reverse("films:copy_create", args=[made.pk]),
        {"inventory_no": "WLG-0007", "medium": "dvd", "condition": "good"},
    )
    assert again.context["form"].errors["inventory_no"] == [
        "库存编号“WLG-0007”已被《榜样7》的拷贝使用"
    ]
    digital = client.post(
        reverse("films:copy_create", args=[made.pk]),
        {"inventory_no": "F-1", "medium": "file", "condition": "good"},
    )
    assert digital["Location"] == reverse(
        "films:copy_upload", args=[FilmCopy.objects.get(inventory_no="F-1").pk]
    )

    missing = client.post(
        reverse("films:copy_write_off", args=[disc.pk]), {"status": "lost", "reason": ""}
    )
    assert missing.context["form"].errors["reason"] == ["请填写遗失或注销的原因"]
    assert (
        client.post(
            reverse("films:copy_write_off", args=[disc.pk]),
            {"status": "lost", "reason": "借出后遗失"},
        ).status_code
        == 302
    )
    disc.refresh_from_db()
    assert disc.status == FilmCopy.Status.LOST
