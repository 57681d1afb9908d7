"""The roster import says that an ID number cannot be used, never that the person is registered
elsewhere (issue 11, part 4); the station, who may see the whole township, finds where."""

from django.urls import reverse

from tests.members.sheets import person, upload_file, xlsx


def _errors_for(client, row):
    response = client.post(reverse("members:import"), {"file": upload_file(xlsx([row]))})
    assert response.status_code == 302
    page = client.get(response["Location"])
    (preview_row,) = page.context["preview"].rows
    return preview_row.errors, page.content.decode()


def test_an_operator_is_told_only_that_the_id_number_cannot_be_used(world, login):
    other = world.pastoral_member  # 阿克达拉村, the same township
    row = person("冒名", birth=other.birth_date, 身份证号=other.id_number)
    errors, page = _errors_for(login(world.operator), row)
    assert errors == [("身份证号", "该身份证号不能使用，请与乡电教站核实")]
    for secret in ("其他党支部", "已在", other.name, other.village.name):
        assert secret not in page


def test_the_station_sees_where_the_id_number_is_registered(world, login):
    other = world.pastoral_member
    page = login(world.station).get(reverse("members:list"), {"q": other.id_number})
    assert other.name in page.content.decode() and other.village.name in page.content.decode()


def test_the_station_is_not_told_about_another_township_either(world, login):
    other = world.far_member
    row = person("冒名", birth=other.birth_date, 身份证号=other.id_number)
    errors, page = _errors_for(login(world.station), row)
    assert errors == [("身份证号", "该身份证号不能使用")]
    for secret in ("其他党支部", "已在", other.name, other.village.name):
        assert secret not in page
