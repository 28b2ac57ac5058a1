"""Delivering the outbox: ``deliver_once`` sends one batch, ``run_worker`` loops (``pqrs worker``).

Claiming. A row is due when it is not sent, its ``next_attempt_at`` has come, it has attempts left
and nobody holds it (``claimed_until`` empty or past). A worker claims a batch in one short
transaction that sets ``claimed_until = now + lease``: on PostgreSQL with ``SELECT … FOR UPDATE SKIP
LOCKED``, so any number of workers on any number of hosts take disjoint rows; on SQLite the
transaction is ``BEGIN IMMEDIATE`` (one writer at a time, so claims cannot overlap either). A worker
gives back what it has not sent when half the lease has gone, so a lease never runs out under a live
worker.

Delivery is at least once, with a stable identity. Each message is sent, then marked sent in its own
transaction. A crash between the two leaves the row claimed; when the lease ends it is sent again
with the same Message-ID (``<key@domain>``) and Date, so receivers and mail clients that deduplicate
on Message-ID show it once. A row marked sent is never sent again.

Failures. A failed attempt pushes ``next_attempt_at`` back exponentially (1, 2, 4, … minutes, at
most 1 hour) and writes «intento n de N: …» to ``last_error``; after N attempts
(``PQRS_MAIL_MAX_ATTEMPTS``, 10 by default) the row is given up («abandonado tras N intentos: …») and
stays in the table for an administrator (raising N makes it due again). When the server cannot be
reached, the rest of the batch is counted as failed without trying each message. A notification
that resolves to nobody is marked done with «sin destinatarios».

Attachments. A notification whose context lists ``attachments`` (the files of a case sent to a third
party: id, filename, content type, ``storage_key``) goes out with them as MIME attachments, read from
the file store at send time; a file the store cannot give makes the attempt fail (and be retried),
never a message sent without what it promised.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from sqlalchemy import Engine, and_, or_, select, update

from pqrs_core.domain.notifications import EXTERNAL, REQUESTER
from pqrs_core.ports import FileStore

from ..logs import REQUEST_ID, REQUEST_ID_CONTEXT_KEY
from ..sqlalchemy.engine import begin_write, is_sqlite
from ..sqlalchemy.tables import outbox
from ..surveys import SurveyLinks, with_survey
from .message import FileToSend, attach, compose, message_id
from .recipients import Directory
from .render import MailRenderer
from .smtp import Mailer, MailerUnavailable, describe
from .threading_headers import ThreadHeaders, give_reply_addresses
from .threading_headers import load as load_threads

log = logging.getLogger("pqrs.worker")

NO_RECIPIENTS = "sin destinatarios"
MAX_BACKOFF = timedelta(hours=1)
MAX_ERROR_LENGTH = 2000


@attrs.frozen(kw_only=True)
class DeliveryOptions:
    mail_from: str = "pqrs@localhost"
    max_attempts: int = 10
    lease: timedelta = timedelta(minutes=15)
    renderer: MailRenderer = attrs.field(factory=MailRenderer)
    # Where the attachments a notification lists are read from (``None``: such notifications fail).
    files: FileStore | None = None
    # The mailbox replies come back to: the requester's mail gets the case's reply address in it.
    reply_mailbox: str | None = None
    # The roles that work on cases (the catalog's roles that may write notes): a mention reaches only
    # people who hold one. Without a catalog, every role but the requesters' default ones.
    staff_roles: frozenset[str] = frozenset({"agent", "back_office", "supervisor", "quality", "admin"})
    # The satisfaction survey's links, put in the response e-mail (``None``: no survey).
    surveys: SurveyLinks | None = None
    # Called once a message was accepted by the server (the row, its Message-ID, the addresses it went
    # to): the proof of notification records it on the case (``delivery_proof.recorder``).
    on_sent: Callable[[OutboxRow, str, Sequence[str]], object] | None = None


# Notifications addressed to a user named by someone's words (``@name`` in a note), not by the case.
_STAFF_ONLY = frozenset({"mention"})


@attrs.frozen
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    failed: int = 0  # will be tried again
    given_up: int = 0
    no_recipients: int = 0
    released: int = 0  # claimed but given back unsent (the batch ran out of time)

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(*(a + b for a, b in zip(attrs.astuple(self), attrs.astuple(other),
                                                      strict=True)))


@attrs.frozen
class OutboxRow:
    id: int
    key: str
    template: str
    recipient: str
    case_id: str
    filing_number: str
    context: Mapping[str, Any]
    created_at: datetime
    attempts: int


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: 1, 2, 4, … minutes, at most 1 h."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 16)), MAX_BACKOFF)


# --------------------------------------------------------------------------------------- claiming
def claim(engine: Engine, now: datetime, batch: int, *, max_attempts: int,
          lease: timedelta) -> list[OutboxRow]:
    """Take up to ``batch`` due rows for ``lease``, oldest due first."""
    due = and_(outbox.c.sent_at.is_(None), outbox.c.next_attempt_at <= now,
               outbox.c.attempts < max_attempts,
               or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now))
    stmt = select(outbox).where(due).order_by(outbox.c.next_attempt_at, outbox.c.id).limit(batch)
    if not is_sqlite(engine):
        stmt = stmt.with_for_update(skip_locked=True)
    with begin_write(engine) as conn:
        rows = [OutboxRow(id=r["id"], key=r["key"], template=r["template"], recipient=r["recipient"],
                          case_id=r["case_id"], filing_number=r["filing_number"],
                          context=dict(r["context"] or {}), created_at=r["created_at"],
                          attempts=r["attempts"])
                for r in conn.execute(stmt).mappings()]
        if rows:
            conn.execute(update(outbox).where(outbox.c.id.in_([r.id for r in rows]))
                         .values(claimed_until=now + lease))
    return rows


# --------------------------------------------------------------------------------------- marking
def _update(engine: Engine, row_id: int, **values: Any) -> None:
    with begin_write(engine) as conn:
        conn.execute(update(outbox).where(outbox.c.id == row_id, outbox.c.sent_at.is_(None))
                     .values(claimed_until=None, **values))


def mark_sent(engine: Engine, row: OutboxRow, now: datetime, msg_id: str | None,
              note: str | None = None) -> None:
    """Record the row as delivered (or as done, with ``note`` saying why nothing was sent)."""
    _update(engine, row.id, sent_at=now, message_id=msg_id, attempts=row.attempts + 1,
            last_error=note[:MAX_ERROR_LENGTH] if note else None)


def mark_failed(engine: Engine, row: OutboxRow, now: datetime, error: str, max_attempts: int) -> bool:
    """Record a failed attempt; ``True`` when it was the last one allowed."""
    attempts = row.attempts + 1
    if attempts >= max_attempts:
        _update(engine, row.id, attempts=attempts,
                last_error=f"abandonado tras {attempts} intentos: {error}"[:MAX_ERROR_LENGTH])
        return True
    _update(engine, row.id, attempts=attempts, next_attempt_at=now + backoff(attempts),
            last_error=f"intento {attempts} de {max_attempts}: {error}"[:MAX_ERROR_LENGTH])
    return False


def release(engine: Engine, rows: Iterable[OutboxRow]) -> None:
    """Give claims back without counting an attempt."""
    ids = [r.id for r in rows]
    if ids:
        with begin_write(engine) as conn:
            conn.execute(update(outbox).where(outbox.c.id.in_(ids), outbox.c.sent_at.is_(None))
                         .values(claimed_until=None))


# --------------------------------------------------------------------------------------- delivery
def deliver_once(engine: Engine, mailer: Mailer, now: datetime, batch: int = 50, *,
                 options: DeliveryOptions | None = None) -> DeliveryReport:
    """Claim up to ``batch`` due notifications and send them; what happened to each, counted."""
    options = options or DeliveryOptions()
    rows = claim(engine, now, batch, max_attempts=options.max_attempts, lease=options.lease)
    if not rows:
        return DeliveryReport()
    with engine.connect() as conn:
        directory = Directory.load(conn, {r.case_id for r in rows if r.recipient == REQUESTER})
        # The requester's mail threads with the case; a third party's gets the case's reply address.
        threaded = {r.filing_number for r in rows
                    if r.recipient == REQUESTER or r.recipient.startswith(EXTERNAL)}
        threads = load_threads(conn, threaded)
    if options.reply_mailbox:
        threads = give_reply_addresses(engine, threads, threaded, options.reply_mailbox)
    give_back_at = time.monotonic() + options.lease.total_seconds() / 2
    counts = {"sent": 0, "failed": 0, "given_up": 0, "no_recipients": 0, "released": 0}
    unavailable: str | None = None

    def failed(row: OutboxRow, error: str) -> None:
        given_up = mark_failed(engine, row, now, error, options.max_attempts)
        counts["given_up" if given_up else "failed"] += 1

    try:
        for index, row in enumerate(rows):
            REQUEST_ID.set(row.context.get(REQUEST_ID_CONTEXT_KEY))  # this row's log lines name its request
            if unavailable is None and time.monotonic() > give_back_at:
                release(engine, rows[index:])
                counts["released"] += len(rows) - index
                break
            addresses = directory.resolve(row.recipient, row.case_id, _name(row.context),
                                          staff_roles=options.staff_roles if row.template in _STAFF_ONLY
                                          else None)
            if not addresses:
                mark_sent(engine, row, now, None, NO_RECIPIENTS)
                counts["no_recipients"] += 1
                continue
            if unavailable is not None:
                failed(row, unavailable)
                continue
            msg_id = message_id(row.key, options.mail_from)
            try:
                context = with_survey(options.surveys, row.template, row.case_id, row.created_at,
                                      dict(row.context)) if row.recipient == REQUESTER else row.context
                mail = options.renderer.render(row.template, row.filing_number, context,
                                               recipient=row.recipient)
                message = compose(mail, mail_from=options.mail_from, to=addresses, msg_id=msg_id,
                                  date=row.created_at, filing_number=row.filing_number,
                                  thread=_thread(row, threads), template=row.template)
                attach(message, files_of(row.context, options.files))
                refused = mailer.send(message, [a.email for a in addresses])
            except MailerUnavailable as exc:
                unavailable = str(exc)
                log.warning("servidor de correo no disponible: %s", unavailable)
                failed(row, unavailable)
                continue
            except Exception as exc:  # noqa: BLE001 - a template or a refusal: this row only
                log.warning("notificación %s (%s) no enviada: %s", row.key, row.template, describe(exc))
                failed(row, describe(exc))
                continue
            note = "rechazados: " + "; ".join(f"{a} ({r})" for a, r in refused.items()) if refused else None
            mark_sent(engine, row, now, msg_id, note)
            log.info("notificación %s (%s) del caso %s enviada", row.key, row.template, row.filing_number)
            counts["sent"] += 1
            _tell_sent(options, row, msg_id, [a.email for a in addresses if a.email not in refused])
    finally:
        REQUEST_ID.set(None)
        mailer.close()
    return DeliveryReport(claimed=len(rows), **counts)


def _tell_sent(options: DeliveryOptions, row: OutboxRow, msg_id: str, to: Sequence[str]) -> None:
    """``options.on_sent``, whose failure never undoes a delivery (it is logged)."""
    if options.on_sent is None or not to:
        return
    try:
        options.on_sent(row, msg_id, to)
    except Exception:  # noqa: BLE001 - the message went; what records it must not resend it
        log.exception("no se registró el envío de la notificación %s del caso %s", row.key, row.filing_number)


def _thread(row: OutboxRow, threads: Mapping[str, ThreadHeaders]) -> ThreadHeaders | None:
    """The requester's mail threads with the case's; a third party's only answers to the case's reply
    address (they never saw the rest of the thread; the ``[PQRS-…]`` subject threads it too)."""
    thread = threads.get(row.filing_number)
    if thread is None:
        return None
    if row.recipient == REQUESTER:
        return thread
    if row.recipient.startswith(EXTERNAL):
        return ThreadHeaders(reply_to=thread.reply_to)
    return None


def _name(context: Mapping[str, Any]) -> str | None:
    name = context.get("third_party_name")
    return name if isinstance(name, str) and name.strip() else None


def files_of(context: Mapping[str, Any], files: FileStore | None) -> list[FileToSend]:
    """The files a notification's context lists, read from ``files``."""
    listed = context.get("attachments") or []
    if listed and files is None:
        raise RuntimeError("no hay almacén de archivos configurado para enviar los adjuntos")
    found = []
    for item in listed:
        assert files is not None
        try:
            content = files.get(item["storage_key"])
        except Exception as exc:  # noqa: BLE001 - any store failure: this attempt fails, retried later
            raise RuntimeError(f"no se pudo leer el adjunto «{item.get('filename')}»: {exc}") from exc
        found.append(FileToSend(item["filename"], item.get("content_type") or "application/octet-stream",
                                content))
    return found


# --------------------------------------------------------------------------------------- the loop
@attrs.frozen
class PeriodicJob:
    """Work ``run_worker`` does every ``every`` besides delivering mail (e.g. the term sweep):
    ``run(now)`` is called in the worker's thread; an exception is logged and the job runs again at
    its next turn."""

    name: str
    every: timedelta
    run: Callable[[datetime], object]


def run_due_jobs(jobs: Sequence[PeriodicJob], now: datetime, last_runs: dict[str, datetime]) -> None:
    for job in jobs:
        last = last_runs.get(job.name)
        if last is not None and now - last < job.every:
            continue
        last_runs[job.name] = now
        try:
            job.run(now)
        except Exception:  # noqa: BLE001 - a failing job must not stop delivery
            log.exception("la tarea periódica %s falló", job.name)


def run_worker(engine: Engine, mailer: Mailer, poll_seconds: float, stop_event: threading.Event, *,
               options: DeliveryOptions | None = None, jobs: Sequence[PeriodicJob] = (), batch: int = 50,
               clock: Callable[[], datetime] = lambda: datetime.now(UTC),
               on_report: Callable[[DeliveryReport], object] | None = None) -> None:
    """Deliver and run the periodic jobs until ``stop_event`` is set; sleep ``poll_seconds`` when
    there is nothing left to send. Errors (the database away, a crash while marking) are logged and
    tried again at the next turn."""
    last_runs: dict[str, datetime] = {}
    while not stop_event.is_set():
        report = DeliveryReport()
        try:
            report = deliver_once(engine, mailer, clock(), batch, options=options)
        except Exception:  # noqa: BLE001 - keep the worker alive; the claims run out and are retried
            log.exception("error al entregar notificaciones")
        if report.claimed and on_report is not None:
            on_report(report)
        run_due_jobs(jobs, clock(), last_runs)
        busy = report.claimed == batch and report.released == 0 and not report.failed
        if not busy:
            stop_event.wait(poll_seconds)
