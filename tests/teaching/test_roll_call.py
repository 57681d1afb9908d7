"""Roll call on the record form: nobody starts marked, nobody unmarked is saved, and 全部到场
works without JavaScript (the server marks those not yet marked and shows the form again)."""

import re

from django.urls import reverse

from dianjiao.teaching.models import ViewingSession

from .conftest import ABSENT, EXCUSED, PRESENT, local, record
from .test_record_page import form_data

URL = reverse("teaching:create")


def _checked_statuses(page: str) -> list[str]:
    return re.findall(r'<input type="radio" name="m\d+_status" value="(\w+)"[^>]*checked', page)


def test_a_new_record_starts_with_nobody_marked_and_counts_everyone_as_unmarked(cast, clock, login):
    response = login(cast.world.operator).get(URL)
    page = response.content.decode()
    assert _checked_statuses(page) == []  # not 缺席 by default
    tally = response.context["tally"]
    assert (tally.expected, tally.present, tally.excused, tally.absent) == (4, 0, 0, 0)
    assert sorted(tally.unmarked) == sorted(["张三", "李梅", "王五", "赵六"])
    assert 'id="roll-tally"' in page and "全部到场" in page


def test_a_form_with_someone_unmarked_is_not_saved_and_says_who(cast, clock, login):
    data = form_data(cast, statuses={cast.wang.pk: (EXCUSED, "herding")})
    data.pop(f"m{cast.zhao.pk}_status")
    data.pop(f"m{cast.li.pk}_status")
    response = login(cast.world.operator).post(URL, data)
    assert response.status_code == 200
    assert not ViewingSession.objects.exists()
    form = response.context["form"]
    assert form.errors["attendance"] == ["还有 2 人没有登记到场、请假或缺席：李梅、赵六"]
    assert f"m{cast.zhao.pk}_status" in form.errors
    page = response.content.decode()
    # Next to the list, not only at the top of the form.
    roll = page.split('id="roll-errors"', 1)[1].split('class="checklist"', 1)[0]
    assert "还有 2 人没有登记到场、请假或缺席：李梅、赵六" in roll


def test_all_present_without_javascript_marks_only_the_unmarked_and_saves_nothing(
    cast, clock, login
):
    data = form_data(cast, statuses={cast.wang.pk: (EXCUSED, "herding")})
    for m in (cast.zhang, cast.li, cast.zhao):
        data.pop(f"m{m.pk}_status")
    data["roll"] = "all_present"
    data.pop("films")  # not an error yet: nothing is being saved
    client = login(cast.world.operator)
    response = client.post(URL, data)
    assert response.status_code == 200 and not ViewingSession.objects.exists()
    form = response.context["form"]
    assert not form.errors
    assert "未保存" not in response.content.decode()
    statuses = {m.name: form[f"m{m.pk}_status"].value() for m in form.roster}
    assert statuses == {"张三": PRESENT, "李梅": PRESENT, "王五": EXCUSED, "赵六": PRESENT}
    tally = response.context["tally"]
    assert (tally.present, tally.excused, tally.absent, tally.unmarked) == (3, 1, 0, [])

    # The operator then marks 赵六 absent and saves the same form.
    data = form_data(
        cast, statuses={cast.wang.pk: (EXCUSED, "herding"), cast.zhao.pk: (ABSENT, "")}
    )
    assert client.post(URL, data).status_code == 302
    stored = dict(ViewingSession.objects.get().attendances.values_list("member__name", "status"))
    assert stored == {"张三": PRESENT, "李梅": PRESENT, "王五": EXCUSED, "赵六": ABSENT}


def test_a_make_up_offers_to_mark_the_rest_absent(cast, clock, login):
    record(
        cast,
        held_at=local(2026, 11, 29, 8, 0),
        attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")},
    )
    page = login(cast.world.operator).get(f"{URL}?kind=makeup").content.decode()
    assert 'value="rest_absent"' in page
