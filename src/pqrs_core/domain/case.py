"""The ``Case`` aggregate (caso / PQR).

Command methods check invariants against the ``Catalog``, then record a domain event; every state
change goes through ``_apply(event)``, so replaying a case's stored events rebuilds its snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs

from . import events as ev
from . import internal_requests as internal
from .case_legal import (
    check_withdrawal,
    completion_received,
    completion_requested,
    completion_time_extended,
    transferred,
)
from .case_terms import clock_events, due_alarms, term_extended, term_resumed, term_started
from .catalog import Catalog
from .commands import FileCase
from .delivery import Delivery
from .delivery import applied as delivery_applied
from .errors import InvalidOperation, NotFound, Problems, ValidationError
from .field_changes import EDITABLE_FIELDS, apply_field_change, plan_field_changes
from .handling import check_handling_seconds, handling_problems
from .internal_requests import InternalRequest
from .items import InvolvedItem, applied, item_problems, plan_items
from .judicial_terms import JudicialNotice, judicial_term_started
from .quality import quality_reviewed
from .requester_replies import counter_response_reopens, counter_response_term, require_requester
from .response_approval import approved, drafted, returned
from .root_causes import corrective_action_completed, root_cause_recorded
from .routing_defaults import missing_before_closing, term_policy_for
from .sla import Alarm, Pause
from .tags import plan_tags
from .term_left import TermLeft, restarting
from .term_suspension import suspension_ended, term_suspended
from .terms import Term
from .text import fold
from .third_party import escalated, resumed_from_third_party, third_party_replied
from .typification import Typification
from .values import (
    MAX_CODE,
    MAX_DESCRIPTION,
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    MAX_SUBJECT,
    Actor,
    AttachmentInfo,
    DataConsent,
    DocumentReference,
    FilingNumber,
    PendingResponse,
    ReferenceKind,
    Requester,
    ThirdPartyEscalation,
    check_text,
    require_aware,
)
from .workflow import DEDICATED_TRANSITIONS, GuardContext, StateCategory, Workflow

# A clock may run slightly ahead of another host's: a reception instant this far in the future is
# accepted as "now".
RECEPTION_CLOCK_SKEW = timedelta(minutes=5)

# Roles of the staff who file cases on behalf of a requester (phone, in person, paper).
FRONT_LINE_ROLES = frozenset({"agent", "back_office", "supervisor"})


def _references_problems(problems: Problems, refs: Iterable[DocumentReference]) -> None:
    for i, ref in enumerate(refs):
        check_text(problems, f"references.{i}.number", ref.number, max_length=MAX_CODE, required=True)


def responder_queue(case_queue: str | None, actor: Actor, catalog: Catalog) -> str | None:
    """The queue a response is sent from (``CaseResponded.responder_queue``): the case's queue when the
    responder works in it or belongs to no queue; otherwise the responder's queue of the highest tier
    (a back-office person answering a case still in the front line's queue answers as back office)."""
    if not actor.queues or case_queue in actor.queues:
        return case_queue
    tiers = {q.code: q.tier for q in catalog.queues}
    return max(sorted(actor.queues), key=lambda code: tiers.get(code, 0))


@attrs.define(kw_only=True)
class Case:
    id: str
    filing_number: FilingNumber
    kind: str
    subject: str
    description: str
    workflow: str
    state: str
    state_category: StateCategory
    requester: Requester
    received_at: datetime
    filed_at: datetime
    filed_by: str
    front_line_agent: str | None = None
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
    solution: str | None = None
    custom_fields: dict[str, Any] = attrs.field(factory=dict)
    attachments: tuple[AttachmentInfo, ...] = ()
    missing_information: tuple[str, ...] = ()
    received_by: str | None = None
    verbal: bool = False
    first_contact_resolution: bool = False
    responded_at: datetime | None = None
    closed_at: datetime | None = None
    # The term clock (see case_terms.py): policy, resolution term, deadlines, pauses, extension.
    term_policy: str | None = None
    term: Term | None = None
    first_response_due: datetime | None = None
    resolution_due: datetime | None = None
    first_responded_at: datetime | None = None
    pauses: tuple[Pause, ...] = ()
    extended_by: int = 0
    alarms: tuple[Alarm, ...] = ()
    alarms_raised: tuple[float, ...] = ()
    term_from: datetime | None = None  # set when the term restarts (art. 17, reopening)
    term_ended_at: datetime | None = None  # when the case entered a done state (cleared on reopening)
    # While the term is paused: what it had left when it stopped (see term_left.py).
    paused_left: TermLeft | None = None
    # An incomplete petition (Ley 1755 de 2015 art. 17): until when the requester may complete it.
    completion_due: datetime | None = None
    completion_extended: bool = False
    # The requester's authorisation to process their personal data (Ley 1581 de 2012 art. 9), as proof.
    consent: DataConsent | None = None
    # The last quality review of the current resolution (cleared when the case reopens).
    quality_reviewed_at: datetime | None = None
    quality_score: int | None = None
    # The root cause the resolution was attributed to and its corrective action (see root_causes.py).
    root_cause: str | None = None
    cause_area: str | None = None
    corrective_action: str | None = None
    action_owner: str | None = None
    action_due: date | None = None
    action_done_at: datetime | None = None
    # «Con tercero»: the outside party the case was escalated to and waits for (see third_party.py).
    third_party: ThirdPartyEscalation | None = None
    # Requests to other areas (solicitudes internas, see internal_requests.py), in the order made.
    internal_requests: tuple[InternalRequest, ...] = ()
    # When the case was voided (``CaseVoided``; ``CaseDeleted`` before voiding records existed): it
    # stays stored, readable by auditors, out of every ordinary listing and report.
    deleted_at: datetime | None = None
    # Labels people and rules put on the case (``CaseTagged``), free or from the catalog, in order.
    tags: tuple[str, ...] = ()
    # A response drafted and waiting for a second person's approval (see response_approval.py).
    pending_response: PendingResponse | None = None
    # Invoice lines involved (``ItemsInvolved``, see items.py), in the order added.
    items: tuple[InvolvedItem, ...] = ()
    # The version of ``workflow`` the case was filed under: it moves by that version's transitions.
    workflow_version: int = 1
    # How each communication reached the requester, step by step (proof of notification, delivery.py).
    deliveries: tuple[Delivery, ...] = ()
    created_at: datetime
    updated_at: datetime
    version: int = 0
    events: list[ev.DomainEvent] = attrs.field(factory=list, eq=False, repr=False)

    # ------------------------------------------------------------------ filing
    @classmethod
    def file(cls, command: FileCase, *, catalog: Catalog, case_id: str, number: FilingNumber,
             actor: Actor, now: datetime, public_fields_only: bool = False) -> Case:
        """Validate ``command`` and create the case. A petition is never refused for being
        incomplete (CPACA art. 15, Ley 1437 de 2011 as set by Ley 1755 de 2015): what the requester
        did not give is noted in ``missing_information``. ``public_fields_only``: the requester files
        for themselves, and may give (and is asked for) only the public custom fields."""
        problems = Problems()
        check_text(problems, "subject", command.subject, max_length=MAX_SUBJECT, required=True)
        check_text(problems, "description", command.description, max_length=MAX_DESCRIPTION, required=True)
        check_text(problems, "non_crm_contact", command.non_crm_contact, max_length=MAX_LONG_TEXT)
        external_source, external_number = _external_filing(problems, command)
        check_text(problems, "received_by", command.received_by, max_length=MAX_SHORT_TEXT)
        check_text(problems, "assignee", command.assignee, max_length=MAX_SHORT_TEXT)
        check_text(problems, "solution", command.solution, max_length=MAX_LONG_TEXT)
        catalog.check_code(problems, "kind", "kinds", command.kind, required=True)
        catalog.check_code(problems, "reason", "reasons", command.reason)
        catalog.check_code(problems, "channel", "channels", command.channel)
        catalog.check_priority(problems, command.priority)
        catalog.check_queue(problems, command.queue)
        problems.extend(handling_problems(command.handling_seconds))
        problems.extend(command.requester.problems(catalog.active_codes("document_types")), "requester.")
        _references_problems(problems, command.references)
        for i, involved in enumerate(command.items):
            item_problems(problems, f"items.{i}.", involved, command.requester.customer_id)
        for i, item in enumerate(command.missing_information):
            check_text(problems, f"missing_information.{i}", item, max_length=MAX_SHORT_TEXT)
        require_aware(problems, "received_at", command.received_at)
        received_at = command.received_at
        if (received_at is not None and received_at.utcoffset() is not None
                and received_at > now + RECEPTION_CLOCK_SKEW):
            problems.add("received_at", "no puede ser posterior al momento de la radicación")
        if command.verbal and not (command.received_by or actor.username):
            problems.add("received_by", "una petición verbal debe registrar quién la recibió")
        if command.consent is not None:
            problems.extend(command.consent.problems(), "consent.")
            catalog.check_code(problems, "consent.channel", "channels", command.consent.channel)
            given = command.consent.given_at
            if given.utcoffset() is not None and given > now + RECEPTION_CLOCK_SKEW:
                problems.add("consent.given_at", "no puede ser posterior al momento de la radicación")
        if command.resolved_at_first_contact and not (command.solution and command.solution.strip()):
            problems.add("solution", "es obligatoria para un caso resuelto en primer contacto")
        typification = None
        if command.typification:
            try:
                typification = catalog.typifications.classify(command.typification)
            except ValidationError as exc:
                problems.extend(exc.errors)
        priority = command.priority
        if (command.important is None) != (command.urgent is None):
            half = "urgent" if command.urgent is None else "important"
            problems.add(half, "para derivar la prioridad se indican importancia y urgencia")
        elif priority is None and command.important is not None and command.urgent is not None:
            try:
                priority = catalog.derive_priority(command.important, command.urgent).code
            except ValidationError as exc:
                problems.extend(exc.errors)
        workflow = None
        if command.kind in catalog.active_codes("kinds"):
            try:
                workflow = catalog.workflow_for(command.kind)
            except Exception:
                problems.add("kind", f"el tipo «{command.kind}» no tiene un flujo de trabajo configurado")
        custom_fields: dict[str, Any] = {}
        if command.kind:
            try:
                custom_fields = catalog.clean_custom_fields(
                    command.kind, command.custom_fields,
                    typification_path=typification.path_codes if typification else (),
                    public_only=public_fields_only)
            except ValidationError as exc:
                problems.extend(exc.errors)
        problems.raise_if_any()
        assert workflow is not None
        missing = tuple(dict.fromkeys((*command.missing_information, *command.requester.missing_data())))
        received_by = command.received_by or (actor.username if command.verbal else None)
        filed = ev.CaseFiled(
            case_id=case_id, actor=actor.username, occurred_at=now, filing_number=str(number),
            kind=command.kind, subject=command.subject.strip(), description=command.description.strip(),
            workflow=workflow.code, state=workflow.initial_state, requester=command.requester,
            channel=command.channel or None, reason=command.reason or None, typification=typification,
            priority=priority, queue=command.queue or _default_queue(catalog),
            assignee=command.assignee or None,
            non_crm_contact=command.non_crm_contact or None, references=tuple(command.references),
            external_source=external_source, external_number=external_number,
            custom_fields=custom_fields, missing_information=missing,
            received_at=(command.received_at or now).astimezone(UTC), received_by=received_by,
            verbal=command.verbal,
            front_line_agent=actor.username if actor.has_any(FRONT_LINE_ROLES) else None,
            consent=_utc_consent(command.consent),
            handling_seconds=command.handling_seconds, workflow_version=workflow.version,
        )
        case = cls._from_filed(filed, workflow)
        case.events.append(filed)
        if command.items:
            case._record(ev.ItemsInvolved(case_id=case_id, actor=actor.username, occurred_at=now,
                                          added=command.items))
        case._restart_term(catalog, actor, now, "Radicación")
        if command.resolved_at_first_contact:
            solution = (command.solution or "").strip()
            case._transition(workflow, "resolve_at_first_contact", actor, now, catalog)
            case._record(ev.CaseResponded(case_id=case_id, actor=actor.username, occurred_at=now,
                                          text=solution, solution=solution))
            case._record(ev.CaseClosed(case_id=case_id, actor=actor.username, occurred_at=now,
                                       first_contact_resolution=True))
        return case

    @classmethod
    def _from_filed(cls, filed: ev.CaseFiled, workflow: Workflow | None = None,
                    category: StateCategory | None = None) -> Case:
        if category is None:
            assert workflow is not None
            category = workflow.state(filed.state).category
        return cls(
            id=filed.case_id, filing_number=FilingNumber.parse(filed.filing_number), kind=filed.kind,
            subject=filed.subject, description=filed.description, workflow=filed.workflow,
            workflow_version=filed.workflow_version,
            state=filed.state, state_category=category, requester=filed.requester,
            received_at=filed.received_at, filed_at=filed.occurred_at, filed_by=filed.actor,
            front_line_agent=filed.front_line_agent,
            channel=filed.channel, reason=filed.reason, typification=filed.typification,
            priority=filed.priority, queue=filed.queue, assignee=filed.assignee,
            non_crm_contact=filed.non_crm_contact, references=filed.references,
            external_source=filed.external_source, external_number=filed.external_number,
            custom_fields=dict(filed.custom_fields), missing_information=filed.missing_information,
            received_by=filed.received_by, verbal=filed.verbal, consent=filed.consent,
            created_at=filed.occurred_at, updated_at=filed.occurred_at,
        )

    @classmethod
    def replay(cls, history: Iterable[ev.DomainEvent], workflow: Workflow) -> Case:
        """Rebuild a case from its stored events (the first must be ``CaseFiled``)."""
        items = iter(history)
        filed = next(items)
        if not isinstance(filed, ev.CaseFiled):
            raise InvalidOperation("la historia de un caso empieza con su radicación")
        case = cls._from_filed(filed, workflow)
        for event in items:
            case._apply(event)
        return case

    # ------------------------------------------------------------------ queries
    def workflow_in(self, catalog: Catalog) -> Workflow:
        """The workflow the case follows: the version of its workflow it was filed under."""
        return catalog.workflow(self.workflow, self.workflow_version)

    def known_workflow(self, catalog: Catalog) -> Workflow | None:
        """``workflow_in`` when the catalog still has it and it knows the case's state, else ``None``."""
        try:
            workflow = self.workflow_in(catalog)
        except NotFound:
            return None
        return workflow if workflow.has_state(self.state) else None

    @property
    def is_open(self) -> bool:
        return self.state_category is not StateCategory.DONE

    @property
    def term_alarm_at(self) -> datetime | None:
        """The term's first alarm not raised yet, while the case is open and its term running (not
        while the requester owes information)."""
        if (self.state_category in (StateCategory.DONE, StateCategory.WAITING) or self.deleted_at
                or self.term_ended_at is not None or (self.pauses and self.pauses[-1].end is None)):
            return None
        pending = [a.at for a in self.alarms if a.fraction not in self.alarms_raised]
        return min(pending) if pending else None

    @property
    def next_alarm_at(self) -> datetime | None:
        """When the sweep next has work on this case: the term's next alarm, or an internal request's
        (while the case is open)."""
        pending = [self.term_alarm_at]
        if self.is_open and not self.deleted_at:
            pending.extend(r.next_alarm_at for r in self.internal_requests)
        found = [at for at in pending if at is not None]
        return min(found) if found else None

    def raise_due_alarms(self, *, catalog: Catalog, now: datetime) -> None:
        """Raise the alarms whose time has come (the term's, the internal requests') and escalate a
        missed term (``pqrs sweep``)."""
        for event in due_alarms(self, catalog, "system", now):
            self._record(event)
        if self.is_open and not self.deleted_at:
            for event in internal.due_alarms(self, "system", now):
                self._record(event)

    def request_internal(self, request_id: str, *, queue: str, text: str, due: date | None, catalog: Catalog,
                         actor: Actor, now: datetime, timezone: str) -> None:
        """Ask another area for something the case needs, by an internal due date inside the legal term
        (dates in the organisation's ``timezone``)."""
        self._record(internal.request(self, request_id=request_id, queue=queue, text=text, due=due,
                                      catalog=catalog, actor=actor.username, now=now, timezone=timezone))

    def answer_internal(self, request_id: str, text: str, *, actor: Actor, now: datetime) -> None:
        """Answer an internal request made to one of ``actor``'s queues."""
        self._require_open("responder las solicitudes internas de")
        self._record(internal.answer(self, request_id, text, actor=actor.username, queues=actor.queues,
                                     now=now))

    def _ctx(self, now: datetime, settings: Mapping[str, Any] | None) -> GuardContext:
        return GuardContext(now=now, settings=dict(settings or {}))

    # ------------------------------------------------------------------ commands
    def typify(self, code: str, *, catalog: Catalog, actor: Actor, now: datetime) -> None:
        self._require_open("tipificar")
        after = catalog.typifications.classify(code)
        if self.typification == after:
            return
        self._record(ev.CaseTypified(case_id=self.id, actor=actor.username, occurred_at=now,
                                     before=self.typification, after=after))
        self._restart_term(catalog, actor, now, f"Tipificación: {after}")

    def assign(self, assignee: str | None, *, queue: str | None, catalog: Catalog, actor: Actor,
               now: datetime, strategy: str | None = None, reason: str | None = None) -> None:
        """Give the case to ``assignee`` (``None``: nobody) in ``queue`` (``None``: the same queue).
        An automatic assignment names the ``strategy`` that chose and the ``reason``, for the history."""
        self._require_open("asignar")
        problems = Problems()
        check_text(problems, "assignee", assignee, max_length=MAX_SHORT_TEXT)
        catalog.check_queue(problems, queue)
        problems.raise_if_any()
        new_queue = queue or self.queue
        if assignee == self.assignee and new_queue == self.queue:
            return
        workflow = self.workflow_in(catalog)
        auto = workflow.transition("assign")
        # A field still required before «assign» leaves the case where it is, assigned: filling the
        # field is part of the assignee's work, and a filing never fails for it.
        moves = (bool(assignee) and auto is not None and self.state in auto.sources
                 and not catalog.missing_before(auto, self.kind, self.custom_fields))
        if moves:  # check the transition (and its guard) before anything is recorded
            workflow.resolve("assign", self.state, Actor.system(), case=self, guards=catalog.guards,
                             context=self._ctx(now, None))
        self._record(ev.CaseAssigned(case_id=self.id, actor=actor.username, occurred_at=now,
                                     assignee_before=self.assignee, assignee_after=assignee,
                                     queue_before=self.queue, queue_after=new_queue,
                                     strategy=strategy, reason=reason))
        if moves:
            self._transition(workflow, "assign", Actor.system(), now, catalog)

    def apply_transition(self, name: str, *, catalog: Catalog, actor: Actor, now: datetime,
                         settings: Mapping[str, Any] | None = None) -> None:
        """Fire a transition by name. Transitions with a command of their own (respond, reopen...)
        must go through that command, which records what the transition needs."""
        if name in DEDICATED_TRANSITIONS:
            raise InvalidOperation(
                f"la transición «{name}» se aplica con su propia acción ({DEDICATED_TRANSITIONS[name]})")
        self._transition(self.workflow_in(catalog), name, actor, now, catalog, settings)

    def add_note(self, text: str, *, public: bool, actor: Actor, now: datetime) -> None:
        _require_text("text", text, MAX_LONG_TEXT)
        self._record(ev.NoteAdded(case_id=self.id, actor=actor.username, occurred_at=now,
                                  text=text.strip(), public=public))

    def request_information(self, message: str, *, missing: tuple[str, ...] = (), catalog: Catalog,
                            actor: Actor, now: datetime) -> None:
        _require_text("message", message, MAX_LONG_TEXT)
        self._transition(self.workflow_in(catalog), "request_information", actor, now, catalog)
        self._record(ev.InformationRequested(case_id=self.id, actor=actor.username, occurred_at=now,
                                             message=message.strip(), missing=missing))

    def record_requester_reply(self, message: str, *, catalog: Catalog, actor: Actor, now: datetime,
                               settings: Mapping[str, Any] | None = None) -> None:
        """The requester wrote. While waiting for information the case resumes; while it is being
        worked on the message is recorded; after the response, a counter-response inside the window
        reopens it (seed 002: 3 days), outside the window it is recorded and the case stays as it is.
        Only the requester (or staff recording what the requester said) writes as the requester."""
        require_requester(self, actor, catalog)
        _require_text("message", message, MAX_LONG_TEXT)
        workflow = self.workflow_in(catalog)
        if self.state_category is StateCategory.WAITING:
            completing = self.completion_due is not None
            self._transition(workflow, "requester_replied", actor, now, catalog, settings)
            self._record(ev.RequesterReplied(case_id=self.id, actor=actor.username, occurred_at=now,
                                             message=message.strip()))
            if completing:  # art. 17: the term "se reactivará", as the case's policy reads it
                self._complete_petition(catalog, actor, now)
            return
        if self.is_open:
            # A message while the case is being worked on: recorded, nothing else changes.
            self._record(ev.RequesterReplied(case_id=self.id, actor=actor.username, occurred_at=now,
                                             message=message.strip()))
            return
        reopens = counter_response_reopens(self, catalog, now, settings)
        self._record(ev.RequesterReplied(case_id=self.id, actor=actor.username, occurred_at=now,
                                         message=message.strip(), counter_response=True, reopens=reopens))
        if reopens:
            self._transition(workflow, "reopen", Actor.system(), now, catalog, settings)
            self._record(ev.CaseReopened(case_id=self.id, actor=actor.username, occurred_at=now,
                                         reason="Contrarrespuesta del peticionario"))
            self._start_new_term(workflow, catalog, actor, now, "Reapertura por contrarrespuesta del "
                                                                "peticionario", counter_response=True)

    def _complete_petition(self, catalog: Catalog, actor: Actor, now: datetime) -> None:
        received = completion_received(self, catalog, actor.username, now)
        self._record(received)
        if not received.resumed:
            self._restart_term(catalog, actor, now, "Se completó la petición (Ley 1755 art. 17): el "
                               "término se reinicia completo", counted_from=now)
            return
        resumed = term_resumed(self, catalog, actor.username, now)
        if resumed is not None:
            self._record(resumed)

    def respond(self, text: str, *, solution: str | None = None, catalog: Catalog, actor: Actor,
                now: datetime, access_denied: bool = False, handling_seconds: int | None = None) -> None:
        _require_text("text", text, MAX_LONG_TEXT)
        check_handling_seconds(handling_seconds)
        if solution is not None:
            _require_text("solution", solution, MAX_LONG_TEXT)
        self._transition(self.workflow_in(catalog), "respond", actor, now, catalog)
        self._record(ev.CaseResponded(case_id=self.id, actor=actor.username, occurred_at=now,
                                      text=text.strip(), solution=(solution or text).strip(),
                                      access_denied=access_denied,
                                      responder_queue=responder_queue(self.queue, actor, catalog),
                                      handling_seconds=handling_seconds))

    # --- the response's approval (see response_approval.py) -------------------------------------------
    def draft_response(self, text: str, *, solution: str | None = None, close: bool = False,
                       catalog: Catalog, actor: Actor, now: datetime, access_denied: bool = False) -> None:
        """Draft the response for a second person to approve; nothing is sent yet."""
        event = drafted(self, text, solution, close, actor, now, access_denied)
        transition = self.workflow_in(catalog).resolve("respond", self.state, actor, case=self,
                                                       guards=catalog.guards, context=self._ctx(now, None))
        catalog.check_before(transition, self.kind, self.custom_fields)
        self._record(event)

    def approve_response(self, *, catalog: Catalog, actor: Actor, now: datetime) -> None:
        """Approve the drafted response: it is sent as written. Closing the case, when the draft asked
        for it (``PendingResponse.close``), is the use case's next step."""
        pending = self.pending_response
        self._record(approved(self, actor, now))
        assert pending is not None
        self.respond(pending.text, solution=pending.solution, catalog=catalog, actor=actor, now=now,
                     access_denied=pending.access_denied)

    def return_response(self, comment: str, *, actor: Actor, now: datetime) -> None:
        """Send the drafted response back to who wrote it, with what to change."""
        self._record(returned(self, comment, actor, now))

    def close(self, *, catalog: Catalog, actor: Actor, now: datetime) -> None:
        self._transition(self.workflow_in(catalog), "close", actor, now, catalog)
        self._record(ev.CaseClosed(case_id=self.id, actor=actor.username, occurred_at=now))

    def reopen(self, reason: str, *, catalog: Catalog, actor: Actor, now: datetime,
               settings: Mapping[str, Any] | None = None) -> None:
        _require_text("reason", reason, MAX_LONG_TEXT)
        workflow = self.workflow_in(catalog)
        self._transition(workflow, "reopen", actor, now, catalog, settings)
        self._record(ev.CaseReopened(case_id=self.id, actor=actor.username, occurred_at=now,
                                     reason=reason.strip()))
        self._start_new_term(workflow, catalog, actor, now, f"Reapertura: {reason.strip()}")

    def _start_new_term(self, workflow: Workflow, catalog: Catalog, actor: Actor, now: datetime,
                        reason: str, *, counter_response: bool = False) -> None:
        """A reopened case is answered again: its earlier term ended with the response, so a new one
        runs from the reopening, under the policy the workflow names for reopened cases
        (``Workflow.reopen_term_policy``), or for a counter-response the one the case's policy names
        (``TermPolicy.counter_response_policy``), or else the case's own, with its own alarms and
        extension."""
        policy_code = workflow.reopen_term_policy
        if counter_response and policy_code is None:
            policy_code, why = counter_response_term(self, catalog)
            reason = f"{reason}: {why}"
        event = term_started(self, catalog, actor.username, now, reason, counted_from=now, new_term=True,
                             policy_code=policy_code or term_policy_for(catalog, self))
        if event is not None:
            self._record(event)

    def return_for_retypification(self, reason: str, *, catalog: Catalog, actor: Actor,
                                  now: datetime) -> None:
        """Back office sends the case back to the agent who filed it (seed 002); a case the
        requester filed themselves goes back unassigned to its queue."""
        _require_text("reason", reason, MAX_LONG_TEXT)
        self._transition(self.workflow_in(catalog), "return_for_retypification", actor, now, catalog)
        self._record(ev.CaseReturnedForRetypification(case_id=self.id, actor=actor.username,
                                                      occurred_at=now, reason=reason.strip(),
                                                      returned_to=self.front_line_agent))

    def change_fields(self, changes: Mapping[str, Any], *, catalog: Catalog, actor: Actor,
                      now: datetime) -> None:
        changed = []
        for field, before, after in plan_field_changes(self, changes, catalog):
            self._record(ev.FieldChanged(case_id=self.id, actor=actor.username, occurred_at=now,
                                         field=field, before=before, after=after))
            changed.append(field)
        selecting = [f for f in changed if f in ("kind", "priority", "channel")]
        if selecting:
            self._restart_term(catalog, actor, now, "Cambio de " + ", ".join(selecting))

    # --- Ley 1755 de 2015 arts. 17 and 21 (see case_legal.py) ---------------------------------------
    def request_completion(self, message: str, *, missing: tuple[str, ...] = (), catalog: Catalog,
                           actor: Actor, now: datetime) -> None:
        """Ask the requester to complete an incomplete petition; the term stops until they do."""
        event = completion_requested(self, message, missing, catalog, actor.username, now)
        self._transition(self.workflow_in(catalog), "request_information", actor, now, catalog)
        self._record(event)

    def extend_completion_time(self, *, catalog: Catalog, actor: Actor, now: datetime) -> None:
        """The requester asks for more time to complete the petition (or staff record that they did)."""
        require_requester(self, actor, catalog)
        self._record(completion_time_extended(self, catalog, actor.username, now))

    def declare_withdrawal(self, reason: str, *, catalog: Catalog, actor: Actor, now: datetime) -> None:
        """Desistimiento tácito: the requester did not complete the petition in time."""
        check_withdrawal(self, reason, now)
        self._transition(self.workflow_in(catalog), "withdraw", actor, now, catalog)
        self._record(ev.PetitionWithdrawn(case_id=self.id, actor=actor.username, occurred_at=now,
                                          reason=reason.strip()))

    def transfer(self, entity: str, reason: str, *, catalog: Catalog, actor: Actor, now: datetime) -> None:
        """Traslado to the competent entity, with a copy to the requester."""
        event = transferred(self, entity, reason, catalog, actor.username, now)
        self._transition(self.workflow_in(catalog), "transfer", actor, now, catalog)
        self._record(event)

    def extend_term(self, reason: str, *, extra: int | None = None, catalog: Catalog, actor: Actor,
                    now: datetime) -> None:
        """Prórroga of the resolution term (CPACA art. 14 parágrafo, Ley 1755 de 2015)."""
        self._record(term_extended(self, extra, reason, catalog, actor.username, now))

    def record_judicial_notice(self, notice: str, amount: int, *, notified_at: datetime | None = None,
                               catalog: Catalog, actor: Actor, now: datetime) -> None:
        """A tutela: the notice of the admission (report term) or of the ruling (compliance term),
        with the term the judge set (Decreto 2591 de 1991 arts. 19, 27; see judicial_terms.py)."""
        self._record(judicial_term_started(self, JudicialNotice(notice), amount, notified_at, catalog,
                                           actor.username, now))
    def suspend_term(self, cause: str, reason: str, *, catalog: Catalog, actor: Actor, now: datetime) -> None:
        """Stop the term for a cause its policy admits (see term_suspension.py)."""
        self._record(term_suspended(self, cause, reason, catalog, actor.username, now))

    def end_term_suspension(self, *, catalog: Catalog, actor: Actor, now: datetime) -> None:
        self._record(suspension_ended(self, catalog, actor.username, now))

    # --- escalation to a third party (see third_party.py) ---------------------------------------------
    def escalate_to_third_party(self, address: str, name: str, message: str, *,
                                notes: tuple[str, ...] = (), attachments: tuple[AttachmentInfo, ...] = (),
                                catalog: Catalog, actor: Actor, now: datetime) -> None:
        """Send the case to an outside party and wait for them («con tercero»)."""
        for event in escalated(self, address, name, message, notes, attachments, catalog, actor.username,
                               now):
            self._record(event)

    def record_third_party_reply(self, message: str, *, sender: str, received_at: datetime,
                                 catalog: Catalog, actor: Actor, now: datetime) -> None:
        """The third party wrote: from the escalation's address, the case comes back to work."""
        for event in third_party_replied(self, sender, message, received_at, catalog, actor.username, now):
            self._record(event)

    def resume_from_third_party(self, *, catalog: Catalog, actor: Actor, now: datetime) -> None:
        """«Retomar»: staff take the case back from its third party."""
        for event in resumed_from_third_party(self, catalog, actor.username, now):
            self._record(event)

    def restart_term(self, *, catalog: Catalog, actor: Actor, now: datetime, reason: str) -> None:
        """Recompute the term with today's policies and calendar (recorded only if it changes)."""
        if self.is_open:
            self._restart_term(catalog, actor, now, reason)

    def _restart_term(self, catalog: Catalog, actor: Actor, now: datetime, reason: str,
                      counted_from: datetime | None = None) -> None:
        event = term_started(self, catalog, actor.username, now, reason, counted_from,
                             policy_code=term_policy_for(catalog, self))
        if event is not None:
            self._record(event)

    def record_quality_review(self, score: int, checklist: Mapping[str, bool], notes: str, *, actor: Actor,
                              now: datetime) -> None:
        """A quality advisor's review of the closed case (see quality.py)."""
        self._record(quality_reviewed(self, score, checklist, notes, actor.username, now))

    def record_root_cause(self, cause: str, area: str | None, action: str, owner: str | None,
                          due: date | None, *, catalog: Catalog, actor: Actor, now: datetime) -> None:
        """The root cause of the resolved case and its corrective action (see root_causes.py)."""
        self._record(root_cause_recorded(self, catalog, cause, area, action, owner, due, actor.username, now))

    def complete_corrective_action(self, note: str, *, actor: Actor, now: datetime) -> None:
        self._record(corrective_action_completed(self, note, actor.username, now))

    def add_attachment(self, info: AttachmentInfo, *, actor: Actor, now: datetime,
                       letter: str | None = None) -> None:
        self._record(ev.AttachmentAdded(case_id=self.id, actor=actor.username, occurred_at=now,
                                        attachment=info, letter=letter))

    def record_signature(self, event: ev.LetterSigned) -> None:
        """Record that one of the case's letters was signed (``signatures.letter_signed``)."""
        self._record(event)

    def record_routing(self, event: ev.RuleApplied | ev.TypificationDefaultsApplied
                       | ev.CaseEscalated) -> None:
        """Record what routing decided (``routing.py``): a rule that fired, the typification's
        defaults, an escalation by policy."""
        self._record(event)

    def record_delivery(self, event: ev.EmailDeliveryRecorded | ev.ReadInPortal | ev.DeliveredInPerson
                        | ev.CourierDeliveryRecorded | ev.NoticePublished) -> None:
        """Record how a communication reached the requester (see delivery.py, which builds ``event``)."""
        self._record(event)

    def tag(self, add: Iterable[str] = (), remove: Iterable[str] = (), *, actor: Actor,
            now: datetime) -> None:
        """Add and remove tags (the same tag whatever its capitals or accents); recorded if it changes."""
        added, removed = plan_tags(self.tags, add, remove)
        if added or removed:
            self._record(ev.CaseTagged(case_id=self.id, actor=actor.username, occurred_at=now, added=added,
                                       removed=removed))

    def change_items(self, add: Iterable[InvolvedItem] = (), remove: Iterable[str] = (), *, actor: Actor,
                     now: datetime) -> None:
        """Add invoice lines to the items involved and remove others by id (see items.py)."""
        added, removed = plan_items(self.items, add, remove, self.requester.customer_id)
        if added or removed:
            self._record(ev.ItemsInvolved(case_id=self.id, actor=actor.username, occurred_at=now,
                                          added=added, removed=removed))

    def request_voiding(self, request_id: str, reason: str, *, approver_roles: Iterable[str], actor: Actor,
                        now: datetime, number: str = "") -> None:
        """Ask for the case, or its outgoing ``number``, to be voided (the permission, the number and
        the pending request are checked by the use case): recorded with the reason; nothing else
        changes until a second person decides."""
        self._require_not_voided()
        _require_text("reason", reason, MAX_LONG_TEXT)
        self._record(ev.VoidingRequested(case_id=self.id, actor=actor.username, occurred_at=now,
                                         request_id=request_id, reason=reason.strip(),
                                         approver_roles=tuple(sorted(approver_roles)), number=number))

    def reject_voiding(self, request_id: str, note: str, *, actor: Actor, now: datetime,
                       number: str = "") -> None:
        """The voiding request ``request_id`` was rejected: recorded; the case (or its outgoing
        ``number``) stays as it was."""
        self._record(ev.VoidingRejected(case_id=self.id, actor=actor.username, occurred_at=now,
                                        request_id=request_id, note=note.strip(), number=number))

    def void_outgoing_number(self, request_id: str, record: str, number: str, *, reason: str,
                             requested_by: str, actor: Actor, now: datetime) -> None:
        """Void the case's outgoing ``number`` under the voiding record ``record``: it stays used,
        shown as voided; the case goes on as it was."""
        self._record(ev.OutgoingNumberVoided(case_id=self.id, actor=actor.username, occurred_at=now,
                                             request_id=request_id, record=record, reason=reason,
                                             requested_by=requested_by, number=number))

    def void(self, request_id: str, record: str, *, reason: str, requested_by: str, actor: Actor,
             now: datetime) -> None:
        """Void the case under the voiding record ``record`` (Ley 594 de 2000: a filed document is
        never destroyed outside the retention tables; its number stays used)."""
        self._require_not_voided()
        self._record(ev.CaseVoided(case_id=self.id, actor=actor.username, occurred_at=now,
                                   request_id=request_id, record=record, reason=reason,
                                   requested_by=requested_by))

    def _require_not_voided(self) -> None:
        if self.deleted_at is not None:
            raise InvalidOperation("el caso ya fue anulado")

    # ------------------------------------------------------------------ internals
    def _require_open(self, action: str) -> None:
        if not self.is_open:
            raise InvalidOperation(f"no se puede {action} un caso cerrado; reábralo primero")

    def _transition(self, workflow: Workflow, name: str, actor: Actor, now: datetime, catalog: Catalog,
                    settings: Mapping[str, Any] | None = None) -> None:
        transition = workflow.resolve(name, self.state, actor, case=self, guards=catalog.guards,
                                      context=self._ctx(now, settings))
        catalog.check_before(transition, self.kind, self.custom_fields)
        target = workflow.state(transition.target)
        if target.category is StateCategory.DONE and self.state_category is not StateCategory.DONE:
            missing = missing_before_closing(catalog, self)
            if missing:
                raise ValidationError(missing)
        before = self.state_category
        self._record(ev.CaseTransitioned(case_id=self.id, actor=actor.username, occurred_at=now,
                                         transition=name, state_before=self.state,
                                         state_after=target.code, category_after=target.category.value))
        for event in clock_events(self, before, target.category, catalog, actor.username, now, target.label):
            self._record(event)

    def _record(self, event: ev.DomainEvent) -> None:
        self._apply(event)
        self.events.append(event)

    def _apply(self, event: ev.DomainEvent) -> None:
        match event:
            case ev.CaseTypified():
                self.typification = event.after
            case ev.CaseAssigned():
                self.assignee, self.queue = event.assignee_after, event.queue_after
            case ev.CaseTransitioned():
                self.state = event.state_after
                self.state_category = StateCategory(event.category_after)
                if self.state_category is not StateCategory.WAITING:
                    self.paused_left = None  # the term runs again (or ended)
                if self.state_category is StateCategory.DONE:
                    self.third_party = None  # a finished case waits for nobody
                if (self.state_category is StateCategory.DONE and self.closed_at is None
                        and event.transition not in DEDICATED_TRANSITIONS):
                    # A workflow's own decision («Nota aceptada») closes the case; the commands with
                    # a transition of their own record their closing (or response) themselves.
                    self.closed_at = event.occurred_at
            case ev.CaseResponded():
                self.pending_response = None
                self.deliveries = delivery_applied(self.deliveries, event)
                self.solution = event.solution
                self.responded_at = event.occurred_at
                self.first_responded_at = self.first_responded_at or event.occurred_at
            case ev.InformationRequested():
                self.first_responded_at = self.first_responded_at or event.occurred_at
            case ev.TermStarted():
                if event.counted_from is not None:  # a new schedule from a new start
                    self.term_from, self.pauses, self.alarms_raised = event.counted_from, (), ()
                if event.new_term:
                    self.extended_by, self.term_ended_at = 0, None
                self.term_policy, self.term = event.policy, event.term
                self.first_response_due = event.first_response_due
                self.resolution_due = event.resolution_due
                self.alarms = event.alarms
                if event.counted_from is not None or event.paused_left is not None:
                    self.paused_left = event.paused_left
            case ev.TermEnded():
                self.term_ended_at = event.occurred_at
            case ev.TermPaused():
                self.pauses = (*self.pauses, Pause(event.occurred_at))
                self.paused_left = event.left
            case ev.TermSuspended():
                self.pauses = (*self.pauses, Pause(event.occurred_at, cause=event.cause))
                self.paused_left = event.left
            case ev.TermResumed():
                cause = self.pauses[-1].cause if self.pauses else None
                self.pauses = (*self.pauses[:-1], Pause(event.paused_since, event.occurred_at, cause))
                self.resolution_due = event.due_after
                self.alarms = event.alarms
                self.paused_left = None
            case ev.TermExtended():
                self.extended_by = event.extra
                self.resolution_due = event.due_after
                self.alarms = event.alarms
                if event.paused_left is not None:
                    self.paused_left = event.paused_left
            case ev.CompletionRequested():
                self.completion_due, self.completion_extended = event.requester_due, False
                if self.paused_left is not None and self.term is not None:
                    # Art. 17: the term will not resume but start again, whole, when the items arrive.
                    self.paused_left = restarting(self.term, self.extended_by)
                self.missing_information = tuple(dict.fromkeys((*self.missing_information, *event.missing)))
                self.first_responded_at = self.first_responded_at or event.occurred_at
            case ev.CompletionTimeExtended():
                self.completion_due, self.completion_extended = event.requester_due, True
            case ev.CompletionReceived():
                self.completion_due, self.missing_information = None, ()
            case ev.PetitionWithdrawn():
                self.closed_at, self.solution = event.occurred_at, event.reason
            case ev.CaseTransferred():
                self.closed_at = event.occurred_at
                self.solution = f"Trasladado a {event.entity}: {event.reason}"
            case ev.TermAlarmRaised():
                self.alarms_raised = (*self.alarms_raised, event.fraction)
            case ev.CaseEscalated():
                if event.queue_after != self.queue:
                    self.queue, self.assignee = event.queue_after, None
            case ev.CaseClosed():
                self.closed_at = event.occurred_at
                self.first_contact_resolution = event.first_contact_resolution
            case ev.CaseReopened():
                # A reopened case is no longer resolved, at first contact or otherwise, and its new
                # answer has not been reviewed.
                self.closed_at = self.term_ended_at = None
                self.first_contact_resolution = False
                self.quality_reviewed_at = self.quality_score = None
            case ev.QualityReviewed():
                self.quality_reviewed_at, self.quality_score = event.occurred_at, event.score
            case ev.RootCauseRecorded():
                self.root_cause, self.cause_area = event.cause, event.area
                self.corrective_action = event.action or None
                self.action_owner, self.action_due = event.action_owner, event.action_due
                self.action_done_at = None
            case ev.CorrectiveActionCompleted():
                self.action_done_at = event.occurred_at
            case ev.CaseReturnedForRetypification():
                self.assignee = event.returned_to
            case ev.FieldChanged():
                apply_field_change(self, event.field, event.after)
            case ev.AttachmentAdded():
                self.attachments = (*self.attachments, event.attachment)
            case ev.CaseDeleted() | ev.CaseVoided():
                self.deleted_at = event.occurred_at
            case ev.EscalatedToThirdParty():
                self.third_party = ThirdPartyEscalation(address=event.address, name=event.party_name,
                                                        since=event.occurred_at, escalated_by=event.actor,
                                                        pauses_term=event.pauses_term)
            case ev.ThirdPartyEscalationEnded():
                self.third_party = None
            case ev.InternalRequestSent() | ev.InternalRequestAnswered() | ev.InternalRequestAlarmRaised():
                self.internal_requests = internal.applied(self.internal_requests, event)
            case ev.CaseTagged():
                gone = {fold(t) for t in event.removed}
                self.tags = (*(t for t in self.tags if fold(t) not in gone), *event.added)
            case ev.ResponseDrafted():
                self.pending_response = PendingResponse(text=event.text, solution=event.solution,
                                                        close=event.close, drafted_by=event.actor,
                                                        drafted_at=event.occurred_at,
                                                        access_denied=event.access_denied)
            case ev.ResponseApproved() | ev.ResponseReturned():
                self.pending_response = None
            case ev.ItemsInvolved():
                self.items = applied(self.items, event.added, event.removed)
            case (ev.EmailDeliveryRecorded() | ev.ReadInPortal() | ev.DeliveredInPerson()
                  | ev.CourierDeliveryRecorded() | ev.NoticePublished()):
                self.deliveries = delivery_applied(self.deliveries, event)
            case (ev.NoteAdded() | ev.RequesterReplied() | ev.ThirdPartyReplied() | ev.RuleApplied()
                  | ev.TypificationDefaultsApplied() | ev.LetterSigned() | ev.VoidingRequested()
                  | ev.VoidingRejected() | ev.OutgoingNumberVoided()):
                pass
            case _:
                raise InvalidOperation(f"evento desconocido: {event.name}")
        self.updated_at = event.occurred_at


def _utc_consent(consent: DataConsent | None) -> DataConsent | None:
    """The consent with its instant in UTC, as every instant a case stores."""
    if consent is None:
        return None
    return attrs.evolve(consent, given_at=consent.given_at.astimezone(UTC))


def _default_queue(catalog: Catalog) -> str | None:
    queue = catalog.default_queue()
    return queue.code if queue is not None else None


def _require_text(field: str, value: str, max_length: int) -> None:
    problems = Problems()
    check_text(problems, field, value, max_length=max_length, required=True)
    problems.raise_if_any()



__all__ = ["Case", "DEDICATED_TRANSITIONS", "EDITABLE_FIELDS", "ReferenceKind"]


def _external_filing(problems: Problems, command: FileCase) -> tuple[str | None, str | None]:
    """The other system and the number it gave a document filed there first: both or neither."""
    source = (command.external_source or "").strip() or None
    number = (command.external_number or "").strip() or None
    check_text(problems, "external_source", source, max_length=MAX_SHORT_TEXT)
    check_text(problems, "external_number", number, max_length=MAX_SHORT_TEXT)
    if number and not source:
        problems.add("external_source", "Indique el sistema que radicó el documento.")
    if source and not number:
        problems.add("external_number", "Indique el número que le dio ese sistema.")
    return source, number
