"""Role × URL: every named URL of the project, requested by every persona.

A new URL that is not listed here fails `test_it_covers_every_url`: whoever adds a page decides
who may see it. Expectations: 200 allowed, 403 read-only role asking to write, 404 outside scope,
302 to the login page for anonymous users.
"""

import pytest
from django.urls import reverse

from tests.urlwalk import all_url_names

PERSONAS = ["station", "leader", "inspector", "county", "operator", "other_op", "outsider"]
ALL = dict.fromkeys(PERSONAS, 200)
# Pages that change something: only writers, read-only roles 403.
WRITERS = {**ALL, "leader": 403, "inspector": 403, "county": 403}


def own(*, other_op=404, outsider=404, read_only=200):
    """An object of 红星村: its township sees it, the county sees it, other villages and
    townships get 404. `read_only` is what leader/inspector/county get (403 on write pages)."""
    return {
        "station": 200,
        "leader": read_only,
        "inspector": read_only,
        "county": read_only,
        "operator": 200,
        "other_op": other_op,
        "outsider": outsider,
    }


def _batch(w):
    from dianjiao.members.models import RosterImport

    return {
        "pk": RosterImport.objects.create(
            uploaded_by=w.station, filename="花名册.xlsx", sha256="0" * 64
        ).pk
    }


def _logbook_entry(w):
    from django.utils import timezone

    from dianjiao.logbook.services import entry_append

    entry = entry_append(
        village=w.village,
        kind="other",
        title="检修",
        body={},
        occurred_at=timezone.now(),
        author=w.operator,
    )
    return {"pk": entry.pk}


def _session(w):
    """A key-film session of 红星村, recorded just now with 张三 present."""
    import datetime as dt

    from dianjiao.films.models import Film
    from dianjiao.lib import dates
    from dianjiao.teaching.services import session_record

    film = Film.objects.create(
        township=w.township, title="榜样8", duration_minutes=90, is_key_film=True
    )
    held_at = dates.now()  # this very moment: same day whatever the hour
    session = session_record(
        author=w.operator,
        village=w.village,
        point=w.point,
        held_at=held_at,
        kind="key_film",
        films=[film],
        duration_minutes=90,
        attendance={w.member.pk: ("present", "")},
        guests=[],
        notes="",
        four_ring={
            "preparation": "学习影片简介",
            "prepared_at": held_at - dt.timedelta(minutes=30),
        },
    )
    return {"pk": session.pk}


# name -> (kwargs builder, expected status per persona)
MATRIX = {
    "login": (None, None),  # public; checked below
    "logout": (None, None),  # POST only; checked below
    "set_language": (None, None),  # POST; checked below
    "web:home": (None, ALL),
    "orgs:village_list": (None, ALL),
    "orgs:coverage": (None, ALL),
    "orgs:village_detail": (lambda w: {"pk": w.village.pk}, own()),
    "orgs:point_detail": (lambda w: {"pk": w.point.pk}, own()),
    "orgs:point_create": (None, WRITERS),
    "orgs:point_edit": (lambda w: {"pk": w.point.pk}, own(read_only=403)),
    "orgs:equipment_create": (lambda w: {"point_pk": w.point.pk}, own(read_only=403)),
    "orgs:equipment_edit": (lambda w: {"pk": w.tv.pk}, own(read_only=403)),
    "members:list": (None, ALL),
    "members:create": (None, WRITERS),
    "members:detail": (lambda w: {"pk": w.member.pk}, own()),
    "members:edit": (lambda w: {"pk": w.member.pk}, own(read_only=403)),
    "members:leave": (lambda w: {"pk": w.member.pk}, own(read_only=403)),
    "members:import": (None, WRITERS),
    # An import batch is its uploader's alone, until confirmed or discarded.
    "members:import_preview": (_batch, {**dict.fromkeys(PERSONAS, 404), "station": 200}),
    "members:export": (None, ALL),
    "teaching:list": (None, ALL),
    "teaching:create": (None, WRITERS),
    "teaching:learning": (None, ALL),
    "teaching:feedback": (None, ALL),
    "teaching:detail": (_session, own()),
    "teaching:practice": (_session, own(read_only=403)),
    "teaching:correct": (_session, own(read_only=403)),
    "logbook:book": (None, ALL),
    "logbook:create": (None, WRITERS),
    "logbook:exceptions": (None, ALL),
    "logbook:print": (lambda w: {"village_pk": w.village.pk}, own()),
    "logbook:detail": (_logbook_entry, own()),
    "logbook:correct": (_logbook_entry, own(read_only=403)),
    # Film library; the builders are in tests/films/matrix.py, imported when a case runs.
    # The catalogue is township-wide (every village reads it); only the station changes it.
    "films:list": (None, ALL),
    "films:export": (None, ALL),
    "films:create": (None, {**WRITERS, "operator": 403, "other_op": 403}),
    "films:detail": (
        lambda w: __import__("tests.films.matrix", fromlist=["_"]).film(w),
        own(other_op=200),
    ),
    "films:edit": (
        lambda w: __import__("tests.films.matrix", fromlist=["_"]).film(w),
        {**own(other_op=403, read_only=403), "operator": 403},
    ),
    "films:copy_create": (
        lambda w: __import__("tests.films.matrix", fromlist=["_"]).film(w),
        {**own(other_op=403, read_only=403), "operator": 403},
    ),
    "films:copy_list": (None, ALL),
    "films:copy_edit": (
        lambda w: __import__("tests.films.matrix", fromlist=["_"]).copy(w),
        {**own(other_op=403, read_only=403), "operator": 403},
    ),
    "films:copy_upload": (
        lambda w: __import__("tests.films.matrix", fromlist=["_"]).copy(w),
        {**own(other_op=403, read_only=403), "operator": 403},
    ),
    "films:copy_write_off": (
        lambda w: __import__("tests.films.matrix", fromlist=["_"]).copy(w),
        {**own(other_op=403, read_only=403), "operator": 403},
    ),
    "films:copy_video": (
        lambda w: __import__("tests.films.matrix", fromlist=["_"]).digital_copy(w),
        own(other_op=200),
    ),
    "films:announcement_list": (None, ALL),
    "films:announcement_create": (None, {**WRITERS, "operator": 403, "other_op": 403}),
    "films:request_list": (None, ALL),
    "films:request_create": (None, WRITERS),
    # A request and a loan of 红星村: the station decides and takes back; only the village signs for receipt.
    "films:request_detail": (
        lambda w: __import__("tests.films.matrix", fromlist=["_"]).request(w),
        own(),
    ),
    "films:request_approve": (
        lambda w: __import__("tests.films.matrix", fromlist=["_"]).request(w),
        {**own(read_only=403), "operator": 403},
    ),
    "films:request_reject": (
        lambda w: __import__("tests.films.matrix", fromlist=["_"]).request(w),
        {**own(read_only=403), "operator": 403},
    ),
    "films:loan_list": (None, ALL),
    "films:overdue": (None, ALL),
    "films:loan_export": (None, ALL),
    "films:loan_dispatch": (None, {**WRITERS, "operator": 403, "other_op": 403}),
    "films:loan_receive": (
        lambda w: __import__("tests.films.matrix", fromlist=["_"]).loan(w),
        {**own(read_only=403), "station": 403},
    ),
    "films:loan_return": (
        lambda w: __import__("tests.films.matrix", fromlist=["_"]).loan(w),
        {**own(read_only=403), "operator": 403},
    ),
    "films:usage": (None, ALL),
    # Information items (R14): a village's items; the station reviews; published ones are the township's.
    "infoitems:list": (None, ALL),
    "infoitems:export": (None, ALL),
    "infoitems:published": (None, ALL),
    "infoitems:send": (None, WRITERS),
    "infoitems:detail": (
        lambda w: __import__("tests.infoitems.matrix", fromlist=["_"]).item(w),
        own(),
    ),
    "infoitems:resend": (
        lambda w: __import__("tests.infoitems.matrix", fromlist=["_"]).item(w),
        own(read_only=403),
    ),
    "infoitems:adopt": (
        lambda w: __import__("tests.infoitems.matrix", fromlist=["_"]).item(w),
        {**own(read_only=403), "operator": 403},
    ),
    "infoitems:return": (
        lambda w: __import__("tests.infoitems.matrix", fromlist=["_"]).item(w),
        {**own(read_only=403), "operator": 403},
    ),
    "infoitems:publish": (
        lambda w: __import__("tests.infoitems.matrix", fromlist=["_"]).item(w),
        {**own(read_only=403), "operator": 403},
    ),
    "infoitems:photo": (
        lambda w: __import__("tests.infoitems.matrix", fromlist=["_"]).photo(w),
        own(),
    ),
    # Planning and compliance: the station sets the year's plan; villages submit their work plans.
    "planning:dashboard": (None, ALL),
    "planning:export": (None, ALL),
    "planning:plan_edit": (lambda w: {"year": 2026}, {**WRITERS, "operator": 403, "other_op": 403}),
    "planning:workplans": (None, ALL),
    "planning:workplan_submit": (None, WRITERS),
    "planning:workplan_detail": (
        lambda w: __import__("tests.plans.matrix", fromlist=["_"]).workplan(w),
        own(),
    ),
    # Quarterly reports (R11): a village's report; its operator or the station writes and submits,
    # only the station approves or returns; every reader downloads.
    "reports:list": (None, ALL),
    "reports:export": (None, ALL),
    "reports:create": (None, WRITERS),
    "reports:detail": (
        lambda w: __import__("tests.reports.matrix", fromlist=["_"]).submitted(w),
        own(),
    ),
    "reports:edit": (
        lambda w: __import__("tests.reports.matrix", fromlist=["_"]).draft(w),
        own(read_only=403),
    ),
    "reports:submit": (
        lambda w: __import__("tests.reports.matrix", fromlist=["_"]).draft(w),
        own(read_only=403),
    ),
    "reports:approve": (
        lambda w: __import__("tests.reports.matrix", fromlist=["_"]).submitted(w),
        {**own(read_only=403), "operator": 403},
    ),
    "reports:return": (
        lambda w: __import__("tests.reports.matrix", fromlist=["_"]).submitted(w),
        {**own(read_only=403), "operator": 403},
    ),
    "reports:docx": (
        lambda w: __import__("tests.reports.matrix", fromlist=["_"]).submitted(w),
        own(),
    ),
    "reports:xlsx": (
        lambda w: __import__("tests.reports.matrix", fromlist=["_"]).submitted(w),
        own(),
    ),
}


def test_it_covers_every_url():
    missing = all_url_names() - MATRIX.keys()
    assert not missing, f"add these URLs to the access matrix: {sorted(missing)}"
    stale = MATRIX.keys() - all_url_names()
    assert not stale, f"these URLs no longer exist: {sorted(stale)}"


CASES = [
    (name, persona) for name, (_, expected) in MATRIX.items() if expected for persona in PERSONAS
]


@pytest.mark.parametrize(("name", "persona"), CASES)
def test_it_answers_each_persona_as_the_matrix_says(world, login, name, persona):
    build, expected = MATRIX[name]
    url = reverse(name, kwargs=build(world) if build else None)
    response = login(world.personas[persona]).get(url)
    assert response.status_code == expected[persona], f"{persona} GET {url}"


@pytest.mark.parametrize("name", [n for n, (_, e) in MATRIX.items() if e])
def test_it_sends_anonymous_users_to_the_login_page(world, client, name):
    build, _ = MATRIX[name]
    url = reverse(name, kwargs=build(world) if build else None)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_serves_the_public_pages(client, db):
    assert client.get(reverse("login")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
