"""Outgoing filing numbers on the SQL stores: responses sent at once from several threads, each with
its own connection, get distinct consecutive numbers, recorded with their case and found again."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from pqrs_adapters.sqlalchemy.tables import cases, outgoing_numbers, outgoing_sequences
from pqrs_core.domain import commands as c
from pqrs_core.domain.outgoing import numbers_in
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery
from pqrs_core.testing import staff

if TYPE_CHECKING:
    from conftest import StoreUnderTest

AGENT, SUPERVISOR = staff("ana", "agent"), staff("sol", "supervisor")
BACK_OFFICE = staff("beto", "back_office")
THREADS = 4
EACH = 6
AT = datetime(2026, 6, 2, 15, 0, tzinfo=UTC)


def test_threads_responding_at_once_get_distinct_consecutive_outgoing_numbers(
        sql_store: StoreUnderTest) -> None:
    assert sql_store.engine is not None
    app = sql_store.app(at=AT)
    filed = []
    for i in range(THREADS * EACH):
        n = str(app.handle(c.FileCase(kind="queja", subject=f"Caso {i}", description="Pedido incompleto",
                                      channel="phone"), AGENT).filing_number)
        app.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
        app.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
        filed.append(n)
    barrier = threading.Barrier(THREADS)

    def respond(chunk: list[str]) -> None:
        barrier.wait(timeout=30)
        for n in chunk:
            app.handle(c.RespondCase(filing_number=n, text="Le enviamos las unidades."), BACK_OFFICE)

    with ThreadPoolExecutor(THREADS) as pool:
        for done in [pool.submit(respond, filed[t::THREADS]) for t in range(THREADS)]:
            done.result(timeout=120)

    given = {n: [o.number for o in numbers_in(app.history(n), n)] for n in filed}
    assert all(len(numbers) == 1 for numbers in given.values())
    assert sorted(number for [number] in given.values()) == [
        f"RS-2026-{seq:06d}" for seq in range(1, THREADS * EACH + 1)]
    with sql_store.engine.connect() as conn:
        rows = conn.execute(select(outgoing_numbers.c.number, cases.c.filing_number, outgoing_numbers.c.kind)
                            .join(cases, cases.c.id == outgoing_numbers.c.case_id)).all()
        [last] = conn.execute(select(outgoing_sequences.c.last_value)).scalars().all()
    assert {number: (n, kind) for number, n, kind in rows} == {
        number: (n, "response") for n, [number] in given.items()}
    assert last == THREADS * EACH
    with app.read_uow_factory() as uow:
        found = uow.outgoing.find(given[filed[5]][0].lower())
    assert found is not None and found.filing_number == filed[5]


def test_a_search_by_an_outgoing_number_finds_the_case_that_sent_it(store: StoreUnderTest) -> None:
    app = store.app(at=AT)
    numbers = []
    for subject in ("Factura duplicada", "Cobro no reconocido"):
        n = str(app.handle(c.FileCase(kind="queja", subject=subject, description="Revisar la factura",
                                      channel="phone"), AGENT).filing_number)
        app.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
        app.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
        numbers.append(n)
    app.handle(c.RespondCase(filing_number=numbers[1], text="Anulamos el cobro."), BACK_OFFICE)
    [sent] = numbers_in(app.history(numbers[1]), numbers[1])

    def found(text: str, **filters: object) -> list[str]:
        query = CaseQuery(text=text, **filters)  # type: ignore[arg-type]
        return [str(case.filing_number) for case in app.cases(query, SUPERVISOR).cases]

    assert found(sent.number) == [numbers[1]]
    assert found(f"  {sent.number.lower()} ") == [numbers[1]]
    assert found(sent.number, state_categories=(StateCategory.TODO,)) == []  # other filters still apply
    assert found("RS-2026-999999") == []
    assert sorted(found("factura")) == sorted(numbers)  # words search as before
