"""What the intake writes on cases, inside its transaction: a new case from a message, a message on an
existing case (as the requester's, or as an internal note), the message's files, the raw message as
evidence, and the notes that tell staff what the intake noticed."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

import attrs

from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import DomainError, StorageUnavailable, ValidationError
from pqrs_core.domain.notifications import Notification
from pqrs_core.domain.values import (
    MAX_DESCRIPTION,
    MAX_LONG_TEXT,
    MAX_SUBJECT,
    AttachmentInfo,
    Requester,
    is_valid_email,
)
from pqrs_core.ports import CaseQuery
from pqrs_core.ports_integration import CustomerDirectory
from pqrs_core.services.customers import Customers

from .parsing import MailFile, ParsedMail
from .transaction import IntakeTransaction

EMAIL_CHANNEL = "email"
EVIDENCE_NAME = "mensaje-original.eml"
NO_SUBJECT = "(Sin asunto)"
NO_TEXT = "(El mensaje no trae texto.)"


@attrs.frozen
class MailboxDefaults:
    """What a new case from a mailbox is filed as (``None``: the intake's defaults)."""

    kind: str | None = None
    queue: str | None = None
    typification: str | None = None


def clip(text: str, limit: int, note: str = "\n\n[…] (texto recortado; el mensaje completo está en el "
                                           "correo original adjunto)") -> str:
    return text if len(text) <= limit else text[:limit - len(note)].rstrip() + note


def find_requester(tx: IntakeTransaction, mail: ParsedMail,
                   directories: Sequence[CustomerDirectory]) -> Requester:
    """The sender as a requester: the requester of their newest earlier case, else the one customer a
    directory knows with that address, else a person with the name and address of ``From``."""
    address = mail.from_address or ""
    email = address if is_valid_email(address) else None
    name = (mail.from_name or "")[:200] or None
    if email is None:
        return Requester(full_name=name)
    earlier = tx.uow.cases.list(CaseQuery(requester_email=email, limit=1)).cases
    if earlier:
        return attrs.evolve(earlier[0].requester, email=email)
    matches = [f for f in Customers(directories).find(email, limit=5).customers
               if (f.customer.email or "").lower() == email]
    for directory in dict.fromkeys(f.directory for f in matches):
        theirs = [f for f in matches if f.directory == directory]
        if len(theirs) == 1:
            return attrs.evolve(theirs[0].requester(), email=email)
    return Requester(full_name=name, email=email)


def file_new_case(tx: IntakeTransaction, mail: ParsedMail, *, received_at: datetime, kind: str,
                  defaults: MailboxDefaults, requester: Requester) -> tuple[Case, list[str]]:
    """File the message as a case; what could not be applied as the mailbox asked (a typification or
    queue the catalog refuses) is dropped and returned, to be noted on the case."""
    catalog = tx.deps.catalog(tx.held)
    channel = EMAIL_CHANNEL if EMAIL_CHANNEL in catalog.active_codes("channels") else None
    command = c.FileCase(kind=kind, subject=clip(mail.subject or NO_SUBJECT, MAX_SUBJECT, " […]"),
                         description=clip(mail.text or NO_TEXT, MAX_DESCRIPTION),
                         requester=requester, channel=channel, queue=defaults.queue,
                         typification=defaults.typification, received_at=received_at,
                         entry_channel=channel)
    dropped: list[str] = []
    try:
        return tx.run(command), dropped
    except ValidationError as exc:
        errors = dict(exc.errors)
    # What the mailbox or the sender gave that the catalog refused: file without it, and say so.
    changes: dict[str, object] = {}
    for field in ("typification", "queue", "channel"):
        if field in errors:
            changes[field] = None
            dropped.append(f"{field}: {errors[field]}")
    if any(name.startswith("requester.") for name in errors):
        changes["requester"] = Requester(full_name=requester.full_name)
        dropped.extend(f"{k}: {v}" for k, v in errors.items() if k.startswith("requester."))
    if not changes:
        raise ValidationError(errors)
    return tx.run(attrs.evolve(command, **changes)), dropped  # type: ignore[arg-type]


def add_note(tx: IntakeTransaction, filing_number: str, text: str) -> None:
    """An internal note (staff only)."""
    tx.run(c.AddNote(filing_number=filing_number, text=clip(text, MAX_LONG_TEXT)))


def record_requester_message(tx: IntakeTransaction, filing_number: str, text: str) -> None:
    """The requester's message, as a portal reply: resumes, restarts the term, reopens or records."""
    tx.run(c.RecordRequesterReply(filing_number=filing_number, message=clip(text or NO_TEXT, MAX_LONG_TEXT)))


def attach_files(tx: IntakeTransaction, filing_number: str, files: Sequence[MailFile], *, public: bool,
                 sender: str) -> list[str]:
    """Attach ``files`` with the rules of any upload (type, size, per-case and hourly limits); the
    refusals, as «nombre: motivo», to be noted on the case."""
    refused: list[str] = []
    for file in files:
        try:
            tx.run(c.AddAttachment(filing_number=filing_number, filename=file.filename,
                                   content_type=file.content_type, content=file.content, public=public,
                                   sender=f"correo:{sender}"))
        except StorageUnavailable:
            raise
        except DomainError as exc:
            errors = getattr(exc, "errors", None)
            why = "; ".join(errors.values()) if isinstance(errors, dict) and errors else str(exc)
            refused.append(f"{file.filename} ({file.content_type}, {len(file.content):,} bytes): {why}")
    return refused


def keep_evidence(tx: IntakeTransaction, filing_number: str, raw: bytes, raw_key: str, now: datetime) -> str:
    """The raw message (already in the file store under ``raw_key``) attached as an internal file: the
    evidence of what arrived, whatever its size or the attachment rules; its SHA-256 is in the
    ``AttachmentAdded`` event of the history."""
    digest = hashlib.sha256(raw).hexdigest()
    info = AttachmentInfo(id=tx.deps.new_id(), filename=EVIDENCE_NAME, content_type="message/rfc822",
                          size=len(raw), sha256=digest, storage_key=raw_key, public=False)
    case = tx.uow.cases.get(filing_number)
    case.add_attachment(info, actor=tx.actor, now=now)
    tx.uow.cases.save(case)
    return digest


def tell_staff(tx: IntakeTransaction, case: Case, message: str, now: datetime) -> None:
    """A notification to whoever works the case (its assignee, else its queue, else supervisors)."""
    recipient = (f"user:{case.assignee}" if case.assignee else f"queue:{case.queue}" if case.queue
                 else "role:supervisor")
    tx.uow.outbox.add(Notification(key=tx.deps.new_id(), template="mail_alert", recipient=recipient,
                                   case_id=case.id, filing_number=str(case.filing_number), created_at=now,
                                   context={"filing_number": str(case.filing_number), "subject": case.subject,
                                            "kind": case.kind,
                                            "requester_name": case.requester.display_name,
                                            "state": case.state, "message": message}))
