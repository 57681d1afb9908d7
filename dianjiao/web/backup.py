"""Backup and restore: one .zip file holding the database, the uploaded files and a manifest.

    manifest.json       what the archive holds: database kind, row counts per table and every
                        village's logbook chain head (entries, head hash) as of the snapshot,
                        the media files with their sizes and SHA-256
    database.sqlite3    SQLite: a copy made with SQLite's online backup API
    database.pgdump     PostgreSQL: `pg_dump --format=custom`
    media/...           the files under MEDIA_ROOT (photos of information items and checks)

Both copies are consistent snapshots taken while the server runs and writes go on:
- SQLite: the backup API copies the database in one step under a read transaction; in WAL mode
  that blocks no writer (writers append to the WAL meanwhile), and what is copied is the
  database as of one commit. The counts and chain heads of the manifest are read from the copy.
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot, `pg_dump --snapshot` dumps
  exactly that snapshot, and the counts and chain heads are read in the same transaction.

`restore` loads an archive into an empty database (no rows beyond what `migrate` itself writes)
and an empty MEDIA_ROOT; a database or media folder that holds data is refused unless `force`.
After loading it re-counts the rows and re-reads the chain heads and compares them with the
manifest. `dianjiao verify-logbook` then checks the restored books entry by entry.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"
# Rows `migrate` writes into a new database by itself: a migrated database holding only these is
# still empty (the films' languages and themes are a vocabulary a data migration fills in).
MIGRATE_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
MIGRATE_MODELS = ("films.Language", "films.Theme")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the person at the keyboard."""


@dataclass
class Snapshot:
    counts: dict[str, int] = field(default_factory=dict)
    heads: dict[str, dict] = field(default_factory=dict)  # village id -> entries, head hash


# --- what a database holds ----------------------------------------------------------------------


def _tables(existing: set[str]) -> list[str]:
    """The project's tables (every installed model's and its many-to-many tables) that exist."""
    names = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            names.add(model._meta.db_table)
    return sorted(names & existing)


def _logbook_table() -> tuple[str, str, str, str]:
    from dianjiao.logbook.models import LogbookEntry

    meta = LogbookEntry._meta
    return (
        meta.db_table,
        meta.get_field("village").column,
        meta.get_field("seq").column,
        meta.get_field("hash").column,
    )


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_snapshot(cursor, existing: set[str]) -> Snapshot:
    """Row counts of the project's tables and each village's chain head, read with `cursor`
    (a DB-API cursor on SQLite or PostgreSQL, inside one snapshot)."""
    snap = Snapshot()
    for table in _tables(existing):
        cursor.execute(f"SELECT COUNT(*) FROM {_q(table)}")
        snap.counts[table] = cursor.fetchone()[0]
    table, village, seq, hash_ = _logbook_table()
    if table in existing:
        cursor.execute(
            f"SELECT e.{_q(village)}, n.entries, e.{_q(hash_)} FROM {_q(table)} e JOIN "
            f"(SELECT {_q(village)} AS v, COUNT(*) AS entries, MAX({_q(seq)}) AS top "
            f"FROM {_q(table)} GROUP BY {_q(village)}) n "
            f"ON n.v = e.{_q(village)} AND n.top = e.{_q(seq)} ORDER BY e.{_q(village)}"
        )
        for village_id, entries, head in cursor.fetchall():
            snap.heads[str(village_id)] = {"entries": entries, "head": head}
    return snap


def live_snapshot() -> Snapshot:
    """The same figures, read now from the configured database in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        existing = set(connection.introspection.table_names(cursor))
        return read_snapshot(cursor, existing)


def _holds_data(snap: Snapshot) -> list[str]:
    seeded = MIGRATE_TABLES | {apps.get_model(m)._meta.db_table for m in MIGRATE_MODELS}
    return [t for t, n in snap.counts.items() if n and t not in seeded]


# --- media --------------------------------------------------------------------------------------


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files() -> list[Path]:
    root = _media_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


# --- PostgreSQL tools ---------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: DIANJIAO_PG_BIN, else the newest /usr/lib/postgresql/N/bin, else
    the PATH (Windows: the PostgreSQL installer's bin folder on the PATH)."""
    if folder := os.environ.get("DIANJIAO_PG_BIN"):
        return str(Path(folder) / name)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    for folder in reversed(versions):
        if (folder / name).exists():
            return str(folder / name)
    if found := shutil.which(name):
        return found
    raise BackupError(
        _("找不到 PostgreSQL 的 %(tool)s：请安装 PostgreSQL 客户端，或设 DIANJIAO_PG_BIN 为其目录")
        % {"tool": name}
    )


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    run = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise BackupError(
            _("%(tool)s 失败：%(error)s")
            % {"tool": Path(cmd[0]).name, "error": (run.stderr or run.stdout).strip()[-2000:]}
        )


# --- backup -------------------------------------------------------------------------------------


def _sqlite_copy(target: Path) -> Snapshot:
    """Copy the live SQLite database into `target` (a new file) with the online backup API."""
    connection.ensure_connection()
    source = connection.connection
    dest = sqlite3.connect(target)
    try:
        # One step (pages=-1): the copy is read under one read transaction, i.e. one commit's
        # state. Copying in several steps would restart whenever another connection writes.
        source.backup(dest, pages=-1)
        dest.execute("PRAGMA journal_mode=DELETE")
        (ok,) = dest.execute("PRAGMA integrity_check").fetchone()
        if ok != "ok":
            raise BackupError(_("备份副本的完整性检查未通过：%(e)s") % {"e": ok})
        cursor = dest.cursor()
        existing = {
            r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        return read_snapshot(cursor, existing)
    finally:
        dest.close()


def _pg_dump(target: Path) -> Snapshot:
    db = connection.settings_dict
    args, env = _pg_args(db)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot_id,) = cursor.fetchone()
        existing = set(connection.introspection.table_names(cursor))
        snap = read_snapshot(cursor, existing)
        # The exporting transaction stays open until pg_dump has dumped that same snapshot.
        _run(
            [
                pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot_id}",
                "--file",
                str(target),
                *args,
            ],
            env,
        )
    return snap


def backup(path) -> dict:
    """Write the archive to `path` (via a temporary file beside it); return its manifest."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if connection.in_atomic_block:
        # SQLite's backup of a connection that holds a write transaction would wait on itself.
        raise BackupError("backup() runs outside a transaction")
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("不支持备份这种数据库：%(v)s") % {"v": vendor})
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    from django import get_version

    try:
        version = package_version("dianjiao")
    except PackageNotFoundError:
        version = ""
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".dianjiao-backup-") as work:
        work = Path(work)
        member = SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER
        started = dt.datetime.now(dt.UTC)
        snap = _sqlite_copy(work / member) if vendor == "sqlite" else _pg_dump(work / member)
        # Media after the database: a file a row of the snapshot names was saved before its row.
        media = []
        partial = path.with_name(path.name + ".part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
            z.write(
                work / member,
                member,
                compress_type=zipfile.ZIP_DEFLATED if vendor == "sqlite" else zipfile.ZIP_STORED,
            )
            root = _media_root()
            for file in _media_files():
                rel = file.relative_to(root).as_posix()
                try:
                    digest, size = _sha256(file), file.stat().st_size
                    z.write(file, MEDIA_PREFIX + rel, compress_type=zipfile.ZIP_STORED)
                except FileNotFoundError:  # removed while we copied
                    continue
                media.append({"path": rel, "bytes": size, "sha256": digest})
            manifest = {
                "format": FORMAT,
                "software": "dianjiao",
                "version": version,
                "django": get_version(),
                "created_at": started.isoformat(),
                "database": {"vendor": vendor, "member": member},
                "counts": snap.counts,
                "logbook_heads": snap.heads,
                "media": media,
            }
            z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(partial, path)
    return manifest


# --- restore ------------------------------------------------------------------------------------


def read_manifest(path) -> dict:
    try:
        with zipfile.ZipFile(path) as z:
            manifest = json.loads(z.read(MANIFEST))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise BackupError(_("不是电教系统的备份文件：%(e)s") % {"e": exc}) from None
    if manifest.get("software") != "dianjiao" or manifest.get("format") != FORMAT:
        raise BackupError(_("不是本版本电教系统能识别的备份文件"))
    return manifest


def refusal(force: bool = False) -> str | None:
    """Why the configured database and MEDIA_ROOT may not be overwritten, or None."""
    if force:
        return None
    tables = _holds_data(live_snapshot())
    files = _media_files()
    if not tables and not files:
        return None
    what = []
    if tables:
        what.append(_("数据库中已有数据（%(tables)s 等）") % {"tables": "、".join(tables[:3])})
    if files:
        what.append(_("%(root)s 中已有 %(n)s 个文件") % {"root": _media_root(), "n": len(files)})
    return _(
        "目标不是空的：%(what)s。恢复会覆盖现有的全部数据；确认要覆盖时请加 --force 重新运行。"
    ) % {"what": "；".join(what)}


def _safe_member(name: str) -> PurePosixPath | None:
    rel = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        return None
    return rel


def restore(path, *, force: bool = False) -> dict:
    """Load the archive at `path` into the configured database and MEDIA_ROOT; return the
    manifest. Raises BackupError (refused, or the loaded copy does not match its manifest)."""
    manifest = read_manifest(path)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _("这份备份来自 %(from)s 数据库，不能恢复到 %(to)s 数据库")
            % {"from": vendor, "to": connection.vendor}
        )
    if reason := refusal(force):
        raise BackupError(reason)
    member = manifest["database"]["member"]
    with tempfile.TemporaryDirectory(prefix="dianjiao-restore-") as work:
        work = Path(work)
        with zipfile.ZipFile(path) as z:
            z.extract(member, work)
            if vendor == "sqlite":
                _sqlite_load(work / member)
            else:
                _pg_load(work / member)
            root = _media_root()
            for info in z.infolist():
                if not info.filename.startswith(MEDIA_PREFIX) or info.is_dir():
                    continue
                rel = _safe_member(info.filename)
                if rel is None:
                    continue
                dest = root.joinpath(*rel.parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                with z.open(info) as src, dest.open("wb") as out:
                    shutil.copyfileobj(src, out)
    check(manifest)
    return manifest


def _sqlite_load(copy: Path) -> None:
    src = sqlite3.connect(copy)
    try:
        (ok,) = src.execute("PRAGMA integrity_check").fetchone()
        if ok != "ok":
            raise BackupError(_("备份中的数据库已损坏：%(e)s") % {"e": ok})
        connection.close()
        connection.ensure_connection()
        # The backup API into the live connection: the target's WAL and other connections see
        # the new content as one commit; no file is swapped under a running server.
        src.backup(connection.connection, pages=-1)
    finally:
        src.close()
    connection.close()


def _pg_load(dump: Path) -> None:
    args, env = _pg_args(connection.settings_dict)
    connection.close()
    _run(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(dump),
        ],
        env,
    )


def check(manifest: dict) -> None:
    """Raise BackupError unless the database holds what the manifest says it held."""
    snap = live_snapshot()
    wrong = [
        f"{t}: {snap.counts.get(t)} ≠ {n}"
        for t, n in manifest["counts"].items()
        if snap.counts.get(t) != n
    ]
    if snap.heads != manifest["logbook_heads"]:
        wrong.append(_("《电教手册》链头与备份时不同"))
    if wrong:
        raise BackupError(_("恢复后的数据与备份清单不符：%(w)s") % {"w": "；".join(wrong[:10])})
