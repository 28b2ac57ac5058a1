"""``SqlOutbox``: notifications stored in the transaction of the change that causes them."""

from __future__ import annotations

from sqlalchemy import Connection, select

from pqrs_core.domain.notifications import Notification

from .tables import outbox


class SqlOutbox:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, notification: Notification) -> None:
        n = notification
        self._conn.execute(outbox.insert(), [dict(
            key=n.key, template=n.template, recipient=n.recipient, case_id=n.case_id,
            filing_number=n.filing_number, context=n.context, created_at=n.created_at, attempts=0,
            next_attempt_at=n.created_at)])

    def pending(self, limit: int = 100) -> list[Notification]:
        rows = self._conn.execute(select(outbox).where(outbox.c.sent_at.is_(None))
                                  .order_by(outbox.c.id).limit(limit)).mappings()
        return [Notification(key=r["key"], template=r["template"], recipient=r["recipient"],
                             case_id=r["case_id"], filing_number=r["filing_number"],
                             created_at=r["created_at"], context=dict(r["context"])) for r in rows]
