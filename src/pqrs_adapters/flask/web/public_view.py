"""A case as its requester sees it (the public lookup and the customers' portal): a state label meant
for the public, the filing date, the deadline, and only the messages exchanged with the requester.

Never shown here: internal work-log notes, who the case is assigned to, queues, typification, priority
or any other event of the internal handling. What the law says the requester must be told is shown:
the response, requests for information and to complete the petition (Ley 1755 de 2015 art. 17), an
extension of the term with its reasons (CPACA art. 14 parágrafo), a transfer to the competent entity
(art. 21) and a declared withdrawal.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs
from flask_babel import gettext as _

from pqrs_core.domain import events as ev
from pqrs_core.domain.case import Case
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.fields import is_empty
from pqrs_core.domain.letters import LETTER_KINDS
from pqrs_core.domain.outgoing import voided_numbers
from pqrs_core.domain.workflow import StateCategory

from ...presentation import Labels
from .common import DeadlineView, deadline

ORGANISATION = "organisation"
REQUESTER = "requester"


@attrs.frozen
class PublicMessage:
    at: datetime
    author: str  # ORGANISATION or REQUESTER
    title: str
    text: str
    outgoing_number: str = ""  # the communication's radicado de salida, when it has one
    outgoing_voided: str = ""  # the voiding record of that number, when it was voided


@attrs.frozen
class PublicLetter:
    """An official letter (oficio) the organisation issued on the case, as a PDF the requester may
    download."""

    at: datetime
    title: str
    attachment_id: str
    filename: str


@attrs.frozen
class PublicCase:
    case: Case
    state_label: str
    deadline: DeadlineView | None
    messages: tuple[PublicMessage, ...]
    # Whether the person reading is the requester ("usted"); a consultant reading a case of her
    # network is told about the requester instead.
    own: bool = True
    letters: tuple[PublicLetter, ...] = ()
    # ``(label, value)`` of the public custom fields the case holds, as people read them.
    fields: tuple[tuple[str, str], ...] = ()

    @property
    def waiting_for_requester(self) -> bool:
        return self.case.state_category is StateCategory.WAITING

    @property
    def answered(self) -> bool:
        return self.case.state_category is StateCategory.DONE


def public_state_label(case: Case, own: bool = True) -> str:
    """The state in words for the requester (``own``) or for someone else reading their case: the
    internal stages of the handling are not told apart."""
    done = {
        "responded": _("Respondido"),
        "closed": _("Cerrado"),
        "withdrawn": _("Cerrado por desistimiento tácito"),
        "transferred": _("Trasladado a la entidad competente"),
    }
    match case.state_category:
        case StateCategory.TODO:
            return str(_("Recibido, pendiente de trámite"))
        case StateCategory.DOING:
            return str(_("En trámite"))
        case StateCategory.WAITING:
            return str(_("Esperando información suya") if own
                       else _("Esperando información del peticionario"))
    return str(done.get(case.state, _("Cerrado")))


def public_messages(history: Iterable[ev.DomainEvent], labels: Labels,
                    own: bool = True) -> list[PublicMessage]:
    """The messages of ``history`` meant for (or written by) the requester, oldest first, titled for
    the requester (``own``) or for someone else reading their case."""
    found: list[PublicMessage] = []
    history = list(history)
    voided = voided_numbers(history)

    def say(event: ev.DomainEvent, author: str, title: str, text: str) -> None:
        number = getattr(event, "outgoing_number", None) or ""
        found.append(PublicMessage(event.occurred_at, author, title, text, number, voided.get(number, "")))

    for event in history:
        match event:
            case ev.CaseResponded():
                say(event, ORGANISATION, _("Respuesta"), event.text)
            case ev.InformationRequested():
                say(event, ORGANISATION, _("Solicitud de información"), event.message)
            case ev.CompletionRequested():
                say(event, ORGANISATION, _("Solicitud para completar la petición"),
                    _("%(message)s\nPlazo para completarla: %(d)s.", message=event.message,
                      d=labels.local(event.requester_due)))
            case ev.NoteAdded(public=True):
                say(event, ORGANISATION, _("Nota"), event.text)
            case ev.RequesterReplied() if own:
                title = _("Su contrarrespuesta") if event.counter_response else _("Su mensaje")
                say(event, REQUESTER, title, event.message)
            case ev.RequesterReplied():
                title = (_("Contrarrespuesta del peticionario") if event.counter_response
                         else _("Mensaje del peticionario"))
                say(event, REQUESTER, title, event.message)
            case ev.TermExtended():
                say(event, ORGANISATION, _("Prórroga del término"),
                    _("%(reason)s\nNueva fecha máxima de respuesta: %(d)s.", reason=event.reason,
                      d=labels.local(event.due_after)))
            case ev.CaseTransferred():
                say(event, ORGANISATION, _("Traslado a la entidad competente"),
                    _("Su petición fue trasladada a %(entity)s: %(reason)s", entity=event.entity,
                      reason=event.reason))
            case ev.PetitionWithdrawn():
                say(event, ORGANISATION, _("Desistimiento tácito"), event.reason)
            case ev.CaseReopened():
                say(event, ORGANISATION, _("Caso reabierto"), event.reason)
    return found


def public_letters(history: Iterable[ev.DomainEvent]) -> tuple[PublicLetter, ...]:
    """The official letters issued on the case, oldest first."""
    return tuple(PublicLetter(at=e.occurred_at, title=LETTER_KINDS.get(e.letter, e.letter),
                              attachment_id=e.attachment.id, filename=e.attachment.filename)
                 for e in history
                 if isinstance(e, ev.AttachmentAdded) and e.letter is not None and e.attachment.public)


def public_case(case: Case, history: Iterable[ev.DomainEvent], labels: Labels,
                own: bool = True) -> PublicCase:
    history = list(history)
    return PublicCase(case=case, state_label=public_state_label(case, own), deadline=deadline(case),
                      messages=tuple(public_messages(history, labels, own)), own=own,
                      letters=public_letters(history), fields=public_fields(case, labels.catalog))


def public_fields(case: Case, catalog: Catalog) -> tuple[tuple[str, str], ...]:
    """The values of the case's public custom fields (``FieldDefinition.public``), as people read them."""
    return tuple((d.label, d.shown(case.custom_fields.get(d.code))) for d in catalog.fields
                 if d.public and not is_empty(case.custom_fields.get(d.code)))
