"""Each case's mail thread (``case_mail_threads``): the unguessable token of its reply address
(``local+TOKEN@domain``), the requester's first Message-ID, and the requester address that bounced."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

import attrs
from sqlalchemy import Connection, select, update

from ...sqlalchemy.tables import case_mail_threads, outbox

_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@attrs.frozen
class CaseThread:
    filing_number: str
    reply_token: str
    mailbox: str | None = None
    first_message_id: str | None = None
    failing_address: str | None = None
    failing_since: datetime | None = None
    failing_reason: str | None = None



def new_token() -> str:
    """128 bits from the operating system's generator, not guessable from anything else; hexadecimal
    in lower case, because mail servers may change the case of an address's local part."""
    return secrets.token_hex(16)


def get(conn: Connection, filing_number: str) -> CaseThread | None:
    row = conn.execute(select(case_mail_threads)
                       .where(case_mail_threads.c.filing_number == filing_number)).mappings().first()
    return CaseThread(**row) if row is not None else None


def ensure(conn: Connection, filing_number: str, *, mailbox: str | None = None,
           first_message_id: str | None = None) -> CaseThread:
    """The case's thread, started when it has none."""
    found = get(conn, filing_number)
    if found is not None:
        return found
    thread = CaseThread(filing_number, new_token(), mailbox, first_message_id)
    conn.execute(case_mail_threads.insert().values(**attrs.asdict(thread)))
    return thread


def by_token(conn: Connection, token: str) -> str | None:
    token = token.lower()
    if not _TOKEN.match(token):
        return None
    row = conn.execute(select(case_mail_threads.c.filing_number)
                       .where(case_mail_threads.c.reply_token == token)).first()
    return row[0] if row is not None else None


def mark_failing(conn: Connection, filing_number: str, address: str, reason: str, now: datetime) -> None:
    ensure(conn, filing_number)
    conn.execute(update(case_mail_threads).where(case_mail_threads.c.filing_number == filing_number)
                 .values(failing_address=address, failing_since=now, failing_reason=reason[:500]))


def clear_failing(conn: Connection, filing_number: str) -> None:
    """The requester wrote from the address: it works again."""
    conn.execute(update(case_mail_threads).where(case_mail_threads.c.filing_number == filing_number,
                                                 case_mail_threads.c.failing_address.is_not(None))
                 .values(failing_address=None, failing_since=None, failing_reason=None))


def case_of_sent(conn: Connection, message_ids: tuple[str, ...]) -> str | None:
    """The case of the newest message we sent among ``message_ids`` (the outbox keeps the Message-ID
    of what it sent; an unsent row's would be ``<key@domain>``)."""
    if not message_ids:
        return None
    keys = [mid[1:-1].rpartition("@")[0] for mid in message_ids]
    row = conn.execute(select(outbox.c.filing_number)
                       .where(outbox.c.message_id.in_(list(message_ids)) | outbox.c.key.in_(keys))
                       .order_by(outbox.c.id.desc()).limit(1)).first()
    return row[0] if row is not None else None


def sent_template(conn: Connection, message_ids: tuple[str, ...]) -> tuple[str, str] | None:
    """The template and recipient of the newest message we sent among ``message_ids`` (what a bounce
    says could not be delivered)."""
    if not message_ids:
        return None
    row = conn.execute(select(outbox.c.template, outbox.c.recipient)
                       .where(outbox.c.message_id.in_(list(message_ids)))
                       .order_by(outbox.c.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row is not None else None


def sent_message_ids(conn: Connection, filing_number: str, *, limit: int = 20) -> list[str]:
    """The Message-IDs of what we sent on the case, oldest first (for References)."""
    rows = conn.execute(select(outbox.c.message_id)
                        .where(outbox.c.filing_number == filing_number, outbox.c.message_id.is_not(None))
                        .order_by(outbox.c.id.desc()).limit(limit)).all()
    return [row[0] for row in reversed(rows)]
