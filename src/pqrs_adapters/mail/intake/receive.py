"""``MailIntake.receive``: what happens to one raw message once it has arrived.

1. It is parsed (``parsing``). Its key is its Message-ID, or the SHA-256 of its bytes when it has none;
   a key already in the intake log means the message was received before: ``duplicate``, with the
   first result's filing number, and nothing changes.
2. It is classified, in this order: mail from one of our own addresses is ``ignored`` (a loop); a
   delivery status notification is a ``bounced`` (the requester's address is marked as failing on the
   case it was about, and staff are told); an automatic message (RFC 3834 and list headers) is
   ``ignored``, noted on its case when it threads into one.
3. A reply joins its case (``threaded``) when its In-Reply-To or References name a message we sent or
   received, it was sent to the case's reply address (``local+TOKEN@domain``), or its subject carries
   the filing number. From the requester's address it is the requester's message, exactly as a
   portal reply; from any other address it is offered to ``hooks.on_third_party_reply`` and otherwise
   kept as an internal note, flagged, and acts as nobody.
4. Anything else is ``filed`` as a new case on the e-mail channel, acknowledged as any filing is —
   except when its sender has sent more than ``flood_limit`` messages within ``flood_window``: then it
   is noted on the sender's latest case, without acknowledgement, and the case is flagged once.

The received instant of a case is ``Arrival.received_at``: when the message reached our server (the
IMAP server's INTERNALDATE, or the clock of our SMTP receiver when it accepted it), never the
sender's ``Date`` header, which the sender's machine writes.

Everything is written in one transaction with the intake log's row: the case, its files, notes and
notifications, and the row are all kept or none. A database that cannot be reached raises
``IntakeUnavailable``, for the transports to answer «try again later» (SMTP 4xx, IMAP: leave the
message unflagged).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import attrs
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.delivery import BOUNCED, COMMUNICATIONS
from pqrs_core.domain.errors import DomainError, NotFound, StorageUnavailable
from pqrs_core.domain.events import DomainEvent
from pqrs_core.domain.notifications import REQUESTER
from pqrs_core.domain.values import Actor
from pqrs_core.ports import FileStore
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.signals import publish

from ...sqlalchemy.unit_of_work import SqlUnitOfWork
from ..third_party import take_third_party_reply
from . import classification, filing, hooks, log, quoting, threads
from .filing import MailboxDefaults
from .parsing import ParsedMail, parse
from .transaction import IntakeTransaction

LOG = logging.getLogger("pqrs.mail.intake")
INTAKE_USERNAME = "correo"
DEFAULT_KIND = "peticion"


class IntakeUnavailable(Exception):
    """The message could not be received now (the database or the file store is unavailable); nothing
    was kept. The sender should try again later (SMTP 4xx; leave an IMAP message unflagged)."""


@attrs.frozen
class Arrival:
    """Where and when a message reached us."""

    received_at: datetime  # tz-aware instant of arrival at OUR server: IMAP INTERNALDATE, receiver clock
    mailbox: str | None = None  # the mailbox address it came in through
    source: str | None = None  # "imap:<mailbox-id>:<uidvalidity>:<uid>", "smtp:<peer>"...
    defaults: MailboxDefaults | None = None  # kind, queue, typification for new cases (None: settings)

    def __attrs_post_init__(self) -> None:
        if self.received_at.tzinfo is None or self.received_at.utcoffset() is None:
            raise ValueError("Arrival.received_at must be timezone-aware")


@attrs.frozen
class IntakeResult:
    outcome: str  # "filed" | "threaded" | "ignored" | "bounced" | "refused" | "duplicate"
    reason: str  # Spanish, for the intake log page
    filing_number: str | None
    intake_id: int  # row in the intake log


@attrs.frozen(kw_only=True)
class IntakeSettings:
    """How the intake treats messages (the organisation's choices)."""

    defaults: MailboxDefaults = MailboxDefaults(kind=DEFAULT_KIND)
    own_addresses: frozenset[str] = frozenset()  # ours: mail from them is a loop, ignored
    flood_limit: int = 500  # messages from one sender within ``flood_window``...
    flood_window: timedelta = timedelta(hours=1)  # ...beyond which they no longer file cases
    prefix: str = "PQRS"  # the filing numbers' prefix, looked for in subjects


@attrs.frozen
class _Raw:
    content: bytes
    key: str  # in the file store


@attrs.frozen
class _Outcome:
    outcome: str
    reason: str
    filing_number: str | None = None


class MailIntake:
    """Receives messages into ``pqrs`` (built on the SQL store at ``engine``)."""

    def __init__(self, pqrs: Pqrs, engine: Engine, *, file_store: FileStore | None = None,
                 settings: IntakeSettings | None = None) -> None:
        self.pqrs = pqrs
        self.engine = engine
        self.settings = settings or IntakeSettings(prefix=pqrs.deps.settings.filing_prefix)
        self.deps = pqrs.deps if file_store is None else attrs.evolve(pqrs.deps, files=file_store)
        self.actor = Actor(INTAKE_USERNAME, frozenset({"system"}))
        # A reply from the address a case was escalated to is the third party's message.
        hooks.register_third_party_handler(take_third_party_reply)
        self._subject_number = re.compile(rf"\b({re.escape(self.settings.prefix)}-\d{{4}}-\d{{1,12}})\b",
                                          re.IGNORECASE)

    def close(self) -> None:
        """Release the application's connections (what ``mail_intake_from_config`` opened)."""
        self.pqrs.close()

    def __enter__(self) -> MailIntake:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def receive(self, raw: bytes, arrival: Arrival) -> IntakeResult:
        """Receive one message (idempotent: the same message again is a ``duplicate``)."""
        mail = parse(raw)
        try:
            try:
                return self._receive(mail, raw, arrival)
            except IntegrityError:
                # The same message committed meanwhile by another receiver: report it as received.
                return self._receive(mail, raw, arrival)
            except StorageUnavailable:
                raise
            except DomainError as exc:
                # A message the core cannot take (a bounce about a deleted case, text it refuses...):
                # its transaction is rolled back; it is logged as refused, so the IMAP fetcher marks it
                # and the SMTP receiver answers 250 instead of asking for it again forever.
                LOG.warning("correo %s: rechazado (%s)", mail.key, exc)
                return self._refuse(mail, raw, arrival, f"no se pudo procesar el mensaje: {exc}")
        except (OperationalError, DBAPIError, StorageUnavailable) as exc:
            raise IntakeUnavailable(f"no se pudo recibir el mensaje ahora: {exc}") from exc

    # ------------------------------------------------------------------------------------------ flow
    def _receive(self, mail: ParsedMail, raw: bytes, arrival: Arrival) -> IntakeResult:
        published: list[DomainEvent] = []
        with self.pqrs.uow_factory() as uow:
            if not isinstance(uow, SqlUnitOfWork):
                raise TypeError("the mail intake needs the SQL store")
            first = log.find(uow.connection, mail.key)
            if first is not None:
                when = first.received_at.astimezone(ZoneInfo(self.deps.settings.timezone))
                return IntakeResult("duplicate", f"ya recibido el {when:%d/%m/%Y %H:%M} "
                                    f"({log.OUTCOME_LABELS.get(first.outcome, first.outcome).lower()})",
                                    first.filing_number, first.id)
            raw_key = self._keep(raw)
            tx = IntakeTransaction(uow, self.deps, self.actor)
            result = self._decide(tx, mail, _Raw(raw, raw_key), arrival)
            intake_id = self._log(uow, mail, arrival, result, raw_key)
            uow.commit()
            published.extend(uow.collect_new_events())
        for event in published:
            publish(event, sender=self.pqrs)
        LOG.info("correo %s: %s (%s) %s", mail.key, result.outcome, result.reason, result.filing_number or "")
        return IntakeResult(result.outcome, result.reason, result.filing_number, intake_id)

    def _refuse(self, mail: ParsedMail, raw: bytes, arrival: Arrival, reason: str) -> IntakeResult:
        """Log ``mail`` as refused in a transaction of its own (the one that failed is rolled back)."""
        with self.pqrs.uow_factory() as uow:
            if not isinstance(uow, SqlUnitOfWork):
                raise TypeError("the mail intake needs the SQL store")
            result = _Outcome("refused", reason)
            intake_id = self._log(uow, mail, arrival, result, self._keep(raw))
            uow.commit()
        return IntakeResult(result.outcome, result.reason[:2000], None, intake_id)

    def _keep(self, raw: bytes) -> str:
        """Every message is kept, whatever becomes of it (before the transaction's writes: a file
        without its row is harmless, a row without its file would not be); its key in the store."""
        files = self.deps.files
        if files is None:
            raise RuntimeError("no file store configured")
        return files.put(raw)

    @staticmethod
    def _log(uow: SqlUnitOfWork, mail: ParsedMail, arrival: Arrival, result: _Outcome, raw_key: str) -> int:
        return log.add(uow.connection, message_key=mail.key, message_id=mail.message_id,
                       received_at=arrival.received_at, mailbox=arrival.mailbox, source=arrival.source,
                       from_address=mail.from_address, subject=mail.subject[:500] or None,
                       outcome=result.outcome, reason=result.reason[:2000],
                       filing_number=result.filing_number, raw_sha256=mail.raw_sha256, raw_key=raw_key)

    def _decide(self, tx: IntakeTransaction, mail: ParsedMail, raw: _Raw, arrival: Arrival) -> _Outcome:
        now = self.deps.clock.now()
        sender = mail.from_address
        if sender is not None and self._is_ours(sender, arrival):
            return _Outcome("ignored", f"enviado desde una dirección nuestra ({sender}): se ignora para "
                                       "evitar un bucle")
        dsn = classification.bounce(mail)
        if dsn is not None:
            return self._bounce(tx, mail, dsn, now)
        if classification.ours(mail):
            return _Outcome("ignored", "es un mensaje enviado por nosotros que volvió "
                                       "(X-PQRS-Filing-Number): se ignora para evitar un bucle")
        threaded = self._thread(tx, mail)
        case, how = threaded if threaded is not None else (None, "")
        automatic = classification.automatic_reason(mail)
        if automatic is not None:
            if case is None:
                return _Outcome("ignored", f"{automatic}: no abre un caso ni recibe acuse")
            number = str(case.filing_number)
            filing.add_note(tx, number, f"Mensaje automático recibido de {sender or 'remitente desconocido'} "
                                        f"({automatic}), sin efecto en el caso:\n\n"
                                        f"{quoting.new_text(mail.text)}")
            return _Outcome("ignored", f"{automatic}: anotado en el caso, sin acuse", number)
        if sender is None:
            return _Outcome("refused", "el mensaje no tiene un remitente válido (From)")
        if case is not None:
            return self._join(tx, case, how, mail, raw, now, sender, received_at=arrival.received_at)
        flooded = self._flooded_case(tx, sender, arrival.received_at)
        if flooded is not None:
            return self._flood(tx, *flooded, mail, raw, now, sender)
        return self._file(tx, mail, raw, arrival, now, sender)

    # ------------------------------------------------------------------------------------- outcomes
    def _file(self, tx: IntakeTransaction, mail: ParsedMail, raw: _Raw, arrival: Arrival, now: datetime,
              sender: str) -> _Outcome:
        defaults = arrival.defaults or self.settings.defaults
        catalog = tx.deps.catalog(tx.held)
        kinds = catalog.active_codes("kinds")
        kind = next((k for k in (defaults.kind, self.settings.defaults.kind, DEFAULT_KIND) if k in kinds),
                    None) or (min(kinds) if kinds else DEFAULT_KIND)
        defaults = attrs.evolve(defaults, queue=defaults.queue or self.settings.defaults.queue,
                                typification=defaults.typification or self.settings.defaults.typification)
        registrations = self.pqrs.registrations
        directories = registrations.customer_directories if registrations is not None else []
        requester = filing.find_requester(tx, mail, directories)
        try:
            case, dropped = filing.file_new_case(tx, mail, received_at=arrival.received_at, kind=kind,
                                                 defaults=defaults, requester=requester)
        except DomainError as exc:
            return _Outcome("refused", f"no se pudo radicar: {exc}")
        number = str(case.filing_number)
        threads.ensure(tx.conn, number, mailbox=arrival.mailbox, first_message_id=mail.message_id)
        notes = [f"No se aplicó lo que pedía el buzón: {', '.join(dropped)}."] if dropped else []
        self._finish(tx, number, mail, raw, now, sender, public=True, notes=notes)
        return _Outcome("filed", f"radicado desde el correo de {sender}", number)

    def _join(self, tx: IntakeTransaction, case: Case, how: str, mail: ParsedMail, raw: _Raw,
              now: datetime, sender: str, *, received_at: datetime | None = None) -> _Outcome:
        number = str(case.filing_number)
        text = quoting.new_text(mail.text)
        requester_email = (case.requester.email or "").strip().lower()
        notes: list[str] = []
        if requester_email and sender == requester_email:
            try:
                filing.record_requester_message(tx, number, text)
            except DomainError as exc:
                notes.append(f"El mensaje del peticionario no pudo registrarse como su respuesta ({exc}); "
                             f"su texto:\n\n{text}")
            threads.clear_failing(tx.conn, number)
            self._finish(tx, number, mail, raw, now, sender, public=True, notes=notes)
            return _Outcome("threaded", f"respuesta del peticionario agregada al caso ({how})", number)
        message = hooks.ThirdPartyMessage(mail=mail, sender=sender, text=text, transaction=tx,
                                          received_at=received_at)
        if hooks.on_third_party_reply(case, message):
            self._finish(tx, number, mail, raw, now, sender, public=False, notes=notes)
            return _Outcome("threaded", f"respuesta del tercero {sender} agregada al caso ({how})", number)
        notes.append(f"⚠ Mensaje de {sender}, que no es la dirección del peticionario: se registra aquí y no "
                     f"actúa como el peticionario.\n\nAsunto: {mail.subject}\n\n{text}")
        self._finish(tx, number, mail, raw, now, sender, public=False, notes=notes)
        return _Outcome("threaded", f"mensaje de {sender}, que no es el peticionario: anotado en el caso y "
                                    f"señalado ({how})", number)

    def _flood(self, tx: IntakeTransaction, number: str, first: bool, mail: ParsedMail, raw: _Raw,
               now: datetime, sender: str) -> _Outcome:
        limit, window = self.settings.flood_limit, self.settings.flood_window
        hours = window.total_seconds() / 3600
        span = f"{hours:g} hora" + ("s" if hours != 1 else "")
        if first:  # the staff hear of a flood once, not once per message
            filing.tell_staff(tx, tx.uow.cases.get(number), f"{sender} envió más de {limit} mensajes en "
                              f"{span}: los siguientes se anotan en este caso sin acuse de recibo.", now)
        notes = [f"⚠ Avalancha de correo: {sender} envió más de {limit} mensajes en {span}. Los siguientes "
                 f"se anotan en este caso sin acuse de recibo.\n\nAsunto: {mail.subject}\n\n"
                 f"{quoting.new_text(mail.text)}"]
        self._finish(tx, number, mail, raw, now, sender, public=False, notes=notes, files=False)
        return _Outcome("threaded", f"más de {limit} mensajes de {sender} en {span}: anotado en su "
                                    "último caso sin acuse", number)

    def _bounce(self, tx: IntakeTransaction, mail: ParsedMail, dsn: classification.Bounce,
                now: datetime) -> _Outcome:
        if dsn.delayed_only:
            return _Outcome("ignored", "aviso de demora en la entrega (el servidor sigue intentando)")
        ids = tuple(x for x in (dsn.original_message_id, *mail.thread_ids) if x)
        number = threads.case_of_sent(tx.conn, ids) or log.case_of_message_ids(tx.conn, ids)
        failed = ", ".join(dsn.failed) or "destinatario desconocido"
        case = self._live_case(tx, number) if number is not None else None
        if number is None or case is None:
            return _Outcome("bounced", f"rebote de un mensaje que no es de ningún caso ({failed})")
        requester = (case.requester.email or "").strip().lower()
        diagnostic = (dsn.diagnostic or "").strip().rstrip(".")  # our sentences end it
        detail = f" — {diagnostic}" if diagnostic else ""
        if requester and requester in dsn.failed:
            threads.mark_failing(tx.conn, number, requester, diagnostic or "rebote", now)
            _record_bounce(tx, number, ids, requester, diagnostic)
            message = (f"⚠ El correo del peticionario ({requester}) no recibe mensajes: el envío fue "
                       f"rechazado{detail}. Contacte al peticionario por otro medio.")
        else:
            message = f"⚠ Un correo de este caso no pudo entregarse a {failed}{detail}."
        filing.add_note(tx, number, message)
        filing.tell_staff(tx, case, message, now)
        return _Outcome("bounced", f"rebote: no se entregó a {failed}{detail}"[:2000], number)

    def _finish(self, tx: IntakeTransaction, number: str, mail: ParsedMail, raw: _Raw, now: datetime,
                sender: str, *, public: bool, notes: list[str], files: bool = True) -> None:
        """The message's files, its raw bytes as evidence, and the notes on what the intake noticed."""
        if files:
            refused = filing.attach_files(tx, number, mail.files, public=public, sender=sender)
            if refused:
                notes.append("Adjuntos del correo que no se aceptaron (se conservan en el correo original "
                             "adjunto):\n" + "\n".join(f"- {r}" for r in refused))
        digest = filing.keep_evidence(tx, number, raw.content, raw.key, now)
        failures = classification.authentication_failures(mail)
        if failures:
            notes.append(f"⚠ El remitente {sender} no superó la verificación del correo "
                         f"({', '.join(failures)} en Authentication-Results): el mensaje podría no ser de "
                         "quien dice ser.")
        if mail.from_html:
            notes.append("El correo solo traía HTML: su texto se extrajo tras depurarlo.")
        notes.append(f"Correo recibido de {sender}: Message-ID {mail.message_id or '(ninguno)'}, "
                     f"SHA-256 {digest}.")
        for note in notes:
            filing.add_note(tx, number, note)

    # ------------------------------------------------------------------------------------- matching
    def _thread(self, tx: IntakeTransaction, mail: ParsedMail) -> tuple[Case, str] | None:
        """The case ``mail`` answers, if any, and how it was recognised."""
        for how, number in self._thread_candidates(tx, mail):
            case = self._live_case(tx, number)
            if case is not None:
                return case, how
        return None

    @staticmethod
    def _live_case(tx: IntakeTransaction, number: str) -> Case | None:
        """The case ``number`` unless it does not exist or was deleted."""
        try:
            case = tx.uow.cases.get(number)
        except NotFound:
            return None
        return case if case.deleted_at is None else None

    def _thread_candidates(self, tx: IntakeTransaction, mail: ParsedMail) -> Iterable[tuple[str, str]]:
        for address in mail.recipients:
            local = address.partition("@")[0]
            if "+" in local:
                number = threads.by_token(tx.conn, local.split("+", 1)[1])
                if number is not None:
                    yield "dirección de respuesta del caso", number
        ids = mail.thread_ids
        number = threads.case_of_sent(tx.conn, ids)
        if number is not None:
            yield "respuesta a un correo enviado", number
        number = log.case_of_message_ids(tx.conn, ids)
        if number is not None:
            yield "respuesta a un correo recibido", number
        for found in self._subject_number.findall(mail.subject):
            yield "número de radicado en el asunto", found.upper()

    def _flooded_case(self, tx: IntakeTransaction, sender: str,
                      received_at: datetime) -> tuple[str, bool] | None:
        """The sender's latest case when they sent too much mail lately, and whether this message is
        the first one over the limit."""
        since = received_at - self.settings.flood_window
        count = log.count_from(tx.conn, sender, since)
        if count < self.settings.flood_limit:
            return None
        number = log.newest_case_from(tx.conn, sender, since)
        if number is None or self._live_case(tx, number) is None:
            return None
        return number, count == self.settings.flood_limit

    def _is_ours(self, sender: str, arrival: Arrival) -> bool:
        ours: set[str] = {_base_address(a) for a in self.settings.own_addresses}
        if arrival.mailbox:
            ours.add(_base_address(arrival.mailbox))
        return _base_address(sender) in ours


def _record_bounce(tx: IntakeTransaction, number: str, ids: tuple[str, ...], address: str,
                   diagnostic: str) -> None:
    """A bounced communication (the response, an information request, an extension notice) is not
    notified: its proof records the bounce (see ``pqrs_core.domain.delivery``)."""
    sent = threads.sent_template(tx.conn, ids)
    if sent is None or sent[1] != REQUESTER or sent[0] not in COMMUNICATIONS:
        return
    try:
        tx.run(c.RecordEmailDelivery(filing_number=number, communication=sent[0], status=BOUNCED,
                                     address=address, message_id=ids[0], reason=diagnostic or None),
               Actor.system())
    except DomainError as exc:
        LOG.warning("no se registró el rebote del caso %s: %s", number, exc)


def _base_address(address: str) -> str:
    """``pqrs+token@acme.co`` → ``pqrs@acme.co`` (lower case)."""
    local, _, domain = address.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def own_addresses(addresses: Sequence[str | None]) -> frozenset[str]:
    """Our addresses, from settings that may carry a display name (``PQRS Acme <pqrs@acme.co>``)."""
    found = (parseaddr(a)[1] for a in addresses if a)
    return frozenset(_base_address(a) for a in found if "@" in a)
