"""A client id already taken in another village answers as a conflict that names nothing
(issue 11, part 4): it used to say that the record exists ("已存在"), and the form that the
submission "was already sent"."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from dianjiao.logbook import services
from dianjiao.logbook.models import LogbookEntry
from tests.logbook.conftest import append

HIDDEN = "这份表单的记录编号不能使用，这次提交没有保存：请重新打开表单填写"


def _post(client, world, client_id):
    return client.post(
        reverse("logbook:create"),
        {
            "client_id": str(client_id),
            "village": world.village.pk,
            "kind": LogbookEntry.Kind.EQUIPMENT,
            "title": "电视机维修",
            "text": "更换了电源板",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )


@pytest.fixture
def foreign(world):
    """A neighbouring village's entry (same township) and another township's."""
    return {
        "village": append(
            world, village=world.pastoral, author=world.other_op, title="阿克达拉村秘密事项"
        ),
        "township": append(
            world, village=world.far_village, author=world.outsider, title="他乡秘密事项"
        ),
    }


@pytest.mark.parametrize("where", ["village", "township"])
def test_the_service_names_nothing_about_an_id_taken_elsewhere(world, foreign, where):
    theirs = foreign[where]
    with pytest.raises(services.ConflictError) as exc:
        append(world, client_id=theirs.pk)
    assert exc.value.entry is None
    assert str(exc.value) == HIDDEN and str(theirs.pk) not in str(exc.value)
    assert LogbookEntry.objects.filter(village=world.village).count() == 0


def test_the_form_answers_an_id_taken_elsewhere_like_any_unknown_conflict(world, foreign, login):
    client = login(world.operator)
    answers = []
    for theirs in foreign.values():
        response = _post(client, world, theirs.pk)
        assert response.status_code == 200
        page = response.content.decode()
        # (The id itself is the sender's own input, echoed in the form's hidden field.)
        for secret in (theirs.title, theirs.village.name, "已存在", "已经提交过"):
            assert secret not in page
        answers.append(list(response.context["form"].non_field_errors()))
    assert answers == [[HIDDEN], [HIDDEN]]  # the same words, whichever record holds the id
    assert not LogbookEntry.objects.filter(village=world.village).exists()


def test_a_replay_in_the_own_village_still_names_the_stored_entry(world, login):
    mine = append(world, client_id=uuid.uuid4())
    with pytest.raises(services.ConflictError) as exc:
        append(world, client_id=mine.pk, title="另一件事")
    assert exc.value.entry == mine
    response = _post(login(world.operator), world, mine.pk)
    assert "这份表单已经提交过，内容却不同" in response.content.decode()
