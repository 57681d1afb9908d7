"""What the record-a-session page (/teaching/new/) posts: a showing now, everyone present.

No Django here: the locust file imports it in its own process."""

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def session_form(op: dict, csrf: str, time_zone: str, client_id: str | None = None) -> dict:
    now = dt.datetime.now(ZoneInfo(time_zone))
    data = {
        "csrfmiddlewaretoken": csrf,
        "client_id": client_id or str(uuid.uuid4()),
        "held_at": now.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "60",
        "films": str(op["film"]),
        "notes": "",
    }
    for pk in op["members"]:
        data[f"m{pk}_status"] = "present"
        data[f"m{pk}_reason"] = ""
    return data


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    if not match:
        raise ValueError("no CSRF token on the page")
    return match.group(1)
