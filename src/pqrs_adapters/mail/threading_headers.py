"""The headers that keep a case's mail in one thread in the requester's mail client (RFC 5322 §3.6.4):
``In-Reply-To`` names the newest message the requester sent us on the case (their original mail for
the acknowledgement), ``References`` the thread's messages oldest first (theirs and ours; never those
of a third party or a stranger, which are not the requester's to see), and
``Reply-To`` the case's reply address (``local+TOKEN@domain`` of the mailbox the case came in through),
so an answer comes back to the case whichever way the client threads it.

An acknowledgement of an incoming mail is ``Auto-Submitted: auto-replied``, everything else we send
``auto-generated`` (RFC 3834 §5), so that well-behaved responders never answer either.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

import attrs
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import IntegrityError

from ..sqlalchemy.tables import case_mail_threads, cases, mail_intake, outbox

MAX_REFERENCES = 20  # the first and the newest: RFC 5322 lets a long list be shortened


@attrs.frozen
class ThreadHeaders:
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    reply_to: str | None = None
    answers_mail: bool = False  # the case came in by mail: its acknowledgement is an auto-reply

    def auto_submitted(self, template: str) -> str:
        return "auto-replied" if self.answers_mail and template == "acknowledgement" else "auto-generated"


def load(conn: Connection, filing_numbers: Collection[str]) -> Mapping[str, ThreadHeaders]:
    """The thread headers of the cases ``filing_numbers`` (cases with no mail yet are left out)."""
    numbers = sorted(set(filing_numbers))
    if not numbers:
        return {}
    threads = {r.filing_number: r for r in conn.execute(
        select(case_mail_threads).where(case_mail_threads.c.filing_number.in_(numbers)))}
    messages: dict[str, list[tuple[datetime, int, str, bool]]] = {n: [] for n in numbers}
    # Only the requester's own messages: a third party's or a stranger's Message-ID must not reach the
    # requester's mail (it would tell them who else wrote about their case).
    requester_email = func.lower(func.trim(cases.c.requester_email))
    for r in conn.execute(select(mail_intake.c.filing_number, mail_intake.c.received_at, mail_intake.c.id,
                                 mail_intake.c.message_id)
                          .join(cases, cases.c.filing_number == mail_intake.c.filing_number)
                          .where(mail_intake.c.filing_number.in_(numbers),
                                 mail_intake.c.message_id.is_not(None),
                                 mail_intake.c.outcome.in_(("filed", "threaded")),
                                 func.lower(mail_intake.c.from_address) == requester_email)):
        messages[r.filing_number].append((r.received_at, r.id, r.message_id, True))
    for r in conn.execute(select(outbox.c.filing_number, outbox.c.created_at, outbox.c.id,
                                 outbox.c.message_id)
                          .where(outbox.c.filing_number.in_(numbers), outbox.c.message_id.is_not(None),
                                 outbox.c.recipient == "requester")):
        messages[r.filing_number].append((r.created_at, r.id, r.message_id, False))
    found: dict[str, ThreadHeaders] = {}
    for number in numbers:
        thread = threads.get(number)
        ordered = sorted(messages[number], key=lambda m: (m[0], m[1]))
        ids = list(dict.fromkeys(m[2] for m in ordered))
        if len(ids) > MAX_REFERENCES:
            ids = ids[:1] + ids[-(MAX_REFERENCES - 1):]
        theirs = [m[2] for m in ordered if m[3]]
        if thread is None and not ids:
            continue
        reply_to = None
        if thread is not None and thread.mailbox and "@" in thread.mailbox:
            reply_to = reply_address(thread.mailbox, thread.reply_token)
        first = thread.first_message_id if thread is not None else None
        found[number] = ThreadHeaders(in_reply_to=theirs[-1] if theirs else (ids[-1] if ids else None),
                                      references=tuple(ids), reply_to=reply_to,
                                      answers_mail=first is not None)
    return found


def reply_address(mailbox: str, token: str) -> str:
    """``local+TOKEN@domain`` of ``mailbox``."""
    local, _, domain = mailbox.rpartition("@")
    return f"{local.split('+', 1)[0]}+{token}@{domain}"


def give_reply_addresses(engine: Engine, found: Mapping[str, ThreadHeaders], numbers: Collection[str],
                         mailbox: str) -> Mapping[str, ThreadHeaders]:
    """``found``, with a reply address in ``mailbox`` for each case of ``numbers`` that had none (its
    thread started now: a case filed on the web or by phone)."""
    from ..sqlalchemy.engine import begin_write
    from .intake import threads

    result = dict(found)
    for number in sorted(set(numbers)):
        headers = result.get(number, ThreadHeaders())
        if headers.reply_to:
            continue
        try:
            with begin_write(engine) as conn:
                thread = threads.ensure(conn, number, mailbox=mailbox)
        except IntegrityError:  # another worker started it meanwhile
            with engine.connect() as conn:
                started = threads.get(conn, number)
            if started is None:
                continue
            thread = started
        result[number] = attrs.evolve(headers, reply_to=reply_address(thread.mailbox or mailbox,
                                                                      thread.reply_token))
    return result
