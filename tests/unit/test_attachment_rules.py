"""The core's rules about a case's files: who sees which, a closed case and the counter-response
window, and what an upload may cost per case and per person per hour."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import InvalidOperation, LimitExceeded
from pqrs_core.domain.events import AttachmentAdded
from pqrs_core.domain.values import Actor, Requester
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import staff

AGENT = staff("ana", "agent")
JUAN = Actor("juan", frozenset({"requester"}))


def _case(pqrs: Pqrs) -> str:
    command = c.FileCase(kind="queja", subject="Cobro doble", description="Me cobraron dos veces",
                         requester=Requester(full_name="Juan Pérez", user="juan"))
    case: Case = pqrs.handle(command, AGENT)
    return str(case.filing_number)


def _attach(pqrs: Pqrs, number: str, actor: Actor, content: bytes = b"%PDF-1.4", **extra: object) -> Case:
    case: Case = pqrs.handle(c.AddAttachment(filing_number=number, filename="soporte.pdf",
                                             content_type="application/pdf", content=content, **extra), actor)
    return case


def _closed(pqrs: Pqrs) -> str:
    number = _case(pqrs)
    pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), AGENT)
    pqrs.handle(c.RespondCase(filing_number=number, text="Reversamos el segundo cobro."), AGENT)
    pqrs.handle(c.CloseCase(filing_number=number), AGENT)
    return number


def test_the_requester_may_send_files_to_a_closed_case_only_within_the_counter_response_window(
        pqrs: Pqrs, clock: FrozenClock) -> None:
    number = _closed(pqrs)
    days = pqrs.deps.settings.counter_response_window_days
    clock.advance(days=days - 1)
    assert len(_attach(pqrs, number, JUAN).attachments) == 1  # still in time to object

    clock.advance(days=2)
    with pytest.raises(InvalidOperation, match="El caso está cerrado y ya no recibe archivos"):
        _attach(pqrs, number, JUAN, b"%PDF-1.4 tarde")
    assert len(_attach(pqrs, number, AGENT, b"%PDF-1.4 del equipo").attachments) == 2  # staff still may
    assert len(pqrs.case(number).attachments) == 2


def test_a_case_holds_at_most_its_quota_of_files_and_bytes(pqrs: Pqrs) -> None:
    pqrs.deps = attrs.evolve(pqrs.deps, settings=attrs.evolve(
        pqrs.deps.settings, max_attachments_per_case=2, max_case_attachment_bytes=1000))
    number = _case(pqrs)
    _attach(pqrs, number, AGENT, b"a" * 600)
    with pytest.raises(LimitExceeded) as too_much:
        _attach(pqrs, number, AGENT, b"b" * 401)
    assert too_much.value.field == "content" and too_much.value.retry_at is None
    _attach(pqrs, number, AGENT, b"b" * 400)
    with pytest.raises(LimitExceeded, match="El caso ya tiene el máximo de 2 archivos adjuntos"):
        _attach(pqrs, number, AGENT, b"c")
    assert [a.size for a in pqrs.case(number).attachments] == [600, 400]


def test_a_person_uploads_at_most_the_hourly_allowance_and_refusals_cost_nothing(
        pqrs: Pqrs, clock: FrozenClock) -> None:
    pqrs.deps = attrs.evolve(pqrs.deps, settings=attrs.evolve(
        pqrs.deps.settings, max_uploads_per_hour=2, max_upload_bytes_per_hour=1000))
    first, second = _case(pqrs), _case(pqrs)
    _attach(pqrs, first, AGENT, b"a" * 900)
    with pytest.raises(LimitExceeded) as over_bytes:
        _attach(pqrs, second, AGENT, b"b" * 101)
    hour_end = clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    assert over_bytes.value.retry_at == hour_end
    _attach(pqrs, second, AGENT, b"b" * 100)  # the refused 101 bytes were not counted
    with pytest.raises(LimitExceeded, match="Puede adjuntar hasta 2 archivos por hora"):
        _attach(pqrs, second, AGENT, b"c")
    _attach(pqrs, second, JUAN, b"d")  # another person has an allowance of their own

    clock.set(hour_end)
    assert len(_attach(pqrs, second, AGENT, b"e").attachments) == 3  # a new hour, a new allowance


def test_staff_files_are_internal_by_default_and_the_requester_sees_only_public_ones(pqrs: Pqrs) -> None:
    number = _case(pqrs)
    _attach(pqrs, number, AGENT, b"interno")
    _attach(pqrs, number, AGENT, b"publico", public=True)
    _attach(pqrs, number, JUAN, b"suyo")

    assert [a.public for a in pqrs.case(number).attachments] == [False, True, True]
    def listed(actor: Actor) -> list[bool]:
        return [e.attachment.public for e in pqrs.history(number, actor) if isinstance(e, AttachmentAdded)]

    assert listed(JUAN) == [True, True] and listed(AGENT) == [False, True, True]
