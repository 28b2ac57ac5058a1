"""Escalation to a third party: «con tercero» (seed 001: the administrator reports the case to the
software vendor and keeps tracking it).

Staff send the case (a message, chosen notes and attachments) to an outside address; the case is then
«con tercero» until the third party's reply arrives or staff take it back («Retomar»). It is a flag on
the case (``Case.third_party``), not a workflow state: the case keeps its state and its place in the
workflow (it may be answered, reassigned or asked about meanwhile), and the workflows' *waiting*
category means that the requester owes something, which stops the term (art. 17).

The legal term keeps running by default: Ley 1755 de 2015 art. 14 counts it from the filing, and the
only pause the law gives the organisation is art. 17's (an incomplete petition, which the requester
must complete); a supplier's delay is the organisation's own. A term policy may choose otherwise
(``TermPolicy.third_party_pauses``, e.g. for a contractual term that excludes the vendor's time): the
escalation then suspends the term (``TermSuspended`` with the cause ``THIRD_PARTY``) and the return
resumes it, the deadline pushed back by the business time it was away.

What the third party writes is for the staff only: it never reaches the requester (portal, lookup,
API as requester, e-mails). A case that ends (answered, closed, transferred) waits for nobody: the flag
clears with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from . import events as ev
from .case_terms import term_resumed
from .catalog import Catalog
from .errors import InvalidOperation, Problems
from .term_left import left_at
from .term_suspension import THIRD_PARTY_CAUSE
from .values import (
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    AttachmentInfo,
    check_text,
    is_valid_email,
    require_aware,
)

if TYPE_CHECKING:
    from .case import Case

THIRD_PARTY = THIRD_PARTY_CAUSE
THIRD_PARTY_LABEL = "Caso con tercero"
THIRD_PARTY_SOURCE = "política de términos de la organización"
# Events for the staff only: what passes between the organisation and a third party.
STAFF_ONLY_EVENTS = (ev.EscalatedToThirdParty, ev.ThirdPartyReplied, ev.ThirdPartyEscalationEnded)
MAX_EMAIL = 254  # RFC 5321's limit of a forward path
REPLY = "reply"
RESUMED = "resumed"


def _pauses(case: Case, catalog: Catalog) -> bool:
    """Whether escalating ``case`` now stops its term: its policy says so and the term runs."""
    policy = next((p for p in catalog.term_policies if p.code == case.term_policy), None)
    return (policy is not None and policy.third_party_pauses and case.term is not None
            and case.resolution_due is not None and case.term_ended_at is None
            and catalog.calendar is not None and not (case.pauses and case.pauses[-1].end is None))


def check_escalation(problems: Problems, address: str, name: str, message: str) -> None:
    """What is wrong with an escalation's address, name and message, added to ``problems``."""
    check_text(problems, "address", address, max_length=MAX_EMAIL, required=True, multiline=False)
    if address and address.strip() and not is_valid_email(address.strip()):
        problems.add("address", f"«{address.strip()[:80]}» no es un correo electrónico válido")
    check_text(problems, "name", name, max_length=MAX_SHORT_TEXT, required=True)
    check_text(problems, "message", message, max_length=MAX_LONG_TEXT, required=True)


def escalated(case: Case, address: str, name: str, message: str, notes: Sequence[str],
              attachments: Sequence[AttachmentInfo], catalog: Catalog, actor: str,
              now: datetime) -> list[ev.DomainEvent]:
    """The events of escalating ``case`` to ``address``: the escalation and, when its policy stops the
    term while a third party holds the case, the suspension."""
    problems = Problems()
    check_escalation(problems, address, name, message)
    problems.raise_if_any()
    if not case.is_open:
        raise InvalidOperation("no se puede escalar a un tercero un caso cerrado; reábralo primero")
    if case.third_party is not None:
        raise InvalidOperation(f"el caso ya está con un tercero ({case.third_party.name}); retómelo "
                               "antes de escalarlo de nuevo")
    pauses = _pauses(case, catalog)
    found: list[ev.DomainEvent] = [ev.EscalatedToThirdParty(
        case_id=case.id, actor=actor, occurred_at=now, address=address.strip(), party_name=name.strip(),
        message=message.strip(), notes=tuple(notes), attachments=tuple(attachments), pauses_term=pauses)]
    if pauses:
        assert case.term is not None and case.resolution_due is not None and catalog.calendar is not None
        found.append(ev.TermSuspended(
            case_id=case.id, actor=actor, occurred_at=now, cause=THIRD_PARTY,
            cause_label=THIRD_PARTY_LABEL, reason="el caso se escaló a un tercero",
            source=THIRD_PARTY_SOURCE, due_before=case.resolution_due,
            left=left_at(case.term, case.resolution_due, now, catalog.calendar)))
    return found


def _ended(case: Case, reason: str, catalog: Catalog, actor: str, now: datetime) -> list[ev.DomainEvent]:
    """The case comes back from its third party: the escalation ends and a term it stopped resumes."""
    assert case.third_party is not None
    found: list[ev.DomainEvent] = [ev.ThirdPartyEscalationEnded(
        case_id=case.id, actor=actor, occurred_at=now, address=case.third_party.address,
        party_name=case.third_party.name, reason=reason)]
    if held_by_third_party(case):
        resumed = term_resumed(case, catalog, actor, now)
        if resumed is not None:
            found.append(resumed)
    return found


def held_by_third_party(case: Case) -> bool:
    """Whether the case's term is stopped now because a third party holds the case."""
    last = case.pauses[-1] if case.pauses else None
    return last is not None and last.end is None and last.cause == THIRD_PARTY


def third_party_replied(case: Case, sender: str, message: str, received_at: datetime, catalog: Catalog,
                        actor: str, now: datetime) -> list[ev.DomainEvent]:
    """The third party wrote. From the address the case is escalated to, the case comes back to work;
    from another address (or after the case came back) the message is only recorded."""
    problems = Problems()
    check_text(problems, "sender", sender, max_length=MAX_EMAIL, required=True, multiline=False)
    check_text(problems, "message", message, max_length=MAX_LONG_TEXT, required=True)
    require_aware(problems, "received_at", received_at)
    problems.raise_if_any()
    found: list[ev.DomainEvent] = [ev.ThirdPartyReplied(case_id=case.id, actor=actor, occurred_at=now,
                                                        sender=sender.strip(), message=message.strip(),
                                                        received_at=received_at.astimezone(UTC))]
    current = case.third_party
    if current is not None and current.address.casefold() == sender.strip().casefold():
        found.extend(_ended(case, REPLY, catalog, actor, now))
    return found


def resumed_from_third_party(case: Case, catalog: Catalog, actor: str, now: datetime) -> list[ev.DomainEvent]:
    """Staff take the case back from its third party («Retomar») without waiting for their reply."""
    if case.third_party is None:
        raise InvalidOperation("el caso no está con un tercero")
    return _ended(case, RESUMED, catalog, actor, now)
