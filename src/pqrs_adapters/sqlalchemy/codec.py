"""The store's cattrs converter (``pqrs_core.serialization.make_converter`` plus the store's hooks), the
compact encodings it stores (events without their default values, JSON without spaces or escapes) and
the dialect-specific ``INSERT ... ON CONFLICT`` both databases understand."""

from __future__ import annotations

import functools
import json
import typing
from collections.abc import Mapping, Sequence
from typing import Any

import cattrs
from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

from pqrs_core.serialization import make_converter


def _is_frozenset(type_: Any) -> bool:
    return type_ is frozenset or typing.get_origin(type_) is frozenset


@functools.cache
def store_converter() -> cattrs.Converter:
    """Built once, on first use. Adds a hook that turns typed ``frozenset[...]`` fields (such as
    ``Transition.roles``) into sorted lists: the core's hook only matches the bare ``frozenset``
    type, which leaves them as frozensets that JSON cannot hold."""
    converter = make_converter()
    converter.register_unstructure_hook_func(_is_frozenset, lambda s: sorted(s))
    return converter


@functools.cache
def compact_converter(converter: cattrs.Converter) -> cattrs.Converter:
    """``converter`` leaving out every attribute equal to its default: what ``case_events.data`` holds
    (``case_rows.event_rows``). Structuring gives the defaults back, so an event reads the same as it
    was written (and rows written in full before migration 0041 read as they always did)."""
    return converter.copy(omit_if_default=True)


def compact_json(value: Any) -> str:
    """JSON as the store writes it (the engines' ``json_serializer``): no spaces between items, text
    as UTF-8 rather than ``\\uXXXX`` escapes. Any JSON reads back the same."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def upsert(conn: Connection, table: Table, values: Mapping[str, Any], keys: Sequence[str],
           update: Sequence[str] | None = None) -> None:
    """Insert ``values``; if a row with the same ``keys`` exists, overwrite its ``update`` columns
    (default: every non-key column given)."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table).values(**values)
    columns = update if update is not None else [name for name in values if name not in keys]
    stmt = stmt.on_conflict_do_update(index_elements=[table.c[k] for k in keys],
                                      set_={name: stmt.excluded[name] for name in columns})
    conn.execute(stmt)
