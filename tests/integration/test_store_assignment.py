"""Automatic assignment on every store: the queue's strategy picks the person at filing and on a queue
change, the round-robin pointer survives units of work, absences and caps hold, and two filings at
once on PostgreSQL (threads) neither break the turns nor pass a cap."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import attrs
import pytest

from pqrs_adapters.accounts import save_user
from pqrs_core.clock import FrozenClock
from pqrs_core.domain.commands import AssignCase, FileCase
from pqrs_core.domain.events import CaseAssigned
from pqrs_core.domain.values import Actor
from pqrs_core.memory_assignment import MemoryAssignmentStore
from pqrs_core.services.messagebus import Pqrs

if TYPE_CHECKING:
    from conftest import StoreUnderTest

ADMIN = Actor("admin", frozenset({"admin"}))
FILER = Actor("recepcion", frozenset({"agent"}))
TUESDAY_NOON = datetime.fromisoformat("2026-03-03T12:00:00-05:00")


def add_people(store: StoreUnderTest, queue: str, *names: str,
               roles: tuple[str, ...] = ("back_office",)) -> None:
    if store.engine is not None:
        for name in names:
            save_user(store.engine, name, roles=roles, queues=(queue,))
        return
    with store.uow_factory() as uow:
        assert isinstance(uow.assignment, MemoryAssignmentStore)
        for name in names:
            uow.assignment.put_member(name, roles, (queue,))
        uow.commit()


def file(app: Pqrs, queue: str = "back_office", **fields: object) -> str:
    case = app.handle(FileCase(kind="reclamo", subject="Me cobraron dos veces", description="Detalle",
                               queue=queue, **fields), ADMIN)  # type: ignore[arg-type]
    return case.assignee  # type: ignore[no-any-return]


def test_round_robin_continues_across_units_of_work(store: StoreUnderTest) -> None:
    app = store.app(at=TUESDAY_NOON)
    add_people(store, "back_office", "carla", "ana", "beto")
    add_people(store, "back_office", "sofia", roles=("supervisor",))  # distributes: not in the turns
    app.assignment_admin.set_policy("back_office", "round_robin", None, ADMIN)
    assert [file(app) for _ in range(4)] == ["ana", "beto", "carla", "ana"]
    again = store.app(at=TUESDAY_NOON)  # another process: the turn goes on
    assert file(again) == "beto"
    assert file(again, queue="primer_nivel") is None  # manual queue: nobody


def test_a_policy_set_by_another_process_is_followed_by_the_next_filing(sql_store: StoreUnderTest) -> None:
    from pqrs_adapters.sqlalchemy import make_engine, sql_uow_factory

    assert sql_store.url is not None
    app = sql_store.app(at=TUESDAY_NOON)
    add_people(sql_store, "back_office", "ana")
    assert file(app) is None  # manual: the strategies are now cached in this process
    other_engine = make_engine(sql_store.url)  # another process: its own engine and caches
    try:
        other = attrs.evolve(sql_store, uow_factory=sql_uow_factory(other_engine), engine=other_engine)
        other.app(at=TUESDAY_NOON).assignment_admin.set_policy("back_office", "least_loaded", None, ADMIN)
    finally:
        other_engine.dispose()
    assert file(app) == "ana"


def test_the_history_says_which_strategy_and_why(store: StoreUnderTest) -> None:
    app = store.app(at=TUESDAY_NOON)
    add_people(store, "back_office", "ana", "beto")
    catalog = app.catalog()
    leaf = next(n for n in catalog.typifications if n.parent == "SISTEMA")
    app.assignment_admin.set_profile("beto", typifications=["SISTEMA"], actor=ADMIN)
    app.assignment_admin.set_policy("back_office", "skills", None, ADMIN)
    case = app.handle(FileCase(kind="reclamo", subject="Factura", description="x", queue="back_office",
                               typification=leaf.code), ADMIN)
    assert case.assignee == "beto"
    [assigned] = [e for e in app.history(str(case.filing_number)) if isinstance(e, CaseAssigned)]
    assert assigned.strategy == "skills" and assigned.actor == "system"
    assert assigned.reason == "por habilidades: tipificación Sistema"


def test_a_queue_change_assigns_with_the_new_queues_strategy(store: StoreUnderTest) -> None:
    app = store.app(at=TUESDAY_NOON)
    add_people(store, "back_office", "ana")
    app.assignment_admin.set_policy("back_office", "least_loaded", None, ADMIN)
    case = app.handle(FileCase(kind="reclamo", subject="s", description="d", queue="primer_nivel"), ADMIN)
    assert case.assignee is None
    moved = app.handle(AssignCase(filing_number=str(case.filing_number), assignee=None, queue="back_office"),
                       ADMIN)
    assert (moved.queue, moved.assignee) == ("back_office", "ana")


def test_absent_people_and_full_people_are_skipped(store: StoreUnderTest) -> None:
    clock = FrozenClock(TUESDAY_NOON)
    app = store.app(clock=clock)
    add_people(store, "back_office", "ana", "beto")
    app.assignment_admin.set_policy("back_office", "least_loaded", 2, ADMIN)
    today = TUESDAY_NOON.date()
    app.assignment_admin.add_absence("ana", today, today + timedelta(days=1), "Vacaciones",
                                     Actor("ana", frozenset({"back_office"})))
    assert app.assignment_admin.absent(today) == ["ana"]
    assert [file(app) for _ in range(3)] == ["beto", "beto", None]  # ana away, beto full
    clock.advance(days=2)  # ana is back on Thursday
    assert file(app) == "ana"


@pytest.mark.postgres
def test_filings_at_once_keep_the_turns_and_the_caps(postgres_engine: object,
                                                    request: pytest.FixtureRequest) -> None:
    from conftest import _make_store
    store = _make_store("postgres", request)
    app = store.app(at=TUESDAY_NOON)
    people = ("ana", "beto", "carla", "dora")
    add_people(store, "back_office", *people)
    app.assignment_admin.set_policy("back_office", "round_robin", 5, ADMIN)
    threads, results, errors = 6, [], []
    barrier = threading.Barrier(threads)

    def work() -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(4):
                results.append(file(app))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not errors, errors[0]
    counts = Counter(results)
    assert counts.pop(None) == 4  # 24 cases, 4 people with a cap of 5: 4 stay for the supervisors
    assert counts == dict.fromkeys(people, 5)


def test_a_named_strategy_overrides_the_queues(store: StoreUnderTest) -> None:
    """What a typification's own strategy would do: the caller names it, the manual queue yields."""
    from pqrs_core.domain.assignment import Strategy
    from pqrs_core.services.assignment import auto_assign

    app = store.app(at=TUESDAY_NOON)
    add_people(store, "primer_nivel", "ana", "beto", roles=("agent",))
    filed = app.handle(FileCase(kind="reclamo", subject="s", description="d"), ADMIN)
    assert filed.assignee is None  # the first line is manual
    with store.uow_factory() as uow:
        case = uow.cases.get(str(filed.filing_number))
        catalog = app.deps.catalog(uow)
        choice = auto_assign(case, uow, catalog, TUESDAY_NOON, timezone="America/Bogota",
                             strategy=Strategy.ROUND_ROBIN)
        assert choice is not None and choice.username == "ana"
        uow.cases.save(case)
        uow.commit()
    assert app.case(str(filed.filing_number)).assignee == "ana"
    assert app.assignment_admin.policies()["primer_nivel"].last == "ana"


def test_a_case_escalated_by_the_sweep_gets_a_person_of_the_next_tier(store: StoreUnderTest) -> None:
    clock = FrozenClock(TUESDAY_NOON)
    app = store.app(clock=clock)
    add_people(store, "especialistas", "experta")
    app.assignment_admin.set_policy("especialistas", "least_loaded", None, ADMIN)
    case = app.handle(FileCase(kind="peticion", subject="s", description="d", queue="back_office"), ADMIN)
    assert case.assignee is None and case.resolution_due is not None
    clock.set(case.resolution_due + timedelta(days=1))
    app.sweep()
    escalated = app.case(str(case.filing_number))
    assert (escalated.queue, escalated.assignee) == ("especialistas", "experta")
