"""How many cases a query selects in each state category (the board's column counts), read from the
counts the database keeps by trigger (``board_schema``; on PostgreSQL, the totals and the changes not
yet folded into them) wherever the query's filters and the reader's visibility name only the columns
counted there, and from the cases themselves for the rest.

A visibility that is a union (an agent's: their queues, the cases assigned to them, the cases they
filed or requested) is split: the part the counts can answer is read from them, and the cases only the
other part lets through (``filed_by``, ``requester_user``... and none of the first part: a handful, from
their indexes) are counted from ``cases``; the sum is exact, each case counted once.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs
from sqlalchemy import (
    Column,
    ColumnClause,
    ColumnElement,
    Connection,
    Engine,
    FromClause,
    and_,
    false,
    func,
    null,
    or_,
    select,
)
from sqlalchemy.sql.visitors import replacement_traverse

from pqrs_core.domain.access import AnyOf, Predicate
from pqrs_core.ports import CaseQuery

from .board_schema import COUNTS, FOLD, POSTGRESQL_COUNTS
from .case_queries import where_clause
from .tables import cases
from .visibility_sql import visibility_clause


def _counted(counts: FromClause) -> dict[str, Any]:
    """The columns of ``cases`` the counts hold, as read there ('' stored for NULL)."""
    return {"state_category": counts.c.state_category, "kind": counts.c.kind,
            "queue": func.nullif(counts.c.queue, ""), "assignee": func.nullif(counts.c.assignee, ""),
            "deleted_at": null()}  # the counts hold the cases not deleted only


# What each database reads the counts from, and the counted columns there.
_SOURCES: dict[str, FromClause] = {"sqlite": COUNTS, "postgresql": POSTGRESQL_COUNTS}
_COUNTED = {dialect: _counted(source) for dialect, source in _SOURCES.items()}


def count_by_state_category(conn: Connection, query: CaseQuery) -> dict[str, int]:
    """``{state category: cases}`` over the cases ``query`` selects (limit, cursor and sort ignored);
    categories with no case are left out."""
    return {key[0]: n for key, n in count_by(conn, query, ("state_category",)).items()}


def count_by(conn: Connection, query: CaseQuery, fields: tuple[str, ...]) -> dict[tuple[Any, ...], int]:
    """The cases ``query`` selects (limit, cursor and sort ignored) counted by the values of ``fields``,
    columns the counts hold (``state_category``, ``kind``, ``queue``, ``assignee``; NULL as ``None``);
    values with no case are left out."""
    if query.include_voided:
        return _from_cases(conn, where_clause(conn, query), fields)
    filters = where_clause(conn, attrs.evolve(query, visible=None))
    over_filters = _over_counts(conn, filters)
    if over_filters is None:
        return _from_cases(conn, where_clause(conn, query), fields)
    if query.visible is None:
        return _from_counts(conn, over_filters, fields)
    children = query.visible.children if isinstance(query.visible, AnyOf) else (query.visible,)
    # Each part of the visibility over the counts, where they can answer it.
    over_parts = [(child, _over_counts(conn, _visible(conn, child))) for child in children]
    counted = [child for child, over in over_parts if over is not None]
    rest = [child for child, over in over_parts if over is None]
    if not counted:
        return _from_cases(conn, where_clause(conn, query), fields)
    seen = _any(conn, counted)
    over_seen = or_(*(over for _child, over in over_parts if over is not None))
    totals = Counter(_from_counts(conn, and_(over_filters, over_seen), fields))
    if rest:
        # The cases only the rest lets through: not in the first part (NULL there counts as no).
        outside = func.coalesce(seen, false()).is_(false())
        totals.update(_from_cases(conn, and_(filters, _any(conn, rest), outside), fields))
    return {key: n for key, n in totals.items() if n}


def count_cases(conn: Connection, query: CaseQuery) -> int:
    """How many cases ``query`` selects: from the counts when it names only their columns (the menu's
    count of the cases to hand out, on every staff page), else from ``cases``."""
    where = where_clause(conn, query)
    over = None if query.include_voided else _over_counts(conn, where)
    if over is not None:
        return sum(_from_counts(conn, over).values())
    return int(conn.execute(select(func.count()).select_from(cases).where(where)).scalar_one())


def fold_changes(engine: Engine) -> None:
    """PostgreSQL: the changes of the counts folded into their totals (``board_schema.FOLD``), so that
    readers sum few of them (``pqrs worker`` does it every few seconds); nothing on SQLite."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for statement in FOLD:
            conn.exec_driver_sql(statement)


def _from_counts(conn: Connection, over: ColumnElement[bool],
                 fields: tuple[str, ...] = ("state_category",)) -> dict[tuple[Any, ...], int]:
    """The counts ``over`` selects (a condition over the counts: ``_over_counts``), by ``fields``."""
    counted = _COUNTED[conn.dialect.name]
    keys = [counted[field] for field in fields]
    source = _SOURCES[conn.dialect.name]
    rows = conn.execute(select(*keys, func.sum(source.c.cases)).where(over).group_by(*keys))
    return {tuple(key): int(n) for *key, n in rows if n}


def _from_cases(conn: Connection, where: ColumnElement[bool],
                fields: tuple[str, ...]) -> dict[tuple[Any, ...], int]:
    keys = [cases.c[field] for field in fields]
    rows = conn.execute(select(*keys, func.count()).where(where).group_by(*keys))
    return {tuple(key): int(n) for *key, n in rows}


def _visible(conn: Connection, predicate: Predicate) -> ColumnElement[bool]:
    return visibility_clause(predicate, conn.dialect.name)


def _any(conn: Connection, predicates: list[Predicate]) -> ColumnElement[bool]:
    parts = [_visible(conn, p) for p in predicates]
    return parts[0] if len(parts) == 1 else or_(*parts)


def _over_counts(conn: Connection, where: ColumnElement[bool]) -> ColumnElement[bool] | None:
    """``where`` over the counts instead of ``cases``, or ``None`` when it reads a column (or a table)
    they do not hold."""
    foreign = False
    counted = _COUNTED[conn.dialect.name]

    def replace(element: Any, **_kw: Any) -> Any:
        nonlocal foreign
        if isinstance(element, Column):
            if element.table is not cases or element.name not in counted:
                foreign = True
                return None
            return counted[element.name]
        if isinstance(element, ColumnClause) and element.is_literal and "cases" in element.name:
            foreign = True  # a literal naming the table (the search's ``cases.rowid``)
        return None

    over = replacement_traverse(where, {}, replace)
    return None if foreign else over
