"""Every page the role × URL matrix knows, rendered in Chinese and in English, speaks only that
language: no Chinese word of the interface left in the English pages, no English word of the
interface in the Chinese ones. What the records themselves hold (names, titles, notes) is the
records' language and is taken out before looking."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from tests.test_access_matrix import MATRIX, _url
from tests.wide_world import wide_world_each_test, wide_world_once  # noqa: F401 (fixtures)

IDEOGRAPH = re.compile(r"[\u3400-\u9fff、。，：；（）《》]+")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{3,}")
# Words a Chinese page may carry: file formats and programs by their names, the language
# switcher's own name for English, a command to type, the codes a checklist line is typed with
# (viewing, four_ring, feedback, info), and the WeCom robot's "Webhook", which WeCom itself
# calls so in Chinese.
CHINESE_PAGE_WORDS = {"English", "xlsx", "docx", "Excel", "Word", "json", "dianjiao", "verify-"}
CHINESE_PAGE_WORDS |= {"viewing", "four", "ring", "feedback", "info", "Webhook"}
PERSONAS = ("station", "operator", "leader")


class _Text(HTMLParser):
    """The words a person sees: text outside script and style, and the attributes read aloud or
    shown (placeholder, title, aria-label, alt, button values)."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if value and name in ("placeholder", "title", "aria-label", "alt"):
                self.parts.append(value)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _roster_words() -> set[str]:
    """The roster file's own column headers and labels: a roster is the same file whatever the
    interface's language, so the import page names them as the file does."""
    from dianjiao.members import roster_xlsx as rx

    words = {name for c in rx.COLUMNS for name in (c.header, *c.aliases, *c.choices)}
    return words | {"年", "月", "日"}


def record_strings() -> list[str]:
    """Every text the database holds (the records' own words), longest first."""
    found = _roster_words()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for value in row:  # a JSONField comes back as Python values
                found.update(s.strip() for s in _strings(value) if s and s.strip())
    return sorted(found, key=len, reverse=True)


PAGES = [
    (name, persona)
    for name, row in MATRIX.items()
    if row.get
    for persona in PERSONAS
    if row.get[persona] == 200
]


def _page(world, client, name, persona, language):
    client.force_login(world.personas[persona], backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = language
    url = _url(world, name)
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None, url
    text = visible_text(response.content.decode())
    for s in record_strings():
        text = text.replace(s, " ")
    return text, url


@pytest.mark.parametrize(("name", "persona"), PAGES)
def test_an_english_page_has_no_chinese_of_the_interface(world, client, name, persona):
    text, url = _page(world, client, name, persona, "en")
    translation.activate("zh-hans")
    if text is None:
        return
    records = record_strings()
    left = sorted(
        run
        for run in set(IDEOGRAPH.findall(text)) - {"简体中文"}
        # a chart's label shortens a village's name: still the record's word
        if not any(s.startswith(run) for s in records)
    )
    assert not left, f"{persona} GET {url} in English shows {left[:10]}"


@pytest.mark.parametrize(("name", "persona"), PAGES)
def test_a_chinese_page_has_no_english_of_the_interface(world, client, name, persona):
    text, url = _page(world, client, name, persona, "zh-hans")
    if text is None:
        return
    left = sorted(set(WORD.findall(text)) - CHINESE_PAGE_WORDS)
    assert not left, f"{persona} GET {url} in Chinese shows {left[:10]}"
