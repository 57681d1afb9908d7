"""The demo's clock (`dianjiao.lib.dates.simulated_now`) stays the demo's.

R10's same-day rule is bound to the server's clock. The demo builder alone may record a year of
history "as if it were" each past day; nothing a request reaches may set that clock, and no caller
of the logbook may hand the same-day check a time of its own.
"""

import ast
import datetime as dt
import inspect
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from dianjiao.lib import dates
from dianjiao.logbook import services as logbook
from dianjiao.logbook.models import LogbookEntry

PACKAGE = Path(dates.__file__).resolve().parents[1]  # dianjiao/
CLOCK_NAMES = {"simulated_now", "_simulated"}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        yield rel, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _names(tree):
    """Every identifier, attribute, imported name and string constant of a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, ast.alias):
            yield node.name.rsplit(".", 1)[-1]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{a.name}" for a in node.names)


def test_only_the_demo_builders_name_the_simulated_clock():
    offenders = sorted(
        str(rel)
        for rel, tree in _modules()
        if rel.parts[0] != "demo"
        and rel != Path("lib/dates.py")
        and CLOCK_NAMES & set(_names(tree))
    )
    assert offenders == [], f"only dianjiao/demo/ may use dates.simulated_now: {offenders}"


def test_the_demo_is_imported_only_by_itself_and_management_commands():
    """Management commands run from a shell, not from a request."""
    offenders = sorted(
        str(rel)
        for rel, tree in _modules()
        if rel.parts[0] != "demo"
        and "commands" not in rel.parts
        and any(m == "dianjiao.demo" or m.startswith("dianjiao.demo.") for m in _imports(tree))
    )
    assert offenders == [], f"the demo is imported from request code: {offenders}"


def test_serving_requests_never_loads_the_demo():
    """A fresh process that loads everything a request can reach (the URLconf with every view,
    the middleware, the WSGI application) has not imported the demo builders, so no request can
    run `simulated_now`."""
    script = (
        "import sys, django\n"
        "from django.conf import settings\n"
        "django.setup()\n"
        "from django.core.wsgi import get_wsgi_application\n"
        "from django.urls import get_resolver\n"
        "app = get_wsgi_application(); app.load_middleware()\n"
        "resolver = get_resolver(); resolver.check()\n"
        "def walk(patterns):\n"
        "    for p in patterns:\n"
        "        if hasattr(p, 'url_patterns'): walk(p.url_patterns)\n"
        "        else: p.callback\n"
        "walk(resolver.url_patterns)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('dianjiao.'))\n"
        "assert 'dianjiao.logbook.views' in loaded, loaded\n"
        "print(' '.join(m for m in loaded if m == 'dianjiao.demo' or m.startswith('dianjiao.demo.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **__import__("os").environ,
            "DJANGO_SETTINGS_MODULE": "dianjiao.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


@pytest.mark.parametrize(
    "service", [logbook.entry_append, logbook.entry_grant_late, logbook._late_exception_for]
)
def test_no_caller_can_hand_the_same_day_rule_a_clock(service):
    """The logbook's writes take the time of the event (occurred_at), never "now": the rule
    compares it with dates.today(), the server's day."""
    params = set(inspect.signature(service).parameters)
    assert not params & {"at", "now", "today", "as_of", "clock"}, params


@pytest.fixture
def demo_elsewhere():
    """The demo builder running in another thread, its clock set forty days back."""
    past = timezone.now() - dt.timedelta(days=40)
    entered, leave = threading.Event(), threading.Event()

    def demo():
        with dates.simulated_now(past):
            assert dates.today() == timezone.localdate(past)
            entered.set()
            leave.wait(30)

    thread = threading.Thread(target=demo)
    thread.start()
    assert entered.wait(10)
    try:
        yield past
    finally:
        leave.set()
        thread.join(10)


def _post_entry(client, world, when):
    return client.post(
        reverse("logbook:create"),
        {
            "client_id": str(uuid.uuid4()),
            "village": world.village.pk,
            "kind": "other",
            "title": "电教室设备检查",
            "occurred_at": timezone.localtime(when).strftime("%Y-%m-%dT%H:%M"),
        },
    )


def test_a_request_sees_the_real_clock_while_the_demo_runs_elsewhere(world, login, demo_elsewhere):
    assert abs(dates.now() - timezone.now()) < dt.timedelta(seconds=5)
    client = login(world.operator)
    # The simulated day is an ordinary past day here: refused without the station's exception.
    refused = _post_entry(client, world, demo_elsewhere)
    assert refused.status_code == 200
    assert "须当天填写" in refused.context["form"].errors["occurred_at"][0]
    assert not LogbookEntry.objects.exists()
    # The server's now is accepted, and received at the server's time.
    before = timezone.now()
    assert _post_entry(client, world, before).status_code == 302
    entry = LogbookEntry.objects.get()
    assert before - dt.timedelta(seconds=1) <= entry.received_at <= timezone.now()
    assert entry.late_exception is None
