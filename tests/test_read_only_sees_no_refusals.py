"""A read-only role (party-committee leader, inspector, county viewer) sees no button or link
that would only lead to a refusal: on every page they may open, no POST form and no link goes to
a URL the role × URL matrix refuses them (403)."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.test_access_matrix import MATRIX, _url
from tests.wide_world import wide_world_each_test, wide_world_once  # noqa: F401 (fixtures)

READ_ONLY = ("leader", "inspector", "county")
# Every page has these two forms: leaving and switching the language are always allowed.
ALWAYS_ALLOWED = {"logout", "set_language"}


class _Targets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.posts = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.posts.append(a.get("action") or "")
        if tag in ("button", "input") and a.get("formaction"):
            self.posts.append(a["formaction"])


def _name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


PAGES = [
    (name, persona)
    for name, row in MATRIX.items()
    if row.get
    for persona in READ_ONLY
    if row.get[persona] == 200
]


@pytest.mark.parametrize(("name", "persona"), PAGES)
def test_a_read_only_role_is_offered_nothing_it_would_be_refused(world, login, name, persona):
    url = _url(world, name)
    response = login(world.personas[persona]).get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return
    refused = refusals(response.content.decode(), persona, name)
    assert not refused, f"{persona} GET {url} offers {refused}"


def refusals(html: str, persona: str, page: str) -> list[str]:
    """The links and POST forms of `html` (the page `page`) that `persona` would be refused."""
    targets = _Targets()
    targets.feed(html)
    refused = []
    for href in targets.links:
        target = _name(href) if href.startswith("/") else None
        row = MATRIX.get(target)
        if row and row.get and row.get[persona] == 403:
            refused.append(f"link {href}")
    for action in targets.posts:
        target = _name(action) if action.startswith("/") else page
        if target in ALWAYS_ALLOWED or target not in MATRIX:
            continue
        row = MATRIX[target]
        if (row.post or row.get or {}).get(persona) == 403:
            refused.append(f"form → {action or page}")
    return refused


def test_the_check_finds_a_refused_link_and_a_refused_form():
    page = """<a href="/members/new/">新增党员</a> <a href="/members/">党员</a>
    <form method="post" action="/reports/new/"></form>
    <form method="post" action="/accounts/logout/"></form>
    <form method="get" action="/reports/new/"></form>"""
    assert refusals(page, "leader", "web:home") == ["link /members/new/", "form → /reports/new/"]
    assert refusals(page, "operator", "web:home") == []
