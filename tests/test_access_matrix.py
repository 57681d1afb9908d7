"""Role × URL: every named URL of the project, requested by every persona, with GET and POST.

A new URL that is not listed here fails `test_it_covers_every_url`, and a URL pattern without a
name fails `test_every_url_pattern_has_a_name`: whoever adds a page decides who may see it and who
may write through it.

Expectations, per persona (see PERSONAS): 200 allowed, 403 a role that may read but not write
here, 404 outside the persona's scope (another village, township or county), 302 to the login
page for anonymous users. The JSON API is the exception: its rows say `anonymous=401` (an
anonymous call gets 401 JSON, not a redirect), `json=True` (the POST body is JSON), and a GET to
a POST-only endpoint is 405 for everyone. PUBLIC lists the URLs open without a login.

Each app's URLs are declared in one dict below (ORGS, MEMBERS, ... OVERSIGHT, PASTORAL, CAPTURE,
API) and MATRIX joins them. A row is `read(expected)` for a page that takes no writes, or
`write(expected)` for one that does; `build` makes the objects the URL needs in the world and returns its kwargs (the
builders of the bigger apps live in tests/<app>/matrix.py). For a `write` row the POST column is
the same as the GET column unless `post=` says otherwise:

* a persona expected to get 403 or 404 POSTs and gets exactly that, and nothing in the database
  changes (every table of the project is compared before and after);
* a persona expected to get 200 POSTs an empty form (or the row's `data`) and is not refused
  (no 403/404, no error). WRITES_WHEN_ALLOWED lists rows whose POST does write when a writer
  sends it, so that "nothing changes" is not a foregone conclusion.

A `read` row takes no writes: every persona's POST changes nothing there either, and gets the
GET column's refusal or 405.

To add an app: write its dict (`REMINDERS = {"reminders:list": read(ALL), ...}`), builders in
tests/<app>/matrix.py if its URLs need objects, and add the dict to MATRIX.

Another township's station and another county's viewer never see our villages' names on the
pages they may open (test_another_township_or_county_never_sees_our_villages).

The world (tests.factories.WideWorld: two counties, two townships, three villages of ours, one
user per role) is built once for the module; each case runs in a savepoint rolled back after it.
"""

import dataclasses
import json
from collections.abc import Callable

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from tests.api import matrix as api
from tests.films import matrix as films
from tests.infoitems import matrix as infoitems
from tests.oversight import matrix as oversight
from tests.pastoral import matrix as pastoral
from tests.plans import matrix as planning
from tests.reports import matrix as reports
from tests.urlwalk import all_url_names, unnamed_patterns
from tests.wide_world import wide_world_each_test, wide_world_once  # noqa: F401 (fixtures)

PERSONAS = [
    "station",  # 电教站管理员 of 乌伦古乡
    "leader",  # 乡党委领导 of 乌伦古乡 (reads)
    "inspector",  # 检查员 of 乌伦古乡 (reads)
    "county",  # 县级查看 of 福海县 (reads)
    "operator",  # 电教员 of 红星村
    "other_op",  # 电教员 of 阿克达拉村, the same township
    "outsider",  # 电教站管理员 of 齐干吉迭乡, another township of 福海县
    "far_county",  # 县级查看 of 吉木乃县, another county
]
READ_ONLY = ("leader", "inspector", "county")
OUTSIDERS = ("other_op", "outsider", "far_county")

ALL = dict.fromkeys(PERSONAS, 200)
# Pages that change something, not bound to one object: writers only, read-only roles 403.
WRITERS = {**ALL, "leader": 403, "inspector": 403, "county": 403, "far_county": 403}
# The station's own pages (the township's catalogue, plan, loans): villages 403.
STATION = {**WRITERS, "operator": 403, "other_op": 403}


def own(*, other_op=404, outsider=404, read_only=200):
    """An object of 红星村: its township sees it, its county sees it, other villages, townships
    and counties get 404. `read_only` is what leader/inspector/county get (403 on write pages)."""
    return {
        "station": 200,
        "leader": read_only,
        "inspector": read_only,
        "county": read_only,
        "operator": 200,
        "other_op": other_op,
        "outsider": outsider,
        "far_county": 404,
    }


@dataclasses.dataclass(frozen=True)
class Url:
    get: dict | None  # expected GET status per persona; None for the public URLs
    build: Callable | None = None  # world -> URL kwargs
    post: dict | None = None  # expected POST status per persona; None: takes no writes
    data: Callable | None = None  # world -> a POST body that writes when a writer sends it
    json: bool = False  # the POST body is sent as JSON (the API)
    anonymous: int = 302  # what an anonymous request gets: the login page, or the API's 401
    headers: Callable | None = None  # world -> HTTP headers of the POST (the tus uploads)
    # The view asks who calls before it looks at the method (the tus uploads): an anonymous GET
    # of a POST-only URL is 401, not django-ninja's 405.
    auth_before_method: bool = False


def read(get, build=None, *, anonymous=302) -> Url:
    return Url(get, build, anonymous=anonymous)


def write(
    get,
    build=None,
    *,
    post=None,
    data=None,
    json=False,
    anonymous=302,
    headers=None,
    auth_before_method=False,
) -> Url:
    return Url(get, build, post or get, data, json, anonymous, headers, auth_before_method)


# ---------------------------------------------------------------------------------------------
# Builders for apps without a tests/<app>/matrix.py
# ---------------------------------------------------------------------------------------------


def _batch(w):
    from dianjiao.members.models import RosterImport

    return {
        "pk": RosterImport.objects.create(
            uploaded_by=w.station, filename="花名册.xlsx", sha256="0" * 64
        ).pk
    }


def _logbook_entry(w):
    from dianjiao.lib import dates
    from dianjiao.logbook.services import entry_append

    entry = entry_append(
        village=w.village,
        kind="other",
        title="检修",
        body={},
        occurred_at=dates.now(),
        author=w.operator,
    )
    return {"pk": entry.pk}


def _entry_form(w):
    import uuid

    return {
        "client_id": str(uuid.uuid4()),
        "village": w.village.pk,
        "kind": "other",
        "title": "检修",
        "text": "更换电源线",
        "reason": "写错了",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }


def _grant_form(w):
    import datetime as dt

    from dianjiao.lib import dates

    return {
        "village": w.village.pk,
        "day": (dates.today() - dt.timedelta(days=1)).isoformat(),
        "reason": "停电",
    }


def _reason(w):
    return {"reason": "内容不全，请补充后重新报送"}


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


def _guest_match(w):
    """A guest at a monthly showing of 红星村, to be matched to 阿克达拉村's herder."""
    session = api.recorded_session(w, film_title="榜样7", guests=[("努尔兰", "牧民")])
    return {"guest": session.guests.get().pk, "member": w.pastoral_member.pk}


def _doubtful_entry(w):
    """An entry of 红星村 whose phone said it was captured two days from now."""
    import datetime as dt

    from dianjiao.lib import dates
    from dianjiao.logbook.services import entry_append

    now = dates.now()
    entry = entry_append(
        village=w.village,
        kind="other",
        title="营地放映",
        body={},
        occurred_at=now,
        author=w.operator,
        captured_at=now + dt.timedelta(days=2),
    )
    assert entry.capture_doubts
    return {"pk": entry.pk}


# ---------------------------------------------------------------------------------------------
# The matrix, one dict per app
# ---------------------------------------------------------------------------------------------

PUBLIC = {  # checked by test_it_serves_the_public_pages
    "login": Url(None),
    "logout": Url(None),
    "set_language": Url(None),
    # The capture page's service worker and manifest hold no data (a phone whose session expired
    # at the camp still updates its worker); the API's description and its token exchange.
    "capture:sw": Url(None),
    "capture:manifest": Url(None),
    "api:api-root": Url(None),
    "api:openapi-json": Url(None),
    "api:openapi-view": Url(None),
    "api:token_create": Url(None),
}

WEB = {
    "web:home": read(ALL),
}

ORGS = {
    "orgs:village_list": read(ALL),
    "orgs:coverage": read(ALL),
    "orgs:village_detail": read(own(), lambda w: {"pk": w.village.pk}),
    "orgs:point_detail": read(own(), lambda w: {"pk": w.point.pk}),
    "orgs:point_create": write(WRITERS),
    "orgs:point_edit": write(own(read_only=403), lambda w: {"pk": w.point.pk}),
    "orgs:equipment_create": write(own(read_only=403), lambda w: {"point_pk": w.point.pk}),
    "orgs:equipment_edit": write(own(read_only=403), lambda w: {"pk": w.tv.pk}),
}

MEMBERS = {
    "members:list": read(ALL),
    "members:create": write(WRITERS),
    "members:detail": read(own(), lambda w: {"pk": w.member.pk}),
    "members:edit": write(own(read_only=403), lambda w: {"pk": w.member.pk}),
    "members:leave": write(own(read_only=403), lambda w: {"pk": w.member.pk}),
    "members:import": write(WRITERS),
    # An import batch is its uploader's alone, until confirmed or discarded.
    "members:import_preview": write({**dict.fromkeys(PERSONAS, 404), "station": 200}, _batch),
    "members:export": read(ALL),
}

TEACHING = {
    "teaching:list": read(ALL),
    "teaching:create": write(WRITERS),
    "teaching:learning": read(ALL),
    # Everyone reads the monthly feedback; villages and their station send it.
    "teaching:feedback": write(
        ALL,
        post=WRITERS,
        data=lambda w: {"village": w.village.pk, "month": f"{timezone.localdate():%Y-%m}"},
    ),
    "teaching:detail": read(own(), _session),
    "teaching:practice": write(own(read_only=403), _session),
    "teaching:correct": write(own(read_only=403), _session),
    # The station matches the township's guests to roster members.
    "teaching:guests": write(STATION, post=STATION, data=_guest_match),
}

LOGBOOK = {
    "logbook:book": read(ALL),
    "logbook:create": write(WRITERS, data=_entry_form),
    # Everyone reads the late-entry exceptions in scope; only a station grants them (the
    # outsider station's form offers its own villages only: tests/logbook/test_pages.py).
    "logbook:exceptions": write(ALL, post=STATION, data=_grant_form),
    "logbook:print": read(own(), lambda w: {"village_pk": w.village.pk}),
    "logbook:detail": read(own(), _logbook_entry),
    "logbook:correct": write(own(read_only=403), _logbook_entry, data=_entry_form),
    # The station of the township reviews an entry whose capture time is in doubt (POST only).
    "logbook:review_capture": write(
        dict.fromkeys(PERSONAS, 405),
        _doubtful_entry,
        post={**own(read_only=403), "operator": 403},
        data=lambda w: {"note": "与营地工作人员核实，时间无误"},
    ),
}

# Film library. The catalogue is township-wide (every village reads it); only the station changes
# it. A request and a loan of 红星村: the station decides and takes back; only the village signs
# for receipt.
_STATION_ONLY = {**own(other_op=403, read_only=403), "operator": 403}
FILMS = {
    "films:list": read(ALL),
    "films:export": read(ALL),
    "films:create": write(STATION),
    "films:detail": read(own(other_op=200), films.film),
    "films:edit": write(_STATION_ONLY, films.film),
    "films:copy_create": write(_STATION_ONLY, films.film),
    "films:copy_list": read(ALL),
    "films:copy_edit": write(_STATION_ONLY, films.copy),
    "films:copy_upload": write(_STATION_ONLY, films.copy),
    "films:copy_write_off": write(_STATION_ONLY, films.copy),
    "films:copy_video": read(own(other_op=200), films.digital_copy),
    "films:announcement_list": read(ALL),
    "films:announcement_create": write(STATION),
    "films:request_list": read(ALL),
    "films:request_create": write(WRITERS),
    "films:request_detail": read(own(), films.request),
    "films:request_approve": write({**own(read_only=403), "operator": 403}, films.request),
    "films:request_reject": write(
        {**own(read_only=403), "operator": 403}, films.request, data=_reason
    ),
    "films:loan_list": read(ALL),
    "films:overdue": read(ALL),
    "films:loan_export": read(ALL),
    "films:loan_dispatch": write(STATION),
    "films:loan_receive": write({**own(read_only=403), "station": 403}, films.loan),
    "films:loan_return": write({**own(read_only=403), "operator": 403}, films.loan),
    "films:usage": read(ALL),
    # The sessions' footage (摄录的实况), served by api: each sees the footage of what they see.
    "films:footage": read(ALL),
}

# Information items (R14): a village's items; the station reviews; published ones are the township's.
INFOITEMS = {
    "infoitems:list": read(ALL),
    "infoitems:export": read(ALL),
    "infoitems:published": read(ALL),
    "infoitems:send": write(WRITERS),
    "infoitems:detail": read(own(), infoitems.item),
    "infoitems:resend": write(own(read_only=403), infoitems.item),
    "infoitems:adopt": write({**own(read_only=403), "operator": 403}, infoitems.item),
    "infoitems:return": write(
        {**own(read_only=403), "operator": 403}, infoitems.item, data=_reason
    ),
    "infoitems:publish": write({**own(read_only=403), "operator": 403}, infoitems.item),
    "infoitems:photo": read(own(), infoitems.photo),
}

# Planning and compliance: the station sets the year's plan; villages submit their work plans.
PLANNING = {
    "planning:dashboard": read(ALL),
    "planning:export": read(ALL),
    "planning:plan_edit": write(STATION, lambda w: {"year": 2026}),
    "planning:workplans": read(ALL),
    "planning:workplan_submit": write(WRITERS),
    "planning:workplan_detail": read(own(), planning.workplan),
}

# Quarterly reports (R11): a village's report; its operator or the station writes and submits,
# only the station approves or returns; every reader downloads.
REPORTS = {
    "reports:list": read(ALL),
    "reports:export": read(ALL),
    "reports:create": write(WRITERS),
    "reports:detail": read(own(), reports.submitted),
    "reports:edit": write(own(read_only=403), reports.draft),
    "reports:submit": write(own(read_only=403), reports.draft),
    "reports:approve": write({**own(read_only=403), "operator": 403}, reports.submitted),
    "reports:return": write(
        {**own(read_only=403), "operator": 403}, reports.submitted, data=_reason
    ),
    "reports:docx": read(own(), reports.submitted),
    "reports:xlsx": read(own(), reports.submitted),
}

# Oversight (R9, R12): the inspector and the station record inspections; the station drafts
# bulletins, computes the assessment, records trainings and demonstration units; the leader
# convenes meetings, approves bulletins and publishes the assessment. A village answers its
# rectifications and closes its meeting actions.
_NONE = dict.fromkeys(PERSONAS, 404)
# The station's forms of its own township (the outsider station writes in its own).
_OWN_STATION = {**STATION, "outsider": 200}
_TOWNSHIP = {**own(), "other_op": 200}  # a township's record: every village of it reads
_STATION_OF = {**own(read_only=403), "operator": 403}  # the station of 红星村's township only
# The station's writes on a township-wide record (a training): its villages read it, so 403.
_TRAINING_STATION = {**_STATION_OF, "other_op": 403}
OVERSIGHT = {
    "oversight:overview": read(ALL),
    "oversight:templates": read(ALL),
    "oversight:template_new": write(_OWN_STATION),
    "oversight:inspections": read(ALL),
    "oversight:inspections_export": read(ALL),
    "oversight:inspection_new": write({**_OWN_STATION, "inspector": 200}),
    "oversight:inspection": read(own(), oversight.inspection),
    "oversight:inspection_correct": write(
        {**own(read_only=403), "inspector": 200, "operator": 403}, oversight.inspection
    ),
    "oversight:inspection_photo": read(own(), oversight.photo),
    "oversight:rectifications": read(ALL),
    "oversight:rectifications_export": read(ALL),
    # The village answers here while the rectification is open; the builder's is answered.
    "oversight:rectification": write(own(), oversight.rectification, post=own(read_only=403)),
    "oversight:rectification_accept": write(_STATION_OF, oversight.rectification),
    "oversight:rectification_return": write(_STATION_OF, oversight.rectification, data=_reason),
    "oversight:rectification_evidence": read(own(), oversight.rectification),
    "oversight:bulletins": read(ALL),
    "oversight:bulletin_new": write(_OWN_STATION),
    # A draft is the station's and its leader's; the villages and the county read issued ones.
    "oversight:bulletin": read(_TOWNSHIP, oversight.issued_bulletin),
    "oversight:bulletin_edit": write(
        {**_NONE, "station": 200, "leader": 403}, oversight.draft_bulletin
    ),
    "oversight:bulletin_submit": write(
        {**_NONE, "station": 200, "leader": 403}, oversight.draft_bulletin
    ),
    "oversight:bulletin_approve": write(
        {**_NONE, "station": 403, "leader": 200}, oversight.submitted_bulletin
    ),
    "oversight:bulletin_return": write(
        {**_NONE, "station": 403, "leader": 200}, oversight.submitted_bulletin, data=_reason
    ),
    "oversight:bulletin_docx": read(_TOWNSHIP, oversight.issued_bulletin),
    "oversight:bulletin_checkpoints": read(_TOWNSHIP, oversight.issued_bulletin),
    "oversight:assessments": read(ALL),
    "oversight:assessment_compute": write(_OWN_STATION),
    "oversight:assessment": read(_TOWNSHIP, oversight.published_assessment),
    "oversight:assessment_publish": write(
        {**_NONE, "station": 403, "leader": 200, "inspector": 403}, oversight.draft_assessment
    ),
    "oversight:assessment_export": read(_TOWNSHIP, oversight.published_assessment),
    "oversight:assessment_docx": read(_TOWNSHIP, oversight.published_assessment),
    "oversight:score_amend": write(_STATION_OF, oversight.score),
    "oversight:meetings": read(ALL),
    "oversight:meeting_new": write({**dict.fromkeys(PERSONAS, 403), "leader": 200}),
    "oversight:meeting": read(_TOWNSHIP, oversight.meeting),
    "oversight:meeting_record": write(
        {**dict.fromkeys(PERSONAS, 403), "leader": 200, "outsider": 404, "far_county": 404},
        oversight.meeting,
    ),
    # A village's action: that village (or its station) closes it.
    "oversight:action_close": write(
        {**_TOWNSHIP, "leader": 403, "inspector": 403, "county": 403, "other_op": 403},
        oversight.action,
    ),
    "oversight:trainings": read(ALL),
    "oversight:training_new": write(_OWN_STATION),
    "oversight:training": read(_TOWNSHIP, oversight.training),
    # The station hands out a training's materials and withdraws them (kept, never deleted);
    # whoever reads the training downloads them.
    "oversight:training_material_add": write(_TRAINING_STATION, oversight.training),
    "oversight:training_material": read(_TOWNSHIP, oversight.material),
    "oversight:training_material_withdraw": write(
        _TRAINING_STATION, oversight.material, data=_reason
    ),
    # Every AV cadre's training history: a village reads its own cadres', not its neighbours'.
    "oversight:cadres": read(ALL),
    "oversight:cadre": read(own(), oversight.cadre),
    "oversight:demos": read(ALL),
    "oversight:demos_export": read(ALL),
    "oversight:demo_new": write(_OWN_STATION),
    "oversight:demo": read(own(), oversight.demo),
    "oversight:demo_edit": write(_STATION_OF, oversight.demo),
    "oversight:demo_name": write(_STATION_OF, oversight.demo),
}

# Pastoral campaigns (R13): the station runs its township's campaigns; everyone of the township
# and its county reads them.
PASTORAL = {
    "pastoral:list": read(ALL),
    # Any station may open the form: it creates in its own township.
    "pastoral:create": write(_OWN_STATION),
    "pastoral:detail": read(_TOWNSHIP, pastoral.campaign),
    "pastoral:export": read(_TOWNSHIP, pastoral.campaign),
    "pastoral:point_add": write(
        {**_TOWNSHIP, **dict.fromkeys((*READ_ONLY, "operator", "other_op"), 403)},
        pastoral.campaign,
    ),
}

# The offline capture page (its service worker and manifest are public, see PUBLIC).
CAPTURE = {
    "capture:page": read(ALL),
}

# The JSON API (/api/v1/): a browser session works as well as a device token; an anonymous call
# answers 401 JSON (not a redirect), a GET to a POST-only endpoint 405. The writes take JSON and
# call the pages' services, so they refuse as the pages do.
_POST_ONLY = dict.fromkeys(PERSONAS, 405)
API = {
    "api:bootstrap": read(ALL, anonymous=401),
    "api:token_list": read(ALL, anonymous=401),
    # Any signed-in user takes a device token for the capture page.
    "api:token_create_from_session": write(
        _POST_ONLY, post=ALL, data=api.device, json=True, anonymous=401
    ),
    # A device token of 红星村's operator: its holder and its township's station revoke it.
    "api:token_revoke": write(
        _POST_ONLY,
        api.operator_token,
        post={**_NONE, "operator": 200, "station": 200},
        json=True,
        anonymous=401,
    ),
    "api:session_detail": read(own(), api.session, anonymous=401),
    "api:session_create": write(
        _POST_ONLY, post=own(read_only=403), data=api.session_body, json=True, anonymous=401
    ),
    "api:info_item_create": write(
        _POST_ONLY, post=own(read_only=403), data=api.info_item_body, json=True, anonymous=401
    ),
    # Footage of 红星村's session by tus 1.0: created by who may write the session; an upload
    # takes HEAD and PATCH only (a POST or GET is 405 once the caller is known); the finished
    # file plays for everyone who reads the session.
    "api:upload_create": write(
        _POST_ONLY,
        post=own(read_only=403),
        headers=api.upload_headers,
        anonymous=401,
        auth_before_method=True,
    ),
    "api:upload": write(
        _POST_ONLY,
        api.upload,
        post=_POST_ONLY,
        headers=api.tus_headers,
        anonymous=401,
        auth_before_method=True,
    ),
    "api:upload_file": read(own(), api.complete_upload, anonymous=401),
}

REMINDERS = {
    "reminders:list": read(STATION),
    "reminders:export": read(STATION),
    "reminders:profile": write(ALL),  # everyone keeps their own phone, e-mail and channels
    # The station sets up a user of its township who never logs in.
    "reminders:profile_for": write({**STATION, "outsider": 404}, lambda w: {"pk": w.operator.pk}),
}

MATRIX = {
    **PUBLIC,
    **WEB,
    **ORGS,
    **MEMBERS,
    **TEACHING,
    **LOGBOOK,
    **FILMS,
    **INFOITEMS,
    **PLANNING,
    **REPORTS,
    **OVERSIGHT,
    **PASTORAL,
    **CAPTURE,
    **API,
    **REMINDERS,
}


# ---------------------------------------------------------------------------------------------
# The world, once per module
# ---------------------------------------------------------------------------------------------


def _url(world, name):
    row = MATRIX[name]
    return reverse(name, kwargs=row.build(world) if row.build else None)


def _tables():
    """Every row of every table of the project's own apps (audit trail included)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model.__module__.startswith("dianjiao.")
    }


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------


def test_it_covers_every_url():
    missing = all_url_names() - MATRIX.keys()
    assert not missing, f"add these URLs to the access matrix: {sorted(missing)}"
    stale = MATRIX.keys() - all_url_names()
    assert not stale, f"these URLs no longer exist: {sorted(stale)}"


def test_every_url_pattern_has_a_name():
    assert unnamed_patterns() == [], "name these URL patterns and add them to the matrix"


def test_every_row_names_every_persona():
    for name, row in MATRIX.items():
        for column in (row.get, row.post):
            assert column is None or set(column) == set(PERSONAS), name


GET_CASES = [(name, p) for name, row in MATRIX.items() if row.get for p in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), GET_CASES)
def test_it_answers_each_persona_as_the_matrix_says(world, login, name, persona):
    url = _url(world, name)
    response = login(world.personas[persona]).get(url)
    assert response.status_code == MATRIX[name].get[persona], f"{persona} GET {url}"


POST_CASES = [(name, p) for name, row in MATRIX.items() if row.get for p in PERSONAS]


def _post(client, row, url, body, headers=None):
    if row.json:
        return client.post(url, body, content_type="application/json", headers=headers)
    return client.post(url, body, headers=headers)


@pytest.mark.parametrize(("name", "persona"), POST_CASES)
def test_a_post_is_refused_or_allowed_as_the_matrix_says(world, login, name, persona):
    """The POST column: refused personas get their 403/404 and change nothing; on a page that
    takes no writes nobody changes anything; a writer's empty form is not refused."""
    row = MATRIX[name]
    url = _url(world, name)
    client = login(world.personas[persona])
    expected = (row.post or row.get)[persona]
    body = row.data(world) if row.data else {}
    headers = row.headers(world) if row.headers else None
    before = _tables()
    response = _post(client, row, url, body, headers)
    if expected != 200:
        # A page that takes no writes may refuse POST as such (405), whoever asks.
        allowed = (expected,) if row.post else (expected, 405)
        assert response.status_code in allowed, f"{persona} POST {url}"
    else:
        assert response.status_code not in (403, 404), f"{persona} POST {url}"
        assert response.status_code < 500, f"{persona} POST {url}"
    if expected != 200 or row.post is None:
        assert _tables() == before, f"{persona} POST {url} wrote to the database"


# The POST bodies above are not toothless: sent by a writer, each of these writes.
WRITES_WHEN_ALLOWED = {
    "logbook:create": "operator",
    "logbook:correct": "operator",
    "logbook:exceptions": "station",
    "films:request_approve": "station",
    "films:request_reject": "station",
    "films:loan_receive": "operator",
    "infoitems:adopt": "station",
    "infoitems:return": "station",
    "reports:submit": "operator",
    "reports:approve": "station",
    "reports:return": "station",
    "oversight:rectification_accept": "station",
    "oversight:rectification_return": "station",
    "oversight:bulletin_submit": "station",
    "oversight:bulletin_approve": "leader",
    "oversight:bulletin_return": "leader",
    "oversight:assessment_publish": "leader",
    "oversight:training_material_withdraw": "station",
    "api:token_create_from_session": "county",
    "api:token_revoke": "operator",
    "api:session_create": "operator",
    "api:info_item_create": "operator",
    "api:upload_create": "operator",
    "teaching:guests": "station",
    "logbook:review_capture": "station",
}


@pytest.mark.parametrize(("name", "persona"), WRITES_WHEN_ALLOWED.items())
def test_the_post_body_writes_when_a_writer_sends_it(world, login, name, persona):
    row = MATRIX[name]
    url = _url(world, name)
    client = login(world.personas[persona])
    body = row.data(world) if row.data else {}
    headers = row.headers(world) if row.headers else None
    before = _tables()
    response = _post(client, row, url, body, headers)
    # A page redirects after a write; the API answers with what it stored.
    api = row.json or row.headers
    assert response.status_code in ((200, 201) if api else (302,)), f"{persona} POST {url}"
    assert _tables() != before


BOUNDARY_CASES = [
    (name, p) for name, row in MATRIX.items() if row.get for p in ("outsider", "far_county")
]


@pytest.mark.parametrize(("name", "persona"), BOUNDARY_CASES)
def test_another_township_or_county_never_sees_our_villages(world, login, name, persona):
    """What another township's station or another county's viewer may open (a page or the
    API's JSON) shows nothing of 乌伦古乡's villages."""
    url = _url(world, name)
    response = login(world.personas[persona]).get(url)
    content_type = response.get("Content-Type", "")
    if response.status_code == 200 and content_type.startswith(("text/html", "application/json")):
        body = response.content.decode()
        if content_type.startswith("application/json"):
            body = json.dumps(response.json(), ensure_ascii=False)
        for village in ("红星村", "阿克达拉村"):
            assert village not in body, f"{persona} GET {url} shows {village}"


LOGIN_ROWS = [n for n, row in MATRIX.items() if row.get and row.anonymous == 302]
API_ROWS = [n for n, row in MATRIX.items() if row.get and row.anonymous == 401]


@pytest.mark.parametrize("name", LOGIN_ROWS)
def test_it_sends_anonymous_users_to_the_login_page(world, client, name):
    url = _url(world, name)
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", API_ROWS)
def test_the_api_answers_anonymous_calls_with_401_json(world, client, name):
    """No redirect to a login page a phone cannot show: 401 and a JSON reason (a GET to a
    POST-only endpoint of django-ninja is 405 before anyone is asked who they are; the tus
    uploads ask who calls first: auth_before_method)."""
    row = MATRIX[name]
    url = _url(world, name)
    get = client.get(url)
    headers = row.headers(world) if row.headers else None
    post = _post(client, row, url, row.data(world) if row.data else {}, headers)
    post_only = set(row.get.values()) == {405} and not row.auth_before_method
    assert get.status_code == (405 if post_only else 401), f"GET {url}"
    assert post.status_code == (401 if row.post else 405), f"POST {url}"
    for response in (get, post):
        if response.status_code == 401:
            assert response["Content-Type"].startswith("application/json")
            assert response.json()["detail"]


def test_it_serves_the_public_pages(client, db):
    assert client.get(reverse("login")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    worker = client.get(reverse("capture:sw"))
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("application/javascript")
    assert client.get(reverse("capture:manifest")).json()["start_url"] == reverse("capture:page")
    assert client.get(reverse("api:openapi-json")).json()["openapi"].startswith("3.")
    assert client.get(reverse("api:openapi-view")).status_code == 200
    # The API's root serves nothing (the docs are at openapi-view).
    assert client.get(reverse("api:api-root")).status_code == 404
    # The token exchange is open to anyone and answers in JSON: 401 for a wrong password.
    token = reverse("api:token_create")
    assert client.get(token).status_code == 405
    refused = client.post(
        token,
        {"username": "nobody", "password": "wrong", "device_name": "红米 9A"},
        content_type="application/json",
    )
    assert refused.status_code == 401
    assert refused.json()["detail"]
