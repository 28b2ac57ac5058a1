"""Outgoing filing numbers (radicados de salida): every official communication the organisation sends
about a case gets a number of its own, from the series of its kind, as the archive rules ask of every
document an entity produces (Ley 594 de 2000 art. 11; Acuerdo 060 de 2001 AGN, on official
communications: the "radicación" of those received and sent, consecutive and never repeated in a year).

The core decides which communications get a number (``OUTGOING_KINDS``, by the event that records
each) and what the number looks like (a series' ``format``); the store hands out the sequence.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from datetime import datetime

import attrs

from . import events as ev
from .errors import ValidationError

# Kinds of outgoing communication, with their Spanish names (the letter kinds, without the filing
# acknowledgement, which belongs to the incoming number).
OUTGOING_KINDS: dict[str, str] = {
    "response": "Respuesta",
    "completion_request": "Solicitud de información o de completar la petición",
    "extension": "Aviso de ampliación del término",
    "transfer": "Traslado por competencia",
    "withdrawal": "Desistimiento de la petición",
}

# The event that records each communication sent to the requester.
_KIND_OF_EVENT: dict[type[ev.DomainEvent], str] = {
    ev.CaseResponded: "response",
    ev.InformationRequested: "completion_request",
    ev.CompletionRequested: "completion_request",
    ev.TermExtended: "extension",
    ev.CaseTransferred: "transfer",
    ev.PetitionWithdrawn: "withdrawal",
}

DEFAULT_FORMAT = "RS-{year}-{seq:06d}"
_FIELDS = {"year", "seq"}
MAX_FORMAT = 60


def search_key(text: str) -> str | None:
    """The key a search of ``text`` looks an outgoing number up by (one word with a digit, in any
    letter case), or ``None`` when ``text`` cannot be one."""
    text = text.strip()
    if not text or len(text) > 2 * MAX_FORMAT or any(ch.isspace() for ch in text):
        return None
    return text.casefold() if any(ch.isdigit() for ch in text) else None


def outgoing_kind(event: ev.DomainEvent) -> str | None:
    """The kind of outgoing communication ``event`` records, or ``None``."""
    return _KIND_OF_EVENT.get(type(event))


def check_format(value: str, field: str = "format") -> str:
    """``value`` when it is a usable series format: text with ``{year}`` (optional) and ``{seq}``
    (required, with an optional zero-padding such as ``{seq:06d}``); ``Problems`` naming ``field``
    otherwise."""
    value = value.strip()
    problem = _format_problem(value)
    if problem:
        raise ValidationError({field: problem})
    return value


def _format_problem(value: str) -> str | None:
    if not value:
        return "Indique el formato del número."
    if len(value) > MAX_FORMAT:
        return f"El formato admite hasta {MAX_FORMAT} caracteres."
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError:
        return "Las llaves del formato no están balanceadas."
    names = [name for _text, name, _spec, _conv in parts if name is not None]
    if any(name not in _FIELDS for name in names) or any(conv for *_rest, conv in parts):
        return "El formato solo admite los campos {year} y {seq}."
    if "seq" not in names:
        return "El formato debe incluir el consecutivo {seq}."
    try:
        value.format(year=2026, seq=1)
    except ValueError:
        return "El formato de {seq} o {year} no es válido (por ejemplo {seq:06d})."
    return None


@attrs.frozen
class Series:
    """The numbering of one kind of communication: ``format`` (``RS-{year}-{seq:06d}``). Kinds that
    share a format share its counter, so no two communications ever get the same number."""

    kind: str
    format: str = DEFAULT_FORMAT

    @property
    def label(self) -> str:
        return OUTGOING_KINDS.get(self.kind, self.kind)

    def number(self, year: int, seq: int) -> str:
        return self.format.format(year=year, seq=seq)


def series_for(configured: dict[str, str], kind: str) -> Series:
    """The series of ``kind``: the organisation's format for it, or the default."""
    return Series(kind, configured.get(kind) or DEFAULT_FORMAT)


@attrs.frozen
class OutgoingNumber:
    """An outgoing number handed out: which case and communication it was given to, and when."""

    number: str
    kind: str
    case_id: str
    filing_number: str
    issued_at: datetime
    series: str = DEFAULT_FORMAT  # the format whose counter gave it
    voided_record: str = ""  # the voiding record (``AN-2026-000001``) when the number was voided

    @property
    def label(self) -> str:
        return OUTGOING_KINDS.get(self.kind, self.kind)


def voided_numbers(events: Iterable[ev.DomainEvent]) -> dict[str, str]:
    """The outgoing numbers voided in a case's ``events``, each with its voiding record. A voided
    number stays used: it is shown as voided, never handed out again."""
    return {e.number: e.record for e in events if isinstance(e, ev.OutgoingNumberVoided)}


def numbers_awaiting_voiding(events: Iterable[ev.DomainEvent]) -> set[str]:
    """The outgoing numbers of a case's ``events`` whose voiding was asked for and not yet decided."""
    asked = {e.request_id: e.number for e in events if isinstance(e, ev.VoidingRequested) and e.number}
    for event in events:
        if isinstance(event, ev.VoidingRejected | ev.OutgoingNumberVoided):
            asked.pop(event.request_id, None)
    return set(asked.values())


def numbers_in(events: list[ev.DomainEvent], filing_number: str) -> list[OutgoingNumber]:
    """The outgoing numbers recorded in a case's ``events``, oldest first, the voided ones with their
    voiding record."""
    voided = voided_numbers(events)
    found = []
    for event in events:
        kind = outgoing_kind(event)
        number = getattr(event, "outgoing_number", None)
        if kind and number:
            found.append(OutgoingNumber(number=number, kind=kind, case_id=event.case_id,
                                        filing_number=filing_number, issued_at=event.occurred_at,
                                        voided_record=voided.get(number, "")))
    return found
