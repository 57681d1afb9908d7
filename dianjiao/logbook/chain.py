"""The hash chain: canonical bytes of an entry and its hash. Pure functions, no queries.

An entry's canonical content is a JSON object (keys sorted, UTF-8, no spaces) of every stored
field that matters, including the previous entry's hash; its hash is
sha256(0x00 || canonical bytes), the RFC 6962 leaf prefix, so an entry hash can never be confused
with an interior node should the chain later be summarised in a Merkle tree.

The canonical bytes are computed once, when the entry is written (`seal`), and stored beside it
(`LogbookEntry.canonical`): the exact bytes that were hashed. `verify-logbook` hashes those stored
bytes and checks, in one pass inside the database (`verify.py`), that they still say what the
entry's fields say; it no longer re-derives them field by field in Python. The same canonical form
must therefore come out of the values the database gives back, so what is hashed must survive a
round trip through both SQLite and PostgreSQL unchanged. That is why bodies are normalised before they are stored:
PostgreSQL's jsonb reorders keys (sorted away) and prints numbers as decimals (1.0 comes back
as 1, 1e20 as 100000000000000000000), so integral floats become ints, and floats too large to
survive that exactly are refused.
"""

import datetime as dt
import hashlib
import json
import math
from decimal import Decimal
from uuid import UUID

from django.utils.translation import gettext as _

GENESIS = "0" * 64
LEAF_PREFIX = b"\x00"
_MAX_EXACT_FLOAT = 2**53


class BodyError(ValueError):
    """A body that cannot be stored and hashed faithfully."""


def _json_default(value):
    if isinstance(value, dt.datetime):
        return utc_iso(value)
    if isinstance(value, dt.date | dt.time | UUID | Decimal):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    raise BodyError(_("不能保存的内容类型：%(type)s") % {"type": type(value).__name__})


def _normalise(value):
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BodyError(_("内容中的数值无效"))
        if value.is_integer():
            if abs(value) >= _MAX_EXACT_FLOAT:
                raise BodyError(_("内容中的数值过大"))
            return int(value)
        return value
    if isinstance(value, str):
        if "\x00" in value:
            raise BodyError(_("内容中含有不可见的空字符"))
        return value
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {_check_key(k): _normalise(v) for k, v in value.items()}
    raise BodyError(_("不能保存的内容类型：%(type)s") % {"type": type(value).__name__})


def _check_key(key):
    if not isinstance(key, str):
        raise BodyError(_("内容的键必须是文字"))
    return _normalise(key)


def normalise_body(body) -> dict:
    """The body as it will be stored and hashed: plain JSON types only, floats tamed."""
    if not isinstance(body, dict):
        raise BodyError(_("内容必须是一个字典（JSON 对象）"))
    return _normalise(json.loads(json.dumps(body, default=_json_default)))


def dumps(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


class CanonicalJSONEncoder(json.JSONEncoder):
    """The body column's encoder: the same text as the body's part of the canonical bytes (keys
    sorted, no spaces, UTF-8 as is). On SQLite, where the column keeps the text it was given, the
    canonical bytes can then be rebuilt from the row by string concatenation inside the database
    (see `verify.py`), without parsing or re-encoding the body. PostgreSQL's jsonb keeps its own
    form whatever is sent; there the comparison is made on parsed values."""

    def __init__(self, **kwargs):
        kwargs.update(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        super().__init__(**kwargs)


def utc_iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime in the logbook")
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _id(value) -> str | None:
    return None if value is None else str(value)


def canonical(
    *,
    id,
    village_id,
    township_id,
    seq,
    kind,
    title,
    body,
    occurred_at,
    captured_at,
    received_at,
    author_id,
    author_label,
    corrects_id,
    reason,
    late_exception_id,
    source_model,
    source_pk,
    prev_hash,
) -> bytes:
    """Canonical bytes of one entry. Keyword names are the model's attnames, so
    `canonical(**row)` works for a `.values()` row. Beyond the fields of the contract it also
    covers township_id and author_label: both are shown and printed, so both must be sealed."""
    if not isinstance(id, UUID):
        id = UUID(str(id))
    return dumps(
        {
            "id": str(id),
            "village_id": _id(village_id),
            "township_id": _id(township_id),
            "seq": int(seq),
            "kind": kind,
            "title": title,
            "body": _normalise(body),
            "occurred_at": utc_iso(occurred_at),
            "captured_at": utc_iso(captured_at),
            "received_at": utc_iso(received_at),
            "author_id": _id(author_id),
            "author_label": author_label,
            "corrects_id": _id(corrects_id),
            "reason": reason,
            "late_exception_id": _id(late_exception_id),
            "source_model": source_model,
            "source_pk": source_pk,
            "prev_hash": prev_hash,
        }
    )


def leaf_hash(canonical_bytes: bytes) -> str:
    return hashlib.sha256(LEAF_PREFIX + canonical_bytes).hexdigest()


HASHED_FIELDS = (
    "id",
    "village_id",
    "township_id",
    "seq",
    "kind",
    "title",
    "body",
    "occurred_at",
    "captured_at",
    "received_at",
    "author_id",
    "author_label",
    "corrects_id",
    "reason",
    "late_exception_id",
    "source_model",
    "source_pk",
    "prev_hash",
)


def entry_canonical(row: dict) -> bytes:
    """The canonical bytes of an entry given as a dict with (at least) HASHED_FIELDS."""
    return canonical(**{f: row[f] for f in HASHED_FIELDS})


def entry_hash(row: dict) -> str:
    """The hash of an entry given as a dict with (at least) HASHED_FIELDS."""
    return leaf_hash(entry_canonical(row))


def seal(entry) -> None:
    """Set an unsaved LogbookEntry's `canonical` (the bytes hashed) and `hash` from its fields,
    computing the canonical form once. Every writer of the logbook seals its entries this way
    (an entry saved or bulk-created without `canonical` gets it from its fields there)."""
    entry.canonical = entry_canonical({f: getattr(entry, f) for f in HASHED_FIELDS})
    entry.hash = leaf_hash(entry.canonical)
