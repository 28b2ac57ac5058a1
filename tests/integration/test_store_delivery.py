"""The proof of notification stored for real (SQLite file, PostgreSQL): every step read back, the
history replaying to it, and the avisos listed while they are published."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from pqrs_adapters.sqlalchemy.notices import published_on
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain import delivery
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Actor, Requester, RequesterKind

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
