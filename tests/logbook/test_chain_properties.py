"""Properties of the logbook's canonical form (dianjiao.logbook.chain), over generated bodies and
entries: what is hashed survives the database's round trip, and different entries never share
canonical bytes."""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dianjiao.logbook import chain, verify
from dianjiao.logbook.models import LogbookEntry

from .conftest import append

EXACT = 2**53
text = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=20)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-EXACT, EXACT)
    | st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: abs(f) < EXACT)
    | text
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)
bodies = st.dictionaries(text, json_values, max_size=5)
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2100, 1, 1),
    timezones=st.sampled_from([dt.UTC, timezone.get_default_timezone()]),
)
hashes = st.text("0123456789abcdef", min_size=64, max_size=64)
rows = st.fixed_dictionaries(
    {
        "id": st.uuids(),
        "village_id": st.integers(1, 10**6),
        "township_id": st.integers(1, 10**6),
        "seq": st.integers(1, 10**6),
        "kind": st.sampled_from(LogbookEntry.Kind.values),
        "title": text,
        "body": bodies.map(chain.normalise_body),
        "occurred_at": moments,
        "captured_at": st.none() | moments,
        "received_at": moments,
        "author_id": st.none() | st.integers(1, 10**6),
        "author_label": text,
        "corrects_id": st.none() | st.uuids(),
        "reason": text,
        "late_exception_id": st.none() | st.integers(1, 10**6),
        "source_model": text,
        "source_pk": text,
        "prev_hash": hashes,
    }
)


def _reversed(value):
    """The same JSON with every object's keys in the opposite order (jsonb sorts them its way)."""
    if isinstance(value, dict):
        return {k: _reversed(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reversed(v) for v in value]
    return value


@given(bodies)
def test_normalising_a_body_is_idempotent_and_survives_json(body):
    once = chain.normalise_body(body)
    assert chain.normalise_body(once) == once
    assert json.loads(json.dumps(once)) == once
    assert chain.dumps(_reversed(once)) == chain.dumps(once)


@given(rows)
def test_the_hash_does_not_depend_on_key_order_or_a_json_round_trip(row):
    stored = {**row, "body": json.loads(json.dumps(_reversed(row["body"])))}
    assert chain.entry_hash(stored) == chain.entry_hash(row)


@given(rows)
def test_the_canonical_form_reads_back_as_the_entry(row):
    """Canonical bytes decode to exactly the entry's fields: so two entries that differ in any
    field have different canonical bytes (the form is injective)."""
    decoded = json.loads(chain.canonical(**row))
    assert set(decoded) == set(chain.HASHED_FIELDS)
    assert uuid.UUID(decoded["id"]) == row["id"]
    assert decoded["seq"] == row["seq"] and decoded["prev_hash"] == row["prev_hash"]
    assert decoded["body"] == row["body"]
    for field in ("kind", "title", "author_label", "reason", "source_model", "source_pk"):
        assert decoded[field] == row[field]
    for field in ("village_id", "township_id", "author_id", "late_exception_id", "corrects_id"):
        assert decoded[field] == (None if row[field] is None else str(row[field]))
    for field in ("occurred_at", "captured_at", "received_at"):
        value = decoded[field]
        assert (None if value is None else dt.datetime.fromisoformat(value)) == row[field]


@given(rows, st.data())
def test_changing_any_field_changes_the_hash(row, data):
    field = data.draw(st.sampled_from(chain.HASHED_FIELDS))
    other = data.draw(rows)[field]
    if other == row[field]:
        return
    assert chain.entry_hash({**row, field: other}) != chain.entry_hash(row)


@given(st.integers(-(EXACT - 1), EXACT - 1))
def test_an_integral_float_hashes_as_its_integer(n):
    assert chain.normalise_body({"n": float(n)}) == {"n": n}


@given(
    st.floats(allow_nan=False).filter(lambda f: abs(f) >= EXACT)
    | st.sampled_from([float("nan"), float("inf"), float("-inf")])
)
def test_floats_that_cannot_survive_the_database_are_refused(f):
    with pytest.raises(chain.BodyError):
        chain.normalise_body({"n": [f]})


@pytest.mark.django_db
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, title=text.filter(lambda t: t.strip()))
def test_stored_bodies_verify_after_the_database_gives_them_back(world, body, title):
    """Each example appends to 红星村's book through the service; the whole chain, read back
    from the database (jsonb on PostgreSQL), still verifies."""
    entry = append(world, title=title, body=body)
    stored = LogbookEntry.objects.values(*chain.HASHED_FIELDS).get(pk=entry.pk)
    assert chain.entry_hash(stored) == entry.hash
    assert verify.verify_all().ok
