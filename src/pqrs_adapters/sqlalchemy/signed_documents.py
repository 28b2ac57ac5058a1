"""The signed letters by verification code: written from the ``LetterSigned`` events in the
transaction that records them, read by the public verification page."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs
from sqlalchemy import Connection, Engine, insert, select

from pqrs_core.domain.events import DomainEvent, LetterSigned
from pqrs_core.domain.voiding import TargetKind, VoidingStatus

from .tables import cases, signed_documents, voidings


@attrs.frozen
class SignedDocument:
    code: str
    filing_numbers: tuple[str, ...]
    filename: str
    sha256: str
    signer: str
    signer_role: str
    signed_at: datetime
    # When the letter's case was voided (anulado) since, and the number of its voiding record.
    voided_at: datetime | None = None
    voiding_record: str | None = None


def record_signed(conn: Connection, events: Iterable[DomainEvent]) -> None:
    """One row per ``LetterSigned`` among ``events``."""
    rows = [{"code": e.code, "case_id": e.case_id, "filing_numbers": list(e.filing_numbers),
             "filename": e.filename, "sha256": e.sha256, "signer": e.signer, "signer_role": e.signer_role,
             "signed_at": e.occurred_at, "attachment_id": e.attachment_id}
            for e in events if isinstance(e, LetterSigned)]
    if rows:
        conn.execute(insert(signed_documents), rows)


def find_signed(engine: Engine, code: str) -> SignedDocument | None:
    """The signed letter whose verification code is ``code``, or ``None``; with the voiding of its
    case, if it was voided."""
    record = (select(voidings.c.number)
              .where(voidings.c.target_kind == TargetKind.CASE.value,
                     voidings.c.target == cases.c.filing_number,
                     voidings.c.status == VoidingStatus.APPROVED.value)
              .limit(1).scalar_subquery())
    query = (select(signed_documents, cases.c.deleted_at, record.label("voiding_record"))
             .join(cases, cases.c.id == signed_documents.c.case_id)
             .where(signed_documents.c.code == code))
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    voided = row["deleted_at"] is not None
    return SignedDocument(code=row["code"], filing_numbers=tuple(row["filing_numbers"]),
                          filename=row["filename"], sha256=row["sha256"], signer=row["signer"],
                          signer_role=row["signer_role"], signed_at=row["signed_at"],
                          voided_at=row["deleted_at"],
                          voiding_record=row["voiding_record"] if voided else None)
