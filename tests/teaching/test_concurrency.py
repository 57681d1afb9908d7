"""Two people saving at the same moment, in real threads: two forms both land, each with its own
logbook entry; one form id sent twice at once lands once and the differing copy conflicts.
(test_session_record.py tells the same race sequentially.)"""

import uuid

import pytest

from dianjiao.logbook.models import LogbookEntry
from dianjiao.logbook.verify import verify_all
from dianjiao.teaching.models import ViewingSession
from dianjiao.teaching.services import SessionConflictError
from tests.concurrency import at_once, rerun_on_a_file_database

from .conftest import ABSENT, Cast, record


@pytest.mark.django_db(transaction=True)
def test_two_operators_with_two_forms_both_land(world, clock, tmp_path):
    if rerun_on_a_file_database(test_two_operators_with_two_forms_both_land, tmp_path):
        return
    cast = Cast(world)
    a, b = at_once(
        lambda: record(cast, author=world.operator, client_id=uuid.uuid4()),
        lambda: record(cast, author=world.station, client_id=uuid.uuid4()),
    )
    assert isinstance(a, ViewingSession) and isinstance(b, ViewingSession), (a, b)
    assert ViewingSession.objects.count() == 2
    assert sorted(
        LogbookEntry.objects.filter(village=world.village).values_list("seq", flat=True)
    ) == [1, 2]
    assert verify_all().ok


@pytest.mark.django_db(transaction=True)
def test_one_form_id_sent_twiceat_once_lands_once_and_the_different_one_conflicts(
    world, clock, tmp_path
):
    if rerun_on_a_file_database(
        test_one_form_id_sent_twiceat_once_lands_once_and_the_different_one_conflicts, tmp_path
    ):
        return
    cast = Cast(world)
    shared = uuid.uuid4()
    results = at_once(
        lambda: record(cast, author=world.operator, client_id=shared),
        lambda: record(
            cast,
            author=world.operator,
            client_id=shared,
            attendance={**cast.everyone(), cast.zhao.pk: (ABSENT, "")},
        ),
    )
    sessions = [r for r in results if isinstance(r, ViewingSession)]
    conflicts = [r for r in results if isinstance(r, SessionConflictError)]
    assert (len(sessions), len(conflicts)) == (1, 1), results
    assert ViewingSession.objects.count() == 1
    assert LogbookEntry.objects.filter(village=world.village).count() == 1
