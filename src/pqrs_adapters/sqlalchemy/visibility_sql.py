"""A visibility predicate (``pqrs_core.domain.access``) compiled to a ``WHERE`` clause over ``cases``.

The compilation mirrors ``pqrs_core.domain.access.matches`` node by node; a property test checks that
both select the same cases on every store. Only ``AND``/``OR`` appear (never ``NOT``), so a ``NULL``
column (no requester user, no queue) simply fails its test, as it does in Python.

Sets of names can be large (a consultant's network may hold 10,000 people). A short set becomes an
ordinary ``IN (...)``; a long one travels as a single parameter, so that no database limit on the
number of parameters is reached: a JSON array read with ``json_each`` on SQLite, an array compared with
``= ANY`` on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import ColumnElement, String, and_, any_, bindparam, false, func, or_, select, true
from sqlalchemy.dialects.postgresql import ARRAY

from pqrs_core.domain.access import (
    AllOf,
    AnyOf,
    AssignedTo,
    Everything,
    FiledBy,
    KindIn,
    Nothing,
    Predicate,
    QueueIn,
    RequesterUser,
    StateCategoryIn,
    TypificationUnder,
)

from .case_rows import path_codes_text
from .tables import cases

# Sets longer than this are sent as one parameter instead of one parameter per value.
INLINE_LIMIT = 100


def visibility_clause(predicate: Predicate, dialect: str) -> ColumnElement[bool]:
    """The ``WHERE`` clause selecting the cases ``predicate`` lets through, for ``dialect``
    (``"sqlite"`` or ``"postgresql"``: the name of ``Connection.dialect``)."""
    match predicate:
        case Everything():
            return true()
        case Nothing():
            return false()
        case FiledBy(users):
            return in_set(cases.c.filed_by, users, dialect)
        case RequesterUser(users):
            return in_set(cases.c.requester_user, users, dialect)
        case AssignedTo(user):
            return cases.c.assignee == user
        case QueueIn(queues):
            return in_set(cases.c.queue, queues, dialect)
        case KindIn(kinds):
            return in_set(cases.c.kind, kinds, dialect)
        case TypificationUnder(codes):
            # typification_path_codes is "|ROOT|...|LEAF|": the case is under a code if the code is
            # any of its ancestors (or the leaf itself).
            return _any([cases.c.typification_path_codes.contains(path_codes_text((code,)), autoescape=True)
                         for code in sorted(codes)])
        case StateCategoryIn(categories):
            return in_set(cases.c.state_category, {c.value for c in categories}, dialect)
        case AnyOf(children):
            return _any([visibility_clause(child, dialect) for child in children])
        case AllOf(children):
            parts = [visibility_clause(child, dialect) for child in children]
            return and_(*parts) if parts else true()
    raise TypeError(f"unknown predicate {predicate!r}")


def has_large_set(predicate: Predicate) -> bool:
    """Whether ``predicate`` names more than ``INLINE_LIMIT`` people (a network), anywhere in it."""
    match predicate:
        case FiledBy(users) | RequesterUser(users):
            return len(users) > INLINE_LIMIT
        case AnyOf(children) | AllOf(children):
            return any(has_large_set(child) for child in children)
    return False


def in_set(column: ColumnElement[str | None], values: Iterable[str], dialect: str) -> ColumnElement[bool]:
    """``column IN values``, with one parameter in all when ``values`` is long."""
    ordered = sorted(set(values))
    if not ordered:
        return false()
    if len(ordered) <= INLINE_LIMIT:
        return column.in_(ordered)
    if dialect == "postgresql":
        return column == any_(bindparam(None, ordered, type_=ARRAY(String)))
    if dialect == "sqlite":
        members = func.json_each(bindparam(None, json.dumps(ordered), type_=String)).table_valued("value")
        return column.in_(select(members.c.value))
    return column.in_(ordered)


def _any(parts: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    if not parts:
        return false()
    return parts[0] if len(parts) == 1 else or_(*parts)
