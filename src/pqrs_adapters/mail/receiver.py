"""Receiving mail over SMTP or LMTP (``pqrs mail serve``) with aiosmtpd, for organisations whose mail
server (Postfix, Exim, a cloud relay) delivers to pqrs.

- ``RCPT TO`` is accepted for the addresses of the mailboxes (enabled ones) and their ``+token`` forms
  (``pqrs+4f2a…@acme.co``, the per-case reply addresses); any other recipient gets ``550`` (the
  sending server bounces the message, nothing is silently dropped). The list of mailboxes is read
  again every ``MAILBOXES_TTL`` seconds.
- ``DATA`` is answered ``250`` only after ``MailIntake.receive`` has returned, i.e. after the case (or
  the intake-log row) is committed. When the database is unavailable (``IntakeUnavailable``) the answer
  is ``451`` (a temporary failure): the sending server keeps the message and tries again later. An
  unexpected error also answers ``451``, never a silent ``250``.
- A message larger than ``PQRS_MAIL_MAX_MESSAGE_MB`` is refused with ``552`` (announced in ``EHLO``'s
  ``SIZE``).
- The received instant is the receiver's clock when the message's data has arrived: the arrival at
  the organisation's server, whatever the ``Date`` header says.

Over LMTP (``--lmtp``, RFC 2033) the answer to ``DATA`` is given once per accepted recipient, as the
protocol requires; the message is received once (the intake knows it by its Message-ID) and every
recipient gets the same answer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import Engine

from ..sqlalchemy.engine import is_sqlite
from ..sqlalchemy.mailbox_store import list_mailboxes
from .imap_fetch import Intake, defaults_of
from .intake import Arrival, IntakeUnavailable
from .mailboxes import Mailbox, recipient_mailbox

log = logging.getLogger("pqrs.mail.receiver")

ACCEPTED = "250 2.0.0 Mensaje recibido"
UNKNOWN_RECIPIENT = "550 5.1.1 Destinatario desconocido: este servidor no recibe correo para esa dirección"
TRY_LATER = "451 4.3.0 No se puede guardar el mensaje ahora; intente más tarde"
# A mailbox created, changed or switched off in the administration is seen by the receiver within this.
MAILBOXES_TTL = 5.0
RECEIVING_THREADS = 4
MAILBOXES_UNAVAILABLE = "451 4.3.0 No se pueden consultar los buzones ahora; intente más tarde"


class ReceiverHandler:
    """The aiosmtpd handler: which recipients are ours, and the intake of each message."""

    def __init__(self, engine: Engine, intake: Intake, clock: Callable[[], datetime], *,
                 lmtp: bool = False) -> None:
        self.engine = engine
        self.intake = intake
        self.clock = clock
        self.lmtp = lmtp
        # SQLite takes one writer at a time, and writers that find it busy back off in sleeps of up to
        # 100 ms: messages are handed to the intake one after the other there, a few at once on
        # PostgreSQL.
        self._executor = ThreadPoolExecutor(max_workers=1 if is_sqlite(engine) else RECEIVING_THREADS,
                                            thread_name_prefix="pqrs-receive")
        self._cache: tuple[float, dict[str, Mailbox] | None] = (0.0, None)

    def close(self) -> None:
        self._executor.shutdown(wait=True)

    def _mailboxes(self) -> dict[str, Mailbox]:
        """The enabled mailboxes by address, read again when ``MAILBOXES_TTL`` seconds have passed."""
        read_at, found = self._cache
        if found is None or time.monotonic() - read_at > MAILBOXES_TTL:
            found = {m.address: m for m in list_mailboxes(self.engine, enabled_only=True)}
            self._cache = (time.monotonic(), found)
        return found

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        try:
            mailboxes = await asyncio.get_running_loop().run_in_executor(self._executor, self._mailboxes)
        except Exception:  # noqa: BLE001 - the database away: the sender tries again later
            log.exception("no se pudo leer la lista de buzones")
            return MAILBOXES_UNAVAILABLE
        if recipient_mailbox(address, mailboxes) is None:
            return UNKNOWN_RECIPIENT
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        received_at = self.clock()
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer or "")
        answer = await asyncio.get_running_loop().run_in_executor(
            self._executor, self._receive, bytes(raw or b""), list(envelope.rcpt_tos), received_at, peer)
        if self.lmtp:
            return "\r\n".join(answer for _ in envelope.rcpt_tos)
        return answer

    def _receive(self, raw: bytes, recipients: list[str], received_at: datetime, peer: str) -> str:
        try:
            mailboxes = self._mailboxes()
            mailbox = next((m for m in (recipient_mailbox(r, mailboxes) for r in recipients) if m), None)
            if mailbox is None:  # disabled between RCPT and DATA
                return UNKNOWN_RECIPIENT
            arrival = Arrival(received_at=received_at, mailbox=mailbox.address,
                              source=f"{'lmtp' if self.lmtp else 'smtp'}:{peer}",
                              defaults=defaults_of(mailbox))
            result = self.intake.receive(raw, arrival)
        except IntakeUnavailable as exc:
            log.warning("base de datos no disponible; se pide reintentar: %s", exc)
            return TRY_LATER
        except Exception:  # noqa: BLE001 - never a 250 for a message that was not kept
            log.exception("error al recibir un mensaje")
            return TRY_LATER
        log.info("mensaje recibido para %s: %s %s", mailbox.address, getattr(result, "outcome", ""),
                 getattr(result, "filing_number", "") or "")
        return ACCEPTED


class ReceiverController(Controller):
    """aiosmtpd's threaded controller serving SMTP, or LMTP when ``lmtp`` is set."""

    def __init__(self, handler: ReceiverHandler, *, host: str, port: int, max_bytes: int,
                 **kwargs: Any) -> None:
        super().__init__(handler, hostname=host, port=port, data_size_limit=max_bytes,
                         enable_SMTPUTF8=True, **kwargs)
        self.lmtp = handler.lmtp

    def stop(self, no_assert: bool = False) -> None:
        """Stop listening, then let a message already handed to the intake finish its commit."""
        super().stop(no_assert=no_assert)
        self.handler.close()

    def factory(self) -> SMTP:
        server_class = LMTP if self.lmtp else SMTP
        return server_class(self.handler, **self.SMTP_kwargs)


def start_receiver(engine: Engine, intake: Intake, clock: Callable[[], datetime], *, host: str, port: int,
                   max_bytes: int, lmtp: bool = False) -> ReceiverController:
    """Start serving in a thread of this process; ``.stop()`` ends it."""
    controller = ReceiverController(ReceiverHandler(engine, intake, clock, lmtp=lmtp), host=host,
                                    port=port, max_bytes=max_bytes)
    controller.start()
    return controller
