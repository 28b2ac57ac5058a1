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

import functools
import hashlib
import json
from collections.abc import Iterable

from sqlalchemy import ColumnElement, String, and_, any_, bindparam, cast, false, func, or_, select, true
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


def visibility_clause(predicate: Predicate, dialect: str, *, semi_join: bool = False) -> ColumnElement[bool]:
    """The ``WHERE`` clause selecting the cases ``predicate`` lets through, for ``dialect``
    (``"sqlite"`` or ``"postgresql"``: the name of ``Connection.dialect``). With ``semi_join`` a long
    set is a subquery on PostgreSQL too (see ``in_set``)."""
    match predicate:
        case Everything():
            return true()
        case Nothing():
            return false()
        case FiledBy(users):
            return in_set(cases.c.filed_by, users, dialect, semi_join=semi_join)
        case RequesterUser(users):
            return in_set(cases.c.requester_user, users, dialect, semi_join=semi_join)
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
            return _any([visibility_clause(child, dialect, semi_join=semi_join) for child in children])
        case AllOf(children):
            parts = [visibility_clause(child, dialect, semi_join=semi_join) for child in children]
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


def in_set(column: ColumnElement[str | None], values: Iterable[str], dialect: str, *,
           semi_join: bool = False) -> ColumnElement[bool]:
    """``column IN values``, with one parameter in all when ``values`` is long: on PostgreSQL an array
    (sent as one array literal), compared with ``= ANY``, or with ``semi_join`` unnested in a subquery.
    ``= ANY`` lets the planner estimate how many cases the set selects, element by element (about
    1.7 ms per 1,000 names); the subquery costs no planning but hides the set's selectivity."""
    ordered = _ordered(values if isinstance(values, frozenset) else frozenset(values))
    if not ordered:
        return false()
    if len(ordered) <= INLINE_LIMIT:
        return column.in_(ordered)
    if dialect == "postgresql":
        # One parameter per set, by a name made from its content: a set used twice (the network's
        # filings and its requests) is sent once.
        literal = _array_literal(ordered)
        array = cast(bindparam(_name(literal), literal, type_=String), ARRAY(String))
        if semi_join:
            return column.in_(select(func.unnest(array)).scalar_subquery())
        return column == any_(array)
    if dialect == "sqlite":
        text = _json_list(ordered)
        members = func.json_each(bindparam(_name(text), text, type_=String)).table_valued("value")
        return column.in_(select(members.c.value))
    return column.in_(ordered)


# A person's network is the same set on every request they make: sorted and written out once.
@functools.lru_cache(maxsize=64)
def _ordered(values: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(values))


@functools.lru_cache(maxsize=64)
def _array_literal(values: tuple[str, ...]) -> str:
    """A PostgreSQL array literal of text values, every element quoted: ``{"a","b\\"c"}``."""
    if '"' not in "".join(values) and "\\" not in "".join(values):
        return '{"' + '","'.join(values) + '"}'
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


@functools.lru_cache(maxsize=64)
def _json_list(values: tuple[str, ...]) -> str:
    return json.dumps(values)


@functools.lru_cache(maxsize=64)
def _name(text: str) -> str:
    return "names_" + hashlib.sha256(text.encode()).hexdigest()[:16]


def _any(parts: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    if not parts:
        return false()
    return parts[0] if len(parts) == 1 else or_(*parts)
