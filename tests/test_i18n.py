"""Chinese is the source language; English is a complete, shipped translation.

The catalogs are dianjiao/locale/en/LC_MESSAGES/django.po and the apps' own (dianjiao/<app>/locale), kept current with `make messages`
(makemessages + compilemessages). The compiled django.mo is committed, because `make run` on a
fresh machine has no gettext tools to compile it.
"""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent / "dianjiao"
# The project's catalog and the apps' own (an app with a locale/ directory keeps its strings there).
CATALOGS = sorted(ROOT.glob("**/locale/en/LC_MESSAGES/django.po"))
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _msgfmt() -> str:
    path = shutil.which("msgfmt")
    if path is None:
        pytest.fail(
            "msgfmt not found: install GNU gettext (apt-get install gettext) to check the translations"
        )
    return path


def _catalog(mo_path: Path) -> dict:
    with mo_path.open("rb") as f:
        catalog = dict(gettext.GNUTranslations(f)._catalog)
    catalog.pop("", None)  # the header: creation dates differ between runs, the messages must not
    return catalog


def test_the_project_catalog_is_among_the_catalogs_checked():
    assert PO in CATALOGS and len(CATALOGS) >= 2


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_it_has_a_complete_english_catalog(po):
    result = subprocess.run(
        [_msgfmt(), "--statistics", "--check", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr
    stats = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages\.", stats), (
        f"incomplete catalog: {stats} (run `make messages`)"
    )
    flags = [
        line
        for line in po.read_text(encoding="utf-8").splitlines()
        if line.startswith("#,") and "fuzzy" in line
    ]
    assert not flags, "fuzzy entries in django.po: check them and remove the flags"


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_it_ships_a_compiled_catalog_that_matches_the_po(tmp_path, po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages` and commit it"
    fresh = tmp_path / "django.mo"
    subprocess.run(
        [_msgfmt(), "--check-format", "-o", str(fresh), str(po)], check=True, capture_output=True
    )
    committed, expected = _catalog(mo), _catalog(fresh)
    assert committed.keys() == expected.keys(), (
        "django.mo is out of date: run `make messages` and commit it"
    )
    changed = sorted(str(k) for k in expected if committed[k] != expected[k])
    assert not changed, (
        f"django.mo is out of date for {changed[:5]}: run `make messages` and commit it"
    )


def _nav(html: str) -> str:
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S).group()
    return re.sub(r"<[^>]+>", " ", nav)


def test_it_serves_chinese_by_default_and_english_after_switching(world, login):
    client = login(world.station)

    html = client.get(reverse("web:home")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "村与播放点" in _nav(html) and "电教手册" in _nav(html)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/villages/"})
    assert response.status_code == 302 and response["Location"] == "/villages/"

    for path in (reverse("web:home"), reverse("orgs:village_list")):
        html = client.get(path).content.decode()
        assert '<html lang="en">' in html, path
        nav = _nav(html)
        assert not CJK.search(nav), f"Chinese left in the English menu on {path}: {nav.split()}"
        assert "Villages & points" in nav and "Members" in nav and "Log out" in html
        assert "Viewing points" in html
        assert "乌伦古乡" in html  # data stays as entered
    html = client.get(reverse("orgs:village_list")).content.decode()
    assert "<h1>Villages (party branches) and viewing points</h1>" in html
    assert "红星村" in html and "Party branch" in html

    # The switch shows each language in its own words, so Chinese readers find the way back.
    assert ">简体中文</button>" in html

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in client.get(reverse("web:home")).content.decode()


def test_it_translates_messages_and_dates_on_english_pages(world, login):
    client = login(world.station)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("members:detail", args=[world.member.pk])).content.decode()
    assert "Date of birth" in html and "8 Mar 1975" in html and " (age " in html
    assert "1975年" not in html


def test_it_writes_records_in_the_townships_language_whatever_the_user_reads(world):
    import datetime as dt

    from django.utils import translation

    from dianjiao.lib.dates import today
    from dianjiao.logbook.models import LogbookEntry
    from dianjiao.logbook.services import entry_grant_late

    with translation.override("en"):
        entry_grant_late(
            village=world.village,
            day=today() - dt.timedelta(days=1),
            granted_by=world.station,
            reason="停电",
        )
    entry = LogbookEntry.objects.get(village=world.village)
    assert entry.title.startswith("批准补录")


def test_every_string_in_the_code_is_in_a_catalog(tmp_path):
    """`make messages` run on a copy of the code adds no message the catalogs lack: a string marked
    for translation in a new page cannot ship untranslated."""
    import os
    import sys

    copy = tmp_path / "dianjiao"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"))
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from dianjiao.cli import main; main()",
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    assert run.returncode == 0, run.stderr
    for po in sorted(copy.glob("**/locale/en/LC_MESSAGES/django.po")):
        result = subprocess.run(
            [_msgfmt(), "--statistics", "-o", "/dev/null", str(po)],
            capture_output=True,
            text=True,
            env={"LC_ALL": "C"},
        )
        stats = result.stderr.strip().splitlines()[-1]
        assert re.fullmatch(r"\d+ translated messages\.", stats), (
            f"{po.relative_to(copy)}: {stats} (run `make messages`)"
        )
