"""Notifications: what a case's events tell people, as plain data the outbox stores and a worker
delivers. The core decides who is told what; adapters render the messages (templates) and resolve
recipients ("requester", "user:<name>", "queue:<code>", "role:<code>") to addresses."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from . import events as ev
from .values import AttachmentInfo

if TYPE_CHECKING:
    from .case import Case

REQUESTER = "requester"
# An outside address (a third party the case is escalated to): ``external:<e-mail>``.
EXTERNAL = "external:"
# The notifications the staff also find in the application (the bell in the header), besides e-mail:
# cases given to them, what requesters wrote, term alarms, mentions in notes, reopenings, escalations.
IN_APP_TEMPLATES = frozenset({"assigned", "requester_replied", "alarm", "mention", "reopened_staff",
                              "escalation", "internal_request", "internal_answered", "internal_alarm",
                              "rule_notice", "rule_disabled", "response_returned",
                              "webhook_disabled", "voiding_requested"})
# ``@usuario`` in a note: a user name (letters, digits, dots, hyphens, underscores), not inside an e-mail
# address, without the sentence's final period.
_MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9](?:[\w.-]*\w)?)")


def mentions(text: str) -> list[str]:
    """The user names a note mentions with ``@``, each once, in order."""
    return list(dict.fromkeys(_MENTION.findall(text)))
# Events that already tell the requester how their case ended.
_OUTCOMES = (ev.CaseResponded, ev.CaseClosed, ev.PetitionWithdrawn, ev.CaseTransferred)


@attrs.frozen
class Notification:
    key: str  # unique: the outbox row's identity, so a message is delivered at most once
    template: str
    recipient: str
    case_id: str
    filing_number: str
    created_at: datetime
    context: dict[str, Any] = attrs.field(factory=dict)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _file(attachment: AttachmentInfo) -> dict[str, Any]:
    """An attachment as a notification sends it (the mail worker reads it from the file store)."""
    return {"id": attachment.id, "filename": attachment.filename, "content_type": attachment.content_type,
            "size": attachment.size, "storage_key": attachment.storage_key}


def _base(case: Case) -> dict[str, Any]:
    return {"filing_number": str(case.filing_number), "subject": case.subject, "kind": case.kind,
            "requester_name": case.requester.display_name, "state": case.state,
            "resolution_due": _iso(case.resolution_due), "received_at": _iso(case.received_at)}


def _third_party_name(events: list[ev.DomainEvent], case: Case, sender: str) -> str:
    """Who ``sender`` is: the name of the escalation they answer (the one that just ended, or the one
    still open), or their address."""
    for event in events:
        if isinstance(event, ev.ThirdPartyEscalationEnded) and event.address.casefold() == sender.casefold():
            return event.party_name
    current = case.third_party
    if current is not None and current.address.casefold() == sender.casefold():
        return current.name
    return sender


def notifications_for(case: Case, events: Iterable[ev.DomainEvent], new_id: Callable[[], str],
                      now: datetime) -> list[Notification]:
    """The notifications ``events`` (just recorded on ``case``) call for. The requester is written to
    only when the case has their e-mail; staff through their user, queue or role."""
    found: list[Notification] = []
    base = _base(case)
    events = list(events)
    # The official letters issued with these events go with the message of the same communication.
    letters = {e.letter: e.attachment for e in events if isinstance(e, ev.AttachmentAdded) and e.letter}

    def tell(template: str, recipient: str, **extra: Any) -> None:
        if recipient == REQUESTER and not case.requester.email:
            return
        letter = letters.get(template) if recipient == REQUESTER else None
        if letter is not None:
            extra["attachments"] = [_file(letter)]
        # The communication's radicado de salida, for the requester's copy (``outgoing``).
        outgoing_number = getattr(event, "outgoing_number", None)
        if recipient == REQUESTER and outgoing_number:
            extra.setdefault("outgoing_number", outgoing_number)
        found.append(Notification(key=new_id(), template=template, recipient=recipient, case_id=case.id,
                                  filing_number=str(case.filing_number), created_at=now,
                                  context={**base, **extra}))

    for event in events:
        match event:
            case ev.CaseFiled():
                if not case.first_contact_resolution:
                    tell("acknowledgement", REQUESTER)
                    if case.queue:
                        tell("new_case", f"queue:{case.queue}")
            case ev.CaseAssigned(assignee_after=assignee) if assignee and assignee != event.actor:
                tell("assigned", f"user:{assignee}")
            case ev.InformationRequested():
                tell("information_request", REQUESTER, message=event.message, missing=list(event.missing))
            case ev.CaseResponded():
                tell("response", REQUESTER, message=event.text)
            case ev.CaseClosed():
                tell("closure", REQUESTER, first_contact=event.first_contact_resolution,
                     solution=case.solution)
            case ev.CaseReopened():
                tell("reopened", REQUESTER, reason=event.reason)
                if case.assignee:
                    tell("reopened_staff", f"user:{case.assignee}", reason=event.reason)
            case ev.TermExtended():
                tell("extension", REQUESTER, reason=event.reason, due_before=_iso(event.due_before),
                     due_after=_iso(event.due_after))
            case ev.TermEnded() if not any(isinstance(e, _OUTCOMES) for e in events):
                # A workflow's own done state («Nota aceptada»): the requester learns the outcome.
                tell("concluded", REQUESTER, state=event.state, state_label=event.state_label,
                     met=event.met)
            case ev.CompletionRequested():
                tell("completion_request", REQUESTER, message=event.message, missing=list(event.missing),
                     requester_due=_iso(event.requester_due))
            case ev.PetitionWithdrawn():
                tell("withdrawal", REQUESTER, reason=event.reason)
            case ev.CaseTransferred():
                tell("transfer", REQUESTER, entity=event.entity, reason=event.reason)
            case ev.InternalRequestSent():
                tell("internal_request", f"queue:{event.queue}", queue=event.queue, text=event.text,
                     due=event.due.isoformat(), requested_by=event.actor)
            case ev.InternalRequestAnswered():
                asker = next((r.requested_by for r in case.internal_requests if r.id == event.request_id),
                             None)
                for person in dict.fromkeys(p for p in (asker, case.assignee) if p):
                    tell("internal_answered", f"user:{person}", queue=event.queue, answer=event.answer)
            case ev.InternalRequestAlarmRaised():
                tell("internal_alarm", f"queue:{event.queue}", queue=event.queue, level=event.level,
                     due=event.due.isoformat())
            case ev.TermAlarmRaised():
                staff = f"user:{case.assignee}" if case.assignee else f"queue:{case.queue}"
                if case.assignee or case.queue:
                    tell("alarm", staff, fraction=event.fraction, due=_iso(event.due))
            case ev.CaseEscalated():
                if event.queue_after and event.queue_after != event.queue_before:
                    tell("escalation", f"queue:{event.queue_after}", queue=event.queue_after,
                         queue_before=event.queue_before)
                tell("escalation", event.recipient or "role:supervisor", queue=event.queue_after,
                     queue_before=event.queue_before, reason=event.reason)
            case ev.RuleApplied():
                for recipient in event.notify:
                    target = recipient if recipient.partition(":")[0] in ("user", "queue", "role") else (
                        f"{EXTERNAL}{recipient}")
                    tell("rule_notice", target, rule_name=event.rule_name, actions=list(event.actions))
            case ev.EscalatedToThirdParty():
                tell("third_party", f"{EXTERNAL}{event.address}", third_party_name=event.party_name,
                     message=event.message, notes=list(event.notes), description=case.description,
                     attachments=[_file(a) for a in event.attachments])
            case ev.ThirdPartyReplied():
                staff = f"user:{case.assignee}" if case.assignee else f"queue:{case.queue}"
                if case.assignee or case.queue:
                    tell("third_party_replied", staff, sender=event.sender, message=event.message,
                         third_party_name=_third_party_name(events, case, event.sender))
            case ev.NoteAdded():
                for name in mentions(event.text):
                    if name != event.actor:
                        tell("mention", f"user:{name}", author=event.actor, note=event.text[:500])
            case ev.ResponseReturned() if event.drafted_by != event.actor:
                tell("response_returned", f"user:{event.drafted_by}", comment=event.comment,
                     returned_by=event.actor)
            case ev.VoidingRequested():
                for role in event.approver_roles:
                    tell("voiding_requested", f"role:{role}", reason=event.reason, requested_by=event.actor,
                         number=event.number)
            case ev.RequesterReplied() if case.assignee:
                tell("requester_replied", f"user:{case.assignee}", message=event.message)
    return found
