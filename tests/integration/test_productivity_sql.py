"""The productivity report on SQLite and PostgreSQL: events counted per person and per day of Bogotá,
with their handling times, over the cases the reader may see."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from test_store_contract import AGENT, SUPERVISOR

from conftest import StoreUnderTest
from pqrs_adapters.sqlalchemy.productivity import Targets, productivity_report
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.access import AssignedTo
from pqrs_core.ports import CaseQuery

BOGOTA = ZoneInfo("America/Bogota")


def test_days_are_bogotas_and_times_are_counted(sql_store: StoreUnderTest) -> None:
    engine = sql_store.engine
    assert engine is not None
    # 23:30 in Bogotá on Monday is 04:30 UTC on Tuesday: it counts on Monday.
    clock = FrozenClock(datetime(2026, 3, 2, 23, 30, tzinfo=BOGOTA))
    app = sql_store.app(clock=clock)
    late = app.handle(c.FileCase(kind="queja", subject="S", description="D", handling_seconds=100), AGENT)
    clock.advance(hours=10)  # Tuesday 09:30
    app.handle(c.AssignCase(filing_number=str(late.filing_number), assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=str(late.filing_number), transition="start"), AGENT)
    app.handle(c.RespondCase(filing_number=str(late.filing_number), text="Listo", close=True,
                             handling_seconds=200), AGENT)
    app.handle(c.FileCase(kind="peticion", subject="S", description="D", handling_seconds=130), AGENT)
    start = datetime(2026, 3, 2, tzinfo=BOGOTA)
    end = start + timedelta(days=7)

    with engine.connect() as conn:
        report = productivity_report(conn, CaseQuery(), start, end, "America/Bogota",
                                     Targets(filing_seconds=120, response_seconds=270, solutions_per_day=1))
        quejas = productivity_report(conn, CaseQuery(kinds=("queja",)), start, end, "America/Bogota")
        assigned = productivity_report(conn, CaseQuery(visible=AssignedTo("ana")), start, end,
                                       "America/Bogota")

    [ana] = [p for p in report.people if p.person == "ana"]
    assert (ana.filed, ana.answered, ana.closed) == (2, 1, 1)
    assert ana.filing_times == [100, 130] and ana.filing_on_target == 0.5
    assert ana.response_times == [200] and ana.response_on_target == 1.0
    assert ana.answered_by_day == {date(2026, 3, 3): 1} and ana.days_on_target == 1
    assert [(d.day, d.filed, d.answered, d.closed) for d in report.days] == [
        (date(2026, 3, 2), 1, 0, 0), (date(2026, 3, 3), 1, 1, 1)]
    assert [(p.person, p.filed) for p in quejas.people] == [("ana", 1)]
    assert (assigned.total.filed, assigned.total.answered) == (1, 1)  # the unassigned petición is not hers
