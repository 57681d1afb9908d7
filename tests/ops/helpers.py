"""What the operations tests share: the `dianjiao` command in a subprocess on another database,
a fresh database to restore into, and writes through the services."""

import os
import sqlite3
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone

from dianjiao.logbook.models import LogbookEntry
from dianjiao.logbook.services import entry_append
from dianjiao.teaching.models import Attendance, ViewingSession
from dianjiao.teaching.services import session_record
from dianjiao.web import backup

REPO = Path(settings.BASE_DIR).parent


def database_url() -> str:
    """The URL of the database the test runs on (a file SQLite or PostgreSQL's test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return _pg_url(db, db["NAME"])


def _pg_url(db, name) -> str:
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def command_env(url: str, var: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DIANJIAO_VAR": str(var)}
    env["SECRET_KEY"] = settings.SECRET_KEY
    env.pop("TEST_SQLITE_NAME", None)
    return env


def dianjiao(*args, url: str, var: Path, timeout=300) -> subprocess.CompletedProcess:
    """`dianjiao ARGS` on the database at `url`, with `var` as its var/ (media, secret key)."""
    return subprocess.run(
        [sys.executable, "-m", "dianjiao.cli", *args],
        cwd=REPO,
        env=command_env(url, var),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@contextmanager
def fresh_database(tmp_path):
    """The URL of a new, empty database of the same kind as the test's; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restored"[:63]
    admin = psycopg.connect(_pg_url(db, "postgres"), autocommit=True)
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        yield _pg_url(db, name)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def snapshot_of(url: str) -> backup.Snapshot:
    """Row counts and chain heads of the database at `url`, read directly (not through Django)."""
    if url.startswith("sqlite:///"):
        con = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            cur = con.cursor()
            existing = {r[0] for r in cur.execute("SELECT name FROM sqlite_master")}
            return backup.read_snapshot(cur, existing)
        finally:
            con.close()
    with psycopg.connect(url) as con, con.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return backup.read_snapshot(cur, {r[0] for r in cur.fetchall()})


def count_session_entries(url: str) -> tuple[int, int]:
    """(viewing sessions, logbook entries of kind session) in the database at `url`."""
    sessions, entries = ViewingSession._meta.db_table, LogbookEntry._meta.db_table
    sql = (
        f'SELECT (SELECT COUNT(*) FROM "{sessions}"), '
        f"(SELECT COUNT(*) FROM \"{entries}\" WHERE kind = 'session')"
    )
    if url.startswith("sqlite:///"):
        con = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return con.execute(sql).fetchone()
        finally:
            con.close()
    with psycopg.connect(url) as con:
        return con.execute(sql).fetchone()


def record_session(world, film, *, notes=""):
    """One monthly showing at 红星村's point with everyone present, through the service."""
    return session_record(
        author=world.operator,
        village=world.village,
        point=world.point,
        held_at=timezone.now(),
        kind=ViewingSession.Kind.MONTHLY,
        films=[film],
        duration_minutes=60,
        attendance={world.member.pk: (Attendance.Status.PRESENT, "")},
        notes=notes,
        client_id=uuid.uuid4(),
    )


def append_entry(world, n: int):
    """One entry in 阿克达拉村's book, through the service."""
    return entry_append(
        village=world.pastoral,
        author=world.other_op,
        kind=LogbookEntry.Kind.EQUIPMENT,
        title=f"设备检查 {n}",
        body={"text": f"第 {n} 次检查，电视机、影碟机正常"},
        occurred_at=timezone.now(),
    )
