"""Commands: what a caller asks the system to do, as plain data (imperative names)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs

from .items import InvolvedItem
from .values import AttachmentInfo, DataConsent, DocumentReference, Requester


@attrs.frozen(kw_only=True)
class FileCase:
    """File (radicar) a case. Only ``kind``, ``subject`` and ``description`` are required."""

    kind: str
    subject: str
    description: str
    requester: Requester = attrs.field(factory=Requester)
    channel: str | None = None
    reason: str | None = None
    typification: str | None = None
    priority: str | None = None
    important: bool | None = None
    urgent: bool | None = None
    queue: str | None = None
    assignee: str | None = None
    non_crm_contact: str | None = None
    # A document filed first by another system (another entity's or this one's document management,
    # e.g. Orfeo): that system's name and the number it gave, unique per system.
    external_source: str | None = None
    external_number: str | None = None
    references: tuple[DocumentReference, ...] = ()
    custom_fields: dict[str, Any] = attrs.field(factory=dict)
    received_at: datetime | None = None
    received_by: str | None = None
    verbal: bool = False
    missing_information: tuple[str, ...] = ()
    resolved_at_first_contact: bool = False
    solution: str | None = None
    # Ley 1581 de 2012 arts. 9 and 17 b: the requester's authorisation to process their data, if given.
    consent: DataConsent | None = None
    # The channel of the entry point the command came in through (the API, the portal, the public
    # form), set by the adapter and never by whoever files: a requester's filing takes it as its channel,
    # staff's when they name none (see ``filing_rights``).
    entry_channel: str | None = None
    # How long filing took the person who filed, from opening the form (seconds; productivity).
    handling_seconds: int | None = None
    # Invoice lines involved (seed 000's «Ítems y facturas involucradas»); the use case checks them
    # against the invoice sources and keeps what the ERP said.
    items: tuple[InvolvedItem, ...] = ()


@attrs.frozen(kw_only=True)
class TypifyCase:
    filing_number: str
    typification: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class TagCase:
    """Add tags to a case and remove others (free text or catalogued tags)."""

    filing_number: str
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class ChangeCaseItems:
    """Add invoice lines to the items involved in a case (checked against the invoice sources) and
    remove others by id."""

    filing_number: str
    add: tuple[InvolvedItem, ...] = ()
    remove: tuple[str, ...] = ()
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class AssignCase:
    filing_number: str
    assignee: str | None
    queue: str | None = None
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class TransitionCase:
    filing_number: str
    transition: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class AddNote:
    filing_number: str
    text: str
    public: bool = False
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class RequestInformation:
    filing_number: str
    message: str
    missing: tuple[str, ...] = ()
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class RecordRequesterReply:
    filing_number: str
    message: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class RespondCase:
    """Answer the requester. When the organisation's response letters need approval
    (``Settings.letters_need_approval``) the response is drafted instead, and sent once approved."""

    filing_number: str
    text: str
    solution: str | None = None
    close: bool = False
    # The response refuses access to the information asked for (``CaseResponded.access_denied``).
    access_denied: bool = False
    expected_version: int | None = None
    # How long writing the response took, from opening its form (seconds; productivity).
    handling_seconds: int | None = None


@attrs.frozen(kw_only=True)
class RespondWithMacro:
    """Answer the requester applying a macro (``domain.answers.macro_commands``), all or nothing: its
    field changes first (a responded case is no longer edited), then ``response``, then the macro's
    other transition. Each is recorded in the history as its own command would record it."""

    filing_number: str
    response: RespondCase
    changes: tuple[Any, ...] = ()
    transition: Any | None = None
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class ApproveResponse:
    """Approve the drafted response (someone other than who drafted it): it is sent with its letter."""

    filing_number: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class ReturnResponse:
    """Return the drafted response to who drafted it, with a comment; nothing is sent."""

    filing_number: str
    comment: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class CloseCase:
    filing_number: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class ReopenCase:
    filing_number: str
    reason: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class ReturnForRetypification:
    filing_number: str
    reason: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class ChangeFields:
    """Edit the editable fields; ``changes`` maps field name to its new value (plain data)."""

    filing_number: str
    changes: dict[str, Any]
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class SuspendTerm:
    """Stop the term while evidence is gathered (``practica_pruebas``) or the requester holds it up
    (``demora_usuario``), when the case's policy admits the cause (Decreto-Ley 2150 de 1995 art. 123)."""

    filing_number: str
    cause: str
    reason: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class EndTermSuspension:
    """The cause of a suspension ended: the term runs again, its deadline pushed back."""

    filing_number: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class ExtendTerm:
    """Prórroga: ``extra`` units of the case's term (default: the most the rule allows)."""

    filing_number: str
    reason: str
    extra: int | None = None
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class RequestCompletion:
    """Ley 1755 de 2015 art. 17: ask the requester to complete an incomplete petition."""

    filing_number: str
    message: str
    missing: tuple[str, ...] = ()
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class ExtendCompletionTime:
    """The requester asked, before their month ran out, for the same time again (art. 17)."""

    filing_number: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class DeclareWithdrawal:
    """Desistimiento tácito (art. 17), with its reasons."""

    filing_number: str
    reason: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class RecordAdmissionNotice:
    """A tutela was admitted and the organisation notified: the report to the judge is due within
    ``days`` (1 to 3, as the judge sets; Decreto 2591 de 1991 art. 19), counted from ``notified_at``
    (default: now)."""

    filing_number: str
    days: int
    notified_at: datetime | None = None
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class RecordRulingNotice:
    """The organisation was notified of the tutela ruling: it complies within ``hours`` (at most 48, as
    the judge sets; Decreto 2591 de 1991 arts. 27 and 29 num. 5), counted from ``notified_at``."""

    filing_number: str
    hours: int
    notified_at: datetime | None = None
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class TransferCase:
    """Traslado por competencia (art. 21) to ``entity``, with a copy to the requester."""

    filing_number: str
    entity: str
    reason: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class AddAttachment:
    """Attach a file. ``public``: whether the requester may see it, chosen by the service team (internal
    when not given); the requester's own files are always visible to them. ``sender``: whom the
    hourly upload allowance is counted for when the actor stands for many people (the public form:
    a keyed hash of the client's address); the actor's user name when not given."""

    filing_number: str
    filename: str
    content_type: str
    content: bytes
    public: bool | None = None
    sender: str | None = None
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class RecordQualityReview:
    """A quality advisor's review of a closed case: a score from 1 to 5, the checklist (item code ->
    met; items not given count as not met) and observations."""

    filing_number: str
    score: int
    checklist: dict[str, bool] = attrs.field(factory=dict)
    notes: str = ""
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class RecordRootCause:
    """Attribute a resolved case to a root cause of the catalog (``root_causes``) and an area (a queue),
    with a corrective action when one is needed: its description, who answers for it and the date it is
    due (all three, or none)."""

    filing_number: str
    cause: str
    area: str | None = None
    action: str = ""
    action_owner: str | None = None
    action_due: date | None = None
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class CompleteCorrectiveAction:
    """Mark the corrective action of a case's root cause as carried out, saying what was done."""

    filing_number: str
    note: str = ""
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class RequestVoiding:
    """Ask for a case (``target_kind`` ``case``) or an outgoing filing number to be voided (anulado),
    with the reason. Nothing is ever deleted: a second person with another role approves or rejects."""

    target: str
    reason: str
    target_kind: str = "case"


@attrs.frozen(kw_only=True)
class ApproveVoiding:
    """Approve the voiding request ``voiding_id``: it becomes a numbered voiding record."""

    voiding_id: str


@attrs.frozen(kw_only=True)
class RejectVoiding:
    """Reject the voiding request ``voiding_id``, with a note: the target stays as it was."""

    voiding_id: str
    note: str = ""


@attrs.frozen(kw_only=True)
class EscalateToThirdParty:
    """Send the case to an outside party («escalar a tercero»: a software vendor, a supplier) at
    ``address`` (``name`` says who they are) with ``message``, the notes chosen by their position in
    the case's history (``note_ids``, as the history numbers its events from 1) and the attachments
    chosen by id; the case is «con tercero» until they answer or staff take it back."""

    filing_number: str
    address: str
    name: str
    message: str
    note_ids: tuple[int, ...] = ()
    attachment_ids: tuple[str, ...] = ()
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class RecordThirdPartyReply:
    """Record what the third party wrote (``sender``: their address), received at ``received_at``
    (now when not given). From the address the case is escalated to, the case comes back to work."""

    filing_number: str
    message: str
    sender: str
    received_at: datetime | None = None
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class ResumeFromThirdParty:
    """«Retomar»: take the case back from its third party without waiting for their answer."""

    filing_number: str
    expected_version: int | None = None


__all__ = [
    "AddAttachment", "AddNote", "AssignCase", "AttachmentInfo", "ChangeFields", "CloseCase",
    "DeclareWithdrawal",
    "RequestVoiding", "ApproveVoiding", "RejectVoiding",
    "ExtendCompletionTime", "ExtendTerm", "FileCase", "RequestCompletion",
    "SuspendTerm", "EndTermSuspension",
    "TransferCase", "RecordAdmissionNotice", "RecordRulingNotice",
    "RecordRequesterReply", "ReopenCase", "RequestInformation", "RespondCase", "ReturnForRetypification",
    "TransitionCase", "TypifyCase",
    "RecordQualityReview", "EscalateToThirdParty", "RecordThirdPartyReply", "ResumeFromThirdParty",
    "RecordRootCause", "CompleteCorrectiveAction",
]


@attrs.frozen(kw_only=True)
class RequestInternal:
    """Ask another area (``queue``) for something the case needs (a solicitud interna), to be answered
    by ``due`` (a date inside the case's legal term)."""

    filing_number: str
    queue: str
    text: str
    due: date | None
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class AnswerInternal:
    """Answer the internal request ``request_id`` of the case, as a member of the area it was made to.
    The area's members answer it even when the case is not in their queues."""

    filing_number: str
    request_id: str
    answer: str
    expected_version: int | None = None


# --- proof of notification (delivery.py) ---------------------------------------------------------------
@attrs.frozen(kw_only=True)
class RecordEmailDelivery:
    """What became of the e-mail of a communication (``response``, ``information_request``,
    ``extension``): ``sent`` by the outbox, or ``bounced`` (a delivery status notification)."""

    filing_number: str
    communication: str
    status: str
    address: str | None = None
    message_id: str | None = None
    reason: str | None = None
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class RecordPortalRead:
    """The requester opened the case in the portal: the answer is notified (the first time)."""

    filing_number: str
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class RecordInPersonDelivery:
    """Personal notification: who received it and the signed receipt (an attachment of the case)."""

    filing_number: str
    received_by: str
    receipt: str
    communication: str = "response"
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class RecordCourierDelivery:
    """A step of a delivery by courier (``dispatched``, ``delivered``, ``returned`` with ``reason``)."""

    filing_number: str
    company: str
    guide: str
    status: str
    reason: str | None = None
    proof: str | None = None  # an attachment of the case
    communication: str = "response"
    expected_version: int | None = None


@attrs.frozen(kw_only=True)
class PublishNotice:
    """Publish the aviso of an answer that could not be notified (CPACA art. 69)."""

    filing_number: str
    expected_version: int | None = None
