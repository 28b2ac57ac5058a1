"""One function per command. Each opens nothing itself: it receives the unit of work it runs in,
loads what it needs, calls the aggregate and commits."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import attrs

from ..domain import attachments as attachment_rules
from ..domain import commands as c
from ..domain import delivery
from ..domain.access import Permission as P
from ..domain.access import matches
from ..domain.calendar import BusinessCalendar, organisation_calendar
from ..domain.case import Case
from ..domain.catalog import Catalog
from ..domain.errors import (
    ConcurrencyConflict,
    LimitExceeded,
    NotFound,
    PermissionDenied,
    Problems,
    ValidationError,
)
from ..domain.events import AttachmentAdded, NoteAdded, ResponseApproved
from ..domain.filing_rights import authorised_filing, registers_cases
from ..domain.letters import Letter, Signer, letter_kind, letters_for
from ..domain.notifications import notifications_for
from ..domain.requester_replies import is_requester
from ..domain.rules import Trigger
from ..domain.signatures import (
    SIGNED_KINDS,
    Verification,
    letter_signed,
    new_verification_code,
    verification_url,
)
from ..domain.third_party import check_escalation
from ..domain.values import (
    MAX_SHORT_TEXT,
    SYSTEM_ACTOR,
    WEB_FORM_ACTOR,
    Actor,
    AttachmentInfo,
    FilingNumber,
    check_text,
)
from ..domain.workflow import Guard
from ..ports import Clock, DocumentRenderer, DocumentSigner, FileStore, UnitOfWork
from ..ports_integration import InvoiceSource
from ..settings import Settings
from .assignment import auto_assign, typification_strategy
from .deferred_commit import DeferredCommit
from .outgoing import number_communications
from .routing import RoutingContext, run_routing


@attrs.frozen
class Deps:
    """What handlers need besides the unit of work."""

    clock: Clock
    settings: Settings = Settings()
    guards: Mapping[str, Guard] = attrs.field(factory=dict)
    files: FileStore | None = None
    new_id: Callable[[], str] = lambda: str(uuid.uuid4())
    # Official letters: the typesetter (none: no letters are issued) and who signs for a user name
    # (their name and role, from the user directory; the user name alone by default).
    documents: DocumentRenderer | None = None
    signer: Callable[[str], Signer] = lambda username: Signer(name=username)
    # The ERP's invoices (``pqrs_invoice_sources``), as the adapters wrap them (timeouts, caching).
    invoice_sources: tuple[InvoiceSource, ...] = ()
    # The organisation's certificate (none: letters are not signed) and the verification codes.
    document_signer: DocumentSigner | None = None
    new_code: Callable[[], str] = new_verification_code

    @property
    def response_needs_approval(self) -> bool:
        """Whether a response is drafted for approval: the organisation issues response letters, can
        typeset them, and asks for a second person's approval — always when it signs them: nothing is
        signed in its name without a second person's approval (visto bueno)."""
        settings = self.settings
        return ((settings.letters_need_approval or self.document_signer is not None)
                and "response" in settings.letters and self.documents is not None)

    def catalog(self, uow: UnitOfWork) -> Catalog:
        return self.complete(uow.catalog.load())

    def complete(self, catalog: Catalog) -> Catalog:
        """The stored ``catalog`` with what comes from code and settings: guards, calendar, alarms."""
        return attrs.evolve(catalog, guards=self.guards,
                            calendar=self.calendar(catalog.closures, catalog.working_weekdays),
                            alarm_fractions=self.settings.alarm_fractions,
                            public_functions=self.settings.public_functions)

    def calendar(self, closures: tuple[date, ...] = (),
                 weekdays: frozenset[int] | None = None) -> BusinessCalendar:
        """The settings' calendar with the organisation's closure days and, once it chose them, its
        working weekdays (built once per combination)."""
        return organisation_calendar(self.settings.calendar, closures, weekdays)

    def local_year(self, instant: datetime) -> int:
        return instant.astimezone(ZoneInfo(self.settings.timezone)).year


class _OnCase(Protocol):
    @property
    def filing_number(self) -> str: ...

    @property
    def expected_version(self) -> int | None: ...


def _require(catalog: Catalog, actor: Actor, permission: str | tuple[str, ...]) -> None:
    wanted = (permission,) if isinstance(permission, str) else permission
    if not set(wanted) & catalog.permissions(actor):
        raise PermissionDenied(wanted[0])


def _load(uow: UnitOfWork, catalog: Catalog, actor: Actor, cmd: _OnCase) -> Case:
    """The case, if ``actor`` may see it and it was not deleted (otherwise ``NotFound``: its existence
    is not revealed), at the version the caller expects."""
    case = uow.cases.get(cmd.filing_number)
    if case.deleted_at is not None or not matches(catalog.visibility(actor), case):
        raise NotFound("el caso", cmd.filing_number)
    if cmd.expected_version is not None and cmd.expected_version != case.version:
        raise ConcurrencyConflict(str(case.filing_number), cmd.expected_version, case.version)
    return case


def file_case(cmd: c.FileCase, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    now = deps.clock.now()
    catalog = deps.catalog(uow)
    _require(catalog, actor, P.FILE)
    cmd = authorised_filing(cmd, actor, catalog.permissions(actor))
    # The number is taken inside the transaction: if validation fails the rollback returns it.
    prefix, year = deps.settings.filing_prefix, deps.local_year(now)
    number = FilingNumber(prefix, year, uow.numbers.next(prefix, year))
    case = Case.file(cmd, catalog=catalog, case_id=deps.new_id(), number=number, actor=actor, now=now,
                     public_fields_only=not registers_cases(catalog.permissions(actor)))
    _check_external_number(uow, case)
    # What the person filing chose is theirs: the typification's defaults do not replace it.
    chosen = {f for f, v in (("queue", cmd.queue), ("priority", cmd.priority or cmd.important)) if v}
    if case.is_open:
        run_routing(case, RoutingContext(uow, catalog, now, Trigger.FILED, deps.new_id, keep=chosen))
    auto_assign(case, uow, catalog, now, timezone=deps.settings.timezone,
                strategy=typification_strategy(catalog, case))
    _issue_letters(uow, deps, case, actor, now)
    _notify(uow, deps, case, now)
    uow.cases.add(case)
    uow.commit()
    return case


def _check_external_number(uow: UnitOfWork, case: Case) -> None:
    """A document another system filed is registered once: its number is unique in that system."""
    if case.external_source is None or case.external_number is None:
        return
    other = uow.cases.find_external(case.external_source, case.external_number)
    if other is not None:
        raise ValidationError({"external_number": f"El número {case.external_number} de "
                                                  f"{case.external_source} ya está registrado en el caso "
                                                  f"{other}."})


def _issue_letters(uow: UnitOfWork, deps: Deps, case: Case, actor: Actor, now: datetime) -> None:
    """Typeset the official letters the case's new events call for (the kinds the organisation issues)
    and attach each to the case as a public PDF, its SHA-256 in the history; the notification of the
    same communication carries it (``notifications_for``). The letter is signed by the person who acted
    (the staff member; the organisation itself for the web form or the system)."""
    settings = deps.settings
    number_communications(uow, case, settings.timezone)  # the letter carries its outgoing number
    # One letter of a kind per command: a use case may issue the letter before its last step (the
    # response's before the closing), and what it issued is not issued again.
    kinds = settings.letters - {e.letter for e in case.events if isinstance(e, AttachmentAdded) and e.letter}
    if deps.documents is None or not any(letter_kind(e) in kinds for e in case.events):
        return
    letterhead = settings.issued_letterhead()
    staff = actor.username not in (SYSTEM_ACTOR, WEB_FORM_ACTOR)
    # An approved response is signed by who wrote it, not by who approved it.
    author = next((e.drafted_by for e in case.events if isinstance(e, ResponseApproved)), actor.username)
    signer = deps.signer(author) if staff else Signer(name=letterhead.name)
    for letter in letters_for(case, list(case.events), frozenset(kinds), letterhead=letterhead,
                              signer=signer, timezone=settings.timezone):
        if deps.files is None:
            raise RuntimeError("no file store configured")
        signing = deps.document_signer is not None and letter.kind in SIGNED_KINDS
        if signing:
            letter = _with_verification(deps, letter)
        content = deps.documents.render(letter)
        if signing and deps.document_signer is not None:
            content = deps.document_signer.sign(content, letter.signer)
        info = AttachmentInfo(id=deps.new_id(), filename=letter.filename,
                              content_type=deps.documents.media_type,
                              size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                              storage_key=deps.files.put(content), public=True)
        case.add_attachment(info, actor=actor, now=now, letter=letter.kind)
        if letter.verification is not None:
            case.record_signature(letter_signed(
                case.id, code=letter.verification.code, filename=letter.filename, sha256=info.sha256,
                signer=letter.signer.name, signer_role=letter.signer.role,
                filing_numbers=tuple(n for n in (letter.filing_number, letter.outgoing_number) if n),
                attachment_id=info.id, actor=actor, now=now))


def _with_verification(deps: Deps, letter: Letter) -> Letter:
    """``letter`` with a fresh verification code and the address of its page, to be printed."""
    public_url = deps.settings.public_url
    if not public_url:
        raise RuntimeError("signing letters needs the public address (Settings.public_url)")
    code = deps.new_code()
    return attrs.evolve(letter, verification=Verification(code=code, url=verification_url(public_url, code)))


def _notify(uow: UnitOfWork, deps: Deps, case: Case, now: datetime) -> None:
    """Queue what the case's new events tell people, in the same transaction as the change."""
    uow.outbox.add(*notifications_for(case, case.events, deps.new_id, now))


def _mutate(cmd: _OnCase, uow: UnitOfWork, deps: Deps, actor: Actor, permission: str | tuple[str, ...],
            change: Callable[[Case, Catalog, datetime], None]) -> Case:
    catalog = deps.catalog(uow)
    _require(catalog, actor, permission)
    case = _load(uow, catalog, actor, cmd)
    now = deps.clock.now()
    queue = case.queue
    change(case, catalog, now)
    if case.queue != queue:  # a case that changes queue without a person: the new queue's strategy
        auto_assign(case, uow, catalog, now, timezone=deps.settings.timezone,
                    strategy=typification_strategy(catalog, case))
    _issue_letters(uow, deps, case, actor, now)
    _notify(uow, deps, case, now)
    uow.cases.save(case)
    uow.commit()
    return case


def typify_case(cmd: c.TypifyCase, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    def change(case: Case, cat: Catalog, now: datetime) -> None:
        before = case.typification
        case.typify(cmd.typification, catalog=cat, actor=actor, now=now)
        if case.typification != before:
            run_routing(case, RoutingContext(uow, cat, now, Trigger.RETYPIFIED, deps.new_id))
    return _mutate(cmd, uow, deps, actor, P.EDIT, change)


def tag_case(cmd: c.TagCase, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.EDIT,
                   lambda case, cat, now: case.tag(cmd.add, cmd.remove, actor=actor, now=now))


def change_case_items(cmd: c.ChangeCaseItems, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    # The items come checked against the invoice sources (``invoices.checked_command``).
    return _mutate(cmd, uow, deps, actor, P.EDIT,
                   lambda case, cat, now: case.change_items(cmd.add, cmd.remove, actor=actor, now=now))


def assign_case(cmd: c.AssignCase, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    # Seed 002: the supervisor distributes the filed cases; staff may take one for themselves.
    permission = P.TAKE if cmd.assignee == actor.username else P.ASSIGN
    return _mutate(cmd, uow, deps, actor, permission,
                   lambda case, cat, now: case.assign(cmd.assignee, queue=cmd.queue, catalog=cat,
                                                      actor=actor, now=now))


def transition_case(cmd: c.TransitionCase, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.apply_transition(
                       cmd.transition, catalog=cat, actor=actor, now=now,
                       settings=deps.settings.as_guard_settings()))


def add_note(cmd: c.AddNote, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.NOTE,
                   lambda case, cat, now: case.add_note(cmd.text, public=cmd.public, actor=actor, now=now))


def request_information(cmd: c.RequestInformation, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.request_information(
                       cmd.message, missing=cmd.missing, catalog=cat, actor=actor, now=now))


def record_requester_reply(cmd: c.RecordRequesterReply, uow: UnitOfWork, deps: Deps,
                           actor: Actor) -> Case:
    # The requester writes (REPLY), or staff record what the requester said by phone or mail (WORK).
    def change(case: Case, cat: Catalog, now: datetime) -> None:
        case.record_requester_reply(cmd.message, catalog=cat, actor=actor, now=now,
                                    settings=deps.settings.as_guard_settings())
        run_routing(case, RoutingContext(uow, cat, now, Trigger.REQUESTER_MESSAGE, deps.new_id))
    return _mutate(cmd, uow, deps, actor, (P.REPLY, P.WORK), change)


def respond_case(cmd: c.RespondCase, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    def change(case: Case, cat: Catalog, now: datetime) -> None:
        if deps.response_needs_approval:
            case.draft_response(cmd.text, solution=cmd.solution, close=cmd.close, catalog=cat, actor=actor,
                                now=now, access_denied=cmd.access_denied)
            return
        case.respond(cmd.text, solution=cmd.solution, catalog=cat, actor=actor, now=now,
                     access_denied=cmd.access_denied, handling_seconds=cmd.handling_seconds)
        _issue_letters(uow, deps, case, actor, now)  # the letter goes with the response, before the closing
        if cmd.close:
            case.close(catalog=cat, actor=actor, now=now)
    return _mutate(cmd, uow, deps, actor, P.WORK, change)


# What a macro may do with a response (``domain.answers.macro_commands``): change these, then one of those.
MACRO_CHANGES = (c.ChangeFields, c.TypifyCase, c.AssignCase)
MACRO_TRANSITIONS = (c.CloseCase, c.TransitionCase)


def respond_with_macro(cmd: c.RespondWithMacro, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    problems = Problems()
    if any(not isinstance(s, MACRO_CHANGES) or s.filing_number != cmd.filing_number for s in cmd.changes):
        problems.add("changes", "los cambios de una macro son de campos, tipificación o cola del mismo caso")
    if cmd.response.filing_number != cmd.filing_number:
        problems.add("response", "la respuesta debe ser del mismo caso")
    if cmd.transition is not None and (not isinstance(cmd.transition, MACRO_TRANSITIONS)
                                       or cmd.transition.filing_number != cmd.filing_number):
        problems.add("transition", "la acción de una macro es una transición o el cierre del mismo caso")
    problems.raise_if_any()
    _load(uow, deps.catalog(uow), actor, cmd)  # the version the macro's changes were planned on
    single = DeferredCommit(uow)  # every step in this transaction, committed once at the end
    for change in cmd.changes:
        HANDLERS[type(change)](change, single, deps, actor)
    case = respond_case(cmd.response, single, deps, actor)
    if cmd.transition is not None:
        case = HANDLERS[type(cmd.transition)](cmd.transition, single, deps, actor)
    uow.commit()
    return case


def approve_response(cmd: c.ApproveResponse, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    def change(case: Case, cat: Catalog, now: datetime) -> None:
        close = case.pending_response is not None and case.pending_response.close
        case.approve_response(catalog=cat, actor=actor, now=now)
        _issue_letters(uow, deps, case, actor, now)  # the letter goes with the response, before the closing
        if close:
            case.close(catalog=cat, actor=actor, now=now)
    return _mutate(cmd, uow, deps, actor, P.APPROVE_LETTERS, change)


def return_response(cmd: c.ReturnResponse, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.APPROVE_LETTERS,
                   lambda case, cat, now: case.return_response(cmd.comment, actor=actor, now=now))


def close_case(cmd: c.CloseCase, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.close(catalog=cat, actor=actor, now=now))


def reopen_case(cmd: c.ReopenCase, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.reopen(cmd.reason, catalog=cat, actor=actor, now=now,
                                                      settings=deps.settings.as_guard_settings()))


def return_for_retypification(cmd: c.ReturnForRetypification, uow: UnitOfWork, deps: Deps,
                              actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.return_for_retypification(
                       cmd.reason, catalog=cat, actor=actor, now=now))


def change_fields(cmd: c.ChangeFields, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.EDIT,
                   lambda case, cat, now: case.change_fields(cmd.changes, catalog=cat, actor=actor, now=now))


def extend_term(cmd: c.ExtendTerm, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.extend_term(cmd.reason, extra=cmd.extra, catalog=cat,
                                                           actor=actor, now=now))


def suspend_term(cmd: c.SuspendTerm, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.suspend_term(cmd.cause, cmd.reason, catalog=cat, actor=actor,
                                                            now=now))


def end_term_suspension(cmd: c.EndTermSuspension, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.end_term_suspension(catalog=cat, actor=actor, now=now))


def request_completion(cmd: c.RequestCompletion, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.request_completion(cmd.message, missing=cmd.missing,
                                                                  catalog=cat, actor=actor, now=now))


def extend_completion_time(cmd: c.ExtendCompletionTime, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, (P.REPLY, P.WORK),
                   lambda case, cat, now: case.extend_completion_time(catalog=cat, actor=actor, now=now))


def declare_withdrawal(cmd: c.DeclareWithdrawal, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.declare_withdrawal(cmd.reason, catalog=cat, actor=actor,
                                                                  now=now))


def transfer_case(cmd: c.TransferCase, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.transfer(cmd.entity, cmd.reason, catalog=cat, actor=actor,
                                                        now=now))


def record_admission_notice(cmd: c.RecordAdmissionNotice, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.record_judicial_notice(
                       "admission", cmd.days, notified_at=cmd.notified_at, catalog=cat, actor=actor, now=now))


def record_ruling_notice(cmd: c.RecordRulingNotice, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.record_judicial_notice(
                       "ruling", cmd.hours, notified_at=cmd.notified_at, catalog=cat, actor=actor, now=now))


def record_quality_review(cmd: c.RecordQualityReview, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.QUALITY,
                   lambda case, cat, now: case.record_quality_review(cmd.score, cmd.checklist, cmd.notes,
                                                                     actor=actor, now=now))


def record_root_cause(cmd: c.RecordRootCause, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.record_root_cause(
                       cmd.cause, cmd.area, cmd.action, cmd.action_owner, cmd.action_due, catalog=cat,
                       actor=actor, now=now))


def complete_corrective_action(cmd: c.CompleteCorrectiveAction, uow: UnitOfWork, deps: Deps,
                               actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.complete_corrective_action(cmd.note, actor=actor, now=now))


def add_attachment(cmd: c.AddAttachment, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    catalog = deps.catalog(uow)
    _require(catalog, actor, P.ATTACH)
    case = _load(uow, catalog, actor, cmd)  # before the bytes are stored
    permissions = catalog.permissions(actor)
    problems = Problems()
    check_text(problems, "filename", cmd.filename, max_length=MAX_SHORT_TEXT, required=True)
    limit = deps.settings.max_attachment_bytes
    if len(cmd.content) > limit:
        problems.add("content", f"el archivo supera el máximo de {limit // (1024 * 1024)} MB")
    if not cmd.content:
        problems.add("content", "el archivo está vacío")
    if cmd.content_type not in deps.settings.attachment_types:
        problems.add("content_type", f"el tipo «{cmd.content_type}» no está permitido")
    problems.raise_if_any()
    public = attachment_rules.chosen_visibility(cmd.public, permissions)
    now = deps.clock.now()
    attachment_rules.check_case_accepts(case, len(cmd.content), permissions=permissions, catalog=catalog,
                                        settings=deps.settings,
                                        guard_settings=deps.settings.as_guard_settings(), now=now)
    _spend_hourly_allowance(uow, deps, cmd.sender or actor.username, len(cmd.content), now)
    if deps.files is None:
        raise RuntimeError("no file store configured")
    key = deps.files.put(cmd.content)
    info = AttachmentInfo(id=deps.new_id(), filename=cmd.filename.strip(), content_type=cmd.content_type,
                          size=len(cmd.content), sha256=hashlib.sha256(cmd.content).hexdigest(),
                          storage_key=key, public=public)
    return _mutate(cmd, uow, deps, actor, P.ATTACH,
                   lambda case, cat, now: case.add_attachment(info, actor=actor, now=now))


def _spend_hourly_allowance(uow: UnitOfWork, deps: Deps, sender: str, size: int, now: datetime) -> None:
    """Count one file of ``size`` bytes against what ``sender`` may upload this hour (in the store,
    shared by every worker; kept only if the upload is); over either limit ``LimitExceeded`` says
    when the next hour starts."""
    settings = deps.settings
    limits = ((attachment_rules.FILES_BUCKET, 1, settings.max_uploads_per_hour),
              (attachment_rules.BYTES_BUCKET, size, settings.max_upload_bytes_per_hour))
    for bucket, amount, allowed in limits:
        total, retry_at = uow.rates.add(bucket, sender, amount, window=attachment_rules.HOUR, now=now)
        if total > allowed:
            what = (f"{allowed} archivos" if bucket == attachment_rules.FILES_BUCKET
                    else f"{allowed // (1024 * 1024)} MB")
            local = retry_at.astimezone(ZoneInfo(settings.timezone)).strftime("%H:%M")
            raise LimitExceeded("content", f"Puede adjuntar hasta {what} por hora. Intente de nuevo "
                                           f"después de las {local}.", retry_at=retry_at)


def escalate_to_third_party(cmd: c.EscalateToThirdParty, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    """The notes are chosen by their place in the history and the attachments by id; what is sent is
    copied into the escalation's event, so the history says exactly what left the organisation."""
    def change(case: Case, cat: Catalog, now: datetime) -> None:
        history = uow.cases.history(str(case.filing_number))
        problems = Problems()
        check_escalation(problems, cmd.address, cmd.name, cmd.message)
        notes: list[str] = []
        for i, seq in enumerate(cmd.note_ids):
            event = history[seq - 1] if 0 < seq <= len(history) else None
            if not isinstance(event, NoteAdded):
                problems.add(f"note_ids.{i}", f"{seq} no es una nota de este caso")
            else:
                notes.append(event.text)
        by_id = {a.id: a for a in case.attachments}
        files: list[AttachmentInfo] = []
        for i, attachment_id in enumerate(cmd.attachment_ids):
            if attachment_id not in by_id:
                problems.add(f"attachment_ids.{i}", f"«{attachment_id[:80]}» no es un adjunto de este caso")
            else:
                files.append(by_id[attachment_id])
        problems.raise_if_any()
        case.escalate_to_third_party(cmd.address, cmd.name, cmd.message, notes=tuple(notes),
                                     attachments=tuple(files), catalog=cat, actor=actor, now=now)
    return _mutate(cmd, uow, deps, actor, P.WORK, change)


def record_third_party_reply(cmd: c.RecordThirdPartyReply, uow: UnitOfWork, deps: Deps,
                             actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.record_third_party_reply(
                       cmd.message, sender=cmd.sender, received_at=cmd.received_at or now, catalog=cat,
                       actor=actor, now=now))


def resume_from_third_party(cmd: c.ResumeFromThirdParty, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.resume_from_third_party(catalog=cat, actor=actor, now=now))


def request_internal(cmd: c.RequestInternal, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK,
                   lambda case, cat, now: case.request_internal(
                       deps.new_id(), queue=cmd.queue, text=cmd.text, due=cmd.due, catalog=cat, actor=actor,
                       now=now, timezone=deps.settings.timezone))


def answer_internal(cmd: c.AnswerInternal, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    """The area answers without seeing the case in its inbox: a member of the queue asked (and only
    them, ``Case.answer_internal``) may answer, whatever the case's visibility."""
    catalog = deps.catalog(uow)
    _require(catalog, actor, P.WORK)
    case = uow.cases.get(cmd.filing_number)
    asked = {r.queue for r in case.internal_requests if r.id == cmd.request_id}
    if case.deleted_at is not None or not (asked & actor.queues or matches(catalog.visibility(actor), case)):
        raise NotFound("el caso", cmd.filing_number)
    if cmd.expected_version is not None and cmd.expected_version != case.version:
        raise ConcurrencyConflict(str(case.filing_number), cmd.expected_version, case.version)
    now = deps.clock.now()
    case.answer_internal(cmd.request_id, cmd.answer, actor=actor, now=now)
    _notify(uow, deps, case, now)
    uow.cases.save(case)
    uow.commit()
    return case


# --- proof of notification (delivery.py) ---------------------------------------------------------------
def record_email_delivery(cmd: c.RecordEmailDelivery, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    """The outbox's result or a bounce, recorded by the application (``Actor.system()``)."""
    return _mutate(cmd, uow, deps, actor, P.WORK, lambda case, cat, now: case.record_delivery(
        delivery.email_recorded(case, cmd.communication, cmd.status, address=cmd.address,
                                message_id=cmd.message_id, reason=cmd.reason, actor=actor.username, now=now)))


def record_portal_read(cmd: c.RecordPortalRead, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    """The requester saw the answer in the portal; nothing changes when someone else opens the case,
    when there is no answer yet, or when the reading was already recorded."""
    catalog = deps.catalog(uow)
    case = _load(uow, catalog, actor, cmd)
    now = deps.clock.now()
    event = delivery.portal_read(case, actor.username, now) if is_requester(case, actor.username) else None
    if event is None:
        return case
    case.record_delivery(event)
    uow.cases.save(case)
    uow.commit()
    return case


def record_in_person_delivery(cmd: c.RecordInPersonDelivery, uow: UnitOfWork, deps: Deps,
                              actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK, lambda case, cat, now: case.record_delivery(
        delivery.in_person(case, cmd.communication, cmd.received_by, cmd.receipt, actor=actor.username,
                           now=now)))


def record_courier_delivery(cmd: c.RecordCourierDelivery, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    return _mutate(cmd, uow, deps, actor, P.WORK, lambda case, cat, now: case.record_delivery(
        delivery.courier(case, cmd.communication, cmd.company, cmd.guide, cmd.status, reason=cmd.reason,
                         proof=cmd.proof, actor=actor.username, now=now)))


def publish_notice(cmd: c.PublishNotice, uow: UnitOfWork, deps: Deps, actor: Actor) -> Case:
    def change(case: Case, cat: Catalog, now: datetime) -> None:
        assert cat.calendar is not None
        case.record_delivery(delivery.notice_published(case, cat.calendar, actor=actor.username, now=now))
    return _mutate(cmd, uow, deps, actor, P.WORK, change)


HANDLERS: dict[type, Callable[[Any, UnitOfWork, Deps, Actor], Any]] = {
    c.FileCase: file_case,
    c.TypifyCase: typify_case,
    c.AssignCase: assign_case,
    c.TagCase: tag_case,
    c.ChangeCaseItems: change_case_items,
    c.TransitionCase: transition_case,
    c.AddNote: add_note,
    c.RequestInformation: request_information,
    c.RecordRequesterReply: record_requester_reply,
    c.RespondCase: respond_case,
    c.RespondWithMacro: respond_with_macro,
    c.ApproveResponse: approve_response,
    c.ReturnResponse: return_response,
    c.CloseCase: close_case,
    c.ReopenCase: reopen_case,
    c.ReturnForRetypification: return_for_retypification,
    c.ChangeFields: change_fields,
    c.AddAttachment: add_attachment,
    c.ExtendTerm: extend_term,
    c.SuspendTerm: suspend_term,
    c.EndTermSuspension: end_term_suspension,
    c.RequestCompletion: request_completion,
    c.ExtendCompletionTime: extend_completion_time,
    c.DeclareWithdrawal: declare_withdrawal,
    c.TransferCase: transfer_case,
    c.RecordAdmissionNotice: record_admission_notice,
    c.RecordRulingNotice: record_ruling_notice,
    c.RecordQualityReview: record_quality_review,
    c.RecordRootCause: record_root_cause,
    c.CompleteCorrectiveAction: complete_corrective_action,
    c.EscalateToThirdParty: escalate_to_third_party,
    c.RequestInternal: request_internal,
    c.AnswerInternal: answer_internal,
    c.RecordThirdPartyReply: record_third_party_reply,
    c.ResumeFromThirdParty: resume_from_third_party,
    c.RecordEmailDelivery: record_email_delivery,
    c.RecordPortalRead: record_portal_read,
    c.RecordInPersonDelivery: record_in_person_delivery,
    c.RecordCourierDelivery: record_courier_delivery,
    c.PublishNotice: publish_notice,
}
