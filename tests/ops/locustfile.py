"""The load test's users (locust, headless, on loopback): village operators recording sessions
through the real form, and the station reading its pages.

DIANJIAO_LOAD_PLAN names a JSON file written by tests/ops/test_load.py: the operators (session
cookie, members, film), the station's session cookie, the time zone, and the folder where each
locust process writes the client ids the server acknowledged (302 to the session's page)."""

import itertools
import json
import os
import sys
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.ops.sessionform import csrf_token, session_form  # noqa: E402

PLAN = json.loads(Path(os.environ["DIANJIAO_LOAD_PLAN"]).read_text())
_next_operator = itertools.count()
ACKNOWLEDGED: list[dict] = []
UNANSWERED: list[str] = []


class Operator(HttpUser):
    """A village's operator: opens the form, records a showing, opens the session's page."""

    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.op = PLAN["operators"][next(_next_operator) % len(PLAN["operators"])]
        self.client.cookies.set("sessionid", self.op["session"])

    @task
    def record_a_session(self):
        with self.client.get("/teaching/new/", name="/teaching/new/", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"form: {r.status_code}")
                return
            csrf = csrf_token(r.text)
            if "csrftoken" in r.cookies:
                self.client.cookies.set("csrftoken", r.cookies["csrftoken"])
        data = session_form(self.op, csrf, PLAN["time_zone"], client_id=str(uuid.uuid4()))
        try:
            with self.client.post(
                "/teaching/new/",
                data=data,
                name="POST /teaching/new/",
                allow_redirects=False,
                catch_response=True,
            ) as r:
                if r.status_code == 302 and data["client_id"] in r.headers.get("Location", ""):
                    ACKNOWLEDGED.append({"village": self.op["village"], "id": data["client_id"]})
                    r.success()
                elif r.status_code == 0:
                    UNANSWERED.append(data["client_id"])
                    r.failure("no answer")
                else:
                    r.failure(f"save: {r.status_code} {r.text[:300]}")
        except Exception:
            UNANSWERED.append(data["client_id"])
            raise


class Station(HttpUser):
    """The township's station reading its dashboards while the villages record."""

    fixed_count = 1
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.client.cookies.set("sessionid", PLAN["station"])

    @task(3)
    def dashboard(self):
        self.client.get("/plan/", name="/plan/ (station)")

    @task(2)
    def home(self):
        self.client.get("/", name="/ (station)")

    @task(2)
    def sessions(self):
        self.client.get("/teaching/", name="/teaching/ (station)")

    @task(1)
    def logbook(self):
        self.client.get("/logbook/", name="/logbook/ (station)")


@events.quitting.add_listener
def _write_results(environment, **kwargs):
    out = Path(PLAN["results"]) / f"acknowledged-{os.getpid()}.json"
    out.write_text(json.dumps({"acknowledged": ACKNOWLEDGED, "unanswered": UNANSWERED}))
