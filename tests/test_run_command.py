"""`dianjiao run`: the one command a station PC without make (Windows) starts with."""

import io

import pytest
import waitress
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command

from dianjiao.members.models import Member
from dianjiao.orgs.models import Township
from tests import factories


@pytest.mark.django_db
def test_it_migrates_keeps_an_existing_database_and_serves(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    factories.member(factories.village())
    (tmp_path / "demo-logins.txt").write_text("演示账号\nzhanzhang ...\n")
    served = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: served.append((app, kw)))
    before = (Township.objects.count(), Member.objects.count())

    out = io.StringIO()
    call_command("run", "--host", "127.0.0.1", "--port", "8123", stdout=out)

    text = out.getvalue()
    # migrate ran (nothing left to apply), the demo was skipped, then the server started.
    assert "No migrations to apply" in text
    assert text.index("跳过") < text.index("http://127.0.0.1:8123/")
    assert "演示账号" in text
    assert (Township.objects.count(), Member.objects.count()) == before
    assert len(served) == 1
    app, kw = served[0]
    assert isinstance(app, WSGIHandler) and kw["host"] == "127.0.0.1" and kw["port"] == 8123
    # The static files were collected before serving: hashed names, cached for years.
    assert (tmp_path / "static" / "staticfiles.json").exists()
