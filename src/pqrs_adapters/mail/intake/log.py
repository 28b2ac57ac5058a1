"""The intake log (``mail_intake``): one row per message received, whatever became of it. The row is
written in the transaction that files the case or records the message, so both are kept or neither;
its unique ``message_key`` makes receiving the same message again a no-op."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs
from sqlalchemy import Connection, select

from ...sqlalchemy.tables import mail_intake

OUTCOMES = ("filed", "threaded", "ignored", "bounced", "refused", "duplicate")

# What each outcome reads as on the intake page.
OUTCOME_LABELS = {"filed": "Radicado", "threaded": "Agregado a un caso", "ignored": "Ignorado",
                  "bounced": "Rebote", "refused": "Rechazado", "duplicate": "Duplicado"}


@attrs.frozen
class IntakeRecord:
    id: int
    message_key: str
    message_id: str | None
    received_at: datetime
    mailbox: str | None
    source: str | None
    from_address: str | None
    subject: str | None
    outcome: str
    reason: str
    filing_number: str | None
    raw_sha256: str
    raw_key: str | None = None


def get(conn: Connection, intake_id: int) -> IntakeRecord | None:
    row = conn.execute(select(mail_intake).where(mail_intake.c.id == intake_id)).mappings().first()
    return IntakeRecord(**row) if row is not None else None


def find(conn: Connection, message_key: str) -> IntakeRecord | None:
    row = conn.execute(select(mail_intake).where(mail_intake.c.message_key == message_key)).mappings().first()
    return IntakeRecord(**row) if row is not None else None


def add(conn: Connection, **values: object) -> int:
    """Write one row; its id."""
    result = conn.execute(mail_intake.insert().values(**values).returning(mail_intake.c.id))
    return int(result.scalar_one())


def case_of_message_ids(conn: Connection, message_ids: Sequence[str]) -> str | None:
    """The case of the newest received message among ``message_ids``."""
    if not message_ids:
        return None
    row = conn.execute(select(mail_intake.c.filing_number)
                       .where(mail_intake.c.message_id.in_(list(message_ids)),
                              mail_intake.c.filing_number.is_not(None))
                       .order_by(mail_intake.c.id.desc()).limit(1)).first()
    return row[0] if row is not None else None


def count_from(conn: Connection, address: str, since: datetime) -> int:
    """How many messages ``address`` sent that arrived since ``since``."""
    from sqlalchemy import func

    return int(conn.execute(select(func.count()).select_from(mail_intake)
                            .where(mail_intake.c.from_address == address,
                                   mail_intake.c.received_at >= since)).scalar_one())


def newest_case_from(conn: Connection, address: str, since: datetime) -> str | None:
    """The case the newest message from ``address`` since ``since`` filed or joined."""
    row = conn.execute(select(mail_intake.c.filing_number)
                       .where(mail_intake.c.from_address == address, mail_intake.c.received_at >= since,
                              mail_intake.c.filing_number.is_not(None))
                       .order_by(mail_intake.c.id.desc()).limit(1)).first()
    return row[0] if row is not None else None


def recent(conn: Connection, *, outcome: str | None = None, limit: int = 100,
           before_id: int | None = None) -> list[IntakeRecord]:
    """The newest rows first (``before_id``: the page after the one ending there)."""
    stmt = select(mail_intake).order_by(mail_intake.c.id.desc()).limit(limit)
    if outcome:
        stmt = stmt.where(mail_intake.c.outcome == outcome)
    if before_id is not None:
        stmt = stmt.where(mail_intake.c.id < before_id)
    return [IntakeRecord(**row) for row in conn.execute(stmt).mappings()]
