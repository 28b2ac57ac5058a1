"""What a person reads about a case, in Spanish: labels, local dates and the history as sentences.

Shared by the CLI and the web pages so both tell the same story.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from pqrs_core.domain import events as ev
from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.case import Case
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.errors import (
    ConcurrencyConflict,
    DomainError,
    InvalidTransition,
    NotFound,
    TransitionNotPermitted,
    ValidationError,
)
from pqrs_core.domain.letters import LETTER_KINDS
from pqrs_core.domain.quality import CHECKLIST_LABELS, MAX_SCORE
from pqrs_core.domain.sla import TermReading
from pqrs_core.domain.term_explanation import explain_term
from pqrs_core.domain.term_left import LeftUnit, TermLeft
from pqrs_core.domain.values import SYSTEM_ACTOR, WEB_FORM_ACTOR
from pqrs_core.domain.workflow import StateCategory

from . import delivery_presentation

CATEGORY_LABELS = {
    StateCategory.TODO: "Por atender",
    StateCategory.DOING: "En gestión",
    StateCategory.WAITING: "En espera del peticionario",
    StateCategory.DONE: "Resueltos",
}

FIELD_LABELS = {
    "filing_number": "radicado",
    "kind": "tipo",
    "subject": "asunto",
    "description": "descripción",
    "channel": "canal",
    "reason": "motivo",
    "typification": "tipificación",
    "priority": "prioridad",
    "queue": "cola",
    "assignee": "responsable",
    "requester": "peticionario",
    "non_crm_contact": "contacto no CRM",
    "references": "facturas / pedidos",
    "solution": "solución",
    "received_at": "fecha de recepción",
    "received_by": "recibido por",
    "custom_fields": "campos adicionales",
    "missing_information": "información faltante",
    "verbal": "petición verbal",
    "text": "texto",
    "message": "mensaje",
    "content": "archivo",
    "content_type": "tipo de archivo",
    "filename": "nombre del archivo",
    # Fields of the term actions, of quality reviews and of a requester's identity.
    "entity": "entidad",
    "extra": "tiempo adicional",
    "score": "calificación",
    "checklist": "lista de chequeo",
    "notes": "observaciones",
    "transition": "transición",
    "state": "estado",
    "full_name": "nombre",
    "document_type": "tipo de documento",
    "document_number": "número de documento",
    "email": "correo electrónico",
    "phone": "teléfono",
    "address": "dirección",
    "customer_id": "código de cliente",
    "lead_id": "código de cliente potencial",
}

# Time zones as people call them (the others by their city: "America/Lima" is "Lima").
ZONE_LABELS = {"America/Bogota": "Colombia"}

# Actors that are not people with an account.
SYSTEM_ACTORS = {SYSTEM_ACTOR: "Sistema", WEB_FORM_ACTOR: "Formulario web"}

def items_text(event: ev.ItemsInvolved) -> str:
    """«Agregó el ítem CREMA-250 × 2 de la factura FE-1 (lote L-1, verificado en erp_csv)...»."""
    parts = []
    for item in event.added:
        details = [f"lote {item.lot}"] if item.lot else []
        details.append(f"verificado en {item.erp.source}" if item.erp else "no verificado")
        parts.append(f"{item.product} × {item.quantity.normalize():f} de la factura {item.invoice} "
                     f"({', '.join(details)})")
    text = ("agregó " + ("el ítem " if len(parts) == 1 else "los ítems ") + "; ".join(parts)) if parts else ""
    if event.removed:
        gone = "quitó un ítem" if len(event.removed) == 1 else f"quitó {len(event.removed)} ítems"
        text = f"{text} y {gone}" if text else gone
    return first_upper(text) + "."


REFERENCE_LABELS = {"invoice": "Factura", "order": "Pedido", "purchase_order": "Orden de compra"}


def business_duration(hours: float, calendar: BusinessCalendar) -> str:
    """Business hours as "3 d 4 h" (days of the calendar's working day) or "45 min"."""
    day_hours = sum(h.duration.total_seconds() for h in calendar.working_hours) / 3600 or 24.0
    total_minutes = round(abs(hours) * 60)
    if total_minutes < 60:
        return f"{total_minutes} min"
    days, rest = divmod(total_minutes, round(day_hours * 60))
    h = rest // 60
    parts = ([f"{days} d"] if days else []) + ([f"{h} h"] if h or not days else [])
    return " ".join(parts)


def time_left(left: TermLeft, calendar: BusinessCalendar) -> str:
    """What a paused term has left, as a person reads it: «quedan 3 días hábiles»."""
    restart = left.term
    if restart is not None:  # Ley 1755 de 2015 art. 17: the whole term again
        verb = "queda" if restart.amount == 1 else "quedan"
        return f"{verb} {restart.describe()}, contados de nuevo cuando se complete la petición"
    if left.unit is LeftUnit.BUSINESS_DAYS:
        if left.amount <= 0:
            return "vence el día en que se reanude"
        return "queda 1 día hábil" if left.amount == 1 else f"quedan {left.amount} días hábiles"
    duration = left.duration
    assert duration is not None
    hours = duration.total_seconds() / 3600
    if left.unit is LeftUnit.CLOCK_TIME:
        minutes = max(round(hours * 60), 0)
        if minutes < 60:
            return f"quedan {minutes} min"
        return f"quedan {minutes // 60} h {minutes % 60:02d} min"
    return f"quedan {business_duration(max(hours, 0.0), calendar)} hábiles"


def paused_summary(reading: TermReading | None, calendar: BusinessCalendar) -> str | None:
    """«En pausa desde <fecha local>; quedan …» for a paused term (``None`` for one that runs): the
    stored deadline moves when the term resumes, so it is not what a person should read."""
    if reading is None or reading.paused_since is None or reading.left is None:
        return None
    since = reading.paused_since.astimezone(calendar.zone).strftime("%d/%m/%Y %H:%M")
    return f"En pausa desde {since}; {time_left(reading.left, calendar)}"


def field_label(path: str) -> str:
    head, _, rest = path.partition(".")
    label = FIELD_LABELS.get(head, head)
    return f"{label} ({FIELD_LABELS.get(rest, rest)})" if rest else label


def first_upper(text: str) -> str:
    """``text`` with its first letter in capitals and the rest untouched (Jinja's ``capitalize``
    lowercases the rest, turning a filing number «PED-000000» into «ped-000000»)."""
    return text[:1].upper() + text[1:]


def error_message(exc: BaseException, titles: Mapping[str, str] | None = None) -> str:
    """A domain error as one or more Spanish sentences for a person; ``titles`` names the fields the
    built-in labels do not know (e.g. ``custom_fields.<code>`` by the custom field's label)."""
    if isinstance(exc, ValidationError):
        known = titles or {}
        lines = [f"{known.get(field) or field_label(field)}: {message}"
                 for field, message in sorted(exc.errors.items())]
        return "Datos inválidos. " + "; ".join(lines) + "."
    if isinstance(exc, NotFound):
        return f"No existe {exc.what} «{exc.key}»."
    if isinstance(exc, InvalidTransition | TransitionNotPermitted | ConcurrencyConflict):
        return str(exc)
    if isinstance(exc, DomainError):
        text = str(exc)
        return first_upper(text) if text else "La operación no es posible."
    return "Ocurrió un error inesperado."


@attrs.frozen
class Labels:
    """Looks codes up in the catalog (falls back to the code itself when an entry was removed)."""

    catalog: Catalog
    timezone: str
    users: Mapping[str, str] = attrs.field(factory=dict)

    def _entry(self, list_name: str, code: str | None) -> str:
        if not code:
            return "—"
        for entry in self.catalog.entries(list_name):
            if entry.code == code:
                return entry.label
        return code

    def kind(self, code: str | None) -> str:
        return self._entry("kinds", code)

    def channel(self, code: str | None) -> str:
        return self._entry("channels", code)

    def reason(self, code: str | None) -> str:
        return self._entry("reasons", code)

    def document_type(self, code: str | None) -> str:
        return self._entry("document_types", code)

    def root_cause(self, code: str | None) -> str:
        return self._entry("root_causes", code)

    def priority(self, code: str | None) -> str:
        if not code:
            return "—"
        return next((p.label for p in self.catalog.priorities if p.code == code), code)

    def queue(self, code: str | None) -> str:
        if not code:
            return "—"
        return next((q.label for q in self.catalog.queues if q.code == code), code)

    def state(self, case: Case) -> str:
        return self.state_code(case.workflow, case.state)

    def state_code(self, workflow_code: str, state: str | None) -> str:
        if not state:
            return "—"
        for workflow in self.catalog.workflows:
            if workflow.code == workflow_code and workflow.has_state(state):
                return workflow.state(state).label
        return state

    def transition(self, workflow_code: str, name: str) -> str:
        """The label of transition ``name`` in the case's workflow, else in any workflow that has it
        (a transition tried on a case whose workflow lacks it is still named as a person knows it)."""
        found = [w.transition(name) for w in self.catalog.workflows]
        labels = {w.code: t.label for w, t in zip(self.catalog.workflows, found, strict=True)
                  if t is not None}
        return labels.get(workflow_code) or next(iter(labels.values()), name)

    def user(self, username: str | None) -> str:
        if not username:
            return "—"
        return self.users.get(username) or SYSTEM_ACTORS.get(username, username)

    @property
    def timezone_label(self) -> str:
        """The organisation's time zone as a person calls it: "Colombia", not "America/Bogota"."""
        return ZONE_LABELS.get(self.timezone) or self.timezone.rsplit("/", 1)[-1].replace("_", " ")

    def category(self, category: StateCategory) -> str:
        return CATEGORY_LABELS.get(category, category.value)

    def typification(self, case: Case) -> str:
        return str(case.typification) if case.typification is not None else "Sin tipificar"

    def local(self, instant: datetime | None) -> str:
        """``dd/mm/aaaa hh:mm`` in the organisation's time zone."""
        if instant is None:
            return "—"
        return instant.astimezone(ZoneInfo(self.timezone)).strftime("%d/%m/%Y %H:%M")

    def local_iso(self, instant: datetime | None) -> str:
        if instant is None:
            return ""
        return instant.astimezone(ZoneInfo(self.timezone)).isoformat(timespec="minutes")

    # ------------------------------------------------------------------------------ history
    def describe(self, event: ev.DomainEvent, case: Case) -> str:
        """One Spanish sentence saying what happened (without who and when), as the case page and
        ``pqrs show`` tell it."""
        wf = case.workflow
        match event:
            case ev.CaseFiled():
                via = f" por el canal {self.channel(event.channel)}" if event.channel else ""
                verbal = " (petición verbal)" if event.verbal else ""
                return f"Radicó el caso {event.filing_number}{via}{verbal}."
            case ev.CaseTypified():
                before = str(event.before) if event.before is not None else "sin tipificar"
                return f"Tipificó el caso: {before} → {event.after}."
            case ev.CaseAssigned():
                if event.assignee_after:
                    text = f"Asignó el caso a {self.user(event.assignee_after)}"
                else:
                    text = "Dejó el caso sin responsable"
                if event.queue_after and event.queue_after != event.queue_before:
                    text += f" en la cola {self.queue(event.queue_after)}"
                if event.reason:  # an automatic assignment: the strategy's why
                    text += f", {event.reason}"
                return text + "."
            case ev.CaseTransitioned():
                before = self.state_code(wf, event.state_before)
                after = self.state_code(wf, event.state_after)
                return f"{self.transition(wf, event.transition)}: de «{before}» a «{after}»."
            case ev.NoteAdded():
                kind = "nota pública" if event.public else "registro de trabajo"
                return f"Agregó un {kind}: {event.text}"
            case ev.InformationRequested():
                return f"Solicitó información al peticionario: {event.message}"
            case ev.RequesterReplied():
                if not event.counter_response:
                    return f"El peticionario envió la información solicitada: {event.message}"
                reopens = " (reabre el caso)" if event.reopens else " (fuera del plazo: no reabre el caso)"
                return f"Contrarrespuesta del peticionario{reopens}: {event.message}"
            case ev.CaseResponded():
                return f"Respondió al peticionario: {event.text}"
            case ev.CaseClosed():
                return ("Cerró el caso (resuelto en primer contacto)."
                        if event.first_contact_resolution else "Cerró el caso.")
            case ev.CaseReopened():
                return f"Reabrió el caso: {event.reason}"
            case ev.CaseReturnedForRetypification():
                who = f" a {self.user(event.returned_to)}" if event.returned_to else ""
                return f"Devolvió el caso{who} para re-tipificar: {event.reason}"
            case ev.FieldChanged():
                return (f"Cambió {field_label(event.field)}: {_plain(event.before)} → "
                        f"{_plain(event.after)}.")
            case ev.AttachmentAdded():
                kb = max(1, round(event.attachment.size / 1024))
                if event.letter is not None:
                    title = LETTER_KINDS.get(event.letter, event.letter)
                    return (f"Generó el oficio «{title}» en PDF: «{event.attachment.filename}» ({kb} KB, "
                            f"SHA-256 {event.attachment.sha256}).")
                return f"Adjuntó «{event.attachment.filename}» ({kb} KB)."
            case ev.QualityReviewed():
                return _quality_review(event)
            case ev.RootCauseRecorded():
                text = f"Registró la causa raíz: {self.root_cause(event.cause)}"
                if event.area:
                    text += f" (área responsable: {self.queue(event.area)})"
                if event.action:
                    due = event.action_due.strftime("%d/%m/%Y") if event.action_due else "—"
                    owner = self.user(event.action_owner)
                    text += f". Acción correctiva: {event.action} — responsable {owner}, a más tardar el "
                    text += due
                return text + "."
            case ev.CorrectiveActionCompleted():
                return "Completó la acción correctiva" + (f": {event.note}" if event.note else ".")
            case ev.CaseDeleted():
                return f"Eliminó el caso: {event.reason}"
            case ev.VoidingRequested():
                what = f"el radicado de salida {event.number}" if event.number else "el caso"
                return f"Pidió anular {what}: {event.reason}"
            case ev.VoidingRejected():
                what = f"del radicado de salida {event.number}" if event.number else "del caso"
                return f"Rechazó la anulación {what}" + (f": {event.note}" if event.note else ".")
            case ev.OutgoingNumberVoided():
                return (f"Aprobó la anulación pedida por {self.user(event.requested_by)}: el radicado de "
                        f"salida {event.number} queda anulado con el registro {event.record} (sigue usado, "
                        f"no se vuelve a asignar). Motivo: {event.reason}")
            case ev.CaseVoided():
                return (f"Aprobó la anulación pedida por {self.user(event.requested_by)}: el caso queda "
                        f"anulado con el registro {event.record}. Motivo: {event.reason}")
            case ev.EscalatedToThirdParty():
                return _escalated(event)
            case ev.ThirdPartyReplied():
                return f"Respuesta del tercero ({event.sender}): {event.message}"
            case ev.ResponseDrafted():
                closes = " (al enviarla se cierra el caso)" if event.close else ""
                return f"Redactó la respuesta para aprobación{closes}: {event.text}"
            case ev.ResponseApproved():
                return f"Aprobó la respuesta que redactó {self.user(event.drafted_by)}."
            case ev.LetterSigned():
                return (f"Firmó digitalmente el oficio «{event.filename}» con el certificado de la "
                        f"organización, a nombre de {event.signer}: código de verificación {event.code}, "
                        f"SHA-256 {event.sha256}.")
            case ev.ResponseReturned():
                return f"Devolvió la respuesta a {self.user(event.drafted_by)}: {event.comment}"
            case _ if isinstance(event, delivery_presentation.DELIVERY_EVENTS):
                return delivery_presentation.describe(event)
            case ev.ThirdPartyEscalationEnded():
                how = ("llegó su respuesta" if event.reason == "reply"
                       else "se retomó sin esperar su respuesta")
                return f"El caso volvió de {event.party_name} ({event.address}): {how}."
            case ev.RuleApplied():
                return (f"Por la regla «{event.rule_name}» (versión {event.rule_version}): "
                        f"{'; '.join(event.actions) or 'sin acciones'}.")
            case ev.TypificationDefaultsApplied():
                return f"Por la tipificación {event.typification_label}: {', '.join(event.applied)}."
            case ev.CaseTagged():
                parts = []
                if event.added:
                    parts.append("agregó " + ", ".join(f"«{t}»" for t in event.added))
                if event.removed:
                    parts.append("quitó " + ", ".join(f"«{t}»" for t in event.removed))
                return first_upper(" y ".join(parts)) + (" como etiquetas." if len(event.added) + len(
                    event.removed) > 1 else " como etiqueta.")
            case ev.ItemsInvolved():
                return items_text(event)
        # The events of the term clock read as the line that explains the deadline, without its time.
        lines = explain_term([event], ZoneInfo(self.timezone))
        if not lines:
            return f"{event.name}."
        line = lines[0].split(": ", 1)[-1]
        return first_upper(line)

    def custom_field(self, code: str) -> str:
        """The label of a custom field (its code when the catalog no longer defines it)."""
        return next((d.label for d in self.catalog.fields if d.code == code), code)


def _escalated(event: ev.EscalatedToThirdParty) -> str:
    text = f"Escaló el caso a {event.party_name} ({event.address}): {event.message}"
    if event.notes:
        text += f" · Notas enviadas: {len(event.notes)}."
    if event.attachments:
        text += " · Adjuntos enviados: " + ", ".join(a.filename for a in event.attachments) + "."
    if event.pauses_term:
        text += " · El término se detiene mientras el tercero tiene el caso."
    return text


def _quality_review(event: ev.QualityReviewed) -> str:
    met = [CHECKLIST_LABELS.get(code, code).lower() for code, ok in event.checklist.items() if ok]
    missed = [CHECKLIST_LABELS.get(code, code).lower() for code, ok in event.checklist.items() if not ok]
    text = f"Revisó la calidad de la atención: {event.score} de {MAX_SCORE}."
    if met:
        text += f" Cumple: {'; '.join(met)}."
    if missed:
        text += f" No cumple: {'; '.join(missed)}."
    if event.notes:
        text += f" Observaciones: {event.notes}"
    return text


def _plain(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "(vacío)"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, bool):
        return "sí" if value else "no"
    return str(value)
