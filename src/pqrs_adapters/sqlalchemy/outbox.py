"""``SqlOutbox``: notifications stored in the transaction of the change that causes them."""

from __future__ import annotations

from sqlalchemy import Connection, select

from pqrs_core.domain.notifications import IN_APP_TEMPLATES, REQUESTER, Notification

from ..logs import REQUEST_ID, REQUEST_ID_CONTEXT_KEY
from .bulk_insert import BulkInsert
from .tables import outbox, staff_notifications

_COLUMNS = ("key", "template", "recipient", "case_id", "filing_number", "context", "created_at", "attempts",
            "next_attempt_at")
_IN_APP_COLUMNS = ("key", "recipient", "template", "case_id", "filing_number", "context", "created_at")
# Compiled once per database: (outbox, staff_notifications).
_INSERTS: dict[str, tuple[BulkInsert, BulkInsert]] = {}


def _inserts(conn: Connection) -> tuple[BulkInsert, BulkInsert]:
    found = _INSERTS.get(conn.dialect.name)
    if found is None:
        found = _INSERTS[conn.dialect.name] = (BulkInsert(outbox, _COLUMNS, conn.dialect),
                                               BulkInsert(staff_notifications, _IN_APP_COLUMNS, conn.dialect))
    return found


class SqlOutbox:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, *notifications: Notification) -> None:
        """One statement for all of them (``BulkInsert``); those meant for the staff in the application
        (``IN_APP_TEMPLATES``) are kept for the bell too, in the same transaction. The request that
        caused them (``logs.REQUEST_ID``) goes with the e-mails, so that the worker's lines about
        delivering them name it."""
        if not notifications:
            return
        request_id = REQUEST_ID.get()
        extra = {REQUEST_ID_CONTEXT_KEY: request_id} if request_id else {}
        insert, insert_in_app = _inserts(self._conn)
        insert.insert(self._conn, [dict(
            key=n.key, template=n.template, recipient=n.recipient, case_id=n.case_id,
            filing_number=n.filing_number, context={**n.context, **extra}, created_at=n.created_at,
            attempts=0, next_attempt_at=n.created_at) for n in notifications])
        in_app = [n for n in notifications if n.template in IN_APP_TEMPLATES and n.recipient != REQUESTER]
        if in_app:
            insert_in_app.insert(self._conn, [dict(
                key=n.key, recipient=n.recipient, template=n.template, case_id=n.case_id,
                filing_number=n.filing_number, context=n.context, created_at=n.created_at)
                for n in in_app])

    def pending(self, limit: int = 100) -> list[Notification]:
        rows = self._conn.execute(select(outbox).where(outbox.c.sent_at.is_(None))
                                  .order_by(outbox.c.id).limit(limit)).mappings()
        return [Notification(key=r["key"], template=r["template"], recipient=r["recipient"],
                             case_id=r["case_id"], filing_number=r["filing_number"],
                             created_at=r["created_at"], context=dict(r["context"])) for r in rows]
