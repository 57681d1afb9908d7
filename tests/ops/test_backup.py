"""`dianjiao backup` while writes go on, `dianjiao restore` into an empty database (issue 14
part 7): the restored copy holds one consistent moment of the live database, its books verify,
and a database that holds data is not overwritten unless told."""

import threading
import zipfile

import pytest
from django.core.management import call_command
from django.db import connections

from dianjiao.films.models import Film
from dianjiao.logbook.models import LogbookEntry
from dianjiao.teaching.models import ViewingSession
from dianjiao.web import backup
from tests.concurrency import rerun_on_a_file_database

from .helpers import (
    append_entry,
    count_session_entries,
    dianjiao,
    fresh_database,
    record_session,
    snapshot_of,
)


class Writer(threading.Thread):
    """Records sessions (红星村) and logbook entries (阿克达拉村) through the services until told
    to stop; counts what it wrote."""

    def __init__(self, world, film):
        super().__init__(daemon=True)
        self.world, self.film = world, film
        self.stop = threading.Event()
        self.written = 0
        self.errors: list[Exception] = []

    def run(self):
        try:
            while not self.stop.is_set():
                if self.written % 2:
                    append_entry(self.world, self.written)
                else:
                    record_session(self.world, self.film, notes=f"第 {self.written} 场")
                self.written += 1
        except Exception as exc:  # reported by the test
            self.errors.append(exc)
        finally:
            connections.close_all()

    def wait_for(self, n: int, timeout=60):
        for _ in range(timeout * 50):
            if self.written >= n or self.errors or not self.is_alive():
                return
            self.stop.wait(0.02)


@pytest.mark.django_db(transaction=True)
def test_a_backup_under_writes_restores_to_one_moment_of_the_books(world, tmp_path, settings):
    if rerun_on_a_file_database(
        test_a_backup_under_writes_restores_to_one_moment_of_the_books, tmp_path
    ):
        return
    # A media folder of this test's own: the suite's shared one holds other tests' uploads.
    settings.MEDIA_ROOT = tmp_path / "media"
    film = Film.objects.create(township=world.township, title="榜样9", duration_minutes=60)
    photo = settings.MEDIA_ROOT / "infoitems" / "2026" / "backup-test.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo of the showing")
    archive = tmp_path / "backups" / "dianjiao.zip"

    writer = Writer(world, film)
    writer.start()
    writer.wait_for(6)
    before = backup.live_snapshot()
    call_command("backup", str(archive))
    at_backup = writer.written
    writer.wait_for(at_backup + 6)
    writer.stop.set()
    writer.join(60)
    assert writer.errors == []
    assert before.counts  # the writer ran before and went on after the backup
    assert 6 <= at_backup < writer.written
    after = backup.live_snapshot()

    manifest = backup.read_manifest(archive)
    # The archive holds one moment between the two: every count between before and after, and
    # each village's book a prefix of the live one, ending on the very entry the live book has.
    for table, n in manifest["counts"].items():
        assert before.counts[table] <= n <= after.counts[table], table
    assert set(manifest["logbook_heads"]) == {str(world.village.pk), str(world.pastoral.pk)}
    for village_id, head in manifest["logbook_heads"].items():
        assert before.heads[village_id]["entries"] <= head["entries"]
        live = LogbookEntry.objects.get(village_id=village_id, seq=head["entries"])
        assert live.hash == head["head"]
    assert [m["path"] for m in manifest["media"]] == ["infoitems/2026/backup-test.jpg"]
    with zipfile.ZipFile(archive) as z:
        assert z.read("media/infoitems/2026/backup-test.jpg") == photo.read_bytes()

    with fresh_database(tmp_path) as target:
        var = tmp_path / "restored-var"
        run = dianjiao("restore", str(archive), url=target, var=var)
        assert run.returncode == 0, run.stderr
        assert "与备份清单一致" in run.stdout
        restored = snapshot_of(target)
        assert restored.counts == manifest["counts"]
        assert restored.heads == manifest["logbook_heads"]
        sessions, session_entries = count_session_entries(target)
        assert sessions == session_entries >= 3  # no session without its entry, nor the reverse
        assert sessions == manifest["counts"][ViewingSession._meta.db_table]
        assert (var / "media/infoitems/2026/backup-test.jpg").read_bytes() == photo.read_bytes()

        verify = dianjiao("verify-logbook", url=target, var=var)
        assert verify.returncode == 0, verify.stderr
        assert verify.stdout.startswith("OK: 2 村")

        # Again into the now full database: refused, in Chinese, and nothing changes.
        again = dianjiao("restore", str(archive), url=target, var=var)
        assert again.returncode != 0
        assert "目标不是空的：数据库中已有数据" in again.stderr
        assert "请加 --force 重新运行" in again.stderr
        assert snapshot_of(target).counts == manifest["counts"]

        # Told to: it overwrites, and the books still verify.
        forced = dianjiao("restore", "--force", str(archive), url=target, var=var)
        assert forced.returncode == 0, forced.stderr
        assert snapshot_of(target).heads == manifest["logbook_heads"]
        assert dianjiao("verify-logbook", url=target, var=var).returncode == 0


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_the_live_database_and_a_file_that_is_no_backup(world, tmp_path):
    archive = tmp_path / "b.zip"
    call_command("backup", str(archive))
    assert backup.refusal() is not None  # World's users and members are data
    with pytest.raises(backup.BackupError, match="目标不是空的：数据库中已有数据"):
        backup.restore(archive)
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(backup.BackupError, match="不是电教系统的备份文件"):
        backup.restore(junk, force=True)


@pytest.mark.django_db(transaction=True)
def test_a_daily_backup_into_a_folder_keeps_the_newest(world, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in ("20261101-023000", "20261102-023000", "20261103-023000"):
        (folder / f"dianjiao-{day}.zip").write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup")
    call_command("backup", str(folder), keep=2)
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 3 and kept[0] == "dianjiao-20261103-023000.zip"
    assert kept[1].startswith("dianjiao-2") and kept[2] == "notes.txt"
    assert backup.read_manifest(folder / kept[1])["counts"]["accounts_user"] == 7
