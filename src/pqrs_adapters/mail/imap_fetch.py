"""Reading mailboxes over IMAP (``pqrs mail fetch``, and ``pqrs worker`` when it is asked to) with
IMAPClient.

Nothing is lost and nothing is filed twice. For every enabled mailbox with an IMAP URL, the fetcher
selects the folder and takes the messages whose UID is above the last one processed (kept in
``mailboxes.last_uid`` for the folder's ``UIDVALIDITY``), oldest first, one at a time: it fetches the
whole message (``BODY.PEEK[]``, which unlike ``RFC822`` leaves ``\\Seen`` alone) and its
INTERNALDATE, hands it to the intake (``MailIntake.receive``, which commits the case and its
intake-log row in one transaction), and only after ``receive`` has returned it marks the
message on the server (moves it to the mailbox's processed folder, or sets its keyword, ``\\Seen`` by
default) and advances the stored UID. A crash between the commit and the mark leaves the UID where it
was: the next pass hands the same message to ``receive`` again, which answers ``duplicate`` (it knows
the Message-ID), and the message is marked then. When the folder's UIDVALIDITY changes (the folder was
recreated or restored), every message in it is read again and the same Message-ID check keeps what
was filed from being filed twice.

The received instant of a fetched message is its INTERNALDATE: the moment our mail server stored it,
i.e. the arrival at the organisation's server (not the ``Date`` header, which the sender's machine
writes) — or our clock's now if the server's clock is ahead of it.

When the database is unavailable (``IntakeUnavailable``) the pass over that mailbox stops where it is
and is tried again at the next turn; a server that cannot be reached, refuses the login or drops the
connection is recorded as the mailbox's last error (in Spanish) and tried again too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

import attrs
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..config import MailInSettings
from ..sqlalchemy.mailbox_store import list_mailboxes, record_fetch, record_progress
from .imap_client import FetchError, close_client, connect, describe_imap_error, folder_error
from .intake import Arrival, IntakeUnavailable, MailboxDefaults
from .mailboxes import Mailbox

log = logging.getLogger("pqrs.mail.fetch")


class Intake(Protocol):
    def receive(self, raw: bytes, arrival: Arrival) -> Any: ...


@attrs.frozen
class FetchReport:
    """What one pass over the mailboxes did."""

    mailboxes: int = 0
    received: int = 0  # handed to the intake and marked on the server
    outcomes: dict[str, int] = attrs.field(factory=dict)  # intake outcome -> count
    errors: dict[str, str] = attrs.field(factory=dict)  # mailbox address -> Spanish error

    def __add__(self, other: FetchReport) -> FetchReport:
        outcomes = dict(self.outcomes)
        for name, count in other.outcomes.items():
            outcomes[name] = outcomes.get(name, 0) + count
        return FetchReport(self.mailboxes + other.mailboxes, self.received + other.received, outcomes,
                           {**self.errors, **other.errors})


def defaults_of(mailbox: Mailbox) -> MailboxDefaults:
    return MailboxDefaults(kind=mailbox.settings.kind, queue=mailbox.settings.queue,
                           typification=mailbox.settings.typification)


@attrs.define
class MailboxFetcher:
    """One mailbox's connection and the pass over its new messages."""

    engine: Engine
    intake: Intake
    mailbox: Mailbox
    settings: MailInSettings
    after_receive: Callable[[int, Any], object] | None = None  # (uid, result): for tests of crashes
    secret: Callable[[str], str] | None = None  # read_secret within the settings' secrets_dir
    client: IMAPClient | None = None
    uidvalidity: int | None = None
    last_uid: int = 0

    def open(self) -> None:
        self.client = connect(self.mailbox, self.settings, secret=self.secret)
        folder = self.mailbox.location.folder if self.mailbox.location else "INBOX"
        try:
            info = self.client.select_folder(folder)
        except IMAPClientError as exc:
            self.close()
            raise FetchError(folder_error(exc, self.mailbox)) from exc
        uidvalidity = int(info[b"UIDVALIDITY"])
        if self.uidvalidity == uidvalidity:  # reopened: keep the progress of the passes before
            self.last_uid = max(self.last_uid, self.mailbox.last_uid or 0
                                if self.mailbox.uidvalidity == uidvalidity else 0)
        elif self.mailbox.uidvalidity == uidvalidity:
            self.last_uid = self.mailbox.last_uid or 0
        else:  # a new folder, or one recreated: read it all; receive() skips what it already has
            if self.mailbox.uidvalidity is not None:
                log.warning("buzón %s: UIDVALIDITY cambió de %s a %s; se relee la carpeta",
                            self.mailbox.address, self.mailbox.uidvalidity, uidvalidity)
            self.last_uid = 0
            record_progress(self.engine, self.mailbox.id, uidvalidity, 0)
        self.uidvalidity = uidvalidity

    def close(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            close_client(client)

    def new_uids(self) -> list[int]:
        assert self.client is not None
        # "N:*" always includes the last message, even when its UID is below N: filter again.
        found = self.client.search(["UID", f"{self.last_uid + 1}:*"])
        return sorted(uid for uid in found if uid > self.last_uid)

    def pass_once(self, clock: Callable[[], datetime]) -> FetchReport:
        """Receive every new message; raises on a server or database failure after recording what
        was done before it."""
        assert self.client is not None and self.uidvalidity is not None
        outcomes: dict[str, int] = {}
        received = 0
        for uid in self.new_uids():
            # BODY.PEEK[] is the whole message (RFC822) without setting \Seen: only _mark marks it.
            data = self.client.fetch([uid], ["BODY.PEEK[]", "INTERNALDATE"]).get(uid)
            if data is None or b"BODY[]" not in data:  # expunged meanwhile by someone else
                continue
            arrival = Arrival(received_at=_aware(data.get(b"INTERNALDATE"), clock),
                              mailbox=self.mailbox.address,
                              source=f"imap:{self.mailbox.id}:{self.uidvalidity}:{uid}",
                              defaults=defaults_of(self.mailbox))
            result = self.intake.receive(bytes(data[b"BODY[]"]), arrival)
            if self.after_receive is not None:
                self.after_receive(uid, result)
            self._mark(uid)
            record_progress(self.engine, self.mailbox.id, self.uidvalidity, uid)
            self.last_uid = uid
            received += 1
            outcome = str(getattr(result, "outcome", "received"))
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        return FetchReport(mailboxes=1, received=received, outcomes=outcomes)

    def _mark(self, uid: int) -> None:
        assert self.client is not None
        folder = self.mailbox.settings.processed_folder
        if folder is None:
            self.client.add_flags([uid], [self.mailbox.keyword.encode()])
            return
        if not self.client.folder_exists(folder):
            self.client.create_folder(folder)
        if self.client.has_capability("MOVE"):
            self.client.move([uid], folder)
        else:
            self.client.copy([uid], folder)
            self.client.delete_messages([uid])
            self.client.uid_expunge([uid]) if self.client.has_capability("UIDPLUS") \
                else self.client.expunge()

    def wait_for_mail(self, seconds: float, stop: threading.Event) -> None:
        """IDLE until the server announces something, ``seconds`` pass or ``stop`` is set (in slices
        of a second); a plain wait when the server has no IDLE."""
        assert self.client is not None
        if not self.client.has_capability("IDLE"):
            stop.wait(seconds)
            return
        self.client.idle()
        try:
            remaining = seconds
            while remaining > 0 and not stop.is_set():
                step = min(remaining, 1.0)
                if self.client.idle_check(timeout=step):
                    break
                remaining -= step
        finally:
            self.client.idle_done()


def _aware(instant: Any, clock: Callable[[], datetime]) -> datetime:
    """INTERNALDATE as an aware instant, never later than our clock (a server whose clock runs ahead
    must not date a filing in the future); the clock's now when the server gave none."""
    now = clock()
    if isinstance(instant, datetime) and instant.tzinfo is not None:
        return min(instant, now)
    return now


def fetch_once(engine: Engine, intake: Intake, settings: MailInSettings, clock: Callable[[], datetime], *,
               only: str | None = None, after_receive: Callable[[int, Any], object] | None = None,
               secret: Callable[[str], str] | None = None) -> FetchReport:
    """One pass over every enabled mailbox that has an IMAP URL (or just ``only``, an address, if it is
    one of them)."""
    report = FetchReport()
    for mailbox in _mailboxes(engine, only):
        fetcher = MailboxFetcher(engine, intake, mailbox, settings, after_receive=after_receive,
                                 secret=secret)
        report += _run_pass(fetcher, clock)
    return report


def _mailboxes(engine: Engine, only: str | None) -> list[Mailbox]:
    found = [m for m in list_mailboxes(engine, enabled_only=True) if m.settings.imap_url]
    if only is not None:
        found = [m for m in found if m.address == only.strip().lower()]
    return found


def _run_pass(fetcher: MailboxFetcher, clock: Callable[[], datetime], *, keep_open: bool = False
              ) -> FetchReport:
    """Open (when needed), receive what is new, record the outcome on the mailbox's row."""
    mailbox = fetcher.mailbox
    try:
        if fetcher.client is None:
            fetcher.open()
        report = fetcher.pass_once(clock)
    except (IntakeUnavailable, SQLAlchemyError) as exc:
        # The message in hand stays unmarked or its UID unrecorded: the next pass receives it again
        # (a duplicate for the intake) and marks it then.
        error = "la base de datos no está disponible; se reintentará"
        log.warning("buzón %s: %s (%s)", mailbox.address, error, exc)
        fetcher.close()
        return FetchReport(mailboxes=1, errors={mailbox.address: error})
    except Exception as exc:  # noqa: BLE001 - one mailbox's failure never stops the others
        error = describe_imap_error(exc, mailbox)
        log.warning("buzón %s: %s", mailbox.address, error)
        fetcher.close()
        _record(fetcher, clock, error)
        return FetchReport(mailboxes=1, errors={mailbox.address: error})
    _record(fetcher, clock, None)
    if not keep_open:
        fetcher.close()
    return report


def _record(fetcher: MailboxFetcher, clock: Callable[[], datetime], error: str | None) -> None:
    try:
        record_fetch(fetcher.engine, fetcher.mailbox.id, clock(), error)
    except Exception:  # noqa: BLE001 - the database may be the thing that failed
        log.exception("no se pudo registrar la lectura del buzón %s", fetcher.mailbox.address)


def run_fetcher(engine: Engine, intake: Intake, settings: MailInSettings, clock: Callable[[], datetime],
                stop: threading.Event, *, poll_seconds: float, only: str | None = None,
                on_report: Callable[[FetchReport], object] | None = None) -> None:
    """Read the mailboxes until ``stop`` is set. With one mailbox and a server that has IDLE, the
    connection stays open and the fetcher waits in IDLE (at most ``poll_seconds`` between passes);
    otherwise every mailbox is read in turn every ``poll_seconds``. The list of mailboxes is read
    again at each turn (one enabled or disabled in the administration is picked up)."""
    fetchers: dict[int, MailboxFetcher] = {}
    try:
        while not stop.is_set():
            mailboxes = _current(engine, only)
            for mailbox_id in set(fetchers) - {m.id for m in mailboxes}:
                fetchers.pop(mailbox_id).close()
            report = FetchReport()
            for mailbox in mailboxes:
                fetcher = fetchers.get(mailbox.id)
                if fetcher is None or fetcher.mailbox.settings != mailbox.settings:
                    if fetcher is not None:
                        fetcher.close()
                    fetcher = fetchers[mailbox.id] = MailboxFetcher(engine, intake, mailbox, settings)
                else:  # the row just read holds the progress (uidvalidity, last UID) recorded so far
                    fetcher.mailbox = mailbox
                report += _run_pass(fetcher, clock, keep_open=len(mailboxes) == 1)
            if on_report is not None and (report.received or report.errors):
                on_report(report)
            idle = [f for f in fetchers.values() if f.client is not None]
            if len(mailboxes) == 1 and idle:
                try:
                    idle[0].wait_for_mail(poll_seconds, stop)
                except Exception as exc:  # noqa: BLE001 - the connection dropped while idling
                    log.warning("buzón %s: %s", idle[0].mailbox.address,
                                describe_imap_error(exc, idle[0].mailbox))
                    idle[0].close()
            else:
                stop.wait(poll_seconds)
    finally:
        for fetcher in fetchers.values():
            fetcher.close()


def _current(engine: Engine, only: str | None) -> Sequence[Mailbox]:
    try:
        return _mailboxes(engine, only)
    except Exception:  # noqa: BLE001 - the database away: try again at the next turn
        log.exception("no se pudo leer la lista de buzones")
        return ()
