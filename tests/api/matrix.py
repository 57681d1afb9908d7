"""Objects and JSON bodies for the access matrix (tests/test_access_matrix.py): a session and a
device token of 红星村's operator, and what a phone sends for 红星村."""

import uuid

from dianjiao.api import tokens
from dianjiao.films.models import Film
from dianjiao.lib import dates


def operator_token(w):
    _raw, token = tokens.token_issue_for(user=w.operator, device_name="红米 9A")
    return {"token_id": token.pk}


def device(w):
    return {"device_name": "红米 9A"}


def session_body(w):
    """A monthly showing at 红星村's point, recorded this very moment (same day whatever the
    hour), 张三 present."""
    film = Film.objects.create(township=w.township, title="榜样8", duration_minutes=60)
    held = dates.now()
    return {
        "id": str(uuid.uuid4()),
        "point": w.point.pk,
        "held_at": held.isoformat(),
        "captured_at": held.isoformat(),
        "kind": "monthly",
        "films": [film.pk],
        "duration_minutes": 60,
        "attendance": [{"member": w.member.pk, "status": "present"}],
    }


def info_item_body(w):
    return {
        "id": str(uuid.uuid4()),
        "village": w.village.pk,
        "title": "夏牧场放映",
        "text": "在夏牧场毡房组织收看。",
    }


def session(w):
    """A monthly showing of 红星村, recorded by its operator this very moment."""
    from dianjiao.teaching.services import session_record

    film = Film.objects.create(township=w.township, title="榜样9", duration_minutes=60)
    recorded = session_record(
        author=w.operator,
        village=w.village,
        point=w.point,
        held_at=dates.now(),
        kind="monthly",
        films=[film],
        duration_minutes=60,
        attendance={w.member.pk: ("present", "")},
    )
    return {"session_id": recorded.pk}
