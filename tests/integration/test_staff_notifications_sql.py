"""The staff's in-app notifications on SQLite and PostgreSQL: written with the outbox in the change's
transaction, counted and listed for the people they reach, read state per person, and the version of each
case each person last saw."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from pqrs_adapters.sqlalchemy import staff_notifications as store
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.values import Actor, Requester

if TYPE_CHECKING:
    from conftest import StoreUnderTest

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
SOFIA = Actor("sofia", frozenset({"supervisor"}), queues=frozenset({"primer_nivel"}))
BRUNO = Actor("bruno", frozenset({"back_office"}), queues=frozenset({"back_office"}))


def _engine(sql_store: StoreUnderTest) -> Engine:
    assert sql_store.engine is not None
    return sql_store.engine


def test_notifications_reach_their_people_and_are_read_one_by_one(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    app = sql_store.app(clock=FrozenClock(T0))
    numbers = []
    for i in range(2):
        case = app.handle(c.FileCase(kind="peticion", subject=f"Caso {i}", description="Necesito ayuda",
                                     requester=Requester(full_name="Marta Gómez")), SOFIA)
        numbers.append(str(case.filing_number))
        app.handle(c.AssignCase(filing_number=numbers[-1], assignee="bruno"), SOFIA)
    app.handle(c.AddNote(filing_number=numbers[0], text="@bruno y @sofia: revisen esto"), SOFIA)

    assert store.unread_count(engine, BRUNO) == 3  # two assignments and a mention
    assert store.unread_count(engine, SOFIA) == 0  # her own mention of herself is not news
    listed = store.latest(engine, BRUNO)
    assert [x.template for x in listed] == ["mention", "assigned", "assigned"]
    assert [x.filing_number for x in listed] == [numbers[0], numbers[1], numbers[0]]

    assert store.mark_read(engine, BRUNO, T0, [listed[0].id]) == 1
    assert store.mark_read(engine, BRUNO, T0, [listed[0].id]) == 0  # already read
    assert [x.read for x in store.latest(engine, BRUNO)] == [True, False, False]
    assert store.mark_read(engine, BRUNO, T0) == 2
    assert store.unread_count(engine, BRUNO) == 0


def test_the_version_each_person_saw_is_kept(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    store.record_view(engine, "ana", "case-1", 3, T0)
    store.record_view(engine, "ana", "case-1", 5, T0 + timedelta(minutes=1))  # seen again, later
    store.record_view(engine, "bruno", "case-1", 1, T0)

    assert store.seen_versions(engine, "ana", ["case-1", "case-2"]) == {"case-1": 5}
    assert store.seen_versions(engine, "bruno", ["case-1"]) == {"case-1": 1}
    assert store.seen_versions(engine, "ana", []) == {}
