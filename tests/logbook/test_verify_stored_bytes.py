"""`verify-logbook` hashes the canonical bytes stored with each entry and asks the database
whether they still say what the entry's fields say: each half of that is tampered with here and
caught; books written by the services are confirmed by the database without falling back to
Python; and a village or a date range can be checked on its own."""

import io
import json
from importlib import import_module

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dianjiao.logbook import chain, verify
from dianjiao.logbook.models import LogbookEntry

from . import test_verify
from .conftest import append
from .test_verify import assert_fails_at, attacker, db_id

book = test_verify.book  # the same 红星村 and 阿克达拉村 books


def canonical_of(entry) -> bytes:
    return bytes(LogbookEntry.objects.values_list("canonical", flat=True).get(pk=entry.pk))


def set_canonical(cursor, entry, data: bytes):
    cursor.execute(
        "UPDATE logbook_logbookentry SET canonical = %s WHERE id = %s", [data, db_id(entry.pk)]
    )


def set_body(cursor, entry, body: dict):
    cursor.execute(
        "UPDATE logbook_logbookentry SET body = %s WHERE id = %s",
        [json.dumps(body, ensure_ascii=False), db_id(entry.pk)],
    )


def test_the_stored_bytes_are_what_was_hashed(book):
    for entry in book.values():
        stored = canonical_of(entry)
        assert stored == chain.entry_canonical(
            LogbookEntry.objects.values(*chain.HASHED_FIELDS).get(pk=entry.pk)
        )
        assert chain.leaf_hash(stored) == entry.hash


def test_clean_books_are_confirmed_by_the_database_alone(book):
    result = verify.verify_all()
    assert result.ok and result.entries == 5
    assert result.recomputed == 0


def test_it_catches_changed_canonical_bytes(book):
    stored = canonical_of(book[3])
    set_canonical(attacker(), book[3], stored.replace("榜样".encode(), "焦裕禄".encode()))
    assert_fails_at(book[3], "保存的规范内容与哈希对不上")


def test_it_catches_canonical_bytes_and_hash_rewritten_together(book):
    """Edited bytes with their hash recomputed: they no longer say what the fields say (and the
    next entry would not link to them either)."""
    cursor = attacker()
    forged = canonical_of(book[2]).replace("停电".encode(), "下雨".encode())
    set_canonical(cursor, book[2], forged)
    cursor.execute(
        "UPDATE logbook_logbookentry SET hash = %s WHERE id = %s",
        [chain.leaf_hash(forged), db_id(book[2].pk)],
    )
    assert_fails_at(book[2], "内容与哈希不符：记录在写入后被改动过")


def test_it_catches_a_changed_body_value(book):
    body = LogbookEntry.objects.get(pk=book[1].pk).body
    set_body(attacker(), book[1], {**body, "text": "电视机已报废"})
    assert_fails_at(book[1], "内容与哈希不符：记录在写入后被改动过")


def test_it_catches_a_value_that_changed_only_its_type(world, clock):
    entry = append(world, body={"present": 1, "note": "x"})
    set_body(attacker(), entry, {"present": True, "note": "x"})
    assert_fails_at(entry, "内容与哈希不符")


def test_a_body_rewritten_in_another_json_layout_is_not_a_change(world, clock, monkeypatch):
    """Same value, other spacing and key order (what another tool might write back): the
    database cannot confirm it byte for byte on SQLite, Python recomputes, and it passes."""
    entry = append(world, body={"b": [1, 2], "a": "中文"})
    cursor = attacker()
    cursor.execute(
        "UPDATE logbook_logbookentry SET body = %s WHERE id = %s",
        ['{"a": "\\u4e2d\\u6587", "b": [1, 2]}', db_id(entry.pk)],
    )
    monkeypatch.setattr(
        verify, "check_triggers", lambda: None
    )  # dropped by attacker(): not the point here
    result = verify.verify_all()
    assert result.ok, result.problem and result.problem.what


def test_an_entry_without_stored_bytes_is_checked_from_its_fields(book):
    cursor = attacker()
    cursor.execute(
        "UPDATE logbook_logbookentry SET canonical = NULL WHERE id = %s", [db_id(book[1].pk)]
    )
    cursor.execute(
        "UPDATE logbook_logbookentry SET title = %s WHERE id = %s",
        ["检修收音机", db_id(book[1].pk)],
    )
    assert_fails_at(book[1], "内容与哈希不符")


def test_an_entry_bulk_created_with_only_its_hash_gets_its_bytes(world, clock):
    head = append(world)
    entry = LogbookEntry(
        **{
            f: getattr(head, f)
            for f in chain.HASHED_FIELDS
            if f not in ("id", "seq", "prev_hash", "village_id", "township_id")
        },
        village=world.village,
        township_id=world.village.township_id,
        seq=head.seq + 1,
        prev_hash=head.hash,
    )
    entry.hash = chain.entry_hash({f: getattr(entry, f) for f in chain.HASHED_FIELDS})
    LogbookEntry.objects.bulk_create([entry])
    assert chain.leaf_hash(canonical_of(entry)) == entry.hash
    result = verify.verify_all()
    assert result.ok and result.recomputed == 0


def run_with(*args) -> str:
    out = io.StringIO()
    call_command("verify-logbook", *args, stdout=out)
    return out.getvalue()


def test_it_checks_one_village_by_name_or_id(book, world):
    assert run_with("--village", "红星村") == "OK: 1 村, 4 条记录\n"
    assert run_with("--village", str(world.pastoral.pk)) == "OK: 1 村, 1 条记录\n"
    with pytest.raises(CommandError, match="找不到村"):
        run_with("--village", "没有这个村")


def test_a_village_check_names_only_that_villages_problem(book, world):
    attacker().execute(
        "UPDATE logbook_logbookentry SET title = %s WHERE id = %s", ["x", db_id(book[2].pk)]
    )
    with pytest.raises(CommandError, match="第 2 条"):
        run_with("--village", "红星村")
    with pytest.raises(CommandError, match="触发器"):  # the other village's book is clean
        run_with("--village", str(world.pastoral.pk))


def test_it_checks_a_date_range(book):
    """Entries 1, 2 and 4 happened today, 3 yesterday: today's range is the run 1..4 of 红星村
    (and 阿克达拉村's entry); yesterday's is entry 3 alone, linked to entry 2."""
    from .conftest import TODAY, YESTERDAY

    today, yesterday = TODAY.isoformat(), YESTERDAY.isoformat()
    assert run_with("--from", today) == "OK: 2 村, 5 条记录\n"
    assert run_with("--from", yesterday, "--to", yesterday) == "OK: 1 村, 1 条记录\n"
    cursor = attacker()
    cursor.execute("DELETE FROM logbook_logbookentry WHERE id = %s", [db_id(book[2].pk)])
    with pytest.raises(CommandError, match="缺少第 2 条"):
        run_with("--from", yesterday, "--to", yesterday)


def test_parallel_groups_report_the_first_problem_in_village_order(book, world):
    """The split into groups of villages and the merge of their results, run in-process."""
    spans = verify.spans_for()
    groups = verify._split(spans, 2)
    assert [s.village_id for g in groups for s in g] == [s.village_id for s in spans]
    assert len(groups) == 2
    attacker().execute(
        "UPDATE logbook_logbookentry SET title = %s", ["x"]
    )  # every entry of both villages
    results = [verify.check_spans(g) for g in groups]
    first = min((r.problem for r in results), key=lambda p: p.village_id)
    assert (first.village_id, first.seq) == (min(world.village.pk, world.pastoral.pk), 1)


text = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=15)
scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | text
scalars |= st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: abs(f) < 2**53)
bodies = st.dictionaries(
    text,
    st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
        max_leaves=8,
    ),
    max_size=4,
)


@pytest.mark.django_db
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, title=text.filter(lambda t: t.strip()), reason=text)
def test_the_database_confirms_whatever_the_services_wrote(world, body, title, reason):
    """The SQL that rebuilds (SQLite) or compares (PostgreSQL) the canonical form agrees with
    Python's on any body, title and reason: no entry needs the slow path."""
    first = append(world, title=title, body=body)
    append(world, title=title, body=body, corrects=first, reason=reason.strip() or "更正")
    result = verify.verify_all(villages=[world.village.pk])
    assert result.ok and result.recomputed == 0
    assert connection.vendor in ("sqlite", "postgresql")


def test_a_long_run_says_how_far_it_has_got_on_stderr():
    command = import_module("dianjiao.web.management.commands.verify-logbook")
    err = io.StringIO()
    progress = command.Progress(err, delay=0)
    progress(5_000, 20_000)
    progress(10_000, 20_000)  # within ten seconds of the last line: not repeated
    progress.close()
    assert err.getvalue().startswith("已校验 5,000 / 20,000 条（25%），用时 ")
    assert err.getvalue().count("\n") == 1
