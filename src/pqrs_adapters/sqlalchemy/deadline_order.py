"""The "deadline" order with paused cases ranked by the time they have left.

A paused case ranks by the deadline it would have if its term resumed now (``term_left.resumed_due``),
which moves with the clock while the running cases' deadlines stay put, so no stored column orders
both. The page is a merge of streams, each read in order along an index and cut at the page size:

- the running cases by ``due_at`` (``ix_cases_open_deadline``), as before;
- for each unit of ``term_left.LeftUnit``, the paused cases by ``paused_left``
  (``ix_cases_open_paused_left``): ``resumed_due`` is strictly increasing in the amount, so this is
  also their order by resumed deadline;
- the cases paused before migration 0013 recorded what they have left (``paused_left_unit`` NULL
  while waiting with a deadline): few, and fewer as they are saved again; read whole and ranked here.

Each case is in exactly one stream. The keyset cursor stays the filing number of the last case: its
rank instant (resumed now, for a paused case) bounds the running stream directly, and is turned back
into an amount of each unit (``term_left.left_for_due``) to bound the paused streams. Ties are broken
as ``SORT_KEYS["deadline"]`` breaks them: priority rank, then the oldest filing number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, Connection, and_, false, func, select, union_all

from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.term_left import LeftUnit, TermLeft, left_for_due, resumed_due
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CasePage, CaseQuery
from pqrs_core.query_filters import UNRANKED, deadline_rank

from .case_queries import beyond
from .case_rows import row_to_case
from .tables import cases

_TIES: list[tuple[ColumnElement[Any], bool]] = [
    (func.coalesce(cases.c.priority_rank, UNRANKED), False), (cases.c.filing_year, False),
    (cases.c.filing_seq, False), (cases.c.filing_number, False)]
_WAITING = StateCategory.WAITING.value

# (no instant: last, instant, priority rank, filing year, sequence, number)
Key = tuple[bool, datetime | None, int, int, int, str]


def list_by_time_left(conn: Connection, query: CaseQuery, where: ColumnElement[bool]) -> CasePage:
    assert query.now is not None and query.calendar is not None
    now, calendar = query.now, query.calendar
    limit = max(query.limit, 0)
    c = cases.c

    def ranked(row: Mapping[Any, Any]) -> tuple[Key, Case]:
        """The row's case (built once: its rank needs it) and its place in the order."""
        case = row_to_case(row)
        instant = deadline_rank(case, now, calendar)
        rank = row["priority_rank"] if row["priority_rank"] is not None else UNRANKED
        key = (instant is None, instant, rank, row["filing_year"], row["filing_seq"], row["filing_number"])
        return key, case

    edge: Key | None = None
    if query.after is not None:
        cursor_row = conn.execute(select(cases).where(c.filing_number == query.after.strip().upper())
                                  ).mappings().first()
        if cursor_row is None:
            raise ValidationError({"after": "el cursor no corresponde a un caso"})
        edge = ranked(cursor_row)[0]
    ties = edge[2:] if edge is not None else ()

    found: list[tuple[Key, Case]] = []
    # The running cases, by deadline.
    running = and_(where, _running(query))
    if edge is not None:
        running = and_(running, beyond([(c.due_at, False), *_TIES], (edge[1], *ties), frozenset({0})))
    rows = conn.execute(select(cases).where(running).order_by(
        c.due_at.asc().nulls_last(), *(expr.asc() for expr, _ in _TIES)).limit(limit + 1)).mappings().all()
    found += [ranked(r) for r in rows]
    # The paused cases, unit by unit, by what they have left: each unit's first cases along its index,
    # all units in one statement that names them, then their rows (a union of whole rows would copy the
    # table's columns into each unit's subquery, objects left for the garbage collector's full passes).
    streams = []
    for unit in LeftUnit:
        paused = and_(where, c.paused_left_unit == unit.value)
        if edge is not None:
            paused = and_(paused, _paused_beyond(unit, edge, now, calendar))
        first = select(c.id).where(paused).order_by(
            c.paused_left.asc(), *(expr.asc() for expr, _ in _TIES)).limit(limit + 1).subquery()
        streams.append(select(first.c.id))
    ids = _paused_ids(conn, union_all(*streams))
    if ids:
        rows = conn.execute(select(cases).where(c.id.in_(ids))).mappings().all()
        found += [ranked(r) for r in rows]
    # Cases paused before their time left was recorded: waiting, with a deadline. On SQLite the deadline
    # is tested here: asked for in the statement, SQLite walked the category's deadlines (every waiting
    # case, 59 ms at 1,000,000 cases) instead of the few waiting cases with no time left recorded.
    # PostgreSQL, which estimates "no time left recorded" from every case (the done ones have none),
    # walked every open case without it (160 ms), and reads the waiting cases' deadlines with it.
    legacy = and_(where, c.paused_left_unit.is_(None), c.state_category == _WAITING)
    if conn.dialect.name != "sqlite":
        legacy = and_(legacy, c.due_at.is_not(None))
    rows = conn.execute(select(cases).where(legacy)).mappings().all() if _may_wait(query) else []
    for row in rows:
        if row["due_at"] is None:  # no term to pause: a running case (the first stream has it)
            continue
        row_key, case = ranked(row)
        if edge is None or _comparable(row_key) > _comparable(edge):
            found.append((row_key, case))
    found.sort(key=lambda pair: _comparable(pair[0]))
    page = [case for _k, case in found[:limit]]
    cursor = str(page[-1].filing_number) if len(found) > limit and page else None
    return CasePage(page, cursor)


def _paused_ids(conn: Connection, streams: CompoundSelect[Any]) -> Sequence[Any]:
    """The ids the paused streams name, each stream read along its index. PostgreSQL is told not to
    combine indexes by bitmaps here: it takes a category and a unit for independent, when only waiting
    cases are paused, and for the to-do column combined every paused case's entry (42,808 at
    1,000,000 cases) with every case to do (29,687) to find none, 10 ms, where the category's index
    of paused cases holds none to read."""
    if conn.dialect.name != "postgresql":
        return conn.execute(streams).scalars().all()
    conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
    try:
        return conn.execute(streams).scalars().all()
    finally:
        conn.exec_driver_sql("SET LOCAL enable_bitmapscan = DEFAULT")


def _may_wait(query: CaseQuery) -> bool:
    return not query.state_categories or StateCategory.WAITING in query.state_categories


def _running(query: CaseQuery) -> ColumnElement[bool]:
    """The cases whose term runs: not paused, and a waiting case only without a deadline (its term is
    paused otherwise). Written for the categories ``query`` names, so that one category's column of the
    board reads ``ix_cases_open_category_due`` as a range: the general form (a category or no deadline)
    is no index condition, and PostgreSQL read the row of every open case for the waiting column."""
    c = cases.c
    if not _may_wait(query):
        return c.paused_left_unit.is_(None)
    if set(query.state_categories) == {StateCategory.WAITING}:
        return and_(c.paused_left_unit.is_(None), c.due_at.is_(None))
    return and_(c.paused_left_unit.is_(None), (c.state_category != _WAITING) | c.due_at.is_(None))


def _comparable(key: Key) -> tuple[Any, ...]:
    return (key[0], key[1] or datetime.min, *key[2:])


def _paused_beyond(unit: LeftUnit, edge: Key, now: datetime,
                   calendar: BusinessCalendar) -> ColumnElement[bool]:
    """The paused cases of ``unit`` after ``edge`` in the order: more left than the cursor's instant
    allows, or exactly as much when that resumes on the instant itself and the ties come after."""
    c = cases.c
    instant = edge[1]
    if instant is None:
        return false()  # the cursor is among the cases without a term, after every paused one
    bound = left_for_due(unit, instant, now, calendar)
    exact = (bound >= 1 or unit.restart_unit is None) and resumed_due(
        TermLeft(bound, unit), now, calendar) == instant
    after = c.paused_left > bound
    if exact:
        after = after | and_(c.paused_left == bound, beyond(_TIES, edge[2:]))
    return after
