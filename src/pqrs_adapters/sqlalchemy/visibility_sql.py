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
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    any_,
    bindparam,
    cast,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
)
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
# Long sets travel joined by the unit separator, which no user name or catalog code holds.
SEPARATOR = "\x1f"
SEPARATOR_SQL = "E'\\x1f'"


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
    """``column IN values``, with one parameter in all when ``values`` is long.

    PostgreSQL: ``= ANY(string_to_array(:names, sep))``, which the planner folds into a constant array,
    so that every row is checked against a hash of the set (and the planner estimates how many cases
    it selects, name by name: about 1.7 ms of planning per 1,000 names). A cast of the parameter to an
    array is not folded: in ``= ANY`` it would be parsed again for every row. With ``semi_join`` the
    names are an array literal unnested in a subquery, which is built once per query and costs no
    planning but hides how many cases the set selects (the first-page probe of ``case_queries``).
    SQLite: a JSON array read with ``json_each``."""
    ordered = _ordered(values if isinstance(values, frozenset) else frozenset(values))
    if not ordered:
        return false()
    if len(ordered) <= INLINE_LIMIT:
        return column.in_(ordered)
    if dialect == "postgresql":
        # One parameter per set, named after its content: a set used twice (the network's filings
        # and its requests) is sent once.
        if semi_join:
            literal = _array_literal(ordered)
            unnested = cast(bindparam(_name(literal), literal, type_=String), ARRAY(String))
            return column.in_(select(func.unnest(unnested)).scalar_subquery())
        joined = _joined(ordered)
        array: ColumnElement[Any]
        if joined is None:  # a value holds the separator: an array parameter, element by element
            array = bindparam(None, list(ordered), type_=ARRAY(String))
        else:
            names = bindparam(_name(joined), joined, type_=String)
            array = func.string_to_array(names, literal_column(SEPARATOR_SQL), type_=ARRAY(String))
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
def _joined(values: tuple[str, ...]) -> str | None:
    """The values joined by ``SEPARATOR`` (``None`` when one of them holds it)."""
    joined = SEPARATOR.join(values)
    return None if joined.count(SEPARATOR) != len(values) - 1 else joined


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
