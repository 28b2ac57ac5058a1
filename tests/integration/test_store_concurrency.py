"""Several OS processes filing at once into one database get distinct numbers with no gaps."""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import func, select

from pqrs_adapters.sqlalchemy import make_engine, sql_uow_factory
from pqrs_adapters.sqlalchemy.tables import case_events, cases, filing_sequences
from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import SystemClock
from pqrs_core.domain.commands import FileCase
from pqrs_core.domain.values import Actor
from pqrs_core.plugins import get_plugin_manager

if TYPE_CHECKING:
    from conftest import StoreUnderTest

PROCESSES = 4
CASES_EACH = 25


def file_cases(url: str, worker: int, barrier: Any, results: Any) -> None:
    """Run in a spawned process: build the application on its own engine, wait for the others, then
    file ``CASES_EACH`` cases as fast as it can."""
    engine = make_engine(url)
    try:
        app = bootstrap(uow_factory=sql_uow_factory(engine), clock=SystemClock(),
                        plugin_manager=get_plugin_manager(load_entry_points=False))
        actor = Actor(f"agente{worker}", frozenset({"agent"}))
        barrier.wait(timeout=60)
        numbers = [str(app.handle(FileCase(kind="queja", subject=f"Caso {worker}-{i}",
                                           description="Radicado en paralelo"), actor).filing_number)
                   for i in range(CASES_EACH)]
        results.put((worker, numbers, None))
    except BaseException:  # noqa: BLE001 - the parent reports it
        results.put((worker, [], traceback.format_exc()))
    finally:
        engine.dispose()


@pytest.mark.slow
def test_processes_filing_at_once_get_numbers_1_to_100_without_gaps(sql_store: StoreUnderTest) -> None:
    assert sql_store.url is not None and sql_store.engine is not None
    sql_store.app()  # the catalog is synced once before the workers start, as `pqrs init` does
    year = SystemClock().now().year  # the Bogotá year, except in the last hours of 31 December
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    workers = [ctx.Process(target=file_cases, args=(sql_store.url, n, barrier, results))
               for n in range(PROCESSES)]
    for process in workers:
        process.start()
    outcomes = []
    try:
        for _ in workers:
            outcomes.append(results.get(timeout=180))
    except queue.Empty:
        pytest.fail(f"only {len(outcomes)} of {PROCESSES} workers finished")
    finally:
        for process in workers:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    errors = [error for _w, _n, error in outcomes if error]
    assert not errors, errors[0]

    filed = [number for _w, numbers, _e in outcomes for number in numbers]
    [filing_year] = {int(number.split("-")[1]) for number in filed}
    assert filing_year in (year, year - 1)
    expected = [f"PQRS-{filing_year}-{n:06d}" for n in range(1, PROCESSES * CASES_EACH + 1)]
    assert sorted(filed) == expected
    with sql_store.engine.connect() as conn:
        stored = conn.execute(select(cases.c.filing_number).order_by(cases.c.filing_number)).scalars().all()
        events = conn.execute(select(func.count()).select_from(case_events)).scalar_one()
        last = conn.execute(select(filing_sequences.c.last_value)).scalars().all()
    assert stored == expected
    assert events == PROCESSES * CASES_EACH * 2  # each filed with its term started
    assert last == [PROCESSES * CASES_EACH]
