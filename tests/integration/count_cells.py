"""The cells of the count tables the triggers keep, read as the tests compare them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table, select

Cells = Counter[tuple[Any, ...]]


def _as_stored(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return key


def stored_cells(conn: Connection, *tables: Table,
                 key: Callable[[tuple[Any, ...]], tuple[Any, ...]] = _as_stored) -> tuple[Cells, ...]:
    """Each table's cells, its count by its key (read through ``key``), without those counted zero; no
    count may be negative."""
    found: list[Cells] = []
    for table in tables:
        counts: Cells = Counter()
        for row in conn.execute(select(table)):
            *values, n = row
            assert n >= 0, row
            if n:
                counts[key(tuple(values))] = n
        found.append(counts)
    return tuple(found)
