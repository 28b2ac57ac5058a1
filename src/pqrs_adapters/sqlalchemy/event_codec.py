"""How ``case_events`` holds a case's events: the store's one codec of events, both ways.

An event's ``data`` is ``pqrs_core.serialization.event_to_plain`` of it, made compact (migration 0041):

- attributes equal to their default are left out (``codec.compact_converter``): reading gives the
  defaults back;
- the long texts that repeat from case to case (``SHARED``: the legal source of a term, the same for
  every case its policy applies to) are stored once, in ``event_texts`` under the first 16 hex digits
  of their SHA-256, and the event holds ``"@<attribute>": digest`` in their place. The text a digest
  names never changes, so what was read once is kept for the process (``_TEXTS``).

Rows written before migration 0041 (full attributes, texts inline) read the same way. Whoever writes
event rows writes the texts they name in the same transaction (``write_texts``): the repository and
the bulk import.
"""

from __future__ import annotations

import functools
import hashlib
import json
import typing
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs
import cattrs
from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from pqrs_core.domain.events import EVENT_TYPES, DomainEvent
from pqrs_core.serialization import event_from_plain, event_to_plain

from .codec import compact_converter, compact_json
from .tables import event_texts

# The columns of a ``case_events`` row, as ``event_rows`` gives them.
EVENT_COLUMNS = ("case_id", "seq", "type", "actor", "occurred_at", "data")

# Event type -> the text attributes stored once in ``event_texts``.
SHARED: dict[str, tuple[str, ...]] = {"TermStarted": ("source",)}
REFERENCE = "@"  # the prefix of an attribute held by reference
DIGEST_LENGTH = 16
# Every text read or written by this process, by digest (a digest always names the same text).
_TEXTS: dict[str, str] = {}


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:DIGEST_LENGTH]


def encode(converter: cattrs.Converter, event: DomainEvent,
           texts: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """``(type, data)`` of ``event`` as stored; the shared texts it names are added to ``texts``."""
    name, data = event_to_plain(compact_converter(converter), event)
    return name, _texts_by_reference(name, data, texts)


def event_rows(converter: cattrs.Converter, case_id: str, events: Sequence[DomainEvent], *,
               first_seq: int, texts: dict[str, str]) -> list[dict[str, Any]]:
    """The ``case_events`` rows of ``events``, numbered from ``first_seq``; the shared texts they name
    go into ``texts`` (for ``write_texts``)."""
    rows = []
    for seq, event in enumerate(events, start=first_seq):
        name, data = encode(converter, event, texts)
        rows.append({"case_id": case_id, "seq": seq, "type": name, "actor": event.actor,
                     "occurred_at": event.occurred_at, "data": data})
    return rows


def write_texts(conn: Connection, texts: Mapping[str, str]) -> None:
    """Store ``texts`` (digest -> text) that are not stored yet."""
    if not texts:
        return
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(insert(event_texts).on_conflict_do_nothing(index_elements=[event_texts.c.digest]),
                 [{"digest": key, "text": value} for key, value in sorted(texts.items())])
    _TEXTS.update(texts)


def decode(conn: Connection, converter: cattrs.Converter,
           rows: Iterable[Any]) -> list[DomainEvent]:
    """The events of ``case_events`` rows (``type``, ``data``, ``case_id``, ``actor``, ``occurred_at``)."""
    listed: list[Mapping[str, Any]] = list(rows)
    wanted = {value for row in listed for key, value in row["data"].items()
              if key.startswith(REFERENCE) and value not in _TEXTS}
    if wanted:
        found = conn.execute(select(event_texts.c.digest, event_texts.c.text)
                             .where(event_texts.c.digest.in_(sorted(wanted))))
        _TEXTS.update({key: text for key, text in found})
    return [decode_one(converter, row["type"], row["data"], case_id=row["case_id"], actor=row["actor"],
                       occurred_at=row["occurred_at"]) for row in listed]


def decode_one(converter: cattrs.Converter, name: str, data: Mapping[str, Any], *, case_id: str, actor: str,
               occurred_at: datetime) -> DomainEvent:
    """One event from its stored ``data``, whose shared texts this process knows (``decode``)."""
    plain = {}
    for key, value in data.items():
        if key.startswith(REFERENCE):
            plain[key[len(REFERENCE):]] = _TEXTS[value]
        else:
            plain[key] = value
    return event_from_plain(converter, name, plain, case_id=case_id, actor=actor, occurred_at=occurred_at)


def compact_plain(converter: cattrs.Converter, name: str, data: dict[str, Any],
                  texts: dict[str, str]) -> dict[str, Any]:
    """``data`` of an event stored in full (before migration 0041) as ``encode`` stores it now: the
    attributes equal to their default left out (in nested objects too), the shared texts by reference
    (added to ``texts``). Works on the plain data, without building the event: the migration's pace.
    Keys the event's class does not know are kept as they are."""
    cls = EVENT_TYPES.get(name)
    compacted = _without_defaults(converter, cls, dict(data)) if cls is not None else dict(data)
    return _texts_by_reference(name, compacted, texts)


def _texts_by_reference(name: str, data: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """``data`` (changed in place) with the shared texts of an event ``name`` replaced by their digests,
    the texts added to ``texts``."""
    for attribute in SHARED.get(name, ()):
        value = data.get(attribute)
        if isinstance(value, str) and value:
            key = digest(value)
            texts[key] = value
            del data[attribute]
            data[REFERENCE + attribute] = key
    return data


def _without_defaults(converter: cattrs.Converter, cls: type, data: dict[str, Any]) -> dict[str, Any]:
    for name, default, nested in _fields(converter, cls):
        if name not in data:
            continue
        value = data[name]
        if default is not _NO_DEFAULT and type(value) is type(default) and value == default:
            del data[name]
        elif nested is not None and isinstance(value, dict):
            data[name] = _without_defaults(converter, nested, dict(value))
        elif nested is not None and isinstance(value, list):
            data[name] = [_without_defaults(converter, nested, dict(item)) if isinstance(item, dict) else item
                          for item in value]
    return data


_NO_DEFAULT = object()


@functools.cache
def _fields(converter: cattrs.Converter, cls: type) -> tuple[tuple[str, Any, type | None], ...]:
    """``(name, default as plain data or _NO_DEFAULT, the attrs class it holds or None)`` of each
    attribute of ``cls``."""
    hints = typing.get_type_hints(cls)
    fields = []
    for field in attrs.fields(cls):
        default: Any = _NO_DEFAULT
        if field.default is not attrs.NOTHING:
            value = field.default.factory() if isinstance(field.default, attrs.Factory) else field.default  # type: ignore[arg-type]
            default = json.loads(compact_json(converter.unstructure(value)))  # as JSON reads it
        fields.append((field.name, default, _attrs_class(hints.get(field.name))))
    return tuple(fields)


def _attrs_class(hint: Any) -> type | None:
    """The attrs class ``hint`` holds: itself, optional, or the items of a tuple or list."""
    if isinstance(hint, type) and attrs.has(hint):
        return hint
    for argument in typing.get_args(hint):
        found = _attrs_class(argument)
        if found is not None:
            return found
    return None
