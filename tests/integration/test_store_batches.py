"""Cases read and written many at a time (``get_many``, ``save_many``, ``Outbox.add`` of many), as the
sweep does, on every store: the same results and guarantees as one at a time."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from test_store_contract import AGENT, BACK_OFFICE, SUPERVISOR, replays_to_snapshot, simple_filing
from test_store_terms import Terms

from pqrs_adapters.sqlalchemy.repository import SqlCaseRepository
from pqrs_adapters.sqlalchemy.tables import cases
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import ConcurrencyConflict
from pqrs_core.memory import MemoryCaseRepository
from sql_statements import recorded_statements

if TYPE_CHECKING:
    from conftest import StoreUnderTest

BOGOTA = ZoneInfo("America/Bogota")
FILED = datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA)
AFTER_DEADLINE = datetime(2026, 3, 30, 9, 0, tzinfo=BOGOTA)  # every alarm of a case filed at FILED


def _numbers(store: StoreUnderTest, count: int, clock: FrozenClock | None = None) -> list[str]:
    app = store.app(clock=clock or FrozenClock(FILED), plugins=[Terms()])
    return [str(app.handle(simple_filing(), AGENT).filing_number) for _ in range(count)]


def test_get_many_gives_what_get_gives_in_the_order_asked(store: StoreUnderTest) -> None:
    first, second, third = _numbers(store, 3)
    with store.uow_factory() as uow:
        found = uow.cases.get_many([third, "PQRS-1999-000001", first.lower(), second])
        assert found == [uow.cases.get(third), uow.cases.get(first), uow.cases.get(second)]
        assert uow.cases.get_many([]) == []


def test_save_many_stores_the_current_cases_and_returns_the_stale_ones(store: StoreUnderTest) -> None:
    clock = FrozenClock(FILED)
    app = store.app(clock=clock, plugins=[Terms()])
    numbers = [str(app.handle(simple_filing(), AGENT).filing_number) for _ in range(3)]
    with store.uow_factory() as uow:
        loaded = uow.cases.get_many(numbers)
    app.handle(c.AddNote(filing_number=numbers[1], text="de otra persona"), BACK_OFFICE)

    with store.uow_factory() as uow:
        for case in loaded:
            case.add_note(f"nota de {case.filing_number}", public=False, actor=AGENT, now=clock.now())
        stale = uow.cases.save_many(loaded)
        uow.commit()
    assert stale == [loaded[1]] and [case.version for case in loaded] == [2, 1, 2]
    for number in numbers:
        replays_to_snapshot(app, number)  # the events were numbered after the stored ones
    notes = {n: [e.text for e in app.history(n) if e.name == "NoteAdded"] for n in numbers}  # type: ignore[attr-defined]
    assert notes == {numbers[0]: [f"nota de {numbers[0]}"], numbers[1]: ["de otra persona"],
                     numbers[2]: [f"nota de {numbers[2]}"]}



def test_a_rolled_back_save_is_not_taken_for_the_stored_row(store: StoreUnderTest) -> None:
    clock = FrozenClock(FILED)
    app = store.app(clock=clock, plugins=[Terms()])
    number, catalog = str(app.handle(simple_filing(), AGENT).filing_number), app.catalog()
    with store.uow_factory() as uow:
        case = uow.cases.get(number)
        case.assign("bruno", queue="back_office", catalog=catalog, actor=SUPERVISOR, now=clock.now())
        uow.cases.save(case)
        uow.rollback()
        case = uow.cases.get(number)
        case.assign("bruno", queue="back_office", catalog=catalog, actor=SUPERVISOR, now=clock.now())
        uow.cases.save(case)
        uow.commit()
    stored = app.case(number)
    assert (stored.assignee, stored.queue, stored.version) == ("bruno", "back_office", 2)
    replays_to_snapshot(app, number)


def test_the_sweep_leaves_a_case_changed_meanwhile_and_its_notifications_for_the_next_sweep(
        store: StoreUnderTest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sweep read one case before a user changed it: that case conflicts, nothing of it is written
    (no alarm, no notification), the other cases of the batch are stored; the next sweep takes it."""
    clock = FrozenClock(FILED)
    app = store.app(clock=clock, plugins=[Terms()])
    numbers = [str(app.handle(simple_filing(), AGENT).filing_number) for _ in range(3)]
    changed = numbers[1]
    with store.uow_factory() as uow:
        stale = uow.cases.get(changed)
    app.handle(c.AddNote(filing_number=changed, text="mientras tanto"), BACK_OFFICE)

    repository: Any = MemoryCaseRepository if store.name == "memory" else SqlCaseRepository
    get_many = repository.get_many
    served: list[bool] = []

    def read_before_the_change(self: Any, filing_numbers: list[str]) -> list[Case]:
        found: list[Case] = get_many(self, filing_numbers)
        if served:
            return found
        served.append(True)
        return [stale if str(case.filing_number) == changed else case for case in found]

    monkeypatch.setattr(repository, "get_many", read_before_the_change)
    clock.set(AFTER_DEADLINE)
    first = app.sweep()
    assert (first.cases, first.alarms, first.escalations, first.conflicts) == (2, 6, 2, 1)
    assert app.case(changed).alarms_raised == () and app.case(changed).version == 2
    assert changed not in _notified(store)
    assert {n: len(v) for n, v in _notified(store).items()} == {n: 5 for n in numbers if n != changed}

    second = app.sweep()
    assert (second.cases, second.alarms, second.conflicts) == (1, 3, 0)
    assert app.case(changed).alarms_raised == (0.5, 0.8, 1.0)
    assert len(_notified(store)[changed]) == 5
    assert app.sweep().cases == 0
    for number in numbers:
        replays_to_snapshot(app, number)


def _notified(store: StoreUnderTest) -> dict[str, list[str]]:
    """Filing number -> templates of the sweep's notifications in the outbox."""
    found: dict[str, list[str]] = {}
    with store.uow_factory() as uow:
        for notification in uow.outbox.pending(1000):
            if notification.template in ("alarm", "escalation"):
                found.setdefault(notification.filing_number, []).append(notification.template)
    return found


def test_an_update_sets_only_the_columns_that_changed(sql_store: StoreUnderTest) -> None:
    """An index whose columns an UPDATE leaves out is not touched (SQLite): the sweep's UPDATE sets
    the alarm columns, not the 60 columns of the snapshot."""
    assert sql_store.engine is not None
    [number] = _numbers(sql_store, 1)
    app = sql_store.app(clock=FrozenClock(AFTER_DEADLINE), plugins=[Terms()])
    with recorded_statements(sql_store.engine) as seen:
        assert app.sweep().cases == 1
        app.handle(c.ChangeFields(filing_number=number, changes={"priority": "alta"}), BACK_OFFICE)
    sweep_update, change_update = [s for s, _ in seen if s.startswith("UPDATE cases")]
    assert "alarms_raised" in sweep_update and "next_alarm_at" in sweep_update
    assert "subject" not in sweep_update and "search_text" not in sweep_update
    assert "priority_rank" not in sweep_update and "priority_rank" in change_update
    with sql_store.engine.connect() as conn:
        rank = conn.execute(select(cases.c.priority_rank).where(cases.c.filing_number == number)).scalar()
    assert rank == 2
    replays_to_snapshot(app, number)


def test_a_save_aborted_to_break_a_deadlock_is_a_version_conflict(sql_store: StoreUnderTest) -> None:
    """Two transactions each hold one case and wait for the other's: PostgreSQL aborts one of them.
    Its save is a ``ConcurrencyConflict`` (nothing of it is written, the user or the sweep tries
    again), and the other one is saved once the first has rolled back."""
    if sql_store.name != "postgres":
        pytest.skip("SQLite has one writer at a time: its transactions never wait for each other's rows")
    clock = FrozenClock(FILED)
    app = sql_store.app(clock=clock, plugins=[Terms()])
    first, second = (str(app.handle(simple_filing(), AGENT).filing_number) for _ in range(2))
    outcome: dict[str, str] = {}
    causes: list[str | None] = []

    def attempt(uow: Any, number: str, who: str) -> None:
        case = uow.cases.get(number)
        case.add_note(f"nota de {who}", public=False, actor=BACK_OFFICE, now=clock.now())
        try:
            uow.cases.save(case)
        except ConcurrencyConflict as exc:
            causes.append(getattr(getattr(exc.__cause__, "orig", None), "sqlstate", None))
            outcome[who] = "conflict"
            uow.rollback()
            return
        uow.commit()
        outcome[who] = "saved"

    with sql_store.uow_factory() as one, sql_store.uow_factory() as two:
        for uow, number in ((one, first), (two, second)):  # each holds one case's row
            case = uow.cases.get(number)
            case.add_note("primera nota", public=False, actor=BACK_OFFICE, now=clock.now())
            uow.cases.save(case)
        crossing = threading.Thread(target=attempt, args=(two, first, "carla"))
        crossing.start()
        attempt(one, second, "dora")
        crossing.join(timeout=30)
    assert not crossing.is_alive()
    assert sorted(outcome.values()) == ["conflict", "saved"] and causes == ["40P01"]
    saved = next(who for who, result in outcome.items() if result == "saved")
    notes = [e.text for number in (first, second) for e in app.history(number)  # type: ignore[attr-defined]
             if e.name == "NoteAdded"]
    assert sorted(notes) == sorted(["primera nota", f"nota de {saved}"])
