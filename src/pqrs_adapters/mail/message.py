"""The e-mail a notification becomes: plain text and HTML alternatives, a stable Message-ID.

The Message-ID is derived from the outbox row's key and the sender's domain
(``<3f2a…@acme.co>``), and the Date header is the notification's creation time, so a message sent
again after a crash (sent, but not yet marked as sent) is the same message: receivers and mail
clients recognise the duplicate by its Message-ID.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import datetime
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from .recipients import Address
from .render import RenderedMail
from .threading_headers import ThreadHeaders

_ID_CHARACTERS = re.compile(r"[A-Za-z0-9._-]{1,200}")


def message_id(key: str, mail_from: str) -> str:
    """``<key@domain-of-the-sender>`` (``@pqrs`` when the sender has no domain)."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2].strip() or "pqrs"
    local = key if _ID_CHARACTERS.fullmatch(key) else hashlib.sha256(key.encode()).hexdigest()
    return f"<{local}@{domain}>"


def compose(mail: RenderedMail, *, mail_from: str, to: Sequence[Address], msg_id: str, date: datetime,
            filing_number: str, thread: ThreadHeaders | None = None,
            template: str = "") -> EmailMessage:
    """The message; ``thread`` adds In-Reply-To, References and Reply-To (see ``threading_headers``)."""
    thread = thread or ThreadHeaders()
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = [HeaderAddress(display_name=a.name or "", addr_spec=a.email) for a in to]
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = msg_id
    references = [r for r in thread.references if r != msg_id]
    if thread.in_reply_to and thread.in_reply_to != msg_id:
        message["In-Reply-To"] = thread.in_reply_to
    if references:
        message["References"] = " ".join(references)
    if thread.reply_to:
        message["Reply-To"] = thread.reply_to
    # RFC 3834: an automatic message, so that vacation responders do not answer it.
    message["Auto-Submitted"] = thread.auto_submitted(template)
    message["X-PQRS-Filing-Number"] = filing_number
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    message["Content-Language"] = "es-CO"  # after the bodies: setting them clears Content-* headers
    return message
