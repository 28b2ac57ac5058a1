"""The board's counts per state category equal the cases listed, on every store, for every filter and
visibility, also while cases are assigned, moved, closed and voided; they come from the counts the
triggers keep (``board_schema``: ``case_board_counts``, and on PostgreSQL the changes not yet folded into
it), and the open lists without a queue read their partial indexes instead of sorting every open case."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest
from alembic import command
from sqlalchemy import func, inspect, select, text
from test_store_contract import AGENT, SUPERVISOR, simple_filing
from test_store_report_counts import import_generated

from pqrs_adapters.sqlalchemy.board_counts import count_cases, fold_changes
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
    """The kept counts per category (on PostgreSQL, once the changes are folded into them)."""
    fold_changes(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT state_category, sum(cases) FROM case_board_counts "
                                 "GROUP BY state_category HAVING sum(cases) > 0"))
        return {category: n for category, n in rows}


@pytest.mark.parametrize(("sql_store", "before"), [
    ("sqlite", "0038"), pytest.param("postgres", "0050", marks=pytest.mark.postgres)], indirect=["sql_store"])
def test_the_migration_that_keeps_the_counts_counts_the_cases_stored_before_it(
        sql_store: StoreUnderTest, before: str) -> None:
    """SQLite's counts come with migration 0042, PostgreSQL's with 0051: a downgrade to before it drops
    them and keeps the cases; the upgrade counts them again (on PostgreSQL in its totals, no change
    pending)."""
    engine = sql_store.engine
    assert engine is not None and sql_store.url is not None
    app = sql_store.app(clock=FrozenClock(datetime(2026, 3, 2, 14, 0, tzinfo=UTC)))
    _filed(app)
    counted = _board_counts(engine)
    assert counted == {"todo": 8, "doing": 1, "waiting": 1, "done": 2}
    config = alembic_config(sql_store.url)
    command.downgrade(config, before)
    try:
        assert not {"case_board_counts", "case_board_count_changes"} & set(inspect(engine).get_table_names())
    finally:
        command.upgrade(config, "head")
    if engine.dialect.name == "postgresql":
        assert _pending(engine) == 0
    assert _board_counts(engine) == counted
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


POSTGRES = [pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("sql_store", POSTGRES, indirect=True)
def test_postgresql_reads_the_menus_and_the_dashboards_counts_from_the_kept_counts(
        sql_store: StoreUnderTest) -> None:
    """The menu's count of the open cases with no assignee in a supervisor's queues and the dashboard's
    open cases per person read the totals and the changes not yet folded into them, not the cases;
    folding the changes changes no count."""
    app = sql_store.app(clock=FrozenClock(datetime(2026, 3, 2, 14, 0, tzinfo=UTC)))
    _filed(app)
    engine = sql_store.engine
    assert engine is not None
    supervised = QueueIn(frozenset({"primer_nivel", "back_office"}))
    unassigned_query = CaseQuery(state_categories=OPEN, queues=("primer_nivel", "back_office"),
                                 unassigned=True, visible=supervised)

    def read() -> tuple[int, dict[str | None, int]]:
        with engine.connect() as conn:
            return count_cases(conn, unassigned_query), load_by_person(conn, CaseQuery(visible=supervised))

    with engine.connect() as conn, recorded_statements(conn) as seen:
        count_cases(conn, unassigned_query)
        load_by_person(conn, CaseQuery(visible=supervised))
    unassigned, load = read()
    assert _pending(engine) > 0
    fold_changes(engine)

    assert _pending(engine) == 0 and read() == (unassigned, load)
    assert unassigned == load[None] and sum(load.values()) > unassigned > 0
    assert len(seen) == 2
    for statement, _parameters in seen:
        assert "case_board_count_changes" in statement and "FROM cases" not in statement, statement


def _pending(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM case_board_count_changes").scalar_one())


@pytest.mark.parametrize("sql_store", POSTGRES, indirect=True)
def test_postgresql_writers_of_one_cell_never_wait_for_each_other(sql_store: StoreUnderTest) -> None:
    """Two transactions move a case each between the same two cells: neither waits for the other
    (counts updated in place would make the second wait for the first's commit on the cell's row), a
    fold meanwhile waits for neither, and the counts are right once both commit, before and after the
    next fold."""
    app = sql_store.app(clock=FrozenClock(datetime(2026, 3, 2, 14, 0, tzinfo=UTC)))
    _filed(app)
    engine = sql_store.engine
    assert engine is not None
    fold_changes(engine)
    before = app.count_by_state_category(CaseQuery(assignee="bruno"))
    with engine.connect() as conn:  # two unassigned cases to do of one kind and queue: one cell
        moved = conn.exec_driver_sql(
            "SELECT array_agg(filing_number ORDER BY filing_number) FROM cases WHERE assignee IS NULL "
            "AND state_category = 'todo' GROUP BY kind, queue HAVING count(*) > 1 LIMIT 1").scalar_one()[:2]
    with engine.connect() as first, engine.connect() as second:
        for conn, number in ((first, moved[0]), (second, moved[1])):
            conn.exec_driver_sql("SET lock_timeout = '2s'")
            conn.execute(text("UPDATE cases SET assignee = 'bruno' WHERE filing_number = :n"), {"n": number})
        fold_changes(engine)  # neither change is committed: the fold leaves them
        first.commit()
        second.commit()
    after = app.count_by_state_category(CaseQuery(assignee="bruno"))
    assert after["todo"] == before.get("todo", 0) + 2
    fold_changes(engine)
    assert app.count_by_state_category(CaseQuery(assignee="bruno")) == after
    _check(app)


def test_the_bulk_import_keeps_the_board_counts(sql_store: StoreUnderTest, tmp_path: Path) -> None:
    """The import's batches (PostgreSQL: ``COPY``, one change per cell and batch) are counted."""
    import_generated(sql_store, tmp_path)
    assert sql_store.engine is not None
    with sql_store.engine.connect() as conn:
        grouped = dict(conn.execute(select(cases.c.state_category, func.count()).where(
            cases.c.deleted_at.is_(None)).group_by(cases.c.state_category)).all())
        changes = (conn.exec_driver_sql("SELECT count(*) FROM case_board_count_changes").scalar_one()
                   if conn.dialect.name == "postgresql" else 0)
    assert sum(grouped.values()) == 300 and changes < 300
    assert _board_counts(sql_store.engine) == grouped


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
