"""`dianjiao verify-logbook`: clean books pass; every way of tampering with the tables directly,
as someone holding the database file would (drop the triggers, then write), is caught and the
first bad entry named."""

import io

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import connection

from dianjiao import cli
from dianjiao.logbook import services, verify
from dianjiao.logbook.models import LogbookEntry

from .conftest import YESTERDAY, append, local


@pytest.fixture
def book(world, clock):
    """红星村: 1 repair, 2 grant of a late day, 3 the late entry, 4 a correction of 1.
    阿克达拉村: one entry."""
    first = append(world, title="检修电视机", kind=LogbookEntry.Kind.EQUIPMENT)
    services.entry_grant_late(
        village=world.village, day=YESTERDAY, granted_by=world.station, reason="停电"
    )
    append(
        world,
        title="组织收看《榜样》",
        kind=LogbookEntry.Kind.SESSION,
        occurred_at=local(2026, 11, 28, 20, 0),
    )
    append(world, title="检修影碟机", corrects=first, reason="修的是影碟机")
    append(world, village=world.pastoral, author=world.other_op, title="夏牧场流动放映")
    return {e.seq: e for e in LogbookEntry.objects.filter(village=world.village)}


def run() -> str:
    out = io.StringIO()
    call_command("verify-logbook", stdout=out)
    return out.getvalue()


def attacker():
    """What an attacker with the database file does first: remove the triggers. Inside the
    test's transaction, so they come back at the end of the test."""
    cursor = connection.cursor()
    if connection.vendor == "sqlite":
        for name in sorted(verify.SQLITE_TRIGGERS):
            cursor.execute(f"DROP TRIGGER {name}")
    else:
        cursor.execute("DROP TRIGGER logbook_entry_append_only ON logbook_logbookentry")
        cursor.execute("DROP TRIGGER logbook_exception_append_only ON logbook_lateentryexception")
    return cursor


def db_id(entry_id):
    return LogbookEntry._meta.pk.get_db_prep_value(entry_id, connection)


def assert_fails_at(entry, words):
    with pytest.raises(CommandError) as exc:
        run()
    message = str(exc.value)
    assert f"红星村（村编号 {entry.village_id}）第 {entry.seq} 条，记录编号 {entry.pk}" in message
    assert words in message
    return message


def test_it_passes_clean_books(book):
    assert run() == "OK: 2 村, 5 条记录\n"


def test_it_passes_an_empty_database(db):
    assert run() == "OK: 0 村, 0 条记录\n"


def test_it_is_a_dianjiao_command_with_the_hyphen(book):
    assert get_commands()["verify-logbook"] == "dianjiao.web"
    cli.main(["verify-logbook"])  # returns normally: exit status 0


def test_it_catches_a_changed_field(book):
    attacker().execute(
        "UPDATE logbook_logbookentry SET title = %s WHERE id = %s",
        ["组织收看《榜样》，到会 30 人", db_id(book[3].pk)],
    )
    assert_fails_at(book[3], "内容与哈希不符")


def test_it_catches_a_changed_time(book):
    attacker().execute(
        "UPDATE logbook_logbookentry SET received_at = occurred_at WHERE id = %s",
        [db_id(book[3].pk)],
    )
    assert_fails_at(book[3], "内容与哈希不符")


def test_it_catches_a_deleted_entry(book):
    attacker().execute("DELETE FROM logbook_logbookentry WHERE id = %s", [db_id(book[2].pk)])
    assert_fails_at(book[3], "缺少第 2 条")


def test_it_catches_a_lost_tail_from_the_audit_trail(book):
    """Deleting the last entries leaves a valid, shorter chain; the audit trail remembers."""
    cursor = attacker()
    cursor.execute("DELETE FROM logbook_logbookentry WHERE id = %s", [db_id(book[4].pk)])
    message = assert_fails_at(book[4], "末尾的记录被删除")
    assert "曾有第 4 条，现在只到第 3 条" in message


def test_an_archived_audit_trail_is_not_a_lost_tail(book):
    from dianjiao.audit.models import AuditEvent

    AuditEvent.objects.filter(model="logbook.logbookentry").delete()
    assert run() == "OK: 2 村, 5 条记录\n"


def test_it_catches_a_reordering(book):
    cursor = attacker()
    swap = "UPDATE logbook_logbookentry SET seq = %s WHERE id = %s"
    cursor.execute(swap, [1000, db_id(book[2].pk)])
    cursor.execute(swap, [2, db_id(book[3].pk)])
    cursor.execute(swap, [3, db_id(book[2].pk)])
    # The entry now in second place is the old third: its link to the entry before is wrong.
    book[3].seq = 2
    assert_fails_at(book[3], "链条在此断开")


def test_it_catches_a_forged_entry(book):
    """A row inserted outside the application, copied from the head and appended after it."""
    import uuid

    forged_id = uuid.uuid4()
    columns = [f.column for f in LogbookEntry._meta.concrete_fields]
    select = {c: c for c in columns} | {
        "id": "%s",
        "seq": "seq + 1",
        "prev_hash": "hash",
        "title": "%s",
    }
    attacker().execute(
        f"INSERT INTO logbook_logbookentry ({', '.join(columns)}) "
        f"SELECT {', '.join(select[c] for c in columns)} FROM logbook_logbookentry WHERE id = %s",
        [db_id(forged_id), "组织收看《焦裕禄》，到会 40 人", db_id(book[4].pk)],
    )
    forged = LogbookEntry.objects.get(pk=forged_id)
    assert forged.seq == 5
    assert_fails_at(forged, "内容与哈希不符")


def test_it_catches_a_changed_late_entry_exception(book):
    attacker().execute("UPDATE logbook_lateentryexception SET reason = %s", ["县里要求补录"])
    assert_fails_at(book[3], "补录批准")


def test_it_names_the_first_bad_entry_when_there_are_several(book):
    cursor = attacker()
    cursor.execute(
        "UPDATE logbook_logbookentry SET title = %s WHERE id IN (%s, %s)",
        ["x", db_id(book[2].pk), db_id(book[4].pk)],
    )
    assert_fails_at(book[2], "内容与哈希不符")


def test_it_fails_while_the_triggers_are_missing(book):
    attacker()
    with pytest.raises(CommandError) as exc:
        run()
    assert "触发器" in str(exc.value)


def test_the_command_line_exits_non_zero(book, capsys):
    attacker().execute("DELETE FROM logbook_logbookentry WHERE id = %s", [db_id(book[2].pk)])
    with pytest.raises(SystemExit) as exc:
        cli.main(["verify-logbook"])
    assert exc.value.code != 0
    assert f"第 3 条，记录编号 {book[3].pk}" in capsys.readouterr().err
