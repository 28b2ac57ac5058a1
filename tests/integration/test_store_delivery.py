"""The proof of notification stored for real (SQLite file, PostgreSQL): every step read back, the
history replaying to it, and the avisos listed while they are published."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from pqrs_adapters.sqlalchemy.notices import published_on
from pqrs_adapters.sqlalchemy.report_queries import report_queries
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain import delivery
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Actor, Requester, RequesterKind
from pqrs_core.memory import memory_report_queries
from pqrs_core.services import report_figures as f
from pqrs_core.services.reports import Period, ReportFilter, report_rows

if TYPE_CHECKING:
    from conftest import StoreUnderTest

AGENT = Actor("ana", frozenset({"agent"}))
SUPERVISOR = Actor("sol", frozenset({"supervisor"}))
BACK_OFFICE = Actor("beto", frozenset({"back_office"}))
PERSON = Requester(kind=RequesterKind.PERSON, full_name="Carla Gómez", document_type="CC",
                   document_number="1020304050", email="carla@example.com", user="carla")


def test_the_proof_is_stored_and_the_aviso_is_listed_only_while_published(sql_store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 14, 0, tzinfo=UTC))  # a Monday, 09:00 in Bogotá
    app = sql_store.app(clock=clock)
    filed: Case = app.handle(c.FileCase(kind="queja", subject="Pedido incompleto", description="Faltan dos",
                                        requester=PERSON, channel="phone"), AGENT)
    n = str(filed.filing_number)
    app.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    app.handle(c.RespondCase(filing_number=n, text="Enviamos las dos unidades"), BACK_OFFICE)
    clock.advance(minutes=2)
    app.handle(c.RecordEmailDelivery(filing_number=n, communication="response", status="sent",
                                     address="carla@example.com", message_id="<a@b>"), Actor.system())
    clock.advance(hours=1)
    app.handle(c.RecordEmailDelivery(filing_number=n, communication="response", status="bounced",
                                     reason="550 5.1.1 no existe"), Actor.system())
    published: Case = app.handle(c.PublishNotice(filing_number=n), BACK_OFFICE)

    stored = app.case(n)
    assert stored == published
    replayed = Case.replay(list(app.history(n)), app.catalog().workflow(stored.workflow))
    replayed.version = stored.version
    assert replayed == stored
    assert sql_store.engine is not None
    aviso = delivery.current(stored.deliveries)[delivery.AVISO]
    assert aviso.until is not None
    with sql_store.engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT notified_at FROM cases WHERE filing_number = ?"
                                   if sql_store.name == "sqlite" else
                                   "SELECT notified_at FROM cases WHERE filing_number = %s", (n,)).scalar()
        assert row is not None
        start = datetime(2026, 3, 2).date()
        assert [p.filing_number for p in published_on(conn, start)] == [n]
        assert [p.filing_number for p in published_on(conn, aviso.until)] == [n]
        assert published_on(conn, aviso.until + timedelta(days=1)) == []
        assert published_on(conn, start - timedelta(days=1)) == []


def test_timeliness_counts_the_instant_the_answer_was_notified(store: StoreUnderTest) -> None:
    """Two answers written within the term: one notified at once (on time), one whose courier
    delivered it after the deadline (late, as the law counts it); a third without proof counts by
    its response, as before."""
    clock = FrozenClock(datetime(2026, 2, 2, 14, 0, tzinfo=UTC))
    app = store.app(clock=clock)
    numbers = []
    for _ in range(3):
        filed: Case = app.handle(c.FileCase(kind="queja", subject="Pedido", description="Faltan dos",
                                            requester=PERSON, channel="phone"), AGENT)
        n = str(filed.filing_number)
        app.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
        app.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
        app.handle(c.RespondCase(filing_number=n, text="Enviamos las dos unidades"), BACK_OFFICE)
        numbers.append(n)
    on_time, late, unproven = numbers
    app.handle(c.RecordEmailDelivery(filing_number=on_time, communication="response", status="sent",
                                     address="carla@example.com"), Actor.system())
    app.handle(c.RecordCourierDelivery(filing_number=late, company="4-72", guide="RA9",
                                       status="dispatched"), BACK_OFFICE)
    due = app.case(late).resolution_due
    assert due is not None
    clock.set(due + timedelta(hours=1))
    app.handle(c.RecordCourierDelivery(filing_number=late, company="4-72", guide="RA9",
                                       status="delivered"), BACK_OFFICE)

    source = memory_report_queries if store.name == "memory" else report_queries
    spec = ReportFilter(start=date(2026, 2, 1), end=date(2026, 2, 28), period=Period.MONTH)
    data = report_rows(app, source, spec, None)
    by_number = {row.filing_number: row for row in data.rows}
    assert by_number[late].notified_at == clock.now()
    statuses = {n: f.term_status(by_number[n], clock.now()) for n in numbers}
    assert statuses == {on_time: f.ON_TIME, late: f.LATE, unproven: f.ON_TIME}
    report = f.timeliness(data, spec)
    assert (report.overall.on_time, report.overall.overdue) == (2, 1)
