"""The board's counts per state category equal the cases listed, on every store, for every filter and
visibility, also while cases are assigned, moved, closed and voided; on SQLite they come from
``case_board_counts``, kept by triggers (``board_schema``), and the open lists without a queue read
their partial indexes instead of sorting every open case."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import attrs
import pytest
from alembic import command
from sqlalchemy import select, text
from test_store_contract import AGENT, SUPERVISOR, simple_filing

from pqrs_adapters.sqlalchemy.board_counts import count_cases
from pqrs_adapters.sqlalchemy.case_queries import SORT_KEYS, where_clause
from pqrs_adapters.sqlalchemy.dashboard import load_by_person, overdue_count
from pqrs_adapters.sqlalchemy.migrate import alembic_config
from pqrs_adapters.sqlalchemy.tables import cases
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
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
from pqrs_core.domain.values import Actor
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import void_case
from sql_statements import recorded_statements

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from conftest import StoreUnderTest

ADMIN = Actor("root", frozenset({"admin"}))
QUALITY = Actor("quinn", frozenset({"quality"}))  # own, assigned and every closed case: a split union
OPEN = (StateCategory.TODO, StateCategory.DOING, StateCategory.WAITING)
VISIBILITIES: list[Predicate | None] = [
    None, Everything(), Nothing(), QueueIn(frozenset({"back_office"})), KindIn(frozenset({"queja"})),
    AssignedTo("bruno"), StateCategoryIn(frozenset({StateCategory.DONE})),
    AllOf((QueueIn(frozenset({"primer_nivel", "back_office"})), KindIn(frozenset({"reclamo"})))),
    AnyOf((AnyOf((FiledBy(frozenset({"ana"})), RequesterUser(frozenset({"ana"})))), AssignedTo("bruno"),
           QueueIn(frozenset({"back_office"})))),
    AnyOf((FiledBy(frozenset({"sofia"})), QueueIn(frozenset({"especialistas"})))),
    TypificationUnder(frozenset({"OPERACIONES"})),
]
FILTERS = [CaseQuery(), CaseQuery(kinds=("queja",)), CaseQuery(queues=("back_office",)),
           CaseQuery(assignee="bruno"), CaseQuery(kinds=("reclamo",), queues=("primer_nivel",)),
           CaseQuery(state_categories=OPEN), CaseQuery(unassigned=True), CaseQuery(text="Demora")]


def _filed(app: Pqrs) -> list[str]:
    numbers = []
    for i in range(12):
        filing = simple_filing(kind=("peticion", "queja", "reclamo")[i % 3],
                               typification=("PEDIDO_NO_RECIBIDO", None)[i % 2])
        numbers.append(str(app.handle(filing, (AGENT, SUPERVISOR)[i % 2]).filing_number))
    for n, queue in zip(numbers[:6], ("back_office", "especialistas", "back_office", None, None, None),
                        strict=True):
        app.handle(c.AssignCase(filing_number=n, assignee="bruno", queue=queue), SUPERVISOR)
    for n in (*numbers[1:4], numbers[7]):
        app.handle(c.TransitionCase(filing_number=n, transition="start"), SUPERVISOR)
    app.handle(c.RespondCase(filing_number=numbers[2], text="Resuelto.", close=True), SUPERVISOR)
    app.handle(c.RespondCase(filing_number=numbers[7], text="Resuelto.", close=True), SUPERVISOR)
    app.handle(c.RequestInformation(filing_number=numbers[3], message="Envíe la factura"), SUPERVISOR)
    return numbers


def _check(app: Pqrs) -> None:
    for base in FILTERS:
        for visible in VISIBILITIES:
            query = CaseQuery(**{**_fields(base), "visible": visible, "limit": 1000})
            listed = Counter(x.state_category.value for x in app.cases(query).cases)
            assert app.count_by_state_category(query) == dict(listed), query
            assert app.count(query) == sum(listed.values()), query
        for actor in (ADMIN, SUPERVISOR, AGENT, QUALITY):
            listed = Counter(x.state_category.value for x in app.cases(
                CaseQuery(**{**_fields(base), "limit": 1000}), actor).cases)
            assert app.count_by_state_category(base, actor) == dict(listed), (base, actor)


def _fields(query: CaseQuery) -> dict[str, object]:
    return {name: getattr(query, name) for name in ("kinds", "queues", "assignee", "state_categories",
                                                      "unassigned", "text")}


def test_the_board_counts_equal_the_cases_listed_through_every_change(store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 14, 0, tzinfo=UTC))
    app = store.app(clock=clock)
    numbers = _filed(app)
    _check(app)
    app.handle(c.AssignCase(filing_number=numbers[1], assignee="carla", queue="primer_nivel"), SUPERVISOR)
    void_case(app, numbers[4], "Duplicado", requested_by=ADMIN, approved_by=SUPERVISOR)
    void_case(app, numbers[7], "Prueba", requested_by=ADMIN, approved_by=SUPERVISOR)
    _check(app)
    assert sum(app.count_by_state_category(CaseQuery()).values()) == 10
    assert app.count_by_state_category(CaseQuery(include_voided=True)) == dict(
        Counter(x.state_category.value for x in app.cases(CaseQuery(include_voided=True, limit=100)).cases))


def _board_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT state_category, sum(cases) FROM case_board_counts "
                                 "GROUP BY state_category HAVING sum(cases) > 0"))
        return {category: n for category, n in rows}


@pytest.mark.parametrize("sql_store", ["sqlite"], indirect=True)
def test_migration_0042_counts_the_cases_stored_before_it(sql_store: StoreUnderTest) -> None:
    """A downgrade to 0038 drops the counts and keeps the cases; the upgrade counts them again."""
    assert sql_store.engine is not None and sql_store.url is not None
    app = sql_store.app(clock=FrozenClock(datetime(2026, 3, 2, 14, 0, tzinfo=UTC)))
    _filed(app)
    counted = _board_counts(sql_store.engine)
    assert counted == {"todo": 8, "doing": 1, "waiting": 1, "done": 2}
    config = alembic_config(sql_store.url)
    command.downgrade(config, "0038")
    with sql_store.engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    assert "case_board_counts" not in tables
    command.upgrade(config, "head")
    assert _board_counts(sql_store.engine) == counted
    _check(app)


def _plan(engine: Engine, query: CaseQuery) -> str:
    keys = SORT_KEYS[query.sort]
    order = [expr.desc() if descending else expr.asc() for expr, descending in keys]
    with engine.connect() as conn:
        statement = select(cases.c.id).where(where_clause(conn, query)).order_by(*order).limit(26)
        sql = str(statement.compile(engine, compile_kwargs={"literal_binds": True}))
        return " ".join(str(row) for row in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))


@pytest.mark.parametrize("sql_store", ["sqlite"], indirect=True)
def test_open_lists_without_a_queue_read_their_partial_indexes(sql_store: StoreUnderTest) -> None:
    """The API's default order over the open cases (or one category) and the deadline order of one
    category (a board's column) walk an index of the open cases: no sort of every open case."""
    engine = sql_store.engine
    assert engine is not None
    newest = _plan(engine, CaseQuery(state_categories=OPEN))
    assert "ix_cases_open_newest" in newest and "TEMP B-TREE" not in newest, newest
    todo = _plan(engine, CaseQuery(state_categories=(StateCategory.TODO,)))
    assert "ix_cases_open_category_newest" in todo and "TEMP B-TREE" not in todo, todo
    with engine.connect() as conn:
        due = select(cases.c.id).where(where_clause(conn, CaseQuery(state_categories=(StateCategory.TODO,))),
                                       cases.c.paused_left_unit.is_(None)).order_by(cases.c.due_at.asc())
        sql = str(due.limit(26).compile(engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(row) for row in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
        with recorded_statements(conn) as seen:
            overdue_count(conn, CaseQuery(), datetime(2026, 3, 2, tzinfo=UTC))
        explained = [conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
                     for statement, parameters in seen if "count" in statement]
        overdue_plan = " ".join(str(row) for rows in explained for row in rows)
    assert "ix_cases_open_category_due" in plan and "TEMP B-TREE" not in plan, plan
    # The dashboard's overdue count: the two running categories, each a range of that index.
    assert "INDEX ix_cases_open_category_due (state_category=? AND due_at<?)" in overdue_plan, overdue_plan


LATER = datetime(2026, 3, 30, 14, 0, tzinfo=UTC)  # some of the terms over


def test_each_persons_open_cases_equal_the_cases_listed(sql_store: StoreUnderTest) -> None:
    """The dashboard's load per person, read from the counts where they answer (SQLite) and from the
    cases otherwise, and its overdue count equal the open cases listed, for every filter and
    visibility."""
    app = sql_store.app(clock=FrozenClock(datetime(2026, 3, 2, 14, 0, tzinfo=UTC)))
    numbers = _filed(app)
    app.handle(c.AssignCase(filing_number=numbers[1], assignee="carla", queue="primer_nivel"), SUPERVISOR)
    void_case(app, numbers[4], "Duplicado", requested_by=ADMIN, approved_by=SUPERVISOR)
    assert sql_store.engine is not None
    with sql_store.engine.connect() as conn:
        for base in FILTERS:
            for visible in VISIBILITIES:
                query = CaseQuery(**{**_fields(base), "visible": visible, "limit": 1000})
                opened = app.cases(attrs.evolve(query, state_categories=OPEN)).cases
                listed = Counter(x.assignee for x in opened)
                assert load_by_person(conn, query) == dict(listed), query
                late = sum(1 for x in opened if x.state_category is not StateCategory.WAITING
                           and x.resolution_due is not None and x.resolution_due < LATER)
                assert overdue_count(conn, query, LATER) == late, query


@pytest.mark.parametrize("sql_store", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_postgresql_counts_the_cases_to_hand_out_and_each_persons_load_from_one_index(
        sql_store: StoreUnderTest) -> None:
    """PostgreSQL keeps no board counts: the menu's count of the open cases with no assignee in a
    supervisor's queues and the dashboard's open cases per person read ``ix_cases_open_queue_assignee``
    alone (an index-only scan), not the cases' rows. The planner's cheaper ways on a small table
    (reading the whole table, a bitmap) are turned off, so that the plan shows whether the statements
    the code runs match the index at all."""
    app = sql_store.app(clock=FrozenClock(datetime(2026, 3, 2, 14, 0, tzinfo=UTC)))
    _filed(app)
    assert sql_store.engine is not None
    with sql_store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE cases")  # as autovacuum leaves a table: its pages all visible
    supervised = QueueIn(frozenset({"primer_nivel", "back_office"}))
    with sql_store.engine.connect() as conn:
        queues = ("primer_nivel", "back_office")
        with recorded_statements(conn) as seen:
            unassigned = count_cases(conn, CaseQuery(state_categories=OPEN, queues=queues, unassigned=True,
                                                     visible=supervised))
            load = load_by_person(conn, CaseQuery(visible=supervised))
        conn.exec_driver_sql("SET enable_seqscan = off")
        conn.exec_driver_sql("SET enable_bitmapscan = off")
        plans = [" ".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters))
                 for statement, parameters in seen]
    assert unassigned == load[None] and sum(load.values()) > unassigned > 0
    assert len(plans) == 2
    for plan in plans:
        assert "Index Only Scan using ix_cases_open_queue_assignee" in plan, plan


def test_the_waiting_column_reads_its_running_cases_as_a_range_of_a_category_index(
        sql_store: StoreUnderTest) -> None:
    """The board's waiting column by deadline: its running cases (waiting ones without a deadline, as
    their term has nothing to pause) are a range of an index: the category's with no time left
    recorded or with an empty deadline (SQLite), the open cases' with an empty deadline (PostgreSQL).
    Written as "not waiting, or no deadline" they were no index condition, and PostgreSQL read every
    open case's row (160 ms at 1,000,000 cases)."""
    app = sql_store.app(clock=FrozenClock(datetime(2026, 3, 2, 14, 0, tzinfo=UTC)))
    _filed(app)
    engine = sql_store.engine
    assert engine is not None
    with recorded_statements(engine) as seen:
        app.cases(CaseQuery(state_categories=(StateCategory.WAITING,), sort="deadline", limit=13))
    (statement, parameters), = [(s, p) for s, p in seen if "ORDER BY cases.due_at" in s]
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            plan = " ".join(str(row) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                      parameters))
            # SQLite may take the category's cases with no time left recorded instead: a range too.
            assert re.search(r"ix_cases_open_category_(due|paused) \(state_category=\? AND "
                             r"(due_at|paused_left_unit)=\?\)", plan), plan
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters))
            # The empty deadline an index condition (on a few cases, of the open cases' deadline index).
            assert re.search(r"using ix_cases_open_(category_)?due on cases", plan), plan
            assert "due_at IS NULL" in plan.split("Index Cond:", 1)[1].split("Filter:", 1)[0], plan
