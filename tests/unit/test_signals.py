"""Domain events leave the core through blinker signals, and only once their transaction committed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest

from pqrs_core.defaults_data import generic_workflow
from pqrs_core.domain import commands as c
from pqrs_core.domain.catalog import CatalogEntry
from pqrs_core.domain.errors import InvalidTransition, TransitionNotPermitted, ValidationError
from pqrs_core.domain.events import CaseFiled, DomainEvent
from pqrs_core.hookspecs import Register, hookimpl
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.signals import case_event, signal_for
from pqrs_core.testing import in_memory_pqrs

from .support import AGENT, file, file_command, number

# What the module-level receiver saw: (sender, event, was the case already readable from the store?).
RECEIVED: list[tuple[object, DomainEvent, bool]] = []
WATCHED: list[Pqrs] = []  # the application under test


def on_case_filed(sender: Any, event: DomainEvent) -> None:
    """A module-level receiver, as the signals module recommends."""
    assert isinstance(event, CaseFiled)
    app = WATCHED[0]
    stored = app.count() > 0 and str(app.case(event.filing_number).filing_number) == event.filing_number
    RECEIVED.append((sender, event, stored))


@pytest.fixture
def filed_receiver(pqrs: Pqrs) -> Iterator[list[tuple[object, DomainEvent, bool]]]:
    RECEIVED.clear()
    WATCHED[:] = [pqrs]
    signal_for(CaseFiled).connect(on_case_filed)
    yield RECEIVED
    signal_for(CaseFiled).disconnect(on_case_filed)
    RECEIVED.clear()
    WATCHED.clear()


def test_module_level_receiver_sees_case_filed_after_commit(
        pqrs: Pqrs, filed_receiver: list[tuple[object, DomainEvent, bool]]) -> None:
    case = file(pqrs)
    [(sender, event, committed)] = filed_receiver
    assert sender is pqrs
    assert isinstance(event, CaseFiled)
    assert event.filing_number == number(case) == "PQRS-2026-000001"
    assert committed, "the receiver ran before the case was stored"


def test_receiver_connected_with_weak_false_sees_every_event(pqrs: Pqrs) -> None:
    seen: list[str] = []

    def receiver(sender: Pqrs, event: DomainEvent) -> None:
        seen.append(f"{event.name}:{sender.case('PQRS-2026-000001').version}")

    case_event.connect(receiver, sender=pqrs, weak=False)
    try:
        n = number(file(pqrs))
        pqrs.handle(c.AssignCase(filing_number=n, assignee="ana"), AGENT)
    finally:
        case_event.disconnect(receiver, sender=pqrs)
    # Every event is published with the case already at its committed version.
    assert seen == ["CaseFiled:1", "TermStarted:1", "CaseAssigned:2", "CaseTransitioned:2"]


def test_a_failed_command_publishes_nothing(pqrs: Pqrs, filed_receiver: list[Any]) -> None:
    seen: list[DomainEvent] = []

    def receiver(sender: Any, event: DomainEvent) -> None:
        seen.append(event)

    case_event.connect(receiver, sender=pqrs)
    try:
        with pytest.raises(ValidationError):
            pqrs.handle(file_command(subject=""), AGENT)
        n = number(file(pqrs))
        seen.clear()
        with pytest.raises(InvalidTransition):
            pqrs.handle(c.CloseCase(filing_number=n), AGENT)
    finally:
        case_event.disconnect(receiver, sender=pqrs)
    assert seen == []
    assert len(filed_receiver) == 1  # only the valid filing


def test_events_of_another_instance_are_not_mixed(pqrs: Pqrs) -> None:
    other = in_memory_pqrs()
    seen: list[DomainEvent] = []

    def receiver(sender: Any, event: DomainEvent) -> None:
        seen.append(event)

    case_event.connect(receiver, sender=pqrs)
    try:
        file(other)
        assert seen == []
        file(pqrs)
        assert [e.name for e in seen] == ["CaseFiled", "TermStarted"]
    finally:
        case_event.disconnect(receiver, sender=pqrs)


class StrictClosing:
    """A workflow whose closing is refused by a guard: respond-and-close fails half-way."""

    @hookimpl
    def pqrs_register_case_kinds(register: Register) -> None:
        register(CatalogEntry("estricta", "Queja estricta"))

    @hookimpl
    def pqrs_register_guards(register: Register) -> None:
        register("quality_signed_off", lambda case, context: "calidad no ha aprobado el cierre")

    @hookimpl
    def pqrs_register_workflows(register: Register) -> None:
        generic = generic_workflow()
        transitions = tuple(attrs.evolve(t, guard="quality_signed_off") if t.name == "close" else t
                            for t in generic.transitions)
        register(attrs.evolve(generic, code="strict", transitions=transitions), kinds=["estricta"])


def test_a_command_failing_half_way_writes_and_publishes_nothing() -> None:
    pqrs = in_memory_pqrs(plugins=[StrictClosing])
    n = number(file(pqrs, kind="estricta"))
    pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), AGENT)
    before, history = pqrs.case(n), pqrs.history(n)
    seen: list[DomainEvent] = []

    def receiver(sender: Any, event: DomainEvent) -> None:
        seen.append(event)

    case_event.connect(receiver, sender=pqrs)
    try:
        with pytest.raises(TransitionNotPermitted) as excinfo:
            pqrs.handle(c.RespondCase(filing_number=n, text="Respuesta", close=True), AGENT)
    finally:
        case_event.disconnect(receiver, sender=pqrs)
    assert "calidad" in excinfo.value.reason
    assert seen == []  # not even the response, which the aggregate had recorded
    assert pqrs.case(n) == before
    assert pqrs.history(n) == history
    # Responding alone works and is published.
    assert pqrs.handle(c.RespondCase(filing_number=n, text="Respuesta"), AGENT).state == "responded"
