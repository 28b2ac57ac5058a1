"""Escalation to a third party («con tercero»): the case goes to an outside address with chosen notes
and attachments, waits for them with its term running (or stopped, when its policy says so), and
comes back with their reply or when staff take it back. The requester never sees any of it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import InvalidOperation, ValidationError
from pqrs_core.memory import MemoryStore
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import in_memory_pqrs

from .support import AGENT, BACK_OFFICE, REQUESTER, GeneralTerms, clock_of, file, number

VENDOR = "soporte@mind.example.co"


def _pqrs(*, pauses: bool = False) -> tuple[Pqrs, MemoryStore]:
    store = MemoryStore()
    pqrs = in_memory_pqrs(store=store, plugins=[GeneralTerms])
    if pauses:
        general = next(p for p in pqrs.catalog().term_policies if p.code == "general")
        pqrs.catalog_admin.put_term_policy(attrs.evolve(general, third_party_pauses=True),
                                           attrs.evolve(AGENT, roles=frozenset({"admin"})))
    return pqrs, store


def _worked_case(pqrs: Pqrs) -> tuple[str, int, str]:
    """A case assigned to back office with an internal note and an attachment: its number, the note's
    place in the history and the attachment's id."""
    n = number(file(pqrs))  # filed for Carla (user «carla»), who follows it on the portal
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), BACK_OFFICE)
    case = pqrs.handle(c.AddNote(filing_number=n, text="El error aparece al facturar en lote"), BACK_OFFICE)
    note_id = len(pqrs.history(n))
    assert isinstance(pqrs.history(n)[note_id - 1], ev.NoteAdded)
    case = pqrs.handle(c.AddAttachment(filing_number=n, filename="log.txt", content_type="text/plain",
                                       content=b"Traceback: factura 123"), BACK_OFFICE)
    assert isinstance(case, Case)
    return n, note_id, case.attachments[0].id


def _outbox(store: MemoryStore) -> list[Any]:
    with store.unit_of_work() as uow:
        return uow.outbox.pending()


def _escalate(pqrs: Pqrs, n: str, note_id: int, attachment_id: str) -> Case:
    case = pqrs.handle(c.EscalateToThirdParty(
        filing_number=n, address=VENDOR, name="Mind de Colombia", message="¿Pueden revisar este error?",
        note_ids=(note_id,), attachment_ids=(attachment_id,)), BACK_OFFICE)
    assert isinstance(case, Case)
    return case


def test_escalating_sends_the_chosen_notes_and_files_and_the_term_keeps_running() -> None:
    pqrs, store = _pqrs()
    n, note_id, attachment_id = _worked_case(pqrs)
    due, state = pqrs.case(n).resolution_due, pqrs.case(n).state
    clock_of(pqrs).advance(hours=2)
    case = _escalate(pqrs, n, note_id, attachment_id)

    assert case.third_party is not None and case.third_party.address == VENDOR
    assert case.third_party.since == clock_of(pqrs).now() and not case.third_party.pauses_term
    # Its state is untouched and the term runs on: same deadline, alarms still scheduled, no pause.
    assert case.state == state and case.resolution_due == due
    assert case.next_alarm_at is not None and not case.pauses
    sent = _outbox(store)[-1]
    assert (sent.template, sent.recipient) == ("third_party", f"external:{VENDOR}")
    assert sent.context["notes"] == ["El error aparece al facturar en lote"]
    assert [a["filename"] for a in sent.context["attachments"]] == ["log.txt"]
    assert sent.context["third_party_name"] == "Mind de Colombia"
    # The history says exactly what left the organisation, and replays to the same snapshot.
    escalated = [e for e in pqrs.history(n) if isinstance(e, ev.EscalatedToThirdParty)]
    assert escalated[0].notes == ("El error aparece al facturar en lote",)
    assert escalated[0].attachments[0].id == attachment_id
    replayed = Case.replay(pqrs.history(n), pqrs.catalog().workflow(case.workflow))
    assert replayed.third_party == case.third_party
    # The cases «con tercero» are listed apart, for following them up.
    other = number(file(pqrs))
    assert [str(x.filing_number) for x in pqrs.cases(CaseQuery(with_third_party=True)).cases] == [n]
    assert other in [str(x.filing_number) for x in pqrs.cases(CaseQuery()).cases]


def test_the_reply_brings_the_case_back_and_tells_the_assignee() -> None:
    pqrs, store = _pqrs()
    n, note_id, attachment_id = _worked_case(pqrs)
    _escalate(pqrs, n, note_id, attachment_id)
    arrived = clock_of(pqrs).now() + timedelta(minutes=30)
    clock_of(pqrs).advance(hours=1)
    # Another address writing about the case is recorded, the case stays with the third party.
    case = pqrs.handle(c.RecordThirdPartyReply(filing_number=n, message="Lo revisamos", sender="otro@x.co"),
                       BACK_OFFICE)
    assert case.third_party is not None
    case = pqrs.handle(c.RecordThirdPartyReply(filing_number=n, message="Corregido en la versión 4.2",
                                               sender=VENDOR.upper(), received_at=arrived), BACK_OFFICE)
    assert case.third_party is None
    history = pqrs.history(n)
    reply = [e for e in history if isinstance(e, ev.ThirdPartyReplied)][-1]
    assert reply.received_at == arrived and reply.message == "Corregido en la versión 4.2"
    ended = [e for e in history if isinstance(e, ev.ThirdPartyEscalationEnded)]
    assert [e.reason for e in ended] == ["reply"]
    told = _outbox(store)[-1]
    assert (told.template, told.recipient) == ("third_party_replied", "user:beto")
    assert told.context["third_party_name"] == "Mind de Colombia"


def test_a_policy_may_stop_the_term_while_the_third_party_holds_the_case() -> None:
    pqrs, _ = _pqrs(pauses=True)
    n, note_id, attachment_id = _worked_case(pqrs)
    due = pqrs.case(n).resolution_due
    assert due is not None
    case = _escalate(pqrs, n, note_id, attachment_id)
    assert case.third_party is not None and case.third_party.pauses_term
    assert case.pauses[-1].cause == "con_tercero" and case.next_alarm_at is None
    # Staff cannot end that stop as a suspension of their own: it ends when the case comes back.
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.EndTermSuspension(filing_number=n), BACK_OFFICE)
    clock_of(pqrs).advance(days=7)  # a whole week away: five business days
    case = pqrs.handle(c.ResumeFromThirdParty(filing_number=n), BACK_OFFICE)
    assert case.third_party is None and case.pauses[-1].end == clock_of(pqrs).now()
    assert case.resolution_due is not None and case.resolution_due > due
    calendar = pqrs.catalog().calendar
    assert calendar is not None
    assert calendar.local_date(case.resolution_due) == calendar.add_business_days(calendar.local_date(due), 5)


def test_the_requester_never_sees_the_third_party() -> None:
    pqrs, _ = _pqrs()
    n, note_id, attachment_id = _worked_case(pqrs)
    _escalate(pqrs, n, note_id, attachment_id)
    pqrs.handle(c.RecordThirdPartyReply(filing_number=n, message="Corregido", sender=VENDOR), BACK_OFFICE)
    staff_sees = {e.name for e in pqrs.history(n, BACK_OFFICE)}
    assert {"EscalatedToThirdParty", "ThirdPartyReplied", "ThirdPartyEscalationEnded"} <= staff_sees
    requester_sees = {e.name for e in pqrs.history(n, REQUESTER)}
    assert requester_sees and not requester_sees & {"EscalatedToThirdParty", "ThirdPartyReplied",
                                                    "ThirdPartyEscalationEnded"}
    # A requester may not escalate or record a third party's words either.
    with pytest.raises(Exception, match="permiso|permission|Permiso"):
        pqrs.handle(c.RecordThirdPartyReply(filing_number=n, message="x", sender=VENDOR), REQUESTER)


def test_bad_escalations_name_their_fields_and_change_nothing() -> None:
    pqrs, store = _pqrs()
    n, note_id, attachment_id = _worked_case(pqrs)
    before = (pqrs.case(n).version, len(_outbox(store)))
    with pytest.raises(ValidationError) as bad:
        pqrs.handle(c.EscalateToThirdParty(filing_number=n, address="no es correo", name="", message=" ",
                                           note_ids=(1,), attachment_ids=("otro",)), BACK_OFFICE)
    assert set(bad.value.errors) == {"address", "name", "message", "note_ids.0", "attachment_ids.0"}
    assert (pqrs.case(n).version, len(_outbox(store))) == before
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.ResumeFromThirdParty(filing_number=n), BACK_OFFICE)
    _escalate(pqrs, n, note_id, attachment_id)
    with pytest.raises(InvalidOperation, match="ya está con un tercero"):
        _escalate(pqrs, n, note_id, attachment_id)
    with pytest.raises(ValidationError) as naive:
        pqrs.handle(c.RecordThirdPartyReply(filing_number=n, message="x", sender=VENDOR,
                                            received_at=datetime(2026, 3, 2, 9)), BACK_OFFICE)
    assert "received_at" in naive.value.errors


def test_answering_the_case_ends_the_wait_for_the_third_party() -> None:
    pqrs, _ = _pqrs()
    n, note_id, attachment_id = _worked_case(pqrs)
    _escalate(pqrs, n, note_id, attachment_id)
    case = pqrs.handle(c.RespondCase(filing_number=n, text="Quedó corregido", close=True), BACK_OFFICE)
    assert isinstance(case, Case) and not case.is_open and case.third_party is None
