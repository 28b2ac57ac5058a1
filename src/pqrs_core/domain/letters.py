"""Official letters (oficios) as data: what the organisation's letter says, built from a case and the
event that calls for it. Typesetting it (HTML, CSS, PDF) is an adapter's work, through the
``DocumentRenderer`` port; the core decides which communications produce a letter and what they say.

The official communications, each from the event that records the action:

- ``acknowledgement`` — constancia de radicación: the filing (``CaseFiled``).
- ``response`` — the answer (``CaseResponded``).
- ``completion_request`` — request to complete an incomplete petition (Ley 1755 de 2015, art. 17).
- ``extension`` — notice that the term is extended, with its reason and new date (art. 14 parágrafo).
- ``transfer`` — the case was sent to the competent entity (art. 21).
- ``withdrawal`` — the petition is deemed withdrawn (desistimiento tácito, art. 17).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import attrs

from . import events as ev
from .signatures import Verification

if TYPE_CHECKING:
    from .case import Case

LETTER_KINDS: dict[str, str] = {
    "acknowledgement": "Constancia de radicación",
    "response": "Respuesta",
    "completion_request": "Solicitud de completar la petición",
    "extension": "Aviso de ampliación del término",
    "transfer": "Traslado por competencia",
    "withdrawal": "Desistimiento de la petición",
}
# Spanish names of the kinds, as an administrator writes them in the settings (``PQRS_LETTERS``).
KIND_NAMES: dict[str, str] = {
    "radicacion": "acknowledgement", "respuesta": "response", "completar": "completion_request",
    "prorroga": "extension", "traslado": "transfer", "desistimiento": "withdrawal",
}
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@attrs.frozen
class Letterhead:
    """Who the letter is from: the organisation's name, tax id (NIT), address, city and logo (the
    image's bytes and media type; none when the organisation has no logo)."""

    name: str
    nit: str = ""
    address: str = ""
    city: str = "Bogotá D.C."
    phone: str = ""
    email: str = ""
    website: str = ""
    logo: bytes | None = attrs.field(default=None, repr=False)
    logo_type: str = "image/png"


@attrs.frozen
class Signer:
    """Who signs: the person's name and their role in the organisation (cargo)."""

    name: str
    role: str = ""


@attrs.frozen
class Addressee:
    name: str
    document: str = ""
    address: str = ""
    email: str = ""


@attrs.frozen
class Letter:
    """One official letter, ready to typeset: ``paragraphs`` are the body's paragraphs (plain text,
    line breaks inside kept)."""

    kind: str
    title: str
    letterhead: Letterhead
    place_and_date: str
    filing_number: str
    addressee: Addressee
    subject: str
    paragraphs: tuple[str, ...]
    signer: Signer
    closing: str = "Atentamente,"
    # A signed letter's verification code and page (``signatures.py``); none for an unsigned one.
    verification: Verification | None = None
    outgoing_number: str = ""  # the communication's radicado de salida (``outgoing``), when it has one

    @property
    def filename(self) -> str:
        """The PDF's file name: ``oficio-respuesta-PQRS-2026-000123.pdf``."""
        slug = {"acknowledgement": "constancia-radicacion", "response": "respuesta",
                "completion_request": "solicitud-completar", "extension": "aviso-prorroga",
                "transfer": "traslado", "withdrawal": "desistimiento"}.get(self.kind, self.kind)
        return f"oficio-{slug}-{self.filing_number}.pdf"


def spanish_date(instant: datetime, timezone: str) -> str:
    """``6 de diciembre de 2026``: the date of ``instant`` in the organisation's zone."""
    day = instant.astimezone(ZoneInfo(timezone)).date()
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def _long_date(instant: datetime, timezone: str) -> str:
    local = instant.astimezone(ZoneInfo(timezone))
    return f"{spanish_date(instant, timezone)} a las {local:%H:%M}"


def paragraphs(text: str) -> tuple[str, ...]:
    """The paragraphs of ``text`` (separated by blank lines), trimmed, none empty."""
    return tuple(p.strip() for p in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n")) if p.strip())


def parse_kinds(value: str) -> frozenset[str]:
    """The letter kinds a comma-separated list names, in Spanish (``respuesta, traslado``) or by code;
    ``ValueError`` names an unknown one."""
    kinds = set()
    for raw in value.split(","):
        name = raw.strip().lower()
        if not name:
            continue
        code = KIND_NAMES.get(name, name)
        if code not in LETTER_KINDS:
            raise ValueError(f"«{raw.strip()}» no es un tipo de oficio "
                             f"(use: {', '.join(KIND_NAMES)})")
        kinds.add(code)
    return frozenset(kinds)


# The event that records each official communication.
_KIND_OF_EVENT: dict[type[ev.DomainEvent], str] = {
    ev.CaseFiled: "acknowledgement", ev.CaseResponded: "response",
    ev.CompletionRequested: "completion_request", ev.TermExtended: "extension",
    ev.CaseTransferred: "transfer", ev.PetitionWithdrawn: "withdrawal",
}


def letter_kind(event: ev.DomainEvent) -> str | None:
    """The kind of letter ``event`` calls for, or ``None``."""
    return _KIND_OF_EVENT.get(type(event))


def _body(case: Case, event: ev.DomainEvent, timezone: str) -> tuple[str, tuple[str, ...]] | None:
    """The kind and the body paragraphs of the letter ``event`` calls for, or ``None``."""
    number = str(case.filing_number)
    match event:
        case ev.CaseFiled():
            received = _long_date(case.received_at, timezone)
            due = (f" El término para responderle vence el {spanish_date(case.resolution_due, timezone)}."
                   if case.resolution_due is not None else "")
            return "acknowledgement", (
                f"Hacemos constar que su solicitud fue recibida el {received} y quedó radicada con el "
                f"número {number}.{due}",
                f"Asunto de su solicitud: {case.subject}",
                "Con este número puede consultar el estado de su caso en cualquier momento.")
        case ev.CaseResponded():
            return "response", paragraphs(event.text)
        case ev.CompletionRequested():
            missing = "; ".join(event.missing)
            return "completion_request", (
                *paragraphs(event.message),
                *((f"Documentos o informaciones que faltan: {missing}.",) if missing else ()),
                "De conformidad con el artículo 17 de la Ley 1755 de 2015, le solicitamos completar su "
                f"petición a más tardar el {spanish_date(event.requester_due, timezone)}. Mientras tanto "
                "el término para resolverla queda suspendido y se reanuda cuando recibamos lo que falta. "
                "Si no lo hace ni pide una prórroga dentro de ese plazo, se entenderá que desistió de "
                "su petición.")
        case ev.TermExtended():
            return "extension", (
                "De conformidad con el parágrafo del artículo 14 de la Ley 1755 de 2015, le informamos "
                "que no es posible resolver su petición dentro del término inicial, por la siguiente "
                "razón:",
                *paragraphs(event.reason),
                f"Su petición será resuelta a más tardar el {spanish_date(event.due_after, timezone)}.")
        case ev.CaseTransferred():
            return "transfer", (
                "De conformidad con el artículo 21 de la Ley 1755 de 2015, le informamos que esta "
                "organización no es competente para resolver su petición, por lo cual fue remitida a: "
                f"{event.entity}.",
                *paragraphs(event.reason),
                "En adelante, la entidad a la que se trasladó su petición le responderá directamente.")
        case ev.PetitionWithdrawn():
            return "withdrawal", (
                "De conformidad con el artículo 17 de la Ley 1755 de 2015, su petición se entiende "
                "desistida y se archiva, por la siguiente razón:",
                *paragraphs(event.reason),
                "Esta decisión no le impide presentar de nuevo su petición con el lleno de los requisitos "
                "legales.")
    return None


def letter_for(case: Case, event: ev.DomainEvent, *, letterhead: Letterhead, signer: Signer,
               timezone: str) -> Letter | None:
    """The letter ``event`` (just recorded on ``case``) calls for, or ``None`` when it calls for none."""
    found = _body(case, event, timezone)
    if found is None:
        return None
    kind, body = found
    requester = case.requester
    document = (f"{requester.document_type or ''} {requester.document_number}".strip()
                if requester.document_number else "")
    number = str(case.filing_number)
    return Letter(kind=kind, title=LETTER_KINDS[kind], letterhead=letterhead,
                  place_and_date=f"{letterhead.city}, {spanish_date(event.occurred_at, timezone)}",
                  filing_number=number,
                  addressee=Addressee(name=requester.display_name, document=document,
                                      address=requester.address or "", email=requester.email or ""),
                  subject=f"{LETTER_KINDS[kind]} — radicado {number}: {case.subject}",
                  paragraphs=body, signer=signer,
                  outgoing_number=getattr(event, "outgoing_number", None) or "")


def letters_for(case: Case, events: Iterable[ev.DomainEvent], kinds: frozenset[str], *,
                letterhead: Letterhead, signer: Signer, timezone: str) -> list[Letter]:
    """The letters of the ``kinds`` the organisation issues that ``events`` call for."""
    found = []
    for event in events:
        if letter_kind(event) not in kinds:
            continue
        letter = letter_for(case, event, letterhead=letterhead, signer=signer, timezone=timezone)
        if letter is not None:
            found.append(letter)
    return found
