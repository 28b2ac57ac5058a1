"""Optimistic concurrency: two people editing the same case never silently overwrite each other."""

from __future__ import annotations

import threading

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import ConcurrencyConflict, NotFound
from pqrs_core.memory import MemoryStore
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import in_memory_pqrs

from .support import AGENT, BACK_OFFICE, SUPERVISOR, file, number


def test_stale_expected_version_is_a_conflict_and_writes_nothing(pqrs: Pqrs) -> None:
    case = file(pqrs)
    n = number(case)
    assert case.version == 1
    seen_by_ana = pqrs.case(n).version
    seen_by_beto = pqrs.case(n).version

    updated = pqrs.handle(c.AddNote(filing_number=n, text="Llamé al cliente", expected_version=seen_by_ana),
                          AGENT)
    assert updated.version == 2

    with pytest.raises(ConcurrencyConflict) as excinfo:
        pqrs.handle(c.ChangeFields(filing_number=n, changes={"subject": "Otro"},
                                   expected_version=seen_by_beto), BACK_OFFICE)
    assert (excinfo.value.expected, excinfo.value.actual) == (1, 2)
    assert n in str(excinfo.value)
    stored = pqrs.case(n)
    assert stored.version == 2
    assert stored.subject == case.subject
    assert [e.name for e in pqrs.history(n)] == ["CaseFiled", "TermStarted", "NoteAdded"]


@pytest.mark.parametrize("command", [
    c.AssignCase(filing_number="PQRS-2026-000001", assignee="beto", expected_version=7),
    c.TransitionCase(filing_number="PQRS-2026-000001", transition="start", expected_version=0),
    c.CloseCase(filing_number="PQRS-2026-000001", expected_version=2),
])
def test_every_command_checks_the_expected_version(pqrs: Pqrs, command: object) -> None:
    file(pqrs)
    with pytest.raises(ConcurrencyConflict):
        pqrs.handle(command, SUPERVISOR)
    assert pqrs.case("PQRS-2026-000001").version == 1


def test_a_stale_aggregate_cannot_be_saved_over_a_newer_one() -> None:
    store = MemoryStore()
    pqrs = in_memory_pqrs(store=store)
    n = number(file(pqrs))
    with store.unit_of_work() as uow:
        stale = uow.cases.get(n)  # read by one person (version 1)
    pqrs.handle(c.AddNote(filing_number=n, text="Otra persona escribe primero"), BACK_OFFICE)

    with store.unit_of_work() as uow:
        stale.add_note("Yo escribo después", public=False, actor=AGENT, now=pqrs.deps.clock.now())
        with pytest.raises(ConcurrencyConflict):
            uow.cases.save(stale)
    assert [e.name for e in pqrs.history(n)] == ["CaseFiled", "TermStarted", "NoteAdded"]
    assert pqrs.case(n).version == 2


def test_versions_increase_by_one_per_successful_command(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    versions = [
        pqrs.handle(c.AddNote(filing_number=n, text=f"nota {i}", expected_version=i + 1), AGENT).version
        for i in range(5)
    ]
    assert versions == [2, 3, 4, 5, 6]


def test_unknown_case_is_not_found(pqrs: Pqrs) -> None:
    with pytest.raises(NotFound):
        pqrs.case("PQRS-2026-000042")
    with pytest.raises(NotFound):
        pqrs.handle(c.AddNote(filing_number="PQRS-2026-000042", text="x"), AGENT)


def test_concurrent_threads_neither_lose_updates_nor_reuse_numbers(pqrs: Pqrs) -> None:
    n = number(file(pqrs))
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            file(pqrs, subject=f"caso {i}")
            pqrs.handle(c.AddNote(filing_number=n, text=f"nota {i}"), AGENT)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert pqrs.count() == 9
    numbers = [case.filing_number.sequence for case in pqrs.cases().cases]
    assert sorted(numbers) == list(range(1, 10))
    assert len(pqrs.history(n)) == 10  # filing and its term, then a note by each thread
    assert pqrs.case(n).version == 9
