"""The "deadline" order on every store: a case waiting for its requester ranks by the business time its
term had left when it paused, against the running cases' time left now; never first because its
deadline from before the pause is long past."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from test_store_contract import AGENT, BACK_OFFICE, SUPERVISOR, numbers, simple_filing

from pqrs_adapters.sqlalchemy.case_queries import list_cases
from pqrs_adapters.sqlalchemy.tables import cases
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.term_left import LeftUnit, TermLeft
from pqrs_core.domain.terms import Term, TermRule
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.hookspecs import hookimpl
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import switch_off_default_term
from sql_statements import recorded_statements

if TYPE_CHECKING:
    from conftest import StoreUnderTest

BOGOTA = ZoneInfo("America/Bogota")


class Terms:
    """Complaints in 1 business day, claims in 10, petitions in 15."""

    @hookimpl
    def pqrs_register_term_policies(self, register):  # type: ignore[no-untyped-def]
        for code, days in (("queja", 1), ("reclamo", 10), ("peticion", 15)):
            register(TermPolicy(code, f"Término de {code}", (TermRule(Term(days)),), kinds=(code,)))


def paused_then_running(store: StoreUnderTest) -> tuple[Pqrs, dict[str, str]]:
    """A petition paused on Wednesday 18 March 2026 with 3 of its 15 business days left (it was due
    on Tuesday 24 March), still waiting in June; then, that day, a complaint due the next business
    day and a claim due in 10."""
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))  # Monday
    app = store.app(clock=clock, plugins=[Terms()])
    n = str(app.handle(simple_filing(kind="peticion"), AGENT).filing_number)
    app.handle(c.AssignCase(filing_number=n, assignee="bruno", queue="back_office"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    clock.set(datetime(2026, 3, 18, 10, 0, tzinfo=BOGOTA))
    paused = app.handle(c.RequestInformation(filing_number=n, message="Envíe la factura"), BACK_OFFICE)
    assert paused.paused_left == TermLeft(3, LeftUnit.BUSINESS_DAYS)
    clock.set(datetime(2026, 6, 10, 11, 0, tzinfo=BOGOTA))  # a Wednesday, months after 24 March
    filed = {"paused": n}
    for name, kind in (("claim", "reclamo"), ("complaint", "queja")):
        filed[name] = str(app.handle(simple_filing(kind=kind), AGENT).filing_number)
    return app, filed


def walk(app: Pqrs, query: CaseQuery) -> list[str]:
    """Every case of ``query``, page after page, along its keyset cursor."""
    seen: list[str] = []
    cursor = None
    while True:
        page = app.cases(CaseQuery(sort=query.sort, limit=query.limit, after=cursor))
        seen += numbers(page.cases)
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


def test_a_paused_case_ranks_by_the_time_it_had_left(store: StoreUnderTest) -> None:
    app, filed = paused_then_running(store)
    expected = [filed["complaint"], filed["paused"], filed["claim"]]

    assert numbers(app.cases(CaseQuery(sort="deadline")).cases) == expected
    assert walk(app, CaseQuery(sort="deadline", limit=1)) == expected
    assert walk(app, CaseQuery(sort="deadline", limit=2)) == expected


def test_a_case_paused_before_its_time_left_was_stored_ranks_the_same(sql_store: StoreUnderTest) -> None:
    app, filed = paused_then_running(sql_store)
    assert sql_store.engine is not None
    with sql_store.engine.begin() as conn:  # as migration 0013 leaves a case paused before it
        conn.execute(update(cases).where(cases.c.filing_number == filed["paused"])
                     .values(paused_left=None, paused_left_unit=None))
    expected = [filed["complaint"], filed["paused"], filed["claim"]]

    assert numbers(app.cases(CaseQuery(sort="deadline")).cases) == expected
    assert walk(app, CaseQuery(sort="deadline", limit=1)) == expected


def test_each_category_by_deadline_is_the_whole_order_without_the_others(store: StoreUnderTest) -> None:
    """One category by deadline (a column of the board) lists its cases as the order of every open case
    does: the waiting column both its paused case and a waiting case without a term (nothing to pause,
    so it ranks with the running cases, last), the others their running cases."""
    app, filed = paused_then_running(store)
    switch_off_default_term(app)  # a compliment has no term then
    no_term = str(app.handle(simple_filing(kind="felicitacion"), AGENT).filing_number)
    app.handle(c.AssignCase(filing_number=no_term, assignee="bruno", queue="back_office"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=no_term, transition="start"), BACK_OFFICE)
    app.handle(c.RequestInformation(filing_number=no_term, message="Envíe la factura"), BACK_OFFICE)
    every = app.cases(CaseQuery(sort="deadline")).cases
    assert app.case(no_term).resolution_due is None
    assert numbers(every) == [filed["complaint"], filed["paused"], filed["claim"], no_term]
    todo, doing, waiting = StateCategory.TODO, StateCategory.DOING, StateCategory.WAITING
    for categories in ((todo,), (waiting,), (todo, doing), (doing, waiting)):
        expected = [str(x.filing_number) for x in every if x.state_category in categories]
        listed = app.cases(CaseQuery(sort="deadline", state_categories=categories)).cases
        assert numbers(listed) == expected, categories
        for limit in (1, 2):
            assert _walk_categories(app, categories, limit) == expected, (categories, limit)


def _walk_categories(app: Pqrs, categories: tuple[StateCategory, ...], limit: int) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        page = app.cases(CaseQuery(sort="deadline", state_categories=categories, limit=limit, after=cursor))
        seen += numbers(page.cases)
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


@pytest.mark.parametrize("sql_store", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_postgresql_reads_the_paused_streams_with_bitmaps_off_around_their_statement(
        sql_store: StoreUnderTest) -> None:
    """PostgreSQL takes a category and a unit of time left for independent, when only waiting cases are
    paused: at 1,000,000 cases, for the to-do column, it combined the entries of every paused case
    (42,808) with those of every case to do (29,687) by bitmaps to find none (10 ms), where the
    category's index of paused cases holds none to read. The paused streams are read with bitmaps off,
    for that statement only; a table this small does not show the planner's choice, so the test checks
    that the setting is on around the statement alone, and the plan it gives."""
    paused_then_running(sql_store)
    assert sql_store.engine is not None
    todo = CaseQuery(sort="deadline", state_categories=(StateCategory.TODO,),
                     now=datetime(2026, 6, 10, 11, 0, tzinfo=BOGOTA), calendar=BusinessCalendar())
    with sql_store.engine.connect() as conn:
        with recorded_statements(conn) as seen:
            list_cases(conn, todo)
        after = conn.exec_driver_sql("SHOW enable_bitmapscan").scalar_one()
        statements = [statement for statement, _ in seen]
        streams = [i for i, statement in enumerate(statements) if "paused_left_unit =" in statement]
        assert len(streams) == 1
        at = streams[0]
        assert statements[at - 1] == "SET LOCAL enable_bitmapscan = off"
        assert statements[at + 1] == "SET LOCAL enable_bitmapscan = DEFAULT" and after == "on"
        conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = " ".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {statements[at]}", seen[at][1]))
    assert "Bitmap" not in plan and "Index Scan using ix_cases_open_category_paused" in plan, plan
