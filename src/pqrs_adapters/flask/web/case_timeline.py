"""The timeline of a case page: its history as entries a person tells apart at a glance (internal
work-log notes, public notes, messages to and from the requester, the response, the term clock, what
passed with a third party and the rest of the case's management), each in a Spanish sentence."""

from __future__ import annotations

from datetime import datetime

import attrs
from flask_babel import lazy_gettext as _l

from pqrs_core.domain import events as ev
from pqrs_core.domain.case import Case
from pqrs_core.domain.outgoing import voided_numbers

from ...presentation import Labels

# --- the timeline -------------------------------------------------------------------------------------
# How each kind of entry looks: a CSS modifier and what it is called (read out before the entry).
ENTRY_KINDS = {
    "internal": _l("Registro de trabajo (interno)"),
    "public": _l("Nota pública"),
    "to_requester": _l("Mensaje al peticionario"),
    "from_requester": _l("Mensaje del peticionario"),
    "response": _l("Respuesta al peticionario"),
    "term": _l("Término"),
    "change": _l("Gestión"),
    "third_party": _l("Tercero (interno)"),
    "routing": _l("Enrutamiento"),
}


@attrs.frozen
class TimelineEntry:
    at: datetime
    actor: str
    kind: str  # a key of ENTRY_KINDS
    kind_label: str
    text: str
    outgoing_number: str = ""  # the radicado de salida of a communication sent to the requester
    outgoing_voided: str = ""  # the voiding record of that number, when it was voided


def _entry_kind(event: ev.DomainEvent) -> str:
    match event:
        case ev.NoteAdded(public=public):
            return "public" if public else "internal"
        case (ev.InformationRequested() | ev.CompletionRequested() | ev.TermExtended() | ev.CaseTransferred()
              | ev.PetitionWithdrawn()):
            return "to_requester"
        case ev.RequesterReplied() | ev.CompletionTimeExtended() | ev.CompletionReceived():
            return "from_requester"
        case ev.CaseResponded():
            return "response"
        case ev.EscalatedToThirdParty() | ev.ThirdPartyReplied() | ev.ThirdPartyEscalationEnded():
            return "third_party"
        case (ev.TermStarted() | ev.TermPaused() | ev.TermResumed() | ev.TermAlarmRaised()
              | ev.TermEnded() | ev.CaseEscalated() | ev.TermSuspended()):
            return "term"
        case ev.RuleApplied() | ev.TypificationDefaultsApplied():
            return "routing"
    return "change"


def timeline(history: list[ev.DomainEvent], case: Case, names: Labels) -> list[TimelineEntry]:
    """The history as entries, oldest first (the case's story as it happened)."""
    entries = []
    voided = voided_numbers(history)
    for event in history:
        kind = _entry_kind(event)
        number = getattr(event, "outgoing_number", None) or ""
        entries.append(TimelineEntry(at=event.occurred_at, actor=names.user(event.actor), kind=kind,
                                     kind_label=str(ENTRY_KINDS[kind]), text=names.describe(event, case),
                                     outgoing_number=number, outgoing_voided=voided.get(number, "")))
    return entries


def changes_since(history: list[ev.DomainEvent], case: Case, names: Labels,
                  seen: datetime | None) -> list[TimelineEntry]:
    """What happened to the case after the moment a form was rendered (oldest first)."""
    if seen is None:
        return []
    return timeline([e for e in history if e.occurred_at > seen], case, names)
