"""Objects and JSON bodies for the access matrix (tests/test_access_matrix.py): a session and a
device token of 红星村's operator, and what a phone sends for 红星村."""

import hashlib
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


def recorded_session(w, *, film_title="榜样9", guests=()):
    """A monthly showing of 红星村 (a new film of the township), recorded by its operator this
    very moment, 张三 present, with `guests` ((name, note) pairs)."""
    from dianjiao.teaching.services import session_record

    film = Film.objects.create(township=w.township, title=film_title, duration_minutes=60)
    return session_record(
        author=w.operator,
        village=w.village,
        point=w.point,
        held_at=dates.now(),
        kind="monthly",
        films=[film],
        duration_minutes=60,
        attendance={w.member.pk: ("present", "")},
        guests=list(guests),
    )


def session(w):
    """A monthly showing of 红星村, recorded by its operator this very moment."""
    return {"session_id": recorded_session(w).pk}


TUS = {"Tus-Resumable": "1.0.0"}


def _b64(text: str) -> str:
    import base64

    return base64.b64encode(text.encode()).decode()


def upload_headers(w):
    """Creating a 10-byte upload of footage for a session of 红星村."""
    return {
        **TUS,
        "Upload-Length": "10",
        "Upload-Metadata": ",".join(
            (
                f"session {_b64(str(session(w)['session_id']))}",
                f"filename {_b64('camp.mp4')}",
                f"sha256 {_b64('0' * 64)}",
            )
        ),
    }


def tus_headers(w):
    return dict(TUS)


def _started(w):
    from dianjiao.api import uploads

    return uploads.upload_create(
        user=w.operator,
        session_id=str(session(w)["session_id"]),
        filename="camp.mp4",
        length=10,
        sha256=hashlib.sha256(FOOTAGE).hexdigest(),
    )


FOOTAGE = b"0123456789"


def upload(w):
    """An upload of 红星村's footage, begun and not finished."""
    return {"pk": _started(w).pk}


def complete_upload(w):
    """An upload of 红星村's footage, whole and verified."""
    import io

    from dianjiao.api import uploads

    done = uploads.upload_append(
        user=w.operator, upload=_started(w), offset=0, stream=io.BytesIO(FOOTAGE)
    )
    assert done.status == done.Status.COMPLETE
    return {"pk": done.pk}
