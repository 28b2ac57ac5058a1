"""The store's cattrs converter (``pqrs_core.serialization.make_converter`` plus the store's hooks)
and the dialect-specific ``INSERT ... ON CONFLICT`` both databases understand."""

from __future__ import annotations

import functools
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
