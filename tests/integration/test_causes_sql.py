"""Root causes on SQLite and PostgreSQL: the cause and corrective action stored with the case, the causes
report's counts and the list of corrective actions, against values counted by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from test_store_contract import BACK_OFFICE, SUPERVISOR

from conftest import StoreUnderTest
from pqrs_adapters.sqlalchemy.causes import causes_report, corrective_actions, open_corrective_actions
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.access import AssignedTo
from pqrs_core.domain.case import Case
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs
from sql_statements import recorded_statements

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("America/Bogota"))


def resolved(app: Pqrs, kind: str, by: str = "bruno") -> Case:
    case: Case = app.handle(
        c.FileCase(kind=kind, subject="Pedido", description="Detalle", queue="back_office"), SUPERVISOR)
    number = str(case.filing_number)
    app.handle(c.AssignCase(filing_number=number, assignee=by), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=number, transition="start"), BACK_OFFICE)
    done: Case = app.handle(c.RespondCase(filing_number=number, text="Listo", close=True), BACK_OFFICE)
    return done


def test_causes_and_actions_counted_by_hand(sql_store: StoreUnderTest) -> None:
    """| case | kind    | cause    | area         | action (due)      |
       | a    | queja   | METODO   | back_office  | open, 2026-03-10  |
       | b    | queja   | METODO   | primer_nivel | done              |
       | c    | reclamo | MATERIAL | back_office  | —                 |
       | d    | queja   | —        |              |                   |
       | e    | queja   | METODO   | back_office  | (resolved before the period)"""
    engine = sql_store.engine
    assert engine is not None
    clock = FrozenClock(MONDAY)
    app = sql_store.app(clock=clock)
    e = resolved(app, "queja")
    app.handle(c.RecordRootCause(filing_number=str(e.filing_number), cause="METODO", area="back_office"),
               BACK_OFFICE)
    clock.advance(days=2)
    start = clock.now()
    a, b, cc, d = (resolved(app, kind) for kind in ("queja", "queja", "reclamo", "queja"))
    recorded = ((a, "METODO", "back_office", "Revisar el despacho", date(2026, 3, 10)),
                (b, "METODO", "primer_nivel", "Capacitar", date(2026, 3, 6)),
                (cc, "MATERIAL", "back_office", "", None))
    for case, cause, area, action, due in recorded:
        app.handle(c.RecordRootCause(filing_number=str(case.filing_number), cause=cause, area=area,
                                     action=action, action_owner="bruno" if action else None, action_due=due),
                   BACK_OFFICE)
    app.handle(c.CompleteCorrectiveAction(filing_number=str(b.filing_number), note="Hecho"), BACK_OFFICE)
    end = clock.now() + timedelta(minutes=1)
    stored = app.case(str(a.filing_number))
    assert (stored.root_cause, stored.cause_area, stored.action_owner, stored.action_due) == (
        "METODO", "back_office", "bruno", date(2026, 3, 10))

    with engine.connect() as conn:
        report = causes_report(conn, CaseQuery(), start, end)
        quejas = causes_report(conn, CaseQuery(kinds=("queja",)), start, end)
        everything = causes_report(conn, CaseQuery(), None, None)
        open_actions = corrective_actions(conn, CaseQuery())
        every_action = corrective_actions(conn, CaseQuery(), open_only=False)
        nobody = corrective_actions(conn, CaseQuery(visible=AssignedTo("ana")))
        counted = [open_corrective_actions(conn, CaseQuery(), day)
                   for day in (date(2026, 3, 10), date(2026, 3, 11))]
        counted_for_nobody = open_corrective_actions(conn, CaseQuery(visible=AssignedTo("ana")),
                                                     date(2026, 3, 11))

    assert (report.resolved, report.with_cause) == (4, 3)
    assert [(x.key, x.cases) for x in report.by_cause] == [("METODO", 2), ("MATERIAL", 1)]
    assert [(x.key, x.cases) for x in report.by_area] == [("back_office", 2), ("primer_nivel", 1)]
    assert report.cause_by_area == {("METODO", "back_office"): 1, ("METODO", "primer_nivel"): 1,
                                    ("MATERIAL", "back_office"): 1}
    assert [(x.key, x.cases) for x in report.by_typification] == [(None, 4)]
    assert (quejas.resolved, quejas.with_cause) == (3, 2)
    assert [(x.key, x.cases) for x in everything.by_cause] == [("METODO", 3), ("MATERIAL", 1)]
    assert [x.filing_number for x in open_actions] == [str(a.filing_number)]
    assert open_actions[0].overdue(date(2026, 3, 11)) and not open_actions[0].overdue(date(2026, 3, 10))
    assert [x.filing_number for x in every_action] == [str(a.filing_number), str(b.filing_number)]
    assert every_action[1].done_at == clock.now()
    assert nobody == []
    assert counted == [(1, 0), (1, 1)] and counted_for_nobody == (0, 0)  # open, and overdue that day


@pytest.mark.parametrize("sql_store", ["sqlite"], indirect=True)
def test_sqlite_reads_the_open_actions_from_the_cases_that_have_one(sql_store: StoreUnderTest) -> None:
    """The open corrective actions are read from the partial index of the cases with an action, not
    from the entries of every case without one (whose ``action_done_at`` is NULL too)."""
    engine = sql_store.engine
    assert engine is not None
    with engine.connect() as conn:
        with recorded_statements(conn) as seen:
            open_corrective_actions(conn, CaseQuery(), date(2026, 3, 11))
            corrective_actions(conn, CaseQuery())
        plans = [" ".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                  parameters))
                 for statement, parameters in seen if statement.lstrip().startswith("SELECT")]
        partial = {row[1]: row[4] for row in conn.exec_driver_sql("PRAGMA index_list('cases')")}
    assert len(plans) == 2
    for plan in plans:
        assert "INDEX ix_cases_corrective_actions " in plan, plan
    assert partial["ix_cases_corrective_actions"] == 1
