"""Domain events: everything that happens to a case, in the past tense.

The stored list of a case's events is its history (traceability): who, when, what, before → after.
Replaying the list rebuilds the case's snapshot (``Case.replay``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs

from .items import InvolvedItem
from .sla import Alarm
from .term_left import TermLeft
from .terms import Term
from .typification import Typification
from .values import AttachmentInfo, DataConsent, DocumentReference, Requester


@attrs.frozen(kw_only=True)
class DomainEvent:
    case_id: str
    actor: str
    occurred_at: datetime

    @property
    def name(self) -> str:
        return type(self).__name__


@attrs.frozen(kw_only=True)
class CaseFiled(DomainEvent):
    """A case was filed (radicado) with the data it was received with."""

    filing_number: str
    kind: str
    subject: str
    description: str
    workflow: str
    state: str
    requester: Requester
    channel: str | None = None
    reason: str | None = None
    typification: Typification | None = None
    priority: str | None = None
    queue: str | None = None
    assignee: str | None = None
    non_crm_contact: str | None = None
    # A document filed first by another system (another entity's or this one's document management,
    # e.g. Orfeo): that system's name and the number it gave, unique per system.
    external_source: str | None = None
    external_number: str | None = None
    references: tuple[DocumentReference, ...] = ()
    custom_fields: dict[str, Any] = attrs.field(factory=dict)
    missing_information: tuple[str, ...] = ()
    received_at: datetime
    received_by: str | None = None
    verbal: bool = False
    # The staff member who filed it, to whom back office returns it for re-typification (seed 002);
    # None when the requester filed it themselves (web form, portal, API).
    front_line_agent: str | None = None
    # The authorisation to process the requester's personal data (Ley 1581 de 2012), when given.
    consent: DataConsent | None = None
    # Seconds from opening the filing form to filing (the productivity report's handling time).
    handling_seconds: int | None = None
    # The version of ``workflow`` the case follows (cases filed before workflows had versions: 1).
    workflow_version: int = 1


@attrs.frozen(kw_only=True)
class CaseTypified(DomainEvent):
    before: Typification | None
    after: Typification


@attrs.frozen(kw_only=True)
class CaseAssigned(DomainEvent):
    assignee_before: str | None
    assignee_after: str | None
    queue_before: str | None
    queue_after: str | None
    # An automatic assignment: the strategy that chose (``assignment.Strategy``) and why, in words.
    strategy: str | None = None
    reason: str | None = None


@attrs.frozen(kw_only=True)
class CaseTransitioned(DomainEvent):
    transition: str
    state_before: str
    state_after: str
    category_after: str


@attrs.frozen(kw_only=True)
class NoteAdded(DomainEvent):
    """A work-log entry (registro de trabajo); ``public`` notes are shown to the requester."""

    text: str
    public: bool = False


@attrs.frozen(kw_only=True)
class InformationRequested(DomainEvent):
    message: str
    missing: tuple[str, ...] = ()
    # The outgoing filing number the communication was sent with (``outgoing``).
    outgoing_number: str | None = None


@attrs.frozen(kw_only=True)
class RequesterReplied(DomainEvent):
    """The requester answered: to an information request, or after the response (contrarrespuesta)."""

    message: str
    counter_response: bool = False
    reopens: bool = False


@attrs.frozen(kw_only=True)
class CaseResponded(DomainEvent):
    text: str
    solution: str
    # Seconds from opening the response form to sending it (the productivity report's handling time).
    handling_seconds: int | None = None
    # The response refused access to the information asked for (reserved or classified information,
    # Ley 1712 de 2014 arts. 18-19): the public report of requests counts them (Decreto 103 de 2015
    # art. 52 d).
    access_denied: bool = False
    # The queue (level) the responder answered from: the case's queue when the responder works in it (or
    # belongs to no queue), else the responder's highest-tier queue. Reports count who resolved by it.
    responder_queue: str | None = None
    # The outgoing filing number the communication was sent with (``outgoing``).
    outgoing_number: str | None = None


@attrs.frozen(kw_only=True)
class ResponseDrafted(DomainEvent):
    """The response (and its official letter) was drafted and waits for a second person's approval
    before it is sent; ``close``: the case closes when it is. Staff only."""

    text: str
    solution: str
    close: bool = False
    access_denied: bool = False


@attrs.frozen(kw_only=True)
class ResponseApproved(DomainEvent):
    """A second person approved the response ``drafted_by`` wrote: it is sent (``CaseResponded``
    follows). Staff only."""

    drafted_by: str


@attrs.frozen(kw_only=True)
class LetterSigned(DomainEvent):
    """The official letter ``filename`` (attachment ``attachment_id``) was signed with the
    organisation's certificate in the name of ``signer``: ``sha256`` is the signed document's digest,
    ``code`` the verification code it prints, ``filing_numbers`` the numbers it carries."""

    code: str
    filename: str
    sha256: str
    signer: str
    signer_role: str = ""
    filing_numbers: tuple[str, ...] = ()
    attachment_id: str = ""


@attrs.frozen(kw_only=True)
class ResponseReturned(DomainEvent):
    """The approver returned the drafted response to ``drafted_by`` with a ``comment``: nothing was
    sent, the case is answered again. Staff only."""

    drafted_by: str
    comment: str


@attrs.frozen(kw_only=True)
class CaseClosed(DomainEvent):
    first_contact_resolution: bool = False


@attrs.frozen(kw_only=True)
class CaseReopened(DomainEvent):
    reason: str


@attrs.frozen(kw_only=True)
class CaseReturnedForRetypification(DomainEvent):
    reason: str
    returned_to: str | None


@attrs.frozen(kw_only=True)
class FieldChanged(DomainEvent):
    """An editable field changed; ``before``/``after`` are plain data (JSON-compatible)."""

    field: str
    before: Any
    after: Any


@attrs.frozen(kw_only=True)
class AttachmentAdded(DomainEvent):
    """A file joined the case. ``letter``: the official letter (oficio) the organisation issued, by kind
    (``response``, ``acknowledgement``...; see ``letters.py``), generated as a PDF whose SHA-256 the
    attachment carries; ``None`` for a file someone uploaded."""

    attachment: AttachmentInfo
    letter: str | None = None


@attrs.frozen(kw_only=True)
class TermStarted(DomainEvent):
    """The terms that apply to the case were (re)computed: at filing, or when what selects the policy
    changed (kind, typification, priority, channel). ``reason`` says why, in Spanish."""

    policy: str
    policy_label: str
    source: str
    term: Term
    first_response_term: Term | None
    first_response_due: datetime | None
    resolution_due: datetime
    reason: str
    alarms: tuple[Alarm, ...] = ()
    # When the term counts from another instant than the reception: the day after the missing items
    # of an incomplete petition arrived (Ley 1755 de 2015 art. 17), or the reopening of the case. Pauses
    # before it no longer count.
    counted_from: datetime | None = None
    # A new term after the case was reopened: the earlier term's extension and alarms no longer count.
    new_term: bool = False
    # Recomputed while the term is paused: what the new term has left (``term_left``).
    paused_left: TermLeft | None = None


@attrs.frozen(kw_only=True)
class TermEnded(DomainEvent):
    """The case entered a done state (``state``): its term ended there, ``met`` when in time for the
    deadline ``due`` (the time a pause stood still does not count against it)."""

    state: str
    due: datetime
    met: bool
    state_label: str = ""


@attrs.frozen(kw_only=True)
class TermPaused(DomainEvent):
    """The case entered a waiting state: the requester owes something, the term stops running."""

    due_before: datetime
    # What the term had left when it stopped (``term_left``); not recorded before it was kept.
    left: TermLeft | None = None


@attrs.frozen(kw_only=True)
class TermResumed(DomainEvent):
    """The case left the waiting state: the term runs again, its deadline pushed back."""

    paused_since: datetime
    due_after: datetime
    alarms: tuple[Alarm, ...] = ()


@attrs.frozen(kw_only=True)
class TermSuspended(DomainEvent):
    """Staff stopped the term for a cause its policy admits (evidence being gathered, a delay the
    requester caused: Decreto-Ley 2150 de 1995 art. 123); ``TermResumed`` ends it."""

    cause: str
    cause_label: str
    reason: str
    source: str
    due_before: datetime
    left: TermLeft | None = None  # what the term had left when it stopped (``term_left``)


@attrs.frozen(kw_only=True)
class TermExtended(DomainEvent):
    """A prórroga (CPACA art. 14 parágrafo): once, with the reasons and the new date told to the
    requester before the term ends."""

    extra: int
    reason: str
    due_before: datetime
    due_after: datetime
    alarms: tuple[Alarm, ...] = ()
    # Extended while the term is paused: what it has left now (``term_left``).
    paused_left: TermLeft | None = None
    # The outgoing filing number the communication was sent with (``outgoing``).
    outgoing_number: str | None = None


@attrs.frozen(kw_only=True)
class TermAlarmRaised(DomainEvent):
    """``fraction`` of the term has been used (1.0: the deadline passed without an answer)."""

    fraction: float
    due: datetime


@attrs.frozen(kw_only=True)
class CaseEscalated(DomainEvent):
    """The term was missed: the case moves to the next queue tier (unassigned, for distribution),
    or, with no tier above, stays and the supervisors are told."""

    queue_before: str | None
    queue_after: str | None
    reason: str
    # Who else is told, when the escalation policy names a group or an address (``escalation``):
    # ``role:<code>`` or ``external:<e-mail>``; ``None``: the supervisors.
    recipient: str | None = None


@attrs.frozen(kw_only=True)
class CompletionRequested(DomainEvent):
    """Ley 1755 de 2015 art. 17: the petition is incomplete; the requester is asked to complete it and
    has one month (``requester_due``). ``late`` when asked after the 10 days the law gives."""

    message: str
    missing: tuple[str, ...]
    requester_due: datetime
    late: bool
    # The outgoing filing number the communication was sent with (``outgoing``).
    outgoing_number: str | None = None


@attrs.frozen(kw_only=True)
class CompletionTimeExtended(DomainEvent):
    """The requester asked for more time before it ran out: once, by the same period (art. 17)."""

    requester_due: datetime


@attrs.frozen(kw_only=True)
class CompletionReceived(DomainEvent):
    """The missing items arrived: the term "se reactivará" (art. 17). ``resumed``: the days left when
    the petition was found incomplete run on (the policy's choice, ``CompletionRestart``); otherwise
    the whole term starts again the day after."""

    resumed: bool = False


@attrs.frozen(kw_only=True)
class PetitionWithdrawn(DomainEvent):
    """Desistimiento tácito (art. 17): the requester did not complete the petition in time. The
    decision is reasoned and notified; the petition may be filed again."""

    reason: str
    # The outgoing filing number the communication was sent with (``outgoing``).
    outgoing_number: str | None = None


@attrs.frozen(kw_only=True)
class CaseTransferred(DomainEvent):
    """Traslado (art. 21): forwarded to the competent ``entity``, with a copy to the requester;
    ``late`` when done after the 5 days the law gives."""

    entity: str
    reason: str
    late: bool
    # The outgoing filing number the communication was sent with (``outgoing``).
    outgoing_number: str | None = None


@attrs.frozen(kw_only=True)
class QualityReviewed(DomainEvent):
    """A quality advisor reviewed the closed case: ``score`` on the scale of ``quality.py``, every
    checklist item (code -> met) and their observations."""

    score: int
    checklist: dict[str, bool] = attrs.field(factory=dict)
    notes: str = ""


@attrs.frozen(kw_only=True)
class RootCauseRecorded(DomainEvent):
    """The root cause a resolved case is attributed to (a code of the catalog's ``root_causes``), the
    area responsible for it (a queue) and, when one is needed, the corrective action: what is to be
    done, by whom, by when. Recording again replaces the earlier cause and action."""

    cause: str
    area: str | None = None
    action: str = ""
    action_owner: str | None = None
    action_due: date | None = None


@attrs.frozen(kw_only=True)
class CorrectiveActionCompleted(DomainEvent):
    """The corrective action of the case's root cause was carried out, with what was done."""

    note: str = ""


@attrs.frozen(kw_only=True)
class CaseDeleted(DomainEvent):
    """An administrator deleted the case, with the reason. The case and its history stay in the store
    (its filing number is never reused, the deletion can be audited) but it no longer appears in any
    listing, search, report, count or page."""

    reason: str


@attrs.frozen(kw_only=True)
class VoidingRequested(DomainEvent):
    """Someone asked to void (anular) the case, with the reason: the voiding request ``request_id``
    waits for a second person holding one of ``approver_roles`` (told by the bell). The case is
    unchanged meanwhile."""

    request_id: str
    reason: str
    approver_roles: tuple[str, ...] = ()
    number: str = ""  # the outgoing number to void, when it is one of the case's (not the case)


@attrs.frozen(kw_only=True)
class VoidingRejected(DomainEvent):
    """The voiding request ``request_id`` was rejected, with the note: the case (or its outgoing
    ``number``) stays as it was."""

    request_id: str
    note: str = ""
    number: str = ""


@attrs.frozen(kw_only=True)
class CaseVoided(DomainEvent):
    """The case was voided (anulado): the request ``request_id`` of ``requested_by`` was approved by
    the event's actor and kept as the voiding record ``record`` (e.g. ``AN-2026-000001``). The case,
    its filing number and its history stay in the store for the auditors; it leaves every ordinary
    listing, search, count and report."""

    request_id: str
    record: str
    reason: str
    requested_by: str


@attrs.frozen(kw_only=True)
class OutgoingNumberVoided(DomainEvent):
    """One of the case's outgoing numbers, ``number``, was voided: the request ``request_id`` of
    ``requested_by`` was approved by the event's actor and kept as the voiding record ``record``. The
    number stays used (never handed out again) and is shown as voided wherever it appears."""

    request_id: str
    record: str
    reason: str
    requested_by: str
    number: str


@attrs.frozen(kw_only=True)
class EscalatedToThirdParty(DomainEvent):
    """Staff sent the case to an outside party («escalar a tercero»): ``address`` and name of the
    third party, the ``message`` written to them, the texts of the notes and the attachments sent
    along. ``pauses_term``: the case's term policy stops the term while the third party holds the
    case (a ``TermSuspended`` follows); by default it keeps running. Staff only: never shown to the
    requester."""

    address: str
    party_name: str  # who the third party is («Mind de Colombia»); ``name`` is the event's
    message: str
    notes: tuple[str, ...] = ()
    attachments: tuple[AttachmentInfo, ...] = ()
    pauses_term: bool = False


@attrs.frozen(kw_only=True)
class ThirdPartyReplied(DomainEvent):
    """A message from the third party the case was escalated to (``sender``), received at
    ``received_at``. Staff only: never shown to the requester."""

    sender: str
    message: str
    received_at: datetime


@attrs.frozen(kw_only=True)
class ThirdPartyEscalationEnded(DomainEvent):
    """The case came back from the third party: their ``reply`` arrived, or staff «Retomar» it
    (``resumed``); it is worked on again."""

    address: str
    party_name: str
    reason: str  # "reply" or "resumed"


@attrs.frozen(kw_only=True)
class InternalRequestSent(DomainEvent):
    """Staff asked another area (``queue``) for something the case needs (a solicitud interna), to be
    answered by ``due`` (organisation's date, inside the legal term). Staff only."""

    request_id: str
    queue: str
    text: str
    due: date
    soon_at: datetime  # when the area is told it falls due (the business day before ``due``)
    overdue_at: datetime  # the end of ``due``


@attrs.frozen(kw_only=True)
class InternalRequestAnswered(DomainEvent):
    """A member of the area answered the internal request. Staff only."""

    request_id: str
    queue: str
    answer: str


@attrs.frozen(kw_only=True)
class InternalRequestAlarmRaised(DomainEvent):
    """An internal request falls due (``level`` "soon") or is overdue ("overdue") unanswered."""

    request_id: str
    queue: str
    level: str
    due: date


@attrs.frozen(kw_only=True)
class TypificationDefaultsApplied(DomainEvent):
    """The defaults of the case's typification were applied (``routing_defaults``): ``applied`` says
    what in Spanish («cola Back office»), each with the node it comes from in ``origins``; the changes
    themselves follow as their own events."""

    typification: str
    typification_label: str
    applied: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class RuleApplied(DomainEvent):
    """A routing rule fired (``rules``): its code, name and version, the trigger, and its actions read
    in Spanish; the changes follow as their own events. ``notify``: who the rule tells (``user:``,
    ``queue:``, ``role:`` or an e-mail address)."""

    rule: str
    rule_name: str
    rule_version: int
    trigger: str
    actions: tuple[str, ...] = ()
    notify: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class CaseTagged(DomainEvent):
    """Tags were added to or removed from the case."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class ItemsInvolved(DomainEvent):
    """Invoice lines were added to the items involved in the case (each with what the ERP said of it
    then, when it was checked) or removed from them (by item id)."""

    added: tuple[InvolvedItem, ...] = ()
    removed: tuple[str, ...] = ()


# ---------------------------------------------------------------- proof of notification (delivery.py)
@attrs.frozen(kw_only=True)
class EmailDeliveryRecorded(DomainEvent):
    """What became of the e-mail of a communication: ``sent`` (the server accepted it) or ``bounced``
    (a delivery status notification came back, ``reason`` its diagnostic)."""

    communication: str
    status: str
    address: str | None = None
    message_id: str | None = None
    reason: str | None = None


@attrs.frozen(kw_only=True)
class ReadInPortal(DomainEvent):
    """The requester opened the case in the portal and saw the communication."""

    communication: str


@attrs.frozen(kw_only=True)
class DeliveredInPerson(DomainEvent):
    """Personal notification: who received it and the signed receipt (an attachment's id)."""

    communication: str
    received_by: str
    receipt: str


@attrs.frozen(kw_only=True)
class CourierDeliveryRecorded(DomainEvent):
    """A step of a delivery by courier: dispatched, delivered or returned (with the reason)."""

    communication: str
    company: str
    guide: str
    status: str
    reason: str | None = None
    proof: str | None = None  # the proof file: an attachment's id


@attrs.frozen(kw_only=True)
class NoticePublished(DomainEvent):
    """The aviso published on the website (CPACA art. 69): the days it stays and when the
    notification is surtida."""

    communication: str
    published_from: date
    published_until: date
    notified_at: datetime


# Events no command records any more, kept so that stored histories still read: a case was deleted
# (``CaseDeleted``) before deleting gave way to voiding (``CaseVoided``).
LEGACY_EVENT_TYPES = frozenset({"CaseDeleted"})

EVENT_TYPES: dict[str, type[DomainEvent]] = {
    cls.__name__: cls
    for cls in (
        CaseFiled, CaseTypified, CaseAssigned, CaseTransitioned, NoteAdded, InformationRequested,
        RequesterReplied, CaseResponded, CaseClosed, CaseReopened, CaseReturnedForRetypification,
        FieldChanged, AttachmentAdded, TermStarted, TermPaused, TermResumed, TermExtended, TermAlarmRaised,
        TermEnded, CaseEscalated, CompletionRequested, CompletionTimeExtended, CompletionReceived,
        PetitionWithdrawn, CaseTransferred, QualityReviewed, RootCauseRecorded, CorrectiveActionCompleted,
        CaseDeleted, TermSuspended, VoidingRequested, VoidingRejected, CaseVoided, OutgoingNumberVoided,
        EscalatedToThirdParty, ThirdPartyReplied, ThirdPartyEscalationEnded,
        InternalRequestSent, InternalRequestAnswered, InternalRequestAlarmRaised, TypificationDefaultsApplied,
        RuleApplied, CaseTagged, ResponseDrafted, ResponseApproved, ResponseReturned, ItemsInvolved,
        LetterSigned, EmailDeliveryRecorded, ReadInPortal, DeliveredInPerson, CourierDeliveryRecorded,
        NoticePublished,
    )
}
